package e2e

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	networkingv1 "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1"
	"github.com/linkemu/linkemu/internal/apitest"
)

func TestNetworkLinkEndpointsWithSDK(t *testing.T) {
	env, sdk := networkingLab(t, nil)
	api := sdk.NetworkLinkEndpointsNetworkingV1Api
	ctx := context.Background()

	east := id0(createService(t, sdk, "env-b", "n-east", "east", acceptPolicy([]string{"env-a"}, nil)))
	south := id0(createService(t, sdk, "env-b", "n-south", "south", acceptPolicy(nil, nil)))
	waitServiceReady(t, sdk, "env-b", east)
	waitServiceReady(t, sdk, "env-b", south)

	westEast := createEndpoint(t, sdk, "env-a", "n-west", east, "west-east")
	northEast := createEndpoint(t, sdk, "env-a", "n-north", east, "north-east")
	westSouth := createEndpoint(t, sdk, "env-a", "n-west", south, "west-south")
	for _, tc := range []struct {
		e    networkingv1.NetworkingV1NetworkLinkEndpoint
		want string
	}{{westEast, "READY"}, {northEast, "READY"}, {westSouth, "PENDING_ACCEPT"}} {
		if tc.e.Status.Phase != tc.want {
			t.Errorf("endpoint %s is %s, want %s", tc.e.Spec.GetDisplayName(), tc.e.Status.Phase, tc.want)
		}
	}
	id := westEast.GetId()
	if !strings.HasPrefix(id, "nle-") || westEast.GetKind() != "NetworkLinkEndpoint" || westEast.GetApiVersion() != "networking/v1" {
		t.Errorf("endpoint: %+v", westEast)
	}
	if s := westEast.Spec; s.Environment.Id != "env-a" || s.Network.Id != "n-west" || s.NetworkLinkService.Id != east ||
		s.NetworkLinkService.GetEnvironment() != "env-b" || s.GetDescription() != "endpoint west-east" {
		t.Errorf("endpoint spec: %+v", s)
	}
	// The service reference names the service as the service itself does.
	if got, want := westEast.Spec.NetworkLinkService.GetResourceName(), "crn://confluent.cloud/organization=linkemu/environment=env-b/network=n-east/network-link-service="+east; got != want {
		t.Errorf("spec.network_link_service.resource_name %s, want %s", got, want)
	}
	if self := westEast.Metadata.Self; self != env.RESTURL+"/networking/v1/network-link-endpoints/"+id+"?environment=env-a" {
		t.Errorf("metadata.self %s", self)
	}

	list := func(req networkingv1.ApiListNetworkingV1NetworkLinkEndpointsRequest) []string {
		t.Helper()
		l, _, err := req.Execute()
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		var names []string
		for _, e := range l.Data {
			names = append(names, e.Spec.GetDisplayName())
		}
		return sortStrings(names)
	}
	all := []string{"north-east", "west-east", "west-south"}
	for _, tc := range []struct {
		name string
		req  networkingv1.ApiListNetworkingV1NetworkLinkEndpointsRequest
		want []string
	}{
		{"environment", api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-a"), all},
		{"service's environment", api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-b"), nil},
		{"service", api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-a").SpecNetworkLinkService([]string{east}), []string{"north-east", "west-east"}},
		{"phases", api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-a").StatusPhase([]string{"PENDING_ACCEPT", "DISCONNECTED"}), []string{"west-south"}},
		{"networks", api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-a").SpecNetwork([]string{"n-west", "n-north"}), all},
		{"display name", api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-a").SpecDisplayName([]string{"north-east"}), []string{"north-east"}},
	} {
		if got := list(tc.req); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}

	// Pages of two: 2 then 1.
	var sizes []int
	var seen []string
	req := api.ListNetworkingV1NetworkLinkEndpoints(ctx).Environment("env-a").PageSize(2)
	for {
		page, _, err := req.Execute()
		if err != nil || page.Metadata.GetTotalSize() != 3 || page.Kind != "NetworkLinkEndpointList" {
			t.Fatalf("page: %v %+v", err, page)
		}
		sizes = append(sizes, len(page.Data))
		for _, e := range page.Data {
			seen = append(seen, e.Spec.GetDisplayName())
		}
		if page.Metadata.GetNext() == "" {
			break
		}
		req = req.PageToken(pageToken(t, page.Metadata.GetNext()))
	}
	if !slices.Equal(sizes, []int{2, 1}) || !slices.Equal(sortStrings(seen), all) {
		t.Errorf("pages: sizes %v, endpoints %v", sizes, seen)
	}

	upd := networkingv1.NewNetworkingV1NetworkLinkEndpointSpecUpdate()
	upd.SetDisplayName("west-east-renamed")
	upd.SetEnvironment(networkingv1.GlobalObjectReference{Id: "env-a"})
	u := networkingv1.NewNetworkingV1NetworkLinkEndpointUpdate()
	u.SetSpec(*upd)
	got, resp, err := api.UpdateNetworkingV1NetworkLinkEndpoint(ctx, id).NetworkingV1NetworkLinkEndpointUpdate(*u).Execute()
	if err != nil || resp.StatusCode != http.StatusOK || got.Spec.GetDisplayName() != "west-east-renamed" || got.Spec.GetDescription() != "endpoint west-east" || got.Status.Phase != "READY" {
		t.Fatalf("update: %v %+v", err, got)
	}

	// The service owner's view.
	assoc := sdk.NetworkLinkServiceAssociationsNetworkingV1Api
	al, _, err := assoc.ListNetworkingV1NetworkLinkServiceAssociations(ctx).Environment("env-b").SpecNetworkLinkService(east).Execute()
	if err != nil || len(al.Data) != 2 || al.Kind != "NetworkLinkServiceAssociationList" {
		t.Fatalf("associations: %v %+v", err, al)
	}
	var a networkingv1.NetworkingV1NetworkLinkServiceAssociation
	for _, x := range al.Data {
		if x.Spec.GetNetworkLinkEndpoint() == id {
			a = x
		}
	}
	if a.GetId() != "nlsa-"+strings.TrimPrefix(id, "nle-") || a.Spec.GetDisplayName() != "west-east-renamed" || a.Status.Phase != "READY" ||
		a.Spec.NetworkLinkService.Id != east || a.Spec.Environment.Id != "env-b" {
		t.Errorf("association of %s: %+v", id, a)
	}
	pages, _, err := assoc.ListNetworkingV1NetworkLinkServiceAssociations(ctx).Environment("env-b").SpecNetworkLinkService(east).PageSize(1).Execute()
	if err != nil || len(pages.Data) != 1 || pages.Metadata.GetNext() == "" {
		t.Errorf("association page: %v %+v", err, pages)
	}
	if pend, _, err := assoc.ListNetworkingV1NetworkLinkServiceAssociations(ctx).Environment("env-b").SpecNetworkLinkService(south).StatusPhase([]string{"PENDING_ACCEPT"}).Execute(); err != nil || len(pend.Data) != 1 {
		t.Errorf("pending associations of south: %v %+v", err, pend)
	}
	one, _, err := assoc.GetNetworkingV1NetworkLinkServiceAssociation(ctx, a.GetId()).Environment("env-b").SpecNetworkLinkService(east).Execute()
	if err != nil || one.Spec.GetNetworkLinkEndpoint() != id {
		t.Errorf("get association: %v %+v", err, one)
	}

	for _, e := range []string{id, northEast.GetId(), westSouth.GetId()} {
		if resp, err := api.DeleteNetworkingV1NetworkLinkEndpoint(ctx, e).Environment("env-a").Execute(); err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("delete %s: %v %v", e, resp, err)
		}
		if _, resp, _ := api.GetNetworkingV1NetworkLinkEndpoint(ctx, e).Environment("env-a").Execute(); resp == nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("get deleted %s: %v", e, resp)
		}
	}
}

// TestNetworkLinkAcceptListAndDeleteRules: removing an endpoint's network
// from the accept list disconnects it for good, and a service cannot be
// deleted while endpoints are connected to it.
func TestNetworkLinkAcceptListAndDeleteRules(t *testing.T) {
	_, sdk := networkingLab(t, nil)
	ctx := context.Background()
	svcAPI, epAPI := sdk.NetworkLinkServicesNetworkingV1Api, sdk.NetworkLinkEndpointsNetworkingV1Api
	svc := id0(createService(t, sdk, "env-b", "n-east", "east", acceptPolicy(nil, []string{"n-west"})))
	waitServiceReady(t, sdk, "env-b", svc)
	created := createEndpoint(t, sdk, "env-a", "n-west", svc, "west")
	ep := created.GetId()

	resp, err := svcAPI.DeleteNetworkingV1NetworkLinkService(ctx, svc).Environment("env-b").Execute()
	if resp == nil || resp.StatusCode != http.StatusBadRequest { // the spec lists 400, not 409, for DELETE
		t.Fatalf("delete a service with a READY endpoint: %v %v", resp, err)
	}
	if e := failure(t, err); e.GetCode() != "bad_request" || e.GetTitle() != "Bad Request" || !strings.Contains(e.GetDetail(), ep+" (network n-west, READY)") {
		t.Errorf("refusal: %+v", e)
	}

	setAccept := func(a networkingv1.NetworkingV1NetworkLinkServiceAcceptPolicy) {
		t.Helper()
		spec := networkingv1.NewNetworkingV1NetworkLinkServiceSpecUpdate()
		spec.SetEnvironment(networkingv1.GlobalObjectReference{Id: "env-b"})
		spec.SetAccept(a)
		u := networkingv1.NewNetworkingV1NetworkLinkServiceUpdate()
		u.SetSpec(*spec)
		if _, _, err := svcAPI.UpdateNetworkingV1NetworkLinkService(ctx, svc).NetworkingV1NetworkLinkServiceUpdate(*u).Execute(); err != nil {
			t.Fatalf("update accept list: %v", err)
		}
	}
	phase := func() (string, string) {
		t.Helper()
		e, _, err := epAPI.GetNetworkingV1NetworkLinkEndpoint(ctx, ep).Environment("env-a").Execute()
		if err != nil {
			t.Fatal(err)
		}
		return e.Status.Phase, e.Status.GetErrorMessage()
	}
	setAccept(acceptPolicy(nil, nil))
	if p, msg := phase(); p != "DISCONNECTED" || !strings.Contains(msg, "no longer accepts environment env-a or network n-west") {
		t.Fatalf("endpoint removed from the accept list: %s %q", p, msg)
	}
	setAccept(acceptPolicy([]string{"env-a"}, []string{"n-west"}))
	if p, _ := phase(); p != "DISCONNECTED" {
		t.Fatalf("disconnected endpoint recovered: %s", p)
	}
	if a, _, err := sdk.NetworkLinkServiceAssociationsNetworkingV1Api.ListNetworkingV1NetworkLinkServiceAssociations(ctx).
		Environment("env-b").SpecNetworkLinkService(svc).Execute(); err != nil || len(a.Data) != 1 || a.Data[0].Status.Phase != "DISCONNECTED" {
		t.Errorf("association of a disconnected endpoint: %v %+v", err, a)
	}
	// Only disconnected endpoints: the service can go; the endpoint stays
	// until its owner deletes it.
	if resp, err := svcAPI.DeleteNetworkingV1NetworkLinkService(ctx, svc).Environment("env-b").Execute(); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete service: %v %v", resp, err)
	}
	if p, _ := phase(); p != "DISCONNECTED" {
		t.Errorf("endpoint of a deleted service: %s", p)
	}
	if resp, err := epAPI.DeleteNetworkingV1NetworkLinkEndpoint(ctx, ep).Environment("env-a").Execute(); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete endpoint: %v %v", resp, err)
	}
	apitest.Eventually(t, apitest.Timeout, "endpoint gone", func() bool {
		_, resp, _ := epAPI.GetNetworkingV1NetworkLinkEndpoint(ctx, ep).Environment("env-a").Execute()
		return resp != nil && resp.StatusCode == http.StatusNotFound
	})
}

func id0(s networkingv1.NetworkingV1NetworkLinkService) string { return s.GetId() }
