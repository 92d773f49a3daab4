package replication

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// linkRequest matches the worker's requests whose transactional ID
// contains part.
func linkRequest(part string) func(kmsg.Request) bool {
	return func(req kmsg.Request) bool {
		var id string
		switch r := req.(type) {
		case *kmsg.ProduceRequest:
			if r.TransactionID != nil {
				id = *r.TransactionID
			}
		case *kmsg.EndTxnRequest:
			id = r.TransactionalID
		}
		return strings.HasPrefix(id, linkemu.LinkWriterPrefix) && strings.Contains(id, part)
	}
}

// TestUnknownOutcomes fails the worker's writes on the destination, some
// after the write happened, and checks that the mirror ends exact: the
// worker re-reads the destination instead of retrying blindly.
func TestUnknownOutcomes(t *testing.T) {
	tests := []struct {
		name  string
		fault kfake.Fault
		data  func(e *env)
	}{
		{
			name:  "produce times out after the append",
			fault: kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.RequestTimedOut, Count: 3, When: linkRequest("")},
			data:  func(e *env) { kafkatest.Produce(e.t, e.srcCl, "t", kafkatest.Plain(30, 10)...) },
		},
		{
			name:  "transactional produce times out after the append",
			fault: kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.NotEnoughReplicasAfterAppend, Count: 2, When: linkRequest("/pid")},
			data: func(e *env) {
				kafkatest.ProduceTxns(e.t, e.src, "t", "tx",
					kafkatest.Txn{Records: kafkatest.Plain(5, 10), Commit: true},
					kafkatest.Txn{Records: kafkatest.Plain(5, 10)})
			},
		},
		{
			name:  "produce refused before the append",
			fault: kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.NotEnoughReplicas, Count: 3, When: linkRequest("")},
			data:  func(e *env) { kafkatest.Produce(e.t, e.srcCl, "t", kafkatest.Plain(30, 10)...) },
		},
		{
			name:  "gap fill interrupted",
			fault: kfake.Fault{Keys: []kmsg.Key{kmsg.EndTxn}, Err: kerr.InvalidTxnState, Count: 2, When: linkRequest("/fill")},
			data:  func(e *env) { kafkatest.FillCompacted(e.t, e.src, e.srcCl, "t") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			compact := "compact"
			e.topic("t", 2, map[string]*string{"cleanup.policy": &compact})
			h := e.dst.Fault(tt.fault)
			tt.data(e)
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
			eventually(t, waitLong, e.synced(w, "t", 2))
			if h.Hits() == 0 {
				t.Fatal("the fault never hit: the test tests nothing")
			}
			kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
		})
	}
}

// TestForeignWrite writes to the mirror topic behind the worker's back: the
// worker's next write lands elsewhere, and the mirror stops with
// ILLEGAL_STATE instead of diverging silently.
func TestForeignWrite(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(5, 10)...)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
	eventually(t, waitLong, e.synced(w, "t", 1))

	before := time.Now()
	kafkatest.Produce(t, e.dst.Client(kgo.DefaultProduceTopic("t")), "t", kafkatest.Plain(1, 10)...)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(5, 10)...)
	eventually(t, waitLong, func() error {
		if st, _ := w.Status("t"); st.TopicError != linkemu.MirrorErrIllegalState {
			return fmt.Errorf("mirror topic error %q (%v), want ILLEGAL_STATE", st.TopicError, st.Err)
		}
		return nil
	})
	// The FAILED state's time is when it failed (state_time_ms).
	if st, _ := w.Status("t"); st.FailedAt.Before(before) {
		t.Errorf("failed at %v, before the foreign write at %v", st.FailedAt, before)
	}
}
