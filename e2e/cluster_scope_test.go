package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestClusterScopedMount: /clusters/{id}/kafka/v3 serves one cluster, as a
// Confluent Server REST endpoint does, for clients that take data[0] of GET
// …/v3/clusters as their cluster (the on-prem CLI with --url).
func TestClusterScopedMount(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	for _, id := range []string{"lkc-east", "lkc-west"} {
		base := "/clusters/" + id + "/kafka/v3"
		// Confluent Cloud's spec has no GET /clusters (Confluent Server's
		// has): the shape is checked here, and GET /clusters/{id} by the spec.
		r := env.Do(http.MethodGet, base+"/clusters", nil)
		apitest.ValidateSpec(t, env.Do(http.MethodGet, base+"/clusters/"+id, nil))
		var list struct {
			Metadata struct {
				Self string `json:"self"`
			} `json:"metadata"`
			Data []struct {
				ClusterID string `json:"cluster_id"`
				Metadata  struct {
					Self string `json:"self"`
				} `json:"metadata"`
			} `json:"data"`
		}
		r.JSON(t, &list)
		if len(list.Data) != 1 || list.Data[0].ClusterID != id || list.Data[0].Metadata.Self != env.RESTURL+base+"/clusters/"+id || list.Metadata.Self != env.RESTURL+base+"/clusters" {
			t.Errorf("GET %s/clusters: %s", base, r.Body)
		}
	}
	// A link made on lkc-west through its mount is listed there, and only there.
	west := "/clusters/lkc-west/kafka/v3/clusters/lkc-west"
	if r := env.Do(http.MethodPost, west+"/links?link_name=east-to-west", map[string]any{"source_cluster_id": "lkc-east"}); r.Status != 204 {
		t.Fatalf("create a link through the lkc-west mount: %d %s", r.Status, r.Body)
	}
	r := env.Do(http.MethodGet, west+"/links", nil)
	apitest.ValidateSpec(t, r)
	if !strings.Contains(string(r.Body), `"link_name":"east-to-west"`) || !strings.Contains(string(r.Body), env.RESTURL+west+"/links/east-to-west") {
		t.Errorf("links on the lkc-west mount: %s", r.Body)
	}
	for _, tc := range []struct{ name, path string }{
		{"another cluster under a mount", "/clusters/lkc-east/kafka/v3/clusters/lkc-west/links"},
		{"a cluster this emulator does not serve", "/clusters/lkc-nope/kafka/v3/clusters"},
	} {
		if r := env.Do(http.MethodGet, tc.path, nil); r.Status != 404 || !strings.Contains(string(r.Body), "cannot be found") {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
		}
	}
	// The shared mounts still list every cluster.
	var all struct {
		Data []any `json:"data"`
	}
	env.Do(http.MethodGet, "/kafka/v3/clusters", nil).JSON(t, &all)
	if len(all.Data) != 2 {
		t.Errorf("/kafka/v3/clusters lists %d clusters, want 2", len(all.Data))
	}
}

// TestEmptyTasksIsAnArray: with include_tasks=true, a link without tasks (a
// SOURCE side) answers "tasks": [], which the CLI's task list reads; without
// it, no tasks at all.
func TestEmptyTasksIsAnArray(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	if r := linkSide(env, "lkc-west", "si", map[string]any{"source_cluster_id": "lkc-east", "configs": cfgs("link.mode", "DESTINATION", "connection.mode", "INBOUND")}); r.Status != 204 {
		t.Fatalf("destination side: %d %s", r.Status, r.Body)
	}
	if r := linkSide(env, "lkc-east", "si", map[string]any{"destination_cluster_id": "lkc-west", "configs": cfgs("link.mode", "SOURCE", "bootstrap.servers", env.Bootstrap("lkc-west"))}); r.Status != 204 {
		t.Fatalf("source side: %d %s", r.Status, r.Body)
	}
	waitLinkState(t, env, "lkc-east", "si", "ACTIVE")
	r := env.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/links/si?include_tasks=true"), nil)
	apitest.ValidateSpec(t, r)
	tasks, ok := r.Map(t)["tasks"].([]any)
	if !ok || len(tasks) != 0 {
		t.Errorf("include_tasks=true on a SOURCE side: tasks must be [], got %s", r.Body)
	}
	if r := env.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/links/si"), nil); strings.Contains(string(r.Body), `"tasks"`) {
		t.Errorf("tasks without include_tasks: %s", r.Body)
	}
}
