package e2e

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// errorBody is Confluent's {"error_code": N, "message": "..."}.
type errorBody struct {
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message"`
}

// TestErrorsSuggestTheNameMeant checks that a misspelt cluster ID, link
// config, link name, mirror or topic gets a "did you mean" hint, and that a
// cluster that is not served is answered with the served ones.
func TestErrorsSuggestTheNameMeant(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 1)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	tests := []struct {
		name, method, path string
		body               any
		status, code       int
		want               string
	}{
		{"cluster ID", http.MethodGet, apitest.ClusterPath("lkc-eats", "/links"), nil, 404, 404,
			"Cluster lkc-eats cannot be found. This emulator serves lkc-east, lkc-west. Did you mean 'lkc-east'?"},
		{"cluster ID far from any", http.MethodGet, apitest.ClusterPath("prod", "/links"), nil, 404, 404,
			"Cluster prod cannot be found. This emulator serves lkc-east, lkc-west."},
		{"link config", http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=typo"),
			map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "consumer.offset.sync.enabled", "value": "true"}}}, 400, 40002,
			`Unknown cluster link config "consumer.offset.sync.enabled". Did you mean 'consumer.offset.sync.enable'?`},
		{"link name", http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-wset"), nil, 404, 404,
			"Cluster link 'east-to-wset' not found on cluster lkc-west. Did you mean 'east-to-west'?"},
		{"mirror name", http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors/ordres"), nil, 404, 404,
			"Did you mean 'orders'?"},
		{"topic name", http.MethodGet, apitest.ClusterPath("lkc-east", "/topics/ordrs"), nil, 404, 40403,
			"This server does not host this topic-partition. Did you mean 'orders'?"},
		{"source topic of a new mirror", http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "order"}, 404, 40403,
			"Source topic 'order' does not exist on cluster lkc-east. Did you mean 'orders'?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := l.Do(tt.method, tt.path, tt.body)
			var e errorBody
			r.JSON(t, &e)
			if r.Status != tt.status || e.ErrorCode != tt.code || !strings.Contains(e.Message, tt.want) {
				t.Errorf("%s %s: %d %s, want %d %d containing %q", tt.method, tt.path, r.Status, r.Body, tt.status, tt.code, tt.want)
			}
		})
	}
}

// TestMirrorRefusesChangesToSyncedConfigs checks that a mirror topic refuses
// to set or reset a config it syncs from its source (which config sync would
// undo), says which configs it syncs, and still takes the others.
func TestMirrorRefusesChangesToSyncedConfigs(t *testing.T) {
	l := newLab(t, map[string]string{"topic.config.sync.include": "retention.ms"})
	l.topic(t, "orders", 1)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	configs := apitest.ClusterPath("lkc-west", "/topics/orders/configs")
	apitest.Eventually(t, apitest.Timeout, "mirror topic visible", func() bool {
		return l.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/topics/orders"), nil).Status == 200
	})
	before := l.mustStatus(t, 200, http.MethodGet, configs+"/max.message.bytes", nil).Map(t)["value"]

	want := "Cannot alter config max.message.bytes of mirror topic 'orders': a mirror topic syncs it from its source topic 'orders' over cluster link 'east-to-west'."
	syncs := "Mirror topic 'orders' syncs: cleanup.policy, max.message.bytes, message.timestamp.difference.max.ms, message.timestamp.type, retention.ms."
	for _, tt := range []struct {
		name, method, path string
		body               any
		want               string
	}{
		{"PUT one config", http.MethodPut, configs + "/max.message.bytes", map[string]any{"value": "12345"}, want},
		{"DELETE one config", http.MethodDelete, configs + "/max.message.bytes", nil, want},
		{"configs:alter", http.MethodPost, configs + ":alter", map[string]any{"data": []map[string]any{{"name": "max.message.bytes", "value": "12345"}, {"name": "retention.ms", "value": "1000"}}},
			"Cannot alter config max.message.bytes, retention.ms of mirror topic 'orders'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := l.Do(tt.method, tt.path, tt.body)
			var e errorBody
			r.JSON(t, &e)
			if r.Status != 400 || e.ErrorCode != 40002 || !strings.Contains(e.Message, tt.want) || !strings.Contains(e.Message, syncs) {
				t.Errorf("%d %s", r.Status, r.Body)
			}
		})
	}
	if got := l.mustStatus(t, 200, http.MethodGet, configs+"/max.message.bytes", nil).Map(t)["value"]; got != before {
		t.Errorf("max.message.bytes changed to %v though refused", got)
	}
	// A config the mirror does not sync is the mirror's own.
	l.mustStatus(t, 204, http.MethodPut, configs+"/segment.ms", map[string]any{"value": "600000"})

	// Once failed over, the topic is a plain topic again.
	l.action(t, "failover", "orders")
	l.waitStatus(t, "orders", "STOPPED")
	l.mustStatus(t, 204, http.MethodPut, configs+"/max.message.bytes", map[string]any{"value": "12345"})
}

// TestAutoCreateTopics checks that producing to a missing topic of an
// embedded cluster fails by default, like Confluent Cloud, and creates the
// topic with AutoCreateTopics (--auto-create-topics).
func TestAutoCreateTopics(t *testing.T) {
	for _, on := range []bool{false, true} {
		t.Run(map[bool]string{false: "off by default", true: "on"}[on], func(t *testing.T) {
			env := apitest.Start(t, emulator.Options{Embedded: emulator.EmbeddedClusters("lkc-a"), AutoCreateTopics: on})
			cl := client(t, env.Bootstrap("lkc-a"), kgo.AllowAutoTopicCreation(), kgo.RecordRetries(3), kgo.UnknownTopicRetries(2))
			ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
			defer cancel()
			err := cl.ProduceSync(ctx, &kgo.Record{Topic: "fresh", Value: []byte("v")}).FirstErr()
			topic := env.Do(http.MethodGet, apitest.ClusterPath("lkc-a", "/topics/fresh"), nil)
			if on {
				if err != nil || topic.Status != 200 {
					t.Errorf("produce: %v; GET topic: %d %s", err, topic.Status, topic.Body)
				}
				return
			}
			if !errors.Is(err, kerr.UnknownTopicOrPartition) || topic.Status != 404 {
				t.Errorf("produce: %v, want UNKNOWN_TOPIC_OR_PARTITION; GET topic: %d", err, topic.Status)
			}
		})
	}
}

// TestSecureEverything checks what the one switch (--secure, here its
// options) closes: every API and /metrics, but not the health checks; the
// key opens all of them.
func TestSecureEverything(t *testing.T) {
	env := apitest.Start(t, emulator.Options{
		APIKeys: map[string]string{"ALL": "s3cret"}, CloudAPIKeys: map[string]string{"ALL": "s3cret"}, MetricsAuth: true,
	})
	auth := []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("ALL:s3cret"))}
	for _, tt := range []struct {
		path   string
		closed bool
	}{
		{"/kafka/v3/clusters", true},
		{"/v3/clusters", true},
		{"/emulator/v1/clusters", true},
		{"/networking/v1/network-link-services?environment=env-default", true},
		{"/metrics", true},
		{"/healthz", false},
		{"/readyz", false},
	} {
		t.Run(tt.path, func(t *testing.T) {
			if r := env.Do(http.MethodGet, tt.path, nil); (r.Status == 401) != tt.closed {
				t.Errorf("without the key: %d, closed=%v", r.Status, tt.closed)
			}
			if r := env.Do(http.MethodGet, tt.path, nil, auth...); r.Status != 200 {
				t.Errorf("with the key: %d %s", r.Status, r.Body)
			}
		})
	}
}
