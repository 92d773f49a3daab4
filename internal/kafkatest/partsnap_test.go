package kafkatest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// These tests cover linkemu's kfake change "one partition snapshot file and
// a clean-shutdown load" (third_party/kfake/partsnap.go): a clean shutdown
// writes every partition's snapshot into partitions.snap and marks meta.json
// with a token; the next start restores partitions from that file alone and
// clears the token first; without the token (a crash) every partition is
// checked against its files as before; data written by the older layout
// (one snapshot.json per partition) loads and is migrated.

const snapTopic, snapParts = "s", 3

// snapRound writes 4 records with increasing timestamps to every partition.
func snapRound(t *testing.T, c *Cluster, round int) {
	t.Helper()
	cl := c.Client(Partitioned())
	var recs []*kgo.Record
	for p := range int32(snapParts) {
		for i := range 4 {
			ts := time.UnixMilli(int64(1_000_000*(round+1) + 1000*i + int(p)))
			recs = append(recs, &kgo.Record{Topic: snapTopic, Partition: p, Timestamp: ts, Value: fmt.Appendf(nil, "r%d/p%d/%d", round, p, i)})
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
}

// snapState is what a client sees of the topic: per partition the start
// and end offsets, the offset ListOffsets answers for a timestamp, and
// every record from the start.
func snapState(t *testing.T, c *Cluster) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	adm := c.Admin()
	starts, err := adm.ListStartOffsets(ctx, snapTopic)
	if err != nil {
		t.Fatal(err)
	}
	ends, err := adm.ListEndOffsets(ctx, snapTopic)
	if err != nil {
		t.Fatal(err)
	}
	byTS, err := adm.ListOffsetsAfterMilli(ctx, 2_001_500, snapTopic)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	offsets := map[int32]kgo.Offset{}
	want := 0
	for p := range int32(snapParts) {
		s, _ := starts.Lookup(snapTopic, p)
		e, _ := ends.Lookup(snapTopic, p)
		ts, _ := byTS.Lookup(snapTopic, p)
		fmt.Fprintf(&b, "p%d: start %d end %d after-ts %d\n", p, s.Offset, e.Offset, ts.Offset)
		offsets[p] = kgo.NewOffset().At(s.Offset)
		want += int(e.Offset - s.Offset)
	}
	cl := c.Client(kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{snapTopic: offsets}))
	var recs []string
	for len(recs) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records", len(recs), want)
		}
		fs.EachRecord(func(r *kgo.Record) {
			recs = append(recs, fmt.Sprintf("%d@%d:%s/%d", r.Partition, r.Offset, r.Value, r.Timestamp.UnixMilli()))
		})
	}
	for p := range snapParts {
		for _, r := range recs {
			if strings.HasPrefix(r, fmt.Sprintf("%d@", p)) {
				b.WriteString(r + "\n")
			}
		}
	}
	return b.String()
}

// deleteTo moves partition 0's log start offset to off.
func deleteTo(t *testing.T, c *Cluster, off int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offs := kadm.Offsets{}
	offs.Add(kadm.Offset{Topic: snapTopic, Partition: 0, At: off})
	res, err := c.Admin().DeleteRecords(ctx, offs)
	if err == nil {
		err = res.Error()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func readMeta(t *testing.T, dir string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func legacySnapshots(t *testing.T, dir string) []string {
	t.Helper()
	got, err := filepath.Glob(filepath.Join(dir, "partitions", "*", "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestKfakeCleanRestartFromOneSnapshotFile(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	c.CreateTopic(snapTopic, snapParts, nil)
	snapRound(t, c, 0)
	snapRound(t, c, 1)
	deleteTo(t, c, 2)
	before := snapState(t, c)

	c.Close()
	if _, ok := readMeta(t, dir)["clean_shutdown"]; !ok {
		t.Fatal("meta.json has no clean-shutdown token after Close")
	}
	if _, err := os.Stat(filepath.Join(dir, "partitions.snap")); err != nil {
		t.Fatal(err)
	}
	if l := legacySnapshots(t, dir); len(l) > 0 {
		t.Fatalf("per-partition snapshots written: %v", l)
	}
	c.start()
	if _, ok := readMeta(t, dir)["clean_shutdown"]; ok {
		t.Fatal("the clean-shutdown token is still in meta.json after the start")
	}
	if got := snapState(t, c); got != before {
		t.Fatalf("after a clean restart:\n%s\nbefore:\n%s", got, before)
	}

	// Records written after a clean start survive a crash: the copy has
	// no token, so every partition is checked against its files.
	snapRound(t, c, 2)
	want := snapState(t, c)
	crashed, _ := CrashCopy(t, dir, nil)
	// A replay of the log cannot know the log start offset that
	// DeleteRecords moved (as before this change): set it again.
	deleteTo(t, crashed, 2)
	if got := snapState(t, crashed); got != want {
		t.Fatalf("after a crash that followed a clean start:\n%s\nwant:\n%s", got, want)
	}

	// And a clean restart after more writes has all of them.
	c.Restart()
	if got := snapState(t, c); got != want {
		t.Fatalf("after the second clean restart:\n%s\nwant:\n%s", got, want)
	}
}

// TestKfakeLoadsAndMigratesPerPartitionSnapshots starts a cluster on data
// in the layout of the older kfake: a snapshot.json per partition and no
// partitions.snap. Partition 0's log start offset, moved by DeleteRecords,
// is only in its snapshot.json (a replay of the log would start at 0).
func TestKfakeLoadsAndMigratesPerPartitionSnapshots(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	c.CreateTopic(snapTopic, snapParts, nil)
	snapRound(t, c, 0)
	deleteTo(t, c, 3)
	before := snapState(t, c)
	c.Close()
	toLegacyLayout(t, dir, 3)

	old := NewCluster(t, WithDataDir(dir))
	if got := snapState(t, old); got != before {
		t.Fatalf("from per-partition snapshots:\n%s\nbefore:\n%s", got, before)
	}
	old.Close()
	if l := legacySnapshots(t, dir); len(l) > 0 {
		t.Fatalf("per-partition snapshots left after a clean shutdown: %v", l)
	}
	again := NewCluster(t, WithDataDir(dir))
	if got := snapState(t, again); got != before {
		t.Fatalf("after the migration:\n%s\nbefore:\n%s", got, before)
	}
}

// toLegacyLayout rewrites a cleanly shut down data dir as the older kfake
// left it: meta.json without a token, no partitions.snap, and a
// snapshot.json per partition (partition 0's log start offset is start0).
func toLegacyLayout(t *testing.T, dir string, start0 int64) {
	t.Helper()
	meta := readMeta(t, dir)
	delete(meta, "clean_shutdown")
	writeJSON(t, filepath.Join(dir, "meta.json"), meta)
	if err := os.Remove(filepath.Join(dir, "partitions.snap")); err != nil {
		t.Fatal(err)
	}
	for p := range snapParts {
		pdir := filepath.Join(dir, "partitions", fmt.Sprintf("%s-%d", snapTopic, p))
		st, err := os.Stat(filepath.Join(pdir, "0.dat"))
		if err != nil {
			t.Fatal(err)
		}
		start := int64(0)
		if p == 0 {
			start = start0
		}
		writeJSON(t, filepath.Join(pdir, "snapshot.json"), map[string]any{
			"version": 1, "high_watermark": 4, "last_stable_offset": 4, "log_start_offset": start,
			"epoch": 0, "max_timestamp": 1_003_000 + p, "created_at": time.Now(),
			"segments": []map[string]any{{"base_offset": 0, "size": st.Size()}},
		})
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestKfakeStoresNothingAfterTheShutdownSave covers linkemu's kfake change
// "nothing runs after the shutdown save": Close's save can run while a
// control function (linkemu's read-only guard is one, on every Produce) is
// waited for. The request it was for used to be stored after the save, so
// the segment held bytes the saved index did not know, and appends after a
// clean restart were read back from the wrong place.
func TestKfakeStoresNothingAfterTheShutdownSave(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	c.CreateTopic(snapTopic, snapParts, nil)
	snapRound(t, c, 0)

	entered := make(chan struct{}, 1)
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		entered <- struct{}{}
		time.Sleep(300 * time.Millisecond)
		return nil, nil, false
	})
	racer, err := kgo.NewClient(kgo.SeedBrokers(c.Addr()), Partitioned())
	if err != nil {
		t.Fatal(err)
	}
	racer.Produce(context.Background(), &kgo.Record{Topic: snapTopic, Partition: 0, Value: []byte("racing the shutdown")}, nil)
	<-entered
	c.Close() // saves while the control function sleeps
	racer.Close()
	time.Sleep(500 * time.Millisecond) // the control function returns

	c.start()
	snapRound(t, c, 1)
	state := snapState(t, c)
	for p := range snapParts {
		for round := range 2 {
			for i := range 4 {
				if want := fmt.Sprintf("%d@%d:r%d/p%d/%d/", p, 4*round+i, round, p, i); !strings.Contains(state, want) {
					t.Fatalf("%q missing after a clean restart:\n%s", want, state)
				}
			}
		}
	}
	if strings.Contains(state, "racing") {
		t.Errorf("a record produced during the shutdown save was stored:\n%s", state)
	}
}
