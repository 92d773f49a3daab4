package replication

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestExactCopies produces data of each shape before and while the worker
// runs, and checks the mirror is an exact copy.
func TestExactCopies(t *testing.T) {
	tests := []struct {
		name  string
		codec kgo.CompressionCodec
		recs  func() []*kgo.Record
	}{
		{"plain", kgo.NoCompression(), func() []*kgo.Record { return kafkatest.Plain(300, 100) }},
		{"keyed-headers", kgo.NoCompression(), func() []*kgo.Record { return kafkatest.WithHeaders(kafkatest.Keyed(300, 17)) }},
		{"lz4", kgo.Lz4Compression(), func() []*kgo.Record { return kafkatest.Keyed(300, 50) }},
		{"zstd", kgo.ZstdCompression(), func() []*kgo.Record { return kafkatest.WithHeaders(kafkatest.Plain(300, 1000)) }},
		{"gzip-snappy", kgo.GzipCompression(), func() []*kgo.Record { return kafkatest.Plain(100, 10) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.topic("t", 3, nil)
			prod := e.src.Client(kgo.ProducerBatchCompression(tt.codec), kgo.ProducerLinger(0))
			kafkatest.Produce(t, prod, "t", tt.recs()...)
			w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}})
			kafkatest.Produce(t, prod, "t", tt.recs()...)
			eventually(t, waitLong, e.synced(w, "t", 3))
			kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
		})
	}
}

// TestLargeBatches checks that batches larger than PartitionFetchMaxBytes
// still reach every partition of a fetch.
func TestLargeBatches(t *testing.T) {
	e := newEnv(t)
	e.topic("t", 3, nil)
	for p := range int32(3) {
		kafkatest.Produce(t, e.srcCl, "t", kafkatest.ToPartition(kafkatest.Plain(20, 1000), p)...)
	}
	w, _, _ := e.worker([]Mirror{{Name: "t", SourceTopic: "t"}}, func(c *Config) {
		c.PartitionFetchMaxBytes = 1024
		c.FetchMaxBytes = 4096
	})
	eventually(t, waitLong, e.synced(w, "t", 3))
	kafkatest.AssertExact(t, e.srcCl, e.dstCl, "t", "t")
}
