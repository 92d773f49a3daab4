package e2e

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Positions in topics, for the checks that a consumer group resumes exactly
// where it left off on the other cluster.

// topicPart is a topic partition.
type topicPart struct {
	topic     string
	partition int32
}

func (p topicPart) String() string { return fmt.Sprintf("%s/%d", p.topic, p.partition) }

// positions maps partitions to offsets: a group's committed offsets, or log
// end offsets.
type positions map[topicPart]int64

// renamed returns p with its topics renamed through names, as the same
// positions read on the other cluster (offsets are equal across a mirror).
// Topics that names does not list are left out.
func (p positions) renamed(names map[string]string) positions {
	out := make(positions, len(p))
	for k, v := range p {
		if n, ok := names[k.topic]; ok {
			out[topicPart{n, k.partition}] = v
		}
	}
	return out
}

func (p positions) String() string {
	keys := slices.SortedFunc(maps.Keys(p), func(a, b topicPart) int {
		return cmp.Or(strings.Compare(a.topic, b.topic), cmp.Compare(a.partition, b.partition))
	})
	s := "{"
	for i, k := range keys {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s:%d", k, p[k])
	}
	return s + "}"
}

// committed returns group's committed offsets on the cluster at bootstrap:
// none for a group the cluster does not know.
func committed(t *testing.T, bootstrap, group string) positions {
	t.Helper()
	adm := kadm.NewClient(client(t, bootstrap))
	defer adm.Close()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	resp, err := adm.FetchOffsets(ctx, group)
	if errors.Is(err, kerr.GroupIDNotFound) {
		return positions{}
	}
	if err != nil {
		t.Fatalf("offsets of group %s: %v", group, err)
	}
	out := make(positions)
	resp.Each(func(o kadm.OffsetResponse) {
		if o.Err == nil && o.At >= 0 {
			out[topicPart{o.Topic, o.Partition}] = o.At
		}
	})
	return out
}

// ends returns the log end offsets of topics on the cluster at bootstrap.
func ends(t *testing.T, bootstrap string, topics ...string) positions {
	t.Helper()
	adm := kadm.NewClient(client(t, bootstrap))
	defer adm.Close()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	listed, err := adm.ListEndOffsets(ctx, topics...)
	if err == nil {
		err = listed.Error()
	}
	if err != nil {
		t.Fatalf("end offsets of %v: %v", topics, err)
	}
	out := make(positions)
	listed.Each(func(o kadm.ListedOffset) { out[topicPart{o.Topic, o.Partition}] = o.Offset })
	return out
}

// waitCommitted waits until group's committed offsets on the cluster at
// bootstrap are want, as offset sync brings them.
func waitCommitted(t *testing.T, bootstrap, group string, want positions) {
	t.Helper()
	var got positions
	apitest.Eventually(t, apitest.Timeout, fmt.Sprintf("group %s at %v on %s", group, want, bootstrap), func() bool {
		got = committed(t, bootstrap, group)
		return maps.Equal(got, want)
	})
}

// readSome joins group on the cluster at bootstrap, reads n records of
// topics and commits them: a consumer that stops in the middle.
func readSome(t *testing.T, bootstrap, group string, n int, topics ...string) {
	t.Helper()
	cl := client(t, bootstrap, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	for read := 0; read < n; {
		fs := cl.PollRecords(ctx, n-read)
		if ctx.Err() != nil {
			t.Fatalf("group %s read %d of %d records of %v: %v", group, read, n, topics, ctx.Err())
		}
		read += fs.NumRecords()
	}
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatal(err)
	}
}

// resumeExactly joins group on the cluster at bootstrap as a new consumer,
// reads topics up to their current log end offsets and commits. It fails
// the test unless every partition is read from exactly its offset in from
// (0 where from has none: the group never read it), one offset after the
// other: no record is skipped and none is read twice. It returns the
// records read.
func resumeExactly(t *testing.T, bootstrap, group string, from positions, topics ...string) []*kgo.Record {
	t.Helper()
	end := ends(t, bootstrap, topics...)
	next := make(positions, len(end))
	for p := range end {
		next[p] = from[p]
	}
	cl := client(t, bootstrap, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	var out []*kgo.Record
	done := func() bool {
		for p, e := range end {
			if next[p] < e {
				return false
			}
		}
		return true
	}
	for !done() {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("group %s on %s stopped at %v, want %v", group, bootstrap, next, end)
		}
		fs.EachRecord(func(r *kgo.Record) {
			p := topicPart{r.Topic, r.Partition}
			switch want := next[p]; {
			case r.Offset < want:
				t.Fatalf("group %s on %s read %s offset %d (%s) again: it had read up to %d", group, bootstrap, p, r.Offset, r.Value, want)
			case r.Offset > want:
				t.Fatalf("group %s on %s skipped %s offsets %d to %d: the next unread record was %d", group, bootstrap, p, want, r.Offset-1, want)
			}
			next[p] = r.Offset + 1
			out = append(out, r)
		})
	}
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatal(err)
	}
	return out
}

// records returns the values of every record of topic on the cluster at
// bootstrap, per partition, in offset order.
func records(t *testing.T, bootstrap, topic string) map[int32][]string {
	t.Helper()
	end := ends(t, bootstrap, topic)
	offsets := make(map[string]map[int32]kgo.Offset)
	offsets[topic] = make(map[int32]kgo.Offset)
	out := make(map[int32][]string)
	for p := range end {
		offsets[topic][p.partition] = kgo.NewOffset().AtStart()
		out[p.partition] = []string{}
	}
	cl := client(t, bootstrap, kgo.ConsumePartitions(offsets))
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	for p, e := range end {
		for int64(len(out[p.partition])) < e {
			fs := cl.PollFetches(ctx)
			if ctx.Err() != nil {
				t.Fatalf("reading %s: %v", topic, ctx.Err())
			}
			fs.EachRecord(func(r *kgo.Record) { out[r.Partition] = append(out[r.Partition], string(r.Value)) })
		}
	}
	return out
}

// assertKept fails the test unless every partition of after starts with the
// records of before: nothing acknowledged before was lost.
func assertKept(t *testing.T, what string, before, after map[int32][]string) {
	t.Helper()
	for p, recs := range before {
		if got := after[p]; len(got) < len(recs) || !slices.Equal(got[:len(recs)], recs) {
			t.Errorf("%s, partition %d: %d records before, now %d; the first %d differ or are missing", what, p, len(recs), len(got), len(recs))
		}
	}
}
