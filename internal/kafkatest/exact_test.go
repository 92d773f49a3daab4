package kafkatest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// stamped returns records with fixed timestamps, so that two clusters can
// hold identical copies.
func stamped(recs []*kgo.Record) []*kgo.Record {
	for i, r := range recs {
		r.Timestamp = time.UnixMilli(1_700_000_000_000 + int64(i))
	}
	return recs
}

// TestDiff checks that the checker accepts identical topics and names each
// kind of difference.
func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		src  func(*Cluster, *kgo.Client)
		dst  func(*Cluster, *kgo.Client)
		want string // "" for no difference
	}{
		{
			name: "identical",
			src:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(WithHeaders(Keyed(20, 5)))...) },
			dst:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(WithHeaders(Keyed(20, 5)))...) },
		},
		{
			name: "value",
			src:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(Plain(5, 0))...) },
			dst: func(c *Cluster, cl *kgo.Client) {
				recs := stamped(Plain(5, 0))
				recs[3].Value = []byte("other")
				Produce(t, cl, "t", recs...)
			},
			want: `offset 3 (read_uncommitted): value "v-3" vs "other"`,
		},
		{
			name: "timestamp",
			src:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(Plain(2, 0))...) },
			dst:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", Plain(2, 0)...) },
			want: "timestamp 1700000000000 vs",
		},
		{
			name: "missing record",
			src:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(Plain(3, 0))...) },
			dst:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(Plain(2, 0))...) },
			want: "the mirror lacks source record",
		},
		{
			name: "marker fills a hole",
			src: func(c *Cluster, cl *kgo.Client) {
				Produce(t, cl, "t", stamped(Plain(2, 0))...)
				EmptyAbortedTxn(t, cl, "t", 0, "x")
				Produce(t, cl, "t", stamped(Plain(2, 0))[1:]...)
			},
			dst: func(c *Cluster, cl *kgo.Client) {
				Produce(t, cl, "t", stamped(Plain(2, 0))...)
				EmptyAbortedTxn(t, cl, "t", 0, "y")
				Produce(t, cl, "t", stamped(Plain(2, 0))[1:]...)
			},
		},
		{
			name: "record instead of marker",
			src: func(c *Cluster, cl *kgo.Client) {
				EmptyAbortedTxn(t, cl, "t", 0, "x")
			},
			dst:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(Plain(1, 0))...) },
			want: "offset 0: source marker(abort), mirror record",
		},
		{
			name: "aborted transaction visible on the mirror",
			src: func(c *Cluster, cl *kgo.Client) {
				ProduceTxns(t, c, "t", "tx", Txn{Records: stamped(Plain(2, 0))})
			},
			dst: func(c *Cluster, cl *kgo.Client) {
				ProduceTxns(t, c, "t", "tx", Txn{Records: stamped(Plain(2, 0)), Commit: true})
			},
			want: "source marker type 0, mirror 1",
		},
		{
			name: "log start",
			src:  func(c *Cluster, cl *kgo.Client) { Produce(t, cl, "t", stamped(Plain(3, 0))...) },
			dst: func(c *Cluster, cl *kgo.Client) {
				Produce(t, cl, "t", stamped(Plain(3, 0))...)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var os kadm.Offsets
				os.AddOffset("t", 0, 1, -1)
				if _, err := c.Admin().DeleteRecords(ctx, os); err != nil {
					t.Fatal(err)
				}
			},
			want: "log start/high watermark/last stable offsets: source 0/3/3, mirror 1/3/3",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, dst := NewCluster(t), NewCluster(t)
			src.CreateTopic("t", 1, nil)
			dst.CreateTopic("t", 1, nil)
			srcCl, dstCl := src.Client(), dst.Client()
			tt.src(src, srcCl)
			tt.dst(dst, dstCl)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			err := Diff(ctx, srcCl, dstCl, "t", "t")
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Diff: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("Diff found no difference, want one with %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Diff = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
