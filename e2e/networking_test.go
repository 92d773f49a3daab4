package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	networkingv1 "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// networkingLab starts an emulator with no Kafka clusters and four private
// networks: n-west and n-north in env-a, n-east and n-south in env-b.
func networkingLab(t *testing.T, mod func(*emulator.Options)) (*apitest.Env, *networkingv1.APIClient) {
	t.Helper()
	opts := emulator.Options{NoEmbedded: true, NetworkLinkReadyDelay: 100 * time.Millisecond, Networks: []emulator.NetworkSpec{
		{ID: "n-west", Environment: "env-a"}, {ID: "n-north", Environment: "env-a"},
		{ID: "n-east", Environment: "env-b"}, {ID: "n-south", Environment: "env-b"},
	}}
	if mod != nil {
		mod(&opts)
	}
	env := apitest.Start(t, opts)
	return env, env.NetworkingSDK()
}

// createService creates a service with the SDK, as Terraform does.
func createService(t *testing.T, sdk *networkingv1.APIClient, env, network, name string, accept networkingv1.NetworkingV1NetworkLinkServiceAcceptPolicy) networkingv1.NetworkingV1NetworkLinkService {
	t.Helper()
	spec := networkingv1.NewNetworkingV1NetworkLinkServiceSpec()
	spec.SetDisplayName(name)
	spec.SetDescription("service " + name)
	spec.SetEnvironment(networkingv1.GlobalObjectReference{Id: env})
	spec.SetNetwork(networkingv1.EnvScopedObjectReference{Id: network})
	spec.SetAccept(accept)
	nls := networkingv1.NewNetworkingV1NetworkLinkService()
	nls.SetSpec(*spec)
	got, resp, err := sdk.NetworkLinkServicesNetworkingV1Api.CreateNetworkingV1NetworkLinkService(context.Background()).NetworkingV1NetworkLinkService(*nls).Execute()
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("create service on %s: %v %v", network, resp, err)
	}
	return got
}

// createEndpoint creates an endpoint with the SDK and waits for it as
// Terraform does: PROVISIONING until PENDING_ACCEPT, READY or INACTIVE.
func createEndpoint(t *testing.T, sdk *networkingv1.APIClient, env, network, service, name string) networkingv1.NetworkingV1NetworkLinkEndpoint {
	t.Helper()
	spec := networkingv1.NewNetworkingV1NetworkLinkEndpointSpec()
	spec.SetDisplayName(name)
	spec.SetDescription("endpoint " + name)
	spec.SetEnvironment(networkingv1.GlobalObjectReference{Id: env})
	spec.SetNetwork(networkingv1.EnvScopedObjectReference{Id: network})
	spec.SetNetworkLinkService(networkingv1.EnvScopedObjectReference{Id: service})
	nle := networkingv1.NewNetworkingV1NetworkLinkEndpoint()
	nle.SetSpec(*spec)
	api := sdk.NetworkLinkEndpointsNetworkingV1Api
	got, resp, err := api.CreateNetworkingV1NetworkLinkEndpoint(context.Background()).NetworkingV1NetworkLinkEndpoint(*nle).Execute()
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("create endpoint on %s: %v %v", network, resp, err)
	}
	if got.Status.Phase != "PROVISIONING" {
		t.Errorf("new endpoint is %s", got.Status.Phase)
	}
	apitest.Eventually(t, apitest.Timeout, "endpoint "+got.GetId()+" provisioned", func() bool {
		e, _, err := api.GetNetworkingV1NetworkLinkEndpoint(context.Background(), got.GetId()).Environment(env).Execute()
		return err == nil && slices.Contains([]string{"PENDING_ACCEPT", "READY", "INACTIVE"}, e.Status.Phase)
	})
	got, _, err = api.GetNetworkingV1NetworkLinkEndpoint(context.Background(), got.GetId()).Environment(env).Execute()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func waitServiceReady(t *testing.T, sdk *networkingv1.APIClient, env, id string) {
	t.Helper()
	apitest.Eventually(t, apitest.Timeout, "service "+id+" READY", func() bool {
		s, _, err := sdk.NetworkLinkServicesNetworkingV1Api.GetNetworkingV1NetworkLinkService(context.Background(), id).Environment(env).Execute()
		return err == nil && s.Status.Phase == "READY"
	})
}

func acceptPolicy(envs, nets []string) networkingv1.NetworkingV1NetworkLinkServiceAcceptPolicy {
	return networkingv1.NetworkingV1NetworkLinkServiceAcceptPolicy{Environments: &envs, Networks: &nets}
}

// pageToken extracts page_token from a metadata.next URL, as the CLI does.
func pageToken(t *testing.T, next string) string {
	t.Helper()
	u, err := url.Parse(next)
	if err != nil || u.Query().Get("page_token") == "" {
		t.Fatalf("metadata.next %q has no page_token", next)
	}
	return u.Query().Get("page_token")
}

// failure returns the Cloud error of an SDK error: the model the SDK
// decoded, or for statuses the spec does not list for the operation (which
// the SDK leaves undecoded), the body decoded as a Failure.
func failure(t *testing.T, err error) networkingv1.Error {
	t.Helper()
	var oe networkingv1.GenericOpenAPIError
	if !errors.As(err, &oe) {
		t.Fatalf("not an API error: %v", err)
	}
	f, ok := oe.Model().(networkingv1.Failure)
	if !ok {
		if err := json.Unmarshal(oe.Body(), &f); err != nil {
			t.Fatalf("error body %s: %v", oe.Body(), err)
		}
	}
	if len(f.Errors) != 1 {
		t.Fatalf("error body %s does not hold one error", oe.Body())
	}
	return f.Errors[0]
}

func TestNetworkLinkServicesWithSDK(t *testing.T) {
	env, sdk := networkingLab(t, nil)
	api := sdk.NetworkLinkServicesNetworkingV1Api
	ctx := context.Background()

	east := createService(t, sdk, "env-b", "n-east", "east", acceptPolicy([]string{"env-a"}, nil))
	id := east.GetId()
	if !strings.HasPrefix(id, "nls-") || east.GetApiVersion() != "networking/v1" || east.GetKind() != "NetworkLinkService" || east.Status.Phase != "READY" {
		t.Errorf("created service: %+v", east)
	}
	if self := east.Metadata.Self; self != env.RESTURL+"/networking/v1/network-link-services/"+id+"?environment=env-b" {
		t.Errorf("metadata.self %s", self)
	}
	if rn := east.Metadata.GetResourceName(); rn != "crn://confluent.cloud/organization=linkemu/environment=env-b/network=n-east/network-link-service="+id {
		t.Errorf("metadata.resource_name %s", rn)
	}
	if s := east.Spec; s.Environment.Id != "env-b" || s.Network.Id != "n-east" || s.Network.GetEnvironment() != "env-b" ||
		!slices.Equal(s.Accept.GetEnvironments(), []string{"env-a"}) || s.GetDisplayName() != "east" || s.GetDescription() != "service east" {
		t.Errorf("created spec: %+v", s)
	}
	waitServiceReady(t, sdk, "env-b", id)
	south := createService(t, sdk, "env-b", "n-south", "south", acceptPolicy(nil, nil))
	waitServiceReady(t, sdk, "env-b", south.GetId())

	list := func(req networkingv1.ApiListNetworkingV1NetworkLinkServicesRequest) []string {
		t.Helper()
		l, _, err := req.Execute()
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		var ids []string
		for _, s := range l.Data {
			ids = append(ids, s.Spec.GetDisplayName())
		}
		return ids
	}
	for _, tc := range []struct {
		name string
		req  networkingv1.ApiListNetworkingV1NetworkLinkServicesRequest
		want []string
	}{
		{"environment", api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-b"), []string{"east", "south"}},
		{"other environment", api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-a"), nil},
		{"display names", api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-b").SpecDisplayName([]string{"south", "nope"}), []string{"south"}},
		{"networks", api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-b").SpecNetwork([]string{"n-east", "n-south"}), []string{"east", "south"}},
		{"phase", api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-b").StatusPhase([]string{"PROVISIONING"}), nil},
		{"ready", api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-b").StatusPhase([]string{"READY"}), []string{"east", "south"}},
	} {
		if got := list(tc.req); !slices.Equal(sortStrings(got), tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}

	// Pages of one.
	var seen []string
	req := api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-b").PageSize(1)
	for i := 0; ; i++ {
		page, _, err := req.Execute()
		if err != nil || len(page.Data) != 1 || page.Metadata.GetTotalSize() != 2 {
			t.Fatalf("page %d: %v %+v", i, err, page)
		}
		seen = append(seen, page.Data[0].GetId())
		if page.Metadata.GetNext() == "" {
			break
		}
		req = req.PageToken(pageToken(t, page.Metadata.GetNext()))
	}
	if !slices.Equal(seen, sortStrings([]string{id, south.GetId()})) {
		t.Errorf("pages gave %v", seen)
	}

	// Update: only what is sent changes.
	upd := networkingv1.NewNetworkingV1NetworkLinkServiceSpecUpdate()
	upd.SetDisplayName("east-renamed")
	upd.SetEnvironment(networkingv1.GlobalObjectReference{Id: "env-b"})
	upd.SetAccept(acceptPolicy(nil, []string{"n-west"}))
	u := networkingv1.NewNetworkingV1NetworkLinkServiceUpdate()
	u.SetSpec(*upd)
	if _, resp, err := api.UpdateNetworkingV1NetworkLinkService(ctx, id).NetworkingV1NetworkLinkServiceUpdate(*u).Execute(); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("update: %v %v", resp, err)
	}
	got, _, err := api.GetNetworkingV1NetworkLinkService(ctx, id).Environment("env-b").Execute()
	if err != nil || got.Spec.GetDisplayName() != "east-renamed" || got.Spec.GetDescription() != "service east" ||
		len(got.Spec.Accept.GetEnvironments()) != 0 || !slices.Equal(got.Spec.Accept.GetNetworks(), []string{"n-west"}) {
		t.Errorf("after update: %v %+v", err, got.Spec)
	}

	// Delete, then GET is 404, which is what Terraform waits for.
	if resp, err := api.DeleteNetworkingV1NetworkLinkService(ctx, id).Environment("env-b").Execute(); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %v %v", resp, err)
	}
	_, resp, err := api.GetNetworkingV1NetworkLinkService(ctx, id).Environment("env-b").Execute()
	if resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("get deleted service: %v %v", resp, err)
	}
	if e := failure(t, err); e.GetStatus() != "404" || e.GetCode() != "not_found" || !strings.Contains(e.GetDetail(), id) {
		t.Errorf("404 error: %+v", e)
	}
}

func sortStrings(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
