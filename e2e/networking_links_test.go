package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	networkingv1 "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestClusterLinkAcrossPrivateNetworks puts lkc-west (destination) in n-west
// of env-a and lkc-east (source) in n-east of env-b, and follows a
// destination-initiated link through the life of the network link between
// them.
func TestClusterLinkAcrossPrivateNetworks(t *testing.T) {
	env := apitest.Start(t, emulator.Options{NetworkLinkReadyDelay: 100 * time.Millisecond, Networks: []emulator.NetworkSpec{
		{ID: "n-west", Environment: "env-a", Clusters: []string{"lkc-west"}},
		{ID: "n-east", Environment: "env-b", Clusters: []string{"lkc-east"}},
	}})
	sdk := env.NetworkingSDK()
	ctx := context.Background()
	links := apitest.ClusterPath("lkc-west", "/links")
	createLink := func(name string, query string) *apitest.Response {
		return env.Do(http.MethodPost, links+"?link_name="+name+query, map[string]any{"source_cluster_id": "lkc-east"})
	}
	const required = "cluster lkc-west is in network n-west (env env-a) and lkc-east in n-east (env env-b); a READY network link endpoint from n-west to a service on n-east is required"

	// Without a network link, validate_link fails and says what is missing.
	r := createLink("east-to-west", "")
	if r.Status != http.StatusBadRequest {
		t.Fatalf("create link without a network link: %d %s", r.Status, r.Body)
	}
	apitest.ValidateSpec(t, r)
	if msg := r.Map(t)["message"].(string); !strings.Contains(msg, required) || !strings.Contains(msg, "there is no network link service on n-east") {
		t.Errorf("validate_link message: %s", msg)
	}
	// Unvalidated, the link is created but UNAVAILABLE.
	if r := createLink("unvalidated", "&validate_link=false"); r.Status != http.StatusNoContent {
		t.Fatalf("create unvalidated link: %d %s", r.Status, r.Body)
	}
	waitLink(t, env, "unvalidated", "UNAVAILABLE", required)

	// Source-initiated links cannot cross a network link.
	r = env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/links?link_name=pushed"), map[string]any{
		"destination_cluster_id": "lkc-west", "configs": []map[string]string{{"name": "link.mode", "value": "SOURCE"}},
	})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Map(t)["message"].(string), "source-initiated links cannot cross a network link") {
		t.Errorf("source-initiated link: %d %s", r.Status, r.Body)
	}

	// With a READY network link the link is created and ACTIVE.
	svc := id0(createService(t, sdk, "env-b", "n-east", "east", acceptPolicy([]string{"env-a"}, nil)))
	waitServiceReady(t, sdk, "env-b", svc)
	first := createEndpoint(t, sdk, "env-a", "n-west", svc, "west")
	if first.Status.Phase != "READY" {
		t.Fatalf("endpoint is %s", first.Status.Phase)
	}
	if r := createLink("east-to-west", ""); r.Status != http.StatusNoContent {
		t.Fatalf("create link over a READY network link: %d %s", r.Status, r.Body)
	}
	waitLink(t, env, "east-to-west", "ACTIVE", "")
	waitLink(t, env, "unvalidated", "ACTIVE", "")

	// Data flows over it.
	east, west := client(t, env.Bootstrap("lkc-east")), client(t, env.Bootstrap("lkc-west"))
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 1}); r.Status != http.StatusCreated {
		t.Fatalf("create topic: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodPost, links+"/east-to-west/mirrors", map[string]any{"source_topic_name": "orders"}); r.Status != http.StatusNoContent {
		t.Fatalf("create mirror: %d %s", r.Status, r.Body)
	}
	kafkatest.Produce(t, east, "orders", kafkatest.Plain(10, 10)...)
	kafkatest.WaitExact(t, east, west, "orders", "orders", apitest.Timeout)
	mirrorStatus := func() any {
		return env.Do(http.MethodGet, links+"/east-to-west/mirrors/orders", nil).Map(t)["mirror_status"]
	}

	// The service stops accepting env-a: the endpoint is DISCONNECTED and
	// the link UNAVAILABLE.
	setAccept := func(envs []string) {
		t.Helper()
		spec := networkingv1.NewNetworkingV1NetworkLinkServiceSpecUpdate()
		spec.SetEnvironment(networkingv1.GlobalObjectReference{Id: "env-b"})
		spec.SetAccept(acceptPolicy(envs, nil))
		u := networkingv1.NewNetworkingV1NetworkLinkServiceUpdate()
		u.SetSpec(*spec)
		if _, _, err := sdk.NetworkLinkServicesNetworkingV1Api.UpdateNetworkingV1NetworkLinkService(ctx, svc).NetworkingV1NetworkLinkServiceUpdate(*u).Execute(); err != nil {
			t.Fatalf("update accept list: %v", err)
		}
	}
	setAccept(nil)
	waitLink(t, env, "east-to-west", "UNAVAILABLE", "endpoint "+first.GetId()+" is DISCONNECTED")
	apitest.Eventually(t, apitest.Timeout, "mirror SOURCE_UNAVAILABLE", func() bool { return mirrorStatus() == "SOURCE_UNAVAILABLE" })
	// Nothing crosses a disconnected network link, although both brokers
	// still run on loopback.
	kafkatest.Produce(t, east, "orders", kafkatest.Plain(5, 10)...)
	time.Sleep(time.Second)
	if err := kafkatest.Diff(context.Background(), east, west, "orders", "orders"); err == nil {
		t.Error("records crossed a DISCONNECTED network link")
	}

	// Accepting env-a again does not help; a new READY endpoint does.
	setAccept([]string{"env-a"})
	if link := getLink(t, env, "east-to-west"); link["link_state"] != "UNAVAILABLE" {
		t.Errorf("link after the accept list came back, before a new endpoint: %v", link["link_state"])
	}
	second := createEndpoint(t, sdk, "env-a", "n-west", svc, "west-2")
	if second.Status.Phase != "READY" {
		t.Fatalf("new endpoint is %s", second.Status.Phase)
	}
	waitLink(t, env, "east-to-west", "ACTIVE", "")
	kafkatest.WaitExact(t, east, west, "orders", "orders", apitest.Timeout)
	apitest.Eventually(t, apitest.Timeout, "mirror ACTIVE", func() bool { return mirrorStatus() == "ACTIVE" })

	// Deleting it makes the link UNAVAILABLE again.
	if resp, err := sdk.NetworkLinkEndpointsNetworkingV1Api.DeleteNetworkingV1NetworkLinkEndpoint(ctx, second.GetId()).Environment("env-a").Execute(); err != nil {
		t.Fatalf("delete endpoint: %v %v", resp, err)
	}
	waitLink(t, env, "east-to-west", "UNAVAILABLE", required)
}

// TestPublicClustersNeedNoNetworkLink checks that with no networks
// configured links behave as before, and that a private cluster can pull
// from a public one.
func TestPublicClustersNeedNoNetworkLink(t *testing.T) {
	env := apitest.Start(t, emulator.Options{Networks: []emulator.NetworkSpec{
		{ID: "n-west", Environment: "env-a", Clusters: []string{"lkc-west"}},
	}})
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=from-public"), map[string]any{"source_cluster_id": "lkc-east"}); r.Status != http.StatusNoContent {
		t.Fatalf("private destination, public source: %d %s", r.Status, r.Body)
	}
	waitLink(t, env, "from-public", "ACTIVE", "")
	r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/links?link_name=from-private"), map[string]any{"source_cluster_id": "lkc-west"})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Map(t)["message"].(string), "a private network accepts no connections from the public one") {
		t.Errorf("public destination, private source: %d %s", r.Status, r.Body)
	}
}

func getLink(t *testing.T, env *apitest.Env, name string) map[string]any {
	t.Helper()
	r := env.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/"+name), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("get link %s: %d %s", name, r.Status, r.Body)
	}
	return r.Map(t)
}

// waitLink waits until a link of lkc-west is in state, with a
// link_error_message containing msg when msg is set.
func waitLink(t *testing.T, env *apitest.Env, name, state, msg string) {
	t.Helper()
	deadline := time.Now().Add(apitest.Timeout)
	for {
		link := getLink(t, env, name)
		m, _ := link["link_error_message"].(string)
		if link["link_state"] == state && (state != "UNAVAILABLE" || link["link_error"] == "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR") && strings.Contains(m, msg) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("link %s is %v (%v: %q), want %s with a message containing %q", name, link["link_state"], link["link_error"], m, state, msg)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
