package kafkatest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Plain returns n records with values "v-<i>" padded to at least size
// bytes, no key and no headers.
func Plain(n, size int) []*kgo.Record {
	recs := make([]*kgo.Record, n)
	for i := range recs {
		v := fmt.Sprintf("v-%d", i)
		if len(v) < size {
			v += strings.Repeat(".", size-len(v))
		}
		recs[i] = &kgo.Record{Value: []byte(v)}
	}
	return recs
}

// Keyed returns n records whose keys cycle through keys distinct values
// ("k-0", "k-1", ...); with keys < n, compaction has something to remove.
func Keyed(n, keys int) []*kgo.Record {
	recs := Plain(n, 0)
	for i, r := range recs {
		r.Key = fmt.Appendf(nil, "k-%d", i%keys)
	}
	return recs
}

// WithHeaders adds two headers to each record, one with an empty value.
func WithHeaders(recs []*kgo.Record) []*kgo.Record {
	for i, r := range recs {
		r.Headers = append(r.Headers,
			kgo.RecordHeader{Key: "h-index", Value: fmt.Appendf(nil, "%d", i)},
			kgo.RecordHeader{Key: "h-empty"})
	}
	return recs
}

// ToPartition sends every record to partition p (clients made by
// Cluster.Client use a manual partitioner only if asked: see Partitioned).
func ToPartition(recs []*kgo.Record, p int32) []*kgo.Record {
	for _, r := range recs {
		r.Partition = p
	}
	return recs
}

// Partitioned is the client option that makes Record.Partition choose the
// partition.
func Partitioned() kgo.Opt { return kgo.RecordPartitioner(kgo.ManualPartitioner()) }

// Produce produces records to topic and waits for every acknowledgement.
func Produce(t testing.TB, cl *kgo.Client, topic string, recs ...*kgo.Record) {
	t.Helper()
	for _, r := range recs {
		r.Topic = topic
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("producing to %q: %v", topic, err)
	}
}

// ProduceOneByOne produces each record in a batch of its own, which
// compaction can then remove whole.
func ProduceOneByOne(t testing.TB, cl *kgo.Client, topic string, recs ...*kgo.Record) {
	t.Helper()
	for _, r := range recs {
		Produce(t, cl, topic, r)
	}
}

// Txn is one transaction for ProduceTxns: its records and its outcome.
type Txn struct {
	Records []*kgo.Record
	Commit  bool
}

// ProduceTxns runs transactions one after another on a transactional
// producer with the given transactional ID.
func ProduceTxns(t testing.TB, c *Cluster, topic, txnID string, txns ...Txn) {
	t.Helper()
	cl := c.Client(kgo.TransactionalID(txnID), Partitioned())
	for _, tx := range txns {
		RunTxn(t, cl, topic, tx)
	}
}

// RunTxn runs one transaction on a transactional client.
func RunTxn(t testing.TB, cl *kgo.Client, topic string, tx Txn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatalf("beginning transaction: %v", err)
	}
	Produce(t, cl, topic, tx.Records...)
	if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(tx.Commit)); err != nil {
		t.Fatalf("ending transaction: %v", err)
	}
}

// InterleavedTxns runs two transactional producers whose transactions
// overlap on every partition of the topic: A writes, B writes, A writes
// again, then A commits and B aborts (or the reverse on odd rounds), so
// records of both transactions and a plain producer's records interleave.
func InterleavedTxns(t testing.TB, c *Cluster, topic string, partitions int32, rounds int) {
	t.Helper()
	a := c.Client(kgo.TransactionalID(topic+"-a"), Partitioned())
	b := c.Client(kgo.TransactionalID(topic+"-b"), Partitioned())
	plain := c.Client(Partitioned())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for r := range rounds {
		for _, cl := range []*kgo.Client{a, b} {
			if err := cl.BeginTransaction(); err != nil {
				t.Fatalf("beginning transaction: %v", err)
			}
		}
		for p := range partitions {
			Produce(t, a, topic, ToPartition(Keyed(3, 3), p)...)
			Produce(t, b, topic, ToPartition(WithHeaders(Plain(2, 10)), p)...)
			Produce(t, plain, topic, ToPartition(Plain(1, 5), p)...)
			Produce(t, a, topic, ToPartition(Plain(2, 20), p)...)
		}
		if err := a.EndTransaction(ctx, kgo.TransactionEndTry(r%2 == 0)); err != nil {
			t.Fatalf("ending transaction: %v", err)
		}
		if err := b.EndTransaction(ctx, kgo.TransactionEndTry(r%2 == 1)); err != nil {
			t.Fatalf("ending transaction: %v", err)
		}
	}
}

// EmptyAbortedTxn writes one abort marker and nothing else to a partition:
// a transaction that adds the partition, writes no record and aborts. The
// marker takes one offset that no consumer sees, which makes an offset hole
// in the visible records, as compaction or aborted data does.
func EmptyAbortedTxn(t testing.TB, cl *kgo.Client, topic string, partition int32, txnID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ireq := kmsg.NewPtrInitProducerIDRequest()
	ireq.TransactionalID = &txnID
	ireq.TransactionTimeoutMillis = 60000
	iresp, err := ireq.RequestWith(ctx, cl)
	if err == nil {
		err = kerr.ErrorForCode(iresp.ErrorCode)
	}
	if err != nil {
		t.Fatalf("init producer id: %v", err)
	}
	areq := kmsg.NewPtrAddPartitionsToTxnRequest()
	areq.TransactionalID, areq.ProducerID, areq.ProducerEpoch = txnID, iresp.ProducerID, iresp.ProducerEpoch
	rt := kmsg.NewAddPartitionsToTxnRequestTopic()
	rt.Topic, rt.Partitions = topic, []int32{partition}
	areq.Topics = append(areq.Topics, rt)
	aresp, err := areq.RequestWith(ctx, cl)
	if err == nil {
		for _, t := range aresp.Topics {
			for _, p := range t.Partitions {
				if err == nil {
					err = kerr.ErrorForCode(p.ErrorCode)
				}
			}
		}
	}
	if err != nil {
		t.Fatalf("add partitions to txn: %v", err)
	}
	ereq := kmsg.NewPtrEndTxnRequest()
	ereq.TransactionalID, ereq.ProducerID, ereq.ProducerEpoch, ereq.Commit = txnID, iresp.ProducerID, iresp.ProducerEpoch, false
	eresp, err := ereq.RequestWith(ctx, cl)
	if err == nil {
		err = kerr.ErrorForCode(eresp.ErrorCode)
	}
	if err != nil {
		t.Fatalf("end txn: %v", err)
	}
}

// FillCompacted produces records that leave offset holes once compacted,
// inside batches and as whole missing batches, with tombstones, to
// partitions 0 and 1 of a topic created with cleanup.policy=compact, then
// compacts the cluster. cl must be made with Partitioned().
func FillCompacted(t testing.TB, c *Cluster, cl *kgo.Client, topic string) {
	t.Helper()
	for round := range 4 {
		Produce(t, cl, topic, Keyed(30, 7)...)                 // batches with superseded keys
		ProduceOneByOne(t, cl, topic, Keyed(5, 7)...)          // batches compaction removes whole
		Produce(t, cl, topic, &kgo.Record{Key: []byte("k-1")}) // a tombstone
		Produce(t, cl, topic, ToPartition(WithHeaders(Keyed(9, 2+round)), 1)...)
	}
	c.Compact()
}
