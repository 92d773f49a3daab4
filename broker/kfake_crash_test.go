package broker

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// crashCopy starts a cluster on a copy of a running cluster's data dir, as
// it would find the files after a crash (kafkatest.CrashCopy).
func crashCopy(t *testing.T, dir string, prepare func(dir string)) *kafkatest.Cluster {
	t.Helper()
	c, _ := kafkatest.CrashCopy(t, dir, prepare)
	return c
}

// openTxn leaves a transaction of txnID open on partition 0 of topic "t"
// with n records, and returns the first record's offset.
func openTxn(t *testing.T, c *kafkatest.Cluster, txnID string, n int) int64 {
	t.Helper()
	cl := c.Client(kgo.TransactionalID(txnID), kafkatest.Partitioned())
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	recs := kafkatest.ToPartition(kafkatest.Keyed(n, 3), 0)
	for _, r := range recs {
		r.Topic = "t"
	}
	res := cl.ProduceSync(context.Background(), recs...)
	if err := res.FirstErr(); err != nil {
		t.Fatal(err)
	}
	return res[0].Record.Offset
}

// committedCount returns partition 0's last stable offset and the number
// of records a read_committed consumer reads there, stopping once a poll
// stays empty for a second.
func committedCount(t *testing.T, c *kafkatest.Cluster) (lso int64, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ends, err := c.Admin().ListCommittedOffsets(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	lso = ends["t"][0].Offset
	cl := c.Client(kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{"t": {0: kgo.NewOffset().AtStart()}}))
	for {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		pcancel()
		if fs.NumRecords() == 0 {
			return lso, n
		}
		n += fs.NumRecords()
	}
}

// TestKfakeRestoresATransactionOpenAtACrash covers linkemu's kfake change
// "recover transactions open at a crash": the transaction is ongoing after
// the restart, its producer can commit it, and read_committed consumers
// then see its records and the producer's later transactions.
func TestKfakeRestoresATransactionOpenAtACrash(t *testing.T) {
	dir := t.TempDir()
	c := kafkatest.NewCluster(t, kafkatest.WithDataDir(dir))
	c.CreateTopic("t", 1, nil)
	kafkatest.Produce(t, c.Client(), "t", kafkatest.Plain(3, 5)...)
	first := openTxn(t, c, "tx", 4)

	r := crashCopy(t, dir, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dreq := kmsg.NewPtrDescribeTransactionsRequest()
	dreq.TransactionalIDs = []string{"tx"}
	dresp, err := dreq.RequestWith(ctx, r.Client())
	if err != nil {
		t.Fatal(err)
	}
	st := dresp.TransactionStates[0]
	if st.State != "Ongoing" || len(st.Topics) != 1 || st.Topics[0].Topic != "t" {
		t.Fatalf("transaction after the crash: %+v", st)
	}
	if lso, _ := committedCount(t, r); lso != first {
		t.Fatalf("last stable offset after the crash: %d, want the open transaction's first offset %d", lso, first)
	}

	// The producer takes the transaction over and commits it.
	ereq := kmsg.NewPtrEndTxnRequest()
	ereq.TransactionalID, ereq.ProducerID, ereq.ProducerEpoch, ereq.Commit = "tx", st.ProducerID, st.ProducerEpoch, true
	eresp, err := ereq.RequestWith(ctx, r.Client())
	if err == nil {
		err = kerr.ErrorForCode(eresp.ErrorCode)
	}
	if err != nil {
		t.Fatalf("committing the restored transaction: %v", err)
	}
	// A later transaction of the same producer is visible too.
	kafkatest.ProduceTxns(t, r, "t", "tx", kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(2, 5), 0), Commit: true})
	if lso, n := committedCount(t, r); n != 3+4+2 {
		t.Fatalf("read_committed sees %d records up to %d, want 9", n, lso)
	}
}

// TestKfakeAbortsAnUnknownTransactionOpenAtACrashWithAMarker: when the
// producer of an open transaction is not known after the crash, the
// transaction is aborted with a real marker, so the aborted-transaction
// index matches the log and later transactions of the producer show.
func TestKfakeAbortsAnUnknownTransactionOpenAtACrashWithAMarker(t *testing.T) {
	dir := t.TempDir()
	c := kafkatest.NewCluster(t, kafkatest.WithDataDir(dir))
	c.CreateTopic("t", 1, nil)
	openTxn(t, c, "tx", 4)
	r := crashCopy(t, dir, func(dir string) {
		if err := os.Remove(filepath.Join(dir, "pids.log")); err != nil {
			t.Fatal(err)
		}
	})
	if lso, n := committedCount(t, r); lso != 5 || n != 0 {
		t.Fatalf("after the crash: last stable offset %d (want 5: 4 records and an abort marker), %d committed records", lso, n)
	}
	kafkatest.ProduceTxns(t, r, "t", "tx", kafkatest.Txn{Records: kafkatest.ToPartition(kafkatest.Plain(2, 5), 0), Commit: true})
	if lso, n := committedCount(t, r); n != 2 {
		t.Fatalf("read_committed sees %d records up to %d, want 2", n, lso)
	}
}
