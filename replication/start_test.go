package replication

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// timedBatches produces n batches of per records to partition 0, record i
// stamped base+i seconds.
func timedBatches(t *testing.T, cl *kgo.Client, topic string, base time.Time, n, per int) {
	t.Helper()
	for b := range n {
		recs := kafkatest.ToPartition(kafkatest.Plain(per, 10), 0)
		for i, r := range recs {
			r.Timestamp = base.Add(time.Duration(b*per+i) * time.Second)
		}
		kafkatest.Produce(t, cl, topic, recs...)
	}
}

func logStart(t *testing.T, adm *kadm.Client, topic string, p int32) int64 {
	t.Helper()
	offs, err := adm.ListStartOffsets(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	o, _ := offs.Lookup(topic, p)
	return o.Offset
}

// TestStartSpecs checks that a mirror started at a later offset holds the
// source's records at the source's offsets from that offset on, with its log
// start offset there, whatever batch the start offset falls in.
func TestStartSpecs(t *testing.T) {
	base := time.UnixMilli(1_700_000_000_000)
	tests := []struct {
		name      string
		spec      string
		before    func(e *env) // runs before the worker starts
		wantStart int64
		exactFrom bool // compare only from the mirror log start
	}{
		{name: "earliest", spec: "earliest", wantStart: 0},
		{name: "latest", spec: "latest", wantStart: 40, exactFrom: true},
		{name: "timestamp mid-batch", spec: base.Add(13 * time.Second).UTC().Format(time.RFC3339), wantStart: 13, exactFrom: true},
		{name: "timestamp after the end", spec: base.Add(time.Hour).Format(time.RFC3339Nano), wantStart: 40, exactFrom: true},
		{
			name: "earliest after source deleted records mid-batch",
			spec: "earliest",
			before: func(e *env) {
				var os kadm.Offsets
				os.AddOffset("t", 0, 23, -1)
				if _, err := e.src.Admin().DeleteRecords(context.Background(), os); err != nil {
					e.t.Fatal(err)
				}
			},
			wantStart: 23,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.topic("t", 1, nil)
			timedBatches(t, e.srcCl, "t", base, 8, 5)
			if tt.before != nil {
				tt.before(e)
			}
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t", StartSpec: tt.spec}})
			eventually(t, waitLong, running(w, "t", 1)) // the start offset is settled
			timedBatches(t, e.srcCl, "t", base.Add(time.Minute), 4, 5)
			eventually(t, waitLong, e.synced(w, "t", 1))
			if got := logStart(t, e.dst.Admin(), "t", 0); got != tt.wantStart {
				t.Fatalf("mirror log start offset = %d, want %d", got, tt.wantStart)
			}
			var opts []kafkatest.DiffOption
			if tt.exactFrom {
				opts = append(opts, kafkatest.FromMirrorLogStart())
			}
			kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t", opts...)
		})
	}
}

func TestValidateStartSpec(t *testing.T) {
	for _, tt := range []struct {
		spec string
		ok   bool
	}{
		{"", true}, {"earliest", true}, {"LATEST", true},
		{"2026-01-02T15:04:05Z", true}, {"2026-01-02T15:04:05.123+02:00", true}, {"2026-01-02", true},
		{"yesterday", false}, {"12345", false},
	} {
		if err := ValidateStartSpec(tt.spec); (err == nil) != tt.ok {
			t.Errorf("ValidateStartSpec(%q) = %v, want ok=%v", tt.spec, err, tt.ok)
		}
	}
}
