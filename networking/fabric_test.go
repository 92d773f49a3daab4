package networking

import (
	"strings"
	"testing"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

func TestTopologyValidation(t *testing.T) {
	for _, tc := range []struct {
		name     string
		networks []Network
		want     string // "" for valid
	}{
		{"none", nil, ""},
		{"two networks", labNetworks(), ""},
		{"public redeclared", []Network{{ID: PublicNetwork, Environment: "env-a"}}, "built-in public network"},
		{"bad network id", []Network{{ID: "west", Environment: "env-a"}}, "network ID \"west\" is malformed"},
		{"bad environment", []Network{{ID: "n-west", Environment: "a"}}, "environment \"a\" is malformed"},
		{"duplicate network", []Network{{ID: "n-west", Environment: "env-a"}, {ID: "n-west", Environment: "env-b"}}, "declared twice"},
		{"cluster in two networks", []Network{{ID: "n-west", Environment: "env-a", Clusters: []string{"lkc-x"}}, {ID: "n-east", Environment: "env-b", Clusters: []string{"lkc-x"}}}, "placed in both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Config{Networks: tc.networks})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestPlacement(t *testing.T) {
	l := newLab(t, labNetworks())
	if n := l.NetworkOf("lkc-west"); n.ID != "n-west" || n.Environment != "env-a" || !n.Private() {
		t.Errorf("lkc-west placed in %+v", n)
	}
	if n := l.NetworkOf("lkc-unplaced"); n.ID != PublicNetwork || n.Environment != DefaultEnvironment || n.Private() {
		t.Errorf("unplaced cluster in %+v", n)
	}
	if got := len(l.Networks()); got != 4 {
		t.Errorf("%d networks, want 4 (3 private and the public one)", got)
	}
}

func TestEndpointPhases(t *testing.T) {
	l := newLab(t, labNetworks())
	svc := l.service(t, "env-b", "n-east", accept([]string{"env-a"}, nil))
	if svc.Phase != PhaseReady { // the only phase Confluent documents for services
		t.Fatalf("new service is %s", svc.Phase)
	}
	west := l.endpoint(t, "env-a", "n-west", svc.ID)
	if west.Phase != PhaseProvisioning || !strings.HasPrefix(west.ID, "nle-") || west.DisplayName != west.ID {
		t.Fatalf("new endpoint: %+v", west)
	}
	l.clock.Advance(testDelay)
	if got, _ := l.GetService("env-b", svc.ID); got.Phase != PhaseReady {
		t.Errorf("service after the delay: %s", got.Phase)
	}
	if p := l.phase(t, "env-a", west.ID); p != PhaseReady {
		t.Fatalf("accepted endpoint after the delay: %s", p)
	}

	// Accept by network instead of environment: n-west stays, n-north
	// (same environment, not listed) goes.
	north := l.endpoint(t, "env-a", "n-north", svc.ID)
	l.clock.Advance(testDelay)
	if p := l.phase(t, "env-a", north.ID); p != PhaseReady {
		t.Fatalf("n-north endpoint: %s", p)
	}
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: ptr(accept(nil, []string{"n-west"}))}); err != nil {
		t.Fatal(err)
	}
	if p := l.phase(t, "env-a", west.ID); p != PhaseReady {
		t.Errorf("endpoint still accepted by network: %s", p)
	}
	e, _ := l.GetEndpoint("env-a", north.ID)
	if e.Phase != PhaseDisconnected || !strings.Contains(e.ErrorMessage, "no longer accepts environment env-a or network n-north") {
		t.Fatalf("endpoint no longer accepted: %s %q", e.Phase, e.ErrorMessage)
	}
	// Accepting it again does not heal it.
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: ptr(accept([]string{"env-a"}, nil))}); err != nil {
		t.Fatal(err)
	}
	l.clock.Advance(10 * testDelay)
	if p := l.phase(t, "env-a", north.ID); p != PhaseDisconnected {
		t.Errorf("disconnected endpoint came back as %s", p)
	}
	// A new endpoint from the same network is allowed once the old one is
	// disconnected, and becomes READY.
	again := l.endpoint(t, "env-a", "n-north", svc.ID)
	l.clock.Advance(testDelay)
	if p := l.phase(t, "env-a", again.ID); p != PhaseReady {
		t.Errorf("replacement endpoint: %s", p)
	}
}

func TestPendingAccept(t *testing.T) {
	l := newLab(t, labNetworks())
	svc := l.service(t, "env-b", "n-east", AcceptPolicy{})
	e := l.endpoint(t, "env-a", "n-west", svc.ID)
	l.clock.Advance(testDelay)
	if p := l.phase(t, "env-a", e.ID); p != PhasePendingAccept {
		t.Fatalf("endpoint the service does not accept: %s", p)
	}
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: ptr(accept(nil, []string{"n-west"}))}); err != nil {
		t.Fatal(err)
	}
	if p := l.phase(t, "env-a", e.ID); p != PhaseReady {
		t.Fatalf("endpoint once accepted: %s", p)
	}
	assocs, err := l.ListAssociations(AssociationFilter{Environment: "env-b", Service: svc.ID})
	if err != nil || len(assocs) != 1 || assocs[0].ID != "nlsa-"+strings.TrimPrefix(e.ID, "nle-") || assocs[0].Endpoint.Phase != PhaseReady {
		t.Fatalf("associations: %v %+v", err, assocs)
	}
	if _, err := l.GetAssociation("env-b", svc.ID, assocs[0].ID); err != nil {
		t.Fatal(err)
	}
	_, err = l.GetAssociation("env-b", svc.ID, "nlsa-nope")
	wantErr(t, err, linkemu.ENOTFOUND, "nlsa-nope")
}

func TestServiceDeleteRules(t *testing.T) {
	l := newLab(t, labNetworks())
	svc := l.service(t, "env-b", "n-east", accept(nil, []string{"n-west"}))
	ready := l.endpoint(t, "env-a", "n-west", svc.ID)
	pending := l.endpoint(t, "env-a", "n-north", svc.ID)

	// Connected while still PROVISIONING, and while READY.
	err := l.DeleteService("env-b", svc.ID)
	wantErr(t, err, linkemu.EMALFORMED, ready.ID, "PROVISIONING") // 400: the spec lists no 409 for DELETE
	l.clock.Advance(testDelay)
	err = l.DeleteService("env-b", svc.ID)
	wantErr(t, err, linkemu.EMALFORMED, ready.ID+" (network n-west, READY)")
	if strings.Contains(linkemu.ErrorMessage(err), pending.ID) {
		t.Errorf("a pending endpoint blocks the delete: %v", err)
	}
	wantErr(t, l.DeleteService("env-a", svc.ID), linkemu.ENOTFOUND, "not found in environment env-a")

	// Disconnect it, then the delete goes through; the pending one is
	// disconnected too.
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: &AcceptPolicy{}}); err != nil {
		t.Fatal(err)
	}
	if err := l.DeleteService("env-b", svc.ID); err != nil {
		t.Fatalf("delete with only disconnected endpoints: %v", err)
	}
	wantErr(t, func() error { _, err := l.GetService("env-b", svc.ID); return err }(), linkemu.ENOTFOUND)
	e, _ := l.GetEndpoint("env-a", pending.ID)
	if e.Phase != PhaseDisconnected || !strings.Contains(e.ErrorMessage, "was deleted") {
		t.Errorf("pending endpoint of a deleted service: %s %q", e.Phase, e.ErrorMessage)
	}
	// Endpoints can always be deleted.
	for _, id := range []string{ready.ID, pending.ID} {
		if err := l.DeleteEndpoint("env-a", id); err != nil {
			t.Errorf("delete %s: %v", id, err)
		}
	}
	wantErr(t, l.DeleteEndpoint("env-a", ready.ID), linkemu.ENOTFOUND)
}

func TestLimits(t *testing.T) {
	var nets []Network
	for _, id := range []string{"n-o1", "n-o2", "n-o3", "n-o4", "n-o5"} {
		nets = append(nets, Network{ID: id, Environment: "env-o"})
	}
	for _, id := range []string{"n-s1", "n-s2", "n-s3", "n-s4", "n-s5", "n-s6"} {
		nets = append(nets, Network{ID: id, Environment: "env-s"})
	}
	l := newLab(t, nets)
	var services []string
	for _, n := range []string{"n-s1", "n-s2", "n-s3", "n-s4", "n-s5", "n-s6"} {
		services = append(services, l.service(t, "env-s", n, accept([]string{"env-o"}, nil)).ID)
	}
	_, err := l.CreateService(ServiceSpec{Environment: "env-s", Network: "n-s1"})
	wantErr(t, err, linkemu.EQUOTA, "Network n-s1 already has network link service "+services[0], "only 1")

	for _, n := range []string{"n-o1", "n-o2", "n-o3", "n-o4"} {
		for _, s := range services[:5] {
			l.endpoint(t, "env-o", n, s)
		}
	}
	_, err = l.CreateEndpoint(EndpointSpec{Environment: "env-o", Network: "n-o1", Service: services[5]})
	wantErr(t, err, linkemu.EQUOTA, "Network n-o1 already has 5 network link endpoints", "at most 5")
	_, err = l.CreateEndpoint(EndpointSpec{Environment: "env-o", Network: "n-o5", Service: services[5]})
	wantErr(t, err, linkemu.EQUOTA, "organization already has 20 network link endpoints", "at most 20")
}

func TestCreateValidation(t *testing.T) {
	l := newLab(t, labNetworks())
	svc := l.service(t, "env-b", "n-east", AcceptPolicy{})
	l.endpoint(t, "env-a", "n-west", svc.ID)
	for _, tc := range []struct {
		name  string
		err   error
		code  string
		parts []string
	}{
		{"service without environment", second(l.CreateService(ServiceSpec{Network: "n-east"})), linkemu.EINVALID, []string{"spec.environment.id is required"}},
		{"service in unknown environment", second(l.CreateService(ServiceSpec{Environment: "env-x", Network: "n-east"})), linkemu.EMALFORMED, []string{"Environment env-x not found", "env-a, env-b, env-default"}},
		{"service without network", second(l.CreateService(ServiceSpec{Environment: "env-a"})), linkemu.EINVALID, []string{"spec.network.id is required"}},
		{"service on another environment's network", second(l.CreateService(ServiceSpec{Environment: "env-a", Network: "n-east"})), linkemu.EMALFORMED, []string{"Network n-east not found in environment env-a", "n-north, n-west"}},
		{"service on the public network", second(l.CreateService(ServiceSpec{Environment: DefaultEnvironment, Network: PublicNetwork})), linkemu.EINVALID, []string{"public network"}},
		{"accept unknown environment", second(l.CreateService(ServiceSpec{Environment: "env-a", Network: "n-west", Accept: accept([]string{"env-zz"}, nil)})), linkemu.EINVALID, []string{"env-zz"}},
		{"accept the public network", second(l.CreateService(ServiceSpec{Environment: "env-a", Network: "n-west", Accept: accept(nil, []string{PublicNetwork})})), linkemu.EINVALID, []string{"public network"}},
		{"endpoint to unknown service", second(l.CreateEndpoint(EndpointSpec{Environment: "env-a", Network: "n-north", Service: "nls-nope"})), linkemu.EMALFORMED, []string{"nls-nope"}},
		{"endpoint without service", second(l.CreateEndpoint(EndpointSpec{Environment: "env-a", Network: "n-north"})), linkemu.EINVALID, []string{"spec.network_link_service.id is required"}},
		{"endpoint on the service's network", second(l.CreateEndpoint(EndpointSpec{Environment: "env-b", Network: "n-east", Service: svc.ID})), linkemu.EINVALID, []string{"on network n-east itself"}},
		{"second endpoint to one service", second(l.CreateEndpoint(EndpointSpec{Environment: "env-a", Network: "n-west", Service: svc.ID})), linkemu.ECONFLICT, []string{"already has network link endpoint"}},
		{"update without environment", second(l.UpdateService(svc.ID, ServiceUpdate{})), linkemu.EINVALID, []string{"spec.environment.id is required"}},
		{"list without environment", second(l.ListEndpoints(EndpointFilter{})), linkemu.EMALFORMED, []string{"environment is required"}},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, tc.code, tc.parts...) })
	}
}

func TestListFilters(t *testing.T) {
	l := newLab(t, labNetworks())
	east := l.service(t, "env-b", "n-east", accept([]string{"env-a"}, nil))
	west := l.service(t, "env-a", "n-west", AcceptPolicy{})
	e1 := l.endpoint(t, "env-a", "n-west", east.ID)
	l.clock.Advance(testDelay)
	e2, _ := l.CreateEndpoint(EndpointSpec{Environment: "env-a", Network: "n-north", Service: west.ID, DisplayName: "north"})
	for _, tc := range []struct {
		name   string
		filter EndpointFilter
		want   []string
	}{
		{"environment", EndpointFilter{Environment: "env-a"}, sortedIDs(e1.ID, e2.ID)},
		{"other environment", EndpointFilter{Environment: "env-b"}, nil},
		{"phase", EndpointFilter{Environment: "env-a", Phases: []string{"READY"}}, []string{e1.ID}},
		{"two phases", EndpointFilter{Environment: "env-a", Phases: []string{"READY", "PROVISIONING"}}, sortedIDs(e1.ID, e2.ID)},
		{"display name", EndpointFilter{Environment: "env-a", DisplayNames: []string{"north"}}, []string{e2.ID}},
		{"network", EndpointFilter{Environment: "env-a", Networks: []string{"n-west"}}, []string{e1.ID}},
		{"service", EndpointFilter{Environment: "env-a", Services: []string{west.ID}}, []string{e2.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := l.ListEndpoints(tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.ID)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStateSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	open := func() (*store.Store, *Fabric) {
		st, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f, err := New(Config{Store: st, Networks: labNetworks(), ReadyDelay: -1})
		if err != nil {
			t.Fatal(err)
		}
		return st, f
	}
	st, f := open()
	svc, err := f.CreateService(ServiceSpec{Environment: "env-b", Network: "n-east", Accept: accept([]string{"env-a"}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.CreateEndpoint(EndpointSpec{Environment: "env-a", Network: "n-west", Service: svc.ID})
	if err != nil || e.Phase != PhaseReady {
		t.Fatalf("endpoint with no delay: %v %+v", err, e)
	}
	st.Close()
	st, f = open()
	defer st.Close()
	if got, err := f.GetEndpoint("env-a", e.ID); err != nil || got.Phase != PhaseReady || got.Service != svc.ID {
		t.Fatalf("after reopen: %v %+v", err, got)
	}
}

func ptr[T any](v T) *T { return &v }

func second[T any](_ T, err error) error { return err }

func sortedIDs(ids ...string) []string {
	if ids[0] > ids[1] {
		ids[0], ids[1] = ids[1], ids[0]
	}
	return ids
}
