package offsetsync_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// newCluster starts a one-broker kfake cluster on loopback with the given
// topics of two partitions each.
func newCluster(t *testing.T, topics ...string) *kafkatest.Cluster {
	t.Helper()
	var opts []kafkatest.Option
	if len(topics) > 0 {
		opts = append(opts, kafkatest.WithKfake(kfake.SeedTopics(2, topics...)))
	}
	return kafkatest.NewCluster(t, opts...)
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// produce writes n records to each listed partition of topic.
func produce(t *testing.T, c *kafkatest.Cluster, topic string, n int, partitions ...int32) {
	t.Helper()
	cl := c.Client(kafkatest.Partitioned())
	for _, p := range partitions {
		kafkatest.Produce(t, cl, topic, kafkatest.ToPartition(kafkatest.Plain(n, 0), p)...)
	}
}

// commitAsGroup joins group with a real group consumer, consumes topic and
// commits, for each partition p in upTo, the offset upTo[p]; then it leaves
// the group, which is left Empty with those commits.
func commitAsGroup(t *testing.T, c *kafkatest.Cluster, group, topic string, upTo map[int32]int64) {
	t.Helper()
	ctx := testContext(t)
	cl := c.Client(kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic), kgo.DisableAutoCommit(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(100*time.Millisecond))
	defer cl.Close()
	want := make(map[int32]*kgo.Record)
	for len(want) < len(upTo) {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("group %s consuming %s: %v", group, topic, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if end, ok := upTo[r.Partition]; ok && r.Offset == end-1 {
				want[r.Partition] = r
			}
		})
	}
	var rs []*kgo.Record
	for _, r := range want {
		rs = append(rs, r)
	}
	if err := cl.CommitRecords(ctx, rs...); err != nil {
		t.Fatalf("group %s committing: %v", group, err)
	}
}

// joinGroup starts a live member of group on c that stays until the test
// ends, and waits for the group to be stable.
func joinGroup(t *testing.T, c *kafkatest.Cluster, group, topic string) {
	t.Helper()
	ctx := testContext(t)
	cl := c.Client(kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic), kgo.DisableAutoCommit(),
		kgo.FetchMaxWait(100*time.Millisecond))
	go func() {
		for !cl.PollFetches(ctx).IsClientClosed() && ctx.Err() == nil {
		}
	}()
	if _, err := c.WaitGroupStable(ctx, group, 1); err != nil {
		t.Fatalf("group %s did not become stable: %v", group, err)
	}
}

// committed returns the committed offsets of group on c, by topic and
// partition.
func committed(t *testing.T, c *kafkatest.Cluster, group string) map[string]map[int32]int64 {
	t.Helper()
	out := make(map[string]map[int32]int64)
	resps, err := c.Admin().FetchOffsets(testContext(t), group)
	if errors.Is(err, kerr.GroupIDNotFound) {
		return out
	}
	if err != nil {
		t.Fatalf("fetch offsets of %s: %v", group, err)
	}
	resps.Each(func(o kadm.OffsetResponse) {
		if o.Err != nil {
			t.Fatalf("fetch offsets of %s: %v", group, o.Err)
		}
		if out[o.Topic] == nil {
			out[o.Topic] = make(map[int32]int64)
		}
		out[o.Topic][o.Partition] = o.At
	})
	return out
}

// waitFor polls cond until it returns "" or the test context ends, then
// fails with cond's last answer.
func waitFor(t *testing.T, cond func() string) {
	t.Helper()
	ctx := testContext(t)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out: %s", msg)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// mirrors returns a MirrorsFunc over a fixed list.
func mirrors(ms ...*linkemu.Mirror) func(context.Context) ([]*linkemu.Mirror, error) {
	return func(context.Context) ([]*linkemu.Mirror, error) { return ms, nil }
}

func mirror(name, source string, status linkemu.MirrorStatus) *linkemu.Mirror {
	return &linkemu.Mirror{Name: name, SourceTopic: source, Partitions: 2, Status: status}
}

func mustGroupFilters(t *testing.T, s string) linkemu.GroupFilters {
	t.Helper()
	fs, err := linkemu.ParseGroupFilters(s)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func fmtOffsets(m map[string]map[int32]int64) string { return fmt.Sprint(m) }
