package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestResponsesMatchConfluentSpec checks every response the emulator gives
// for the implemented routes, successes and errors, against Confluent's
// OpenAPI spec, under both mounts.
func TestResponsesMatchConfluentSpec(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	for _, prefix := range []string{"/kafka/v3", "/v3"} {
		t.Run(strings.Trim(prefix, "/"), func(t *testing.T) {
			topic := "spec-" + strings.ReplaceAll(strings.Trim(prefix, "/"), "/", "-")
			link := "link-" + strings.ReplaceAll(strings.Trim(prefix, "/"), "/", "-")
			west := prefix + "/clusters/lkc-west"
			east := prefix + "/clusters/lkc-east"
			steps := []struct {
				method, path string
				body         any
				status       int
			}{
				{http.MethodGet, prefix + "/clusters/lkc-east", nil, 200},
				{http.MethodGet, prefix + "/clusters/nope", nil, 404},
				{http.MethodPost, east + "/topics", map[string]any{"topic_name": topic, "partitions_count": 2, "configs": []map[string]any{{"name": "retention.ms", "value": "3600000"}}}, 201},
				{http.MethodGet, east + "/topics", nil, 200},
				{http.MethodGet, east + "/topics/" + topic, nil, 200},
				{http.MethodGet, east + "/topics/missing", nil, 404},
				{http.MethodPatch, east + "/topics/" + topic, map[string]any{"partitions_count": 3}, 200},
				{http.MethodGet, east + "/topics/" + topic + "/configs", nil, 200},
				{http.MethodGet, east + "/topics/-/configs", nil, 200},
				{http.MethodGet, east + "/topics/" + topic + "/configs/retention.ms", nil, 200},
				{http.MethodPut, east + "/topics/" + topic + "/configs/retention.ms", map[string]any{"value": "7200000"}, 204},
				{http.MethodPost, east + "/topics/" + topic + "/configs:alter", map[string]any{"data": []map[string]any{{"name": "retention.ms", "operation": "DELETE"}}}, 204},
				{http.MethodDelete, east + "/topics/" + topic + "/configs/retention.ms", nil, 204},
				{http.MethodPost, west + "/links?link_name=" + link, map[string]any{"source_cluster_id": "lkc-east"}, 204},
				{http.MethodPost, west + "/links?link_name=" + link, map[string]any{"source_cluster_id": "lkc-east"}, 400},
				{http.MethodGet, west + "/links", nil, 200},
				{http.MethodGet, west + "/links/" + link, nil, 200},
				{http.MethodGet, west + "/links/" + link + "?include_tasks=true", nil, 200},
				{http.MethodGet, west + "/links/missing", nil, 404},
				{http.MethodGet, west + "/links/" + link + "/configs", nil, 200},
				{http.MethodGet, west + "/links/" + link + "/configs/acl.sync.ms", nil, 200},
				{http.MethodPut, west + "/links/" + link + "/configs/acl.sync.ms", map[string]any{"value": "6000"}, 204},
				{http.MethodPut, west + "/links/" + link + "/configs:alter", map[string]any{"data": []map[string]any{{"name": "acl.sync.ms", "value": "9000"}}}, 204},
				{http.MethodDelete, west + "/links/" + link + "/configs/acl.sync.ms", nil, 204},
				{http.MethodDelete, west + "/links/" + link, nil, 200},
				{http.MethodDelete, east + "/topics/" + topic, nil, 204},
			}
			for _, s := range steps {
				r := env.Do(s.method, s.path, s.body)
				if r.Status != s.status {
					t.Errorf("%s %s: status %d, want %d: %s", s.method, s.path, r.Status, s.status, r.Body)
					continue
				}
				if ct := r.Header.Get("Content-Type"); len(r.Body) > 0 && ct != "application/json" {
					t.Errorf("%s %s: Content-Type %q", s.method, s.path, ct)
				}
				apitest.ValidateSpec(t, r)
			}
		})
	}
}
