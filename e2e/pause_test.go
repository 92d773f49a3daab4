package e2e

import (
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestPauseStopsCopyingBeforeItAnswers checks that once mirrors:pause has
// answered, records produced to the source stay there until the mirror
// resumes: the runbook's way to simulate replication lag.
func TestPauseStopsCopyingBeforeItAnswers(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 1)
	kafkatest.Produce(t, l.east, "orders", orderRecords("order-", 0, 10)...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	west := l.Bootstrap("lkc-west")
	for round := range 5 {
		kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)
		before := ends(t, west, "orders")
		if res := l.action(t, "pause", "orders"); res[0]["error_code"] != nil {
			t.Fatalf("pause: %v", res[0])
		}
		kafkatest.Produce(t, l.east, "orders", orderRecords("held-", round, round+1)...)
		// Nothing may arrive: give a running worker ample time to copy.
		time.Sleep(time.Second)
		if after := ends(t, west, "orders"); !maps.Equal(before, after) {
			t.Fatalf("round %d: the paused mirror went from %v to %v", round, before, after)
		}
		l.action(t, "resume", "orders")
		l.waitStatus(t, "orders", "ACTIVE")
	}
}
