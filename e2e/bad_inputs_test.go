package e2e

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestBadInputsLeaveStateUnchanged sends one bad request of every kind the
// issue lists and checks its status, its error_code and that nothing stored
// changed.
func TestBadInputsLeaveStateUnchanged(t *testing.T) {
	env := apitest.Start(t, emulator.Options{
		Embedded: append(emulator.DefaultEmbedded(0, 0), emulator.EmbeddedSpec{
			ID: "lkc-sasl", Listen: "127.0.0.1:0",
			Users: []broker.SASLUser{{Mechanism: "PLAIN", Username: "link", Password: "right"}, {Mechanism: "SCRAM-SHA-256", Username: "scram", Password: "right"}},
		}),
		APIKeys: map[string]string{"KEY": "SECRET"},
	})
	auth := []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("KEY:SECRET"))}
	do := func(method, path string, body any) *apitest.Response { return env.Do(method, path, body, auth...) }
	links := apitest.ClusterPath("lkc-west", "/links")

	if r := do(http.MethodPost, links+"?link_name=base", map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "cluster.link.prefix", "value": "east."}}}); r.Status != 204 {
		t.Fatalf("create base link: %d %s", r.Status, r.Body)
	}
	snapshot := func() any {
		var out []any
		for _, c := range []string{"lkc-east", "lkc-west", "lkc-sasl"} {
			r := do(http.MethodGet, apitest.ClusterPath(c, "/links"), nil)
			var list struct {
				Data []struct {
					LinkName, ClusterLinkID, LinkID string
				} `json:"data"`
			}
			r.JSON(t, &list)
			for _, l := range list.Data {
				cfgs := do(http.MethodGet, apitest.ClusterPath(c, "/links/", l.LinkName, "/configs"), nil)
				out = append(out, c, l, string(cfgs.Body))
			}
		}
		return out
	}
	before := snapshot()

	saslWith := func(mechanism, module, user, pass string) map[string]any {
		return map[string]any{"source_cluster_id": "lkc-sasl", "configs": []map[string]string{
			{"name": "bootstrap.servers", "value": env.Bootstrap("lkc-sasl")},
			{"name": "security.protocol", "value": "SASL_PLAINTEXT"},
			{"name": "sasl.mechanism", "value": mechanism},
			{"name": "sasl.jaas.config", "value": fmt.Sprintf(`org.apache.kafka.common.security.%s required username="%s" password="%s";`, module, user, pass)},
		}}
	}
	sasl := func(pass string) map[string]any { return saslWith("PLAIN", "plain.PlainLoginModule", "link", pass) }
	scram := func(pass string) map[string]any {
		return saslWith("SCRAM-SHA-256", "scram.ScramLoginModule", "scram", pass)
	}
	cfg := func(name, value string) map[string]any {
		return map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": name, "value": value}}}
	}
	cases := []struct {
		name         string
		method, path string
		body         any
		noAuth       bool
		hdr          []string
		status, code int
		msg          string // a part the message must contain
	}{
		{"malformed JSON", http.MethodPost, links + "?link_name=x", `{"source_cluster_id":`, false, nil, 400, 400, ""},
		{"wrong JSON type", http.MethodPost, links + "?link_name=x", `{"source_cluster_id": 7}`, false, nil, 400, 400, ""},
		{"missing link_name", http.MethodPost, links, map[string]any{"source_cluster_id": "lkc-east"}, false, nil, 400, 40002, ""},
		{"bad link name characters", http.MethodPost, links + "?link_name=a%2Fb", map[string]any{"source_cluster_id": "lkc-east"}, false, nil, 400, 40002, ""},
		{"unknown config", http.MethodPost, links + "?link_name=x", cfg("no.such.config", "1"), false, nil, 400, 40002, ""},
		{"non-boolean boolean", http.MethodPost, links + "?link_name=x", cfg("consumer.offset.sync.enable", "yes"), false, nil, 400, 40002, ""},
		{"integer below minimum", http.MethodPost, links + "?link_name=x", cfg("acl.sync.ms", "10"), false, nil, 400, 40002, ""},
		{"invalid filter JSON", http.MethodPost, links + "?link_name=x", cfg("consumer.offset.group.filters", `{"groupFilters":`), false, nil, 400, 40002, ""},
		{"duplicate link", http.MethodPost, links + "?link_name=base", map[string]any{"source_cluster_id": "lkc-east"}, false, nil, 400, 40002, ""},
		{"link to self", http.MethodPost, links + "?link_name=x", map[string]any{"source_cluster_id": "lkc-west"}, false, nil, 400, 40002, ""},
		{"wrong source_cluster_id with validate_link", http.MethodPost, links + "?link_name=x", map[string]any{"source_cluster_id": "lkc-other", "configs": []map[string]string{{"name": "bootstrap.servers", "value": env.Bootstrap("lkc-east")}}}, false, nil, 400, 40002, "Expected cluster ID 'lkc-other' does not match resolved cluster ID 'lkc-east'"},
		{"unreachable bootstrap", http.MethodPost, links + "?link_name=x", cfg("bootstrap.servers", "127.0.0.1:1"), false, nil, 400, 40002, "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR"},
		{"wrong SASL password", http.MethodPost, links + "?link_name=x", sasl("wrong"), false, nil, 400, 40002, "AUTHENTICATION_ERROR"},
		{"wrong SCRAM password", http.MethodPost, links + "?link_name=x", scram("wrong"), false, nil, 400, 40002, "AUTHENTICATION_ERROR"},
		{"mode without its cluster id", http.MethodPost, links + "?link_name=x", map[string]any{"destination_cluster_id": "lkc-east"}, false, nil, 400, 40002, ""},
		{"bad validate_only value", http.MethodPost, links + "?link_name=x&validate_only=maybe", map[string]any{"source_cluster_id": "lkc-east"}, false, nil, 400, 400, ""},
		{"immutable config change", http.MethodPut, links + "/base/configs/cluster.link.prefix", map[string]any{"value": "other."}, false, nil, 400, 40002, ""},
		{"immutable config reset", http.MethodDelete, links + "/base/configs/cluster.link.prefix", nil, false, nil, 400, 40002, ""},
		{"immutable config in batch", http.MethodPut, links + "/base/configs:alter", map[string]any{"data": []map[string]any{{"name": "acl.sync.ms", "value": "6000"}, {"name": "link.mode", "value": "SOURCE"}}}, false, nil, 400, 40002, ""},
		{"bad operation in batch", http.MethodPut, links + "/base/configs:alter", map[string]any{"data": []map[string]any{{"name": "acl.sync.ms", "value": "6000", "operation": "APPEND"}}}, false, nil, 400, 40002, ""},
		{"acl sync with prefix", http.MethodPut, links + "/base/configs/acl.sync.enable", map[string]any{"value": "true"}, false, nil, 400, 40002, ""},
		{"unknown config get", http.MethodGet, links + "/base/configs/no.such", nil, false, nil, 404, 404, ""},
		{"unknown link", http.MethodGet, links + "/nope", nil, false, nil, 404, 404, ""},
		{"unknown cluster", http.MethodGet, apitest.ClusterPath("lkc-nope", "/links"), nil, false, nil, 404, 404, ""},
		{"no REST credentials", http.MethodGet, links, nil, true, nil, 401, 40101, ""},
		{"wrong REST credentials", http.MethodGet, links, nil, true, []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("KEY:WRONG"))}, 401, 40101, ""},
		{"bearer token when auth is on", http.MethodGet, links, nil, true, []string{"Authorization", "Bearer abc"}, 401, 40101, ""},
		{"unknown route", http.MethodGet, "/kafka/v3/nothing", nil, false, nil, 404, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hdr := auth
			if c.noAuth {
				hdr = c.hdr
			}
			r := env.Do(c.method, c.path, c.body, hdr...)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var e struct {
				ErrorCode int    `json:"error_code"`
				Message   string `json:"message"`
			}
			r.JSON(t, &e)
			if e.ErrorCode != c.code || e.Message == "" || !strings.Contains(e.Message, c.msg) {
				t.Errorf("body %s: want error_code %d and a message containing %q", r.Body, c.code, c.msg)
			}
			t.Logf("%d %s", r.Status, r.Body)
		})
	}
	if after := snapshot(); !reflect.DeepEqual(before, after) {
		t.Errorf("stored state changed:\nbefore %v\nafter  %v", before, after)
	}

	// The right SASL password works, so the failure above was the password.
	if r := do(http.MethodPost, links+"?link_name=from-sasl", sasl("right")); r.Status != 204 {
		t.Fatalf("create link with the right SASL password: %d %s", r.Status, r.Body)
	}
	if r := do(http.MethodPost, links+"?link_name=from-scram", scram("right")); r.Status != 204 {
		t.Fatalf("create link with the right SCRAM password: %d %s", r.Status, r.Body)
	}
	// Health endpoints stay open without credentials.
	if r := env.Do(http.MethodGet, "/healthz", nil); r.Status != 200 {
		t.Errorf("/healthz without credentials: %d", r.Status)
	}
}
