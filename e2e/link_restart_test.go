package e2e

import (
	"context"
	"net/http"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestTaskConfigKeepsReplicating changes a task config of a link and checks
// that its replication worker kept running (its counters of replicated
// records survive), while a replication config restarts it.
func TestTaskConfigKeepsReplicating(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 2)
	l.createMirror(t, "orders")
	kafkatest.Produce(t, l.east, "orders", kafkatest.Plain(100, 10)...)
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)
	replicated := func() int64 {
		v, err := l.Manager().GetMirror(context.Background(), "lkc-west", "east-to-west", "orders")
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, p := range v.Lags {
			n += p.RecordsReplicated
		}
		return n
	}
	apitest.Eventually(t, apitest.Timeout, "100 records replicated", func() bool { return replicated() == 100 })

	l.alter(t, map[string]string{"consumer.offset.sync.ms": "3000", "acl.sync.ms": "3000"})
	if n := replicated(); n != 100 {
		t.Errorf("after a task config change the worker reports %d records replicated, want 100: it was restarted", n)
	}
	if v, _ := l.linkConfig(t, "consumer.offset.sync.ms"); v != "3000" {
		t.Errorf("consumer.offset.sync.ms is %q right after the change", v)
	}
	l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west?include_tasks=true"), nil)

	l.alter(t, map[string]string{"topic.config.sync.ms": "3000"})
	if n := replicated(); n != 0 {
		t.Errorf("after a replication config change the worker reports %d records replicated, want 0 from a new worker", n)
	}
	kafkatest.Produce(t, l.east, "orders", kafkatest.Plain(10, 10)...)
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)
}
