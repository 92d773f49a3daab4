package e2e

import (
	"net/http"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestReverseReportsPartitions: reverse-and-pause-mirror and
// reverse-and-start-mirror answer the reversed topic's partitions in
// mirror_lags (the CLI prints a row per entry), not [].
func TestReverseReportsPartitions(t *testing.T) {
	b := newBidiLab(t)
	b.topic(t, "orders", 3)
	kafkatest.Produce(t, b.east, "orders", kafkatest.Keyed(60, 9)...)
	b.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/dr/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, b.east, b.west, "orders", "orders", apitest.Timeout)

	check := func(action string, res []map[string]any) {
		t.Helper()
		lags, _ := res[0]["mirror_lags"].([]any)
		if res[0]["error_code"] != nil || len(lags) != 3 {
			t.Fatalf("%s: %v", action, res[0])
		}
		for i, l := range lags {
			if l.(map[string]any)["partition"] != float64(i) {
				t.Errorf("%s mirror_lags[%d]: %v", action, i, l)
			}
		}
	}
	// West's mirror becomes writable; east's orders becomes a paused mirror.
	check("reverse-and-pause-mirror", b.act(t, "lkc-west", "reverse-and-pause-mirror", "", "orders"))
	b.waitMirror(t, "lkc-east", "orders", "PAUSED")
	// And back: east's mirror resumes, then becomes writable again, and west
	// mirrors it.
	if res := b.act(t, "lkc-east", "resume", "", "orders"); res[0]["error_code"] != nil {
		t.Fatalf("resume: %v", res[0])
	}
	b.waitMirror(t, "lkc-east", "orders", "ACTIVE")
	check("reverse-and-start-mirror", b.act(t, "lkc-east", "reverse-and-start-mirror", "", "orders"))
	b.waitMirror(t, "lkc-west", "orders", "ACTIVE")
}
