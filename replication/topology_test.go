package replication

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestSourceUnavailable takes the source cluster down and brings it back on
// the same port and data: the worker reports the outage, then recovers by
// itself.
func TestSourceUnavailable(t *testing.T) {
	e := newEnv(t, withSourceDataDir())
	e.topic("t", 1, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(20, 10)...)
	var changes atomic.Int32
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) {
		c.OnChange = func() { changes.Add(1) }
	})
	eventually(t, waitLong, e.synced(w, "t", 1))

	e.src.Close()
	eventually(t, waitLong, func() error {
		st, _ := w.Status("t")
		if down, since, err := w.SourceStatus(); !down || since.IsZero() || err == nil || !st.SourceUnavailable {
			return errors.New("the outage is not reported yet")
		}
		return nil
	})
	if changes.Load() == 0 {
		t.Error("OnChange was not called when the source went down")
	}

	e.src.Restart()
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(20, 10)...)
	eventually(t, waitLong, e.synced(w, "t", 1))
	eventually(t, waitLong, func() error {
		if down, _, _ := w.SourceStatus(); down {
			return errors.New("still reported down")
		}
		return nil
	})
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
}

// TestPartitionGrowth checks that partitions added to the source reach the
// mirror and are copied from their first offset.
func TestPartitionGrowth(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 2, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(10, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t", StartSpec: "latest"}})
	eventually(t, waitLong, running(w, "t", 2))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.src.Admin().UpdatePartitions(ctx, 4, "t"); err != nil {
		t.Fatal(err)
	}
	fresh := e.src.Client(kafkatest.Partitioned()) // knows the new partitions
	for p := range int32(4) {
		kafkatest.Produce(t, fresh, "t", kafkatest.ToPartition(kafkatest.Plain(5, 10), p)...)
	}
	eventually(t, waitLong, e.synced(w, "t", 4))
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t", kafkatest.FromMirrorLogStart())
	if got := logStart(t, e.dst.Admin(), "t", 3); got != 0 {
		t.Fatalf("grown partition starts at %d, want 0", got)
	}
}

// TestSourceTopicGone checks the mirror topic errors for a source topic that
// is deleted, and for one deleted and created again.
func TestSourceTopicGone(t *testing.T) {
	tests := []struct {
		name     string
		recreate bool
		want     linkemu.MirrorTopicError
	}{
		{"deleted", false, linkemu.MirrorErrSourceTopicMayBeDeleted},
		{"recreated", true, linkemu.MirrorErrSourceTopicIDChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.topic("t", 1, nil)
			kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(10, 10)...)
			var changes atomic.Int32
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) {
				c.OnChange = func() { changes.Add(1) }
			})
			eventually(t, waitLong, e.synced(w, "t", 1))
			before := changes.Load()

			e.src.DeleteTopic("t")
			if tt.recreate {
				e.src.CreateTopic("t", 1, nil)
				kafkatest.Produce(t, e.src.Client(), "t", kafkatest.Plain(30, 10)...)
			}
			eventually(t, waitLong, func() error {
				st, _ := w.Status("t")
				if st.TopicError != tt.want || st.Err == nil {
					return fmt.Errorf("mirror topic error %q (%v), want %q", st.TopicError, st.Err, tt.want)
				}
				return nil
			})
			if changes.Load() == before {
				t.Error("OnChange was not called")
			}
			ends, err := e.dst.Admin().ListEndOffsets(context.Background(), "t")
			if err != nil {
				t.Fatal(err)
			}
			if o, _ := ends.Lookup("t", 0); o.Offset != 10 {
				t.Fatalf("mirror log end offset = %d, want it to stay at 10", o.Offset)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := w.CatchUp(ctx, "t"); linkemu.ErrorCode(err) != linkemu.ECONFLICT {
				t.Fatalf("CatchUp on a failed mirror = %v, want a conflict", err)
			}
		})
	}
}

// TestConfigSync checks that always-synced configs and included ones reach
// the mirror, and others do not.
func TestConfigSync(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) {
		c.ConfigSyncInclude = []string{"retention.ms", "schema.validation"}
	})
	eventually(t, waitLong, running(w, "t", 1))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	set := func(k, v string) kadm.AlterConfig { return kadm.AlterConfig{Op: kadm.SetConfig, Name: k, Value: &v} }
	if _, err := e.src.Admin().AlterTopicConfigs(ctx, []kadm.AlterConfig{
		set("max.message.bytes", "2000000"), // always synced
		set("retention.ms", "123456"),       // included
		set("retention.bytes", "999999"),    // configurable, not included
	}, "t"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"max.message.bytes": "2000000", "retention.ms": "123456"}
	eventually(t, waitLong, func() error {
		got, err := topicConfigs(ctx, e.dst.Admin(), []string{"t"})
		if err != nil {
			return err
		}
		for k, v := range want {
			if got["t"][k] != v {
				return fmt.Errorf("mirror %s = %q, want %q (sync error %v)", k, got["t"][k], v, statusErr(w))
			}
		}
		if got["t"]["retention.bytes"] == "999999" {
			return errors.New("retention.bytes was synced without being included")
		}
		return nil
	})
	if err := statusErr(w); err != nil {
		t.Fatalf("config sync error: %v", err)
	}
}

func statusErr(w *Worker) error {
	st, _ := w.Status("t")
	return st.ConfigSyncErr
}

func TestSyncedConfigs(t *testing.T) {
	src := map[string]string{
		"cleanup.policy":      "compact",
		"max.message.bytes":   "100",
		"retention.ms":        "5",
		"segment.bytes":       "7",
		"confluent.placement": "x",
	}
	tests := []struct {
		include []string
		want    map[string]string
	}{
		{nil, map[string]string{"cleanup.policy": "compact", "max.message.bytes": "100"}},
		{[]string{"retention.ms", "confluent.placement", "cleanup.policy"},
			map[string]string{"cleanup.policy": "compact", "max.message.bytes": "100", "retention.ms": "5"}},
	}
	for _, tt := range tests {
		if got := SyncedConfigs(src, tt.include); !maps.Equal(got, tt.want) {
			t.Errorf("SyncedConfigs(include %v) = %v, want %v", tt.include, got, tt.want)
		}
	}
}

// TestSourceDeletesUncopiedRecords deletes source records a paused mirror
// has not copied yet: a short gap is filled with invisible markers and the
// mirror keeps its older records; a gap longer than MaxFillGap makes the
// mirror restart its log at the source's log start offset.
func TestSourceDeletesUncopiedRecords(t *testing.T) {
	tests := []struct {
		name       string
		maxFillGap int64
		wantStart  int64
	}{
		{"fill", 100, 0},
		{"restart log", 5, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.topic("t", 1, nil)
			kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(10, 10)...)
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) { c.MaxFillGap = tt.maxFillGap })
			eventually(t, waitLong, e.synced(w, "t", 1))
			pause(t, w, true)
			kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(50, 10)...)
			var os kadm.Offsets
			os.AddOffset("t", 0, 40, -1)
			if _, err := e.src.Admin().DeleteRecords(context.Background(), os); err != nil {
				t.Fatal(err)
			}
			w.SetMirrors([]Mirror{{Name: "t", SourceTopic: "t"}})
			// The lag of a mirror that was paused is computed from a source
			// high watermark refreshed on a timer, so wait for the data itself.
			kafkatest.WaitExact(t, e.srcCl, e.dstCl, "t", "t", waitLong, kafkatest.FromOffset(40))
			if got := logStart(t, e.dst.Admin(), "t", 0); got != tt.wantStart {
				t.Fatalf("mirror log start offset = %d, want %d", got, tt.wantStart)
			}
		})
	}
}
