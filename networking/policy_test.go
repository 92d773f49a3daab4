package networking

import (
	"testing"

	linkemu "github.com/linkemu/linkemu"
)

// destLink is a destination-initiated link on dst from src.
func destLink(dst, src string) *linkemu.Link {
	return &linkemu.Link{Name: "l", ClusterID: dst, SourceClusterID: src, Configs: map[string]string{}}
}

func TestCheckLinkTopology(t *testing.T) {
	l := newLab(t, labNetworks())
	inbound := destLink("lkc-east", "lkc-west")
	inbound.Configs[linkemu.CfgConnectionMode] = string(linkemu.ConnInbound)
	source := &linkemu.Link{Name: "l", ClusterID: "lkc-west", DestinationClusterID: "lkc-east",
		Configs: map[string]string{linkemu.CfgLinkMode: string(linkemu.ModeSource)}}
	sourceToPublic := &linkemu.Link{Name: "l", ClusterID: "lkc-west", DestinationClusterID: "lkc-pub",
		Configs: map[string]string{linkemu.CfgLinkMode: string(linkemu.ModeSource)}}
	sourceFromPublic := &linkemu.Link{Name: "l", ClusterID: "lkc-pub", DestinationClusterID: "lkc-west",
		Configs: map[string]string{linkemu.CfgLinkMode: string(linkemu.ModeSource)}}
	for _, tc := range []struct {
		name  string
		link  *linkemu.Link
		code  string // "" for allowed
		parts []string
	}{
		{"public to public", destLink("lkc-pub", "lkc-pub2"), "", nil},
		{"same private network", destLink("lkc-west", "lkc-west2"), "", nil},
		{"private destination pulls from public", destLink("lkc-west", "lkc-pub"), "", nil},
		{"private source pushes to public", sourceToPublic, "", nil},
		{"public destination pulls from private", destLink("lkc-pub", "lkc-west"), linkemu.EUNAVAILABLE,
			[]string{"cluster lkc-pub is in the public network n-public (env env-default) and cannot connect to lkc-west in network n-west (env env-a)", "source-initiated link (link.mode=SOURCE on lkc-west, connection.mode=INBOUND on lkc-pub)"}},
		{"public source pushes to private", sourceFromPublic, linkemu.EUNAVAILABLE,
			[]string{"a private network accepts no connections from the public one", "destination-initiated link on lkc-west"}},
		{"private to private without a network link", destLink("lkc-west", "lkc-east"), linkemu.EUNAVAILABLE,
			[]string{"cluster lkc-west is in network n-west (env env-a) and lkc-east in n-east (env env-b); a READY network link endpoint from n-west to a service on n-east is required", "no network link service on n-east"}},
		{"source-initiated between private networks", source, linkemu.EINVALID,
			[]string{"source-initiated (source lkc-west in network n-west (env env-a), destination lkc-east in network n-east (env env-b))", "destination-initiated link on lkc-east"}},
		{"inbound destination between private networks", inbound, linkemu.EINVALID,
			[]string{"source-initiated (source lkc-west", "destination lkc-east"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := l.CheckLink(tc.link)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantErr(t, err, tc.code, tc.parts...)
		})
	}
}

// TestCheckLinkNetworkLink follows a link from lkc-west (destination, n-west)
// to lkc-east (source, n-east) through the life of a network link.
func TestCheckLinkNetworkLink(t *testing.T) {
	l := newLab(t, labNetworks())
	link := destLink("lkc-west", "lkc-east")
	check := func(step string, parts ...string) {
		t.Helper()
		err := l.CheckLink(link)
		if len(parts) == 0 {
			if err != nil {
				t.Fatalf("%s: refused: %v", step, err)
			}
			return
		}
		t.Logf("%s: %s", step, linkemu.ErrorMessage(err))
		wantErr(t, err, linkemu.EUNAVAILABLE, parts...)
	}
	check("no service", "no network link service on n-east")
	svc := l.service(t, "env-b", "n-east", AcceptPolicy{})
	check("no endpoint", "network n-west has no endpoint to network link service "+svc.ID)
	e := l.endpoint(t, "env-a", "n-west", svc.ID)
	check("provisioning", "endpoint "+e.ID+" is still PROVISIONING")
	l.clock.Advance(testDelay)
	check("pending", "endpoint "+e.ID+" is PENDING_ACCEPT", "accepts neither environment env-a nor network n-west")
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: ptr(accept([]string{"env-a"}, nil))}); err != nil {
		t.Fatal(err)
	}
	check("ready")
	// The reverse direction needs its own network link.
	if err := l.CheckLink(destLink("lkc-east", "lkc-west")); linkemu.ErrorCode(err) != linkemu.EUNAVAILABLE {
		t.Errorf("reverse link allowed: %v", err)
	}
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: &AcceptPolicy{}}); err != nil {
		t.Fatal(err)
	}
	check("disconnected", "endpoint "+e.ID+" is DISCONNECTED", "does not recover")
	if _, err := l.UpdateService(svc.ID, ServiceUpdate{Environment: "env-b", Accept: ptr(accept(nil, []string{"n-west"}))}); err != nil {
		t.Fatal(err)
	}
	check("still disconnected", "is DISCONNECTED")
	e2 := l.endpoint(t, "env-a", "n-west", svc.ID)
	l.clock.Advance(testDelay)
	check("new endpoint ready")
	if err := l.DeleteEndpoint("env-a", e2.ID); err != nil {
		t.Fatal(err)
	}
	check("new endpoint deleted", "endpoint "+e.ID+" is DISCONNECTED")
}
