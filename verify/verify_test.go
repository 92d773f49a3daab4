package verify_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/linkemu/linkemu/verify"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// stamped gives records fixed timestamps, so that two clusters can hold
// identical copies.
func stamped(recs []*kgo.Record) []*kgo.Record {
	for i, r := range recs {
		r.Timestamp = time.UnixMilli(1_700_000_000_000 + int64(i))
	}
	return recs
}

// TestMirror checks the verdict per partition for equal, lagging and
// different topics written independently on two clusters.
func TestMirror(t *testing.T) {
	type part struct {
		result string
		diff   *verify.Difference // nil for none
		from   int64
		to     int64
	}
	tests := []struct {
		name string
		src  func(*kafkatest.Cluster, *kgo.Client)
		dst  func(*kafkatest.Cluster, *kgo.Client)
		want []part // partitions 0 and 1
	}{
		{
			name: "equal",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.WithHeaders(kafkatest.Keyed(30, 5))), 0)...)
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(10, 0)), 1)...)
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.WithHeaders(kafkatest.Keyed(30, 5))), 0)...)
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(10, 0)), 1)...)
			},
			want: []part{{result: verify.Equal, to: 30}, {result: verify.Equal, to: 10}},
		},
		{
			name: "value differs in partition 1",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(5, 0)), 1)...)
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				recs := stamped(kafkatest.Plain(5, 0))
				recs[3].Value = []byte("other")
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(recs, 1)...)
			},
			want: []part{{result: verify.Equal}, {result: verify.Different, to: 5, diff: &verify.Difference{Offset: 3, Field: "value", Source: `"v-3"`, Mirror: `"other"`}}},
		},
		{
			name: "mirror behind",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(5, 0)), 0)...)
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(3, 0)), 0)...)
			},
			want: []part{{result: verify.MirrorBehind, to: 3}, {result: verify.Equal}},
		},
		{
			name: "extra record on the mirror",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0)...)
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(3, 0)), 0)...)
			},
			want: []part{{result: verify.Different, to: 3, diff: &verify.Difference{Offset: 2, Field: "extra", Source: "no record", Mirror: `record(key null, value "v-2")`}}, {result: verify.Equal}},
		},
		{
			name: "transactions equal, markers included",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.ProduceTxns(t, c, "t", "tx",
					kafkatest.Txn{Records: kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0), Commit: true},
					kafkatest.Txn{Records: kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0)})
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.ProduceTxns(t, c, "t", "tx",
					kafkatest.Txn{Records: kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0), Commit: true},
					kafkatest.Txn{Records: kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0)})
			},
			want: []part{{result: verify.Equal, to: 6}, {result: verify.Equal}},
		},
		{
			name: "aborted on the source, committed on the mirror",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.ProduceTxns(t, c, "t", "tx", kafkatest.Txn{Records: kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0)})
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.ProduceTxns(t, c, "t", "tx", kafkatest.Txn{Records: kafkatest.ToPartition(stamped(kafkatest.Plain(2, 0)), 0), Commit: true})
			},
			want: []part{{result: verify.Different, to: 3, diff: &verify.Difference{Offset: 2, Field: "control_type", Source: "marker(abort)", Mirror: "marker(commit)"}}, {result: verify.Equal}},
		},
		{
			name: "record instead of marker",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.EmptyAbortedTxn(t, cl, "t", 0, "x")
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(1, 0)), 0)...)
			},
			want: []part{{result: verify.Different, to: 1, diff: &verify.Difference{Offset: 0, Field: "control", Source: "marker(abort)", Mirror: `record(key null, value "v-0")`}}, {result: verify.Equal}},
		},
		{
			name: "mirror starts later",
			src: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(4, 0)), 0)...)
			},
			dst: func(c *kafkatest.Cluster, cl *kgo.Client) {
				kafkatest.Produce(t, cl, "t", kafkatest.ToPartition(stamped(kafkatest.Plain(4, 0)), 0)...)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var os kadm.Offsets
				os.AddOffset("t", 0, 2, -1)
				if _, err := c.Admin().DeleteRecords(ctx, os); err != nil {
					t.Fatal(err)
				}
			},
			want: []part{{result: verify.Equal, from: 2, to: 4}, {result: verify.Equal}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := kafkatest.NewCluster(t), kafkatest.NewCluster(t)
			src.CreateTopic("t", 2, nil)
			dst.CreateTopic("t", 2, nil)
			srcCl, dstCl := src.Client(kafkatest.Partitioned()), dst.Client(kafkatest.Partitioned())
			tt.src(src, srcCl)
			tt.dst(dst, dstCl)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep, err := verify.Mirror(ctx, verify.Side{Client: srcCl, Topic: "t"}, verify.Side{Client: dstCl, Topic: "t"}, verify.Options{})
			if err != nil {
				t.Fatal(err)
			}
			allEqual := true
			for i, w := range tt.want {
				got := rep.Partitions[i]
				allEqual = allEqual && w.result == verify.Equal
				if got.Result != w.result || got.CheckedFrom != w.from || got.CheckedTo != w.to {
					t.Errorf("partition %d: result %s, checked [%d, %d); want %s, [%d, %d) (%+v)", i, got.Result, got.CheckedFrom, got.CheckedTo, w.result, w.from, w.to, got)
				}
				switch {
				case w.diff == nil && got.FirstDifference != nil:
					t.Errorf("partition %d: unexpected difference %+v", i, *got.FirstDifference)
				case w.diff != nil && (got.FirstDifference == nil || *got.FirstDifference != *w.diff):
					t.Errorf("partition %d: first difference %+v, want %+v", i, got.FirstDifference, *w.diff)
				}
			}
			if rep.Equal != allEqual {
				t.Errorf("equal = %v, want %v", rep.Equal, allEqual)
			}
		})
	}
}
