package kafkatest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestKfakeBoundsOpenLogFiles writes to and reads back 4,000 partitions of
// a persisted cluster, twice, across a restart. Without linkemu's bound on
// open log files (third_party/kfake/fdcap.go) each partition kept two
// descriptors open, 8,000 here; with it one cluster keeps the files of at
// most 2,048 partitions open, and partitions whose files were closed read
// and append exactly as before.
func TestKfakeBoundsOpenLogFiles(t *testing.T) {
	if _, err := os.ReadDir("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd to count open files")
	}
	const topics, parts = 4, 1000
	c := NewCluster(t, WithDataDir(t.TempDir()))
	before := openFDs(t)
	for i := range topics {
		c.CreateTopic(fmt.Sprintf("t%d", i), parts, nil)
	}
	produce := func(round int) {
		t.Helper()
		cl := c.Client(kgo.RecordPartitioner(kgo.ManualPartitioner()))
		var recs []*kgo.Record
		for i := range topics {
			for p := range int32(parts) {
				recs = append(recs, &kgo.Record{Topic: fmt.Sprintf("t%d", i), Partition: p, Value: fmt.Appendf(nil, "%d/%d/%d", round, i, p)})
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			t.Fatalf("round %d: produce: %v", round, err)
		}
	}
	check := func(rounds int) {
		t.Helper()
		offsets := map[string]map[int32]kgo.Offset{}
		for i := range topics {
			offsets[fmt.Sprintf("t%d", i)] = map[int32]kgo.Offset{}
			for p := range int32(parts) {
				offsets[fmt.Sprintf("t%d", i)][p] = kgo.NewOffset().AtStart()
			}
		}
		cl := c.Client(kgo.ConsumePartitions(offsets))
		got := map[string][]string{}
		n := 0
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for n < topics*parts*rounds {
			fs := cl.PollFetches(ctx)
			if err := ctx.Err(); err != nil {
				t.Fatalf("read %d of %d records", n, topics*parts*rounds)
			}
			fs.EachRecord(func(r *kgo.Record) {
				k := fmt.Sprintf("%s/%d", r.Topic, r.Partition)
				got[k] = append(got[k], fmt.Sprintf("%d:%s", r.Offset, r.Value))
				n++
			})
		}
		for i := range topics {
			for p := range parts {
				k := fmt.Sprintf("t%d/%d", i, p)
				var want []string
				for round := range rounds {
					want = append(want, fmt.Sprintf("%d:%d/%d/%d", round, round, i, p))
				}
				if fmt.Sprint(got[k]) != fmt.Sprint(want) {
					t.Fatalf("%s: got %v, want %v", k, got[k], want)
				}
			}
		}
	}
	produce(0)
	produce(1) // appends to partitions whose files were closed
	check(2)
	if grown := openFDs(t) - before; grown > 2*2048+300 {
		t.Errorf("%d more open files after writing %d partitions: want at most about %d", grown, topics*parts, 2*2048)
	}
	c.Restart()
	produce(2)
	check(3)
}

func openFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}
