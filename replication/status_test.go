package replication

import (
	"fmt"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestPausedLagFollowsTheSource: a paused mirror's lag follows the source
// without waiting for the next metadata refresh (here an hour away).
func TestPausedLagFollowsTheSource(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(10, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) { c.MetadataInterval = time.Hour })
	eventually(t, waitLong, e.synced(w, "t", 1))
	pause(t, w, true)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(25, 10)...)
	eventually(t, waitLong, func() error {
		st, _ := w.Status("t")
		if p := st.Partitions[0]; p.Lag != 25 {
			return fmt.Errorf("paused partition: lag %d, want 25", p.Lag)
		}
		return nil
	})
}

// TestLastFetchOffsetAfterRestart: after a restart, a mirror that holds
// data reports the source offset it reached as its last fetch offset, not
// -1, even before it fetches (here it is paused and never does).
func TestLastFetchOffsetAfterRestart(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(10, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 1))
	w.Stop()

	w2, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t", Paused: true}})
	eventually(t, waitLong, running(w2, "t", 1))
	st, _ := w2.Status("t")
	if got := st.Partitions[0].LastSourceFetchOffset; got != 10 {
		t.Errorf("last source fetch offset after a restart: %d, want 10", got)
	}
}
