package replication

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// compactedSource creates a compacted source topic and its mirror topic,
// and fills the source with records that leave holes once compacted.
func compactedSource(e *env) {
	e.t.Helper()
	compact := "compact"
	e.topic("t", 2, map[string]*string{"cleanup.policy": &compact})
	kafkatest.FillCompacted(e.t, e.src, e.srcCl, "t")
}

// TestCompactedSource checks that a compacted source, whose offsets have
// holes inside and between batches, is mirrored at the same offsets.
func TestCompactedSource(t *testing.T) {
	e := newEnv(t)
	compactedSource(e)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 2))
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
	st, _ := w.Status("t")
	for _, p := range st.Partitions {
		for _, off := range []int64{0, p.SourceHighWatermark / 2, p.SourceHighWatermark} {
			if got, _ := w.TranslateOffset("t", p.Partition, off); got != off {
				t.Errorf("TranslateOffset(%d, %d) = %d on an exact mirror", p.Partition, off, got)
			}
		}
	}
}

// TestOffsetMap checks that gaps longer than MaxFillGap are skipped, that
// the skips are recorded in the offset map, and that TranslateOffset maps
// every source record's offset to the same record on the mirror.
func TestOffsetMap(t *testing.T) {
	e := newEnv(t)
	compactedSource(e)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) { c.MaxFillGap = 2 })
	eventually(t, waitLong, e.synced(w, "t", 2))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if kafkatest.Diff(ctx, e.srcCl, e.dstCl, "t", "t") == nil {
		t.Fatal("the mirror is exact: no gap was longer than MaxFillGap, so the test tests nothing")
	}
	src := readRecords(t, e.src.Addr(), "t")
	dst := readRecords(t, e.dst.Addr(), "t")
	byOffset := make(map[[2]int64]*kgo.Record)
	for _, r := range dst {
		byOffset[[2]int64{int64(r.Partition), r.Offset}] = r
	}
	for _, s := range src {
		to, ok := w.TranslateOffset("t", s.Partition, s.Offset)
		d := byOffset[[2]int64{int64(s.Partition), to}]
		if !ok || d == nil || string(d.Key) != string(s.Key) || string(d.Value) != string(s.Value) {
			t.Fatalf("source %d/%d translates to %d (ok %v), which holds %v", s.Partition, s.Offset, to, ok, d)
		}
	}
	// The map survives a restart: a new worker resumes without duplicates.
	w.Stop()
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Keyed(10, 3)...)
	w2, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) { c.MaxFillGap = 2 })
	eventually(t, waitLong, e.synced(w2, "t", 2))
	if got := len(readRecords(t, e.dst.Addr(), "t")); got != len(src)+10 {
		t.Fatalf("mirror holds %d records after the restart, want %d", got, len(src)+10)
	}
}

// readRecords reads every record of a topic, read_uncommitted.
func readRecords(t *testing.T, addr, topic string) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ends, err := endOffsets(ctx, cl, topic)
	if err != nil {
		t.Fatal(err)
	}
	var out []*kgo.Record
	done := func() bool {
		for p, end := range ends {
			if end > 0 && !reachedEnd(out, p, end) {
				return false
			}
		}
		return true
	}
	for !done() {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatalf("reading %s: %v", topic, err)
		}
		out = append(out, fs.Records()...)
	}
	return out
}

// reachedEnd reports whether recs hold partition p's last offset; the
// topics read here end with a record.
func reachedEnd(recs []*kgo.Record, p int32, end int64) bool {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Partition == p {
			return recs[i].Offset == end-1
		}
	}
	return false
}
