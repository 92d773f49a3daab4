package replication

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestTransactionalSources checks that transaction markers, aborted data and
// offset holes keep their offsets, for read_uncommitted and read_committed
// consumers alike.
func TestTransactionalSources(t *testing.T) {
	tests := []struct {
		name    string
		produce func(e *env)
	}{
		{
			name: "commit and abort",
			produce: func(e *env) {
				kafkatest.ProduceTxns(e.t, e.src, "t", "tx",
					kafkatest.Txn{Records: kafkatest.Keyed(7, 3), Commit: true},
					kafkatest.Txn{Records: kafkatest.WithHeaders(kafkatest.Plain(5, 10))},
					kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(4, 10), 1), Commit: true},
					kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(3, 10), 1)},
				)
				kafkatest.Produce(e.t, e.srcCl, "t", kafkatest.Plain(3, 10)...)
			},
		},
		{
			name:    "interleaved producers",
			produce: func(e *env) { kafkatest.InterleavedTxns(e.t, e.src, "t", 2, 3) },
		},
		{
			name: "empty aborted transactions make holes",
			produce: func(e *env) {
				for i := range 3 {
					kafkatest.Produce(e.t, e.srcCl, "t", kafkatest.Plain(2, 10)...)
					for range i + 1 {
						kafkatest.EmptyAbortedTxn(e.t, e.srcCl, "t", 0, fmt.Sprintf("hole-%d", i))
					}
				}
				kafkatest.Produce(e.t, e.srcCl, "t", kafkatest.Plain(1, 10)...)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.topic("t", 2, nil)
			tt.produce(e) // before the worker starts
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
			tt.produce(e) // while it runs
			eventually(t, waitLong, e.synced(w, "t", 2))
			kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
		})
	}
}

// TestOpenTransaction checks that a source transaction still open is
// replicated open (the mirror's last stable offset holds, like the
// source's) and then ends with the source's marker.
func TestOpenTransaction(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 1, nil)
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})

	tx := e.src.Client(kgo.TransactionalID("open"), kafkatest.Partitioned())
	if err := tx.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	kafkatest.Produce(t, tx, "t", kafkatest.Plain(4, 10)...)
	kafkatest.Produce(t, e.srcCl, "t", kafkatest.Plain(2, 10)...) // non-transactional, after the open data
	eventually(t, waitLong, e.synced(w, "t", 1))
	// Exact, last stable offsets included (0 on both sides). Waiting for it
	// rather than asserting it once keeps a loaded machine from catching the
	// status a moment ahead of what a new consumer reads.
	kafkatest.WaitExact(t, e.srcCl, e.dstCl, "t", "t", waitLong)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tx.EndTransaction(ctx, kgo.TryCommit); err != nil {
		t.Fatal(err)
	}
	kafkatest.WaitExact(t, e.srcCl, e.dstCl, "t", "t", waitLong)
}
