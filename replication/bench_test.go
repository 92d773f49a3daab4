package replication

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// BenchmarkReplicate measures copying an 8-partition topic of 1 KiB records
// between two kfake clusters, from a worker's start to lag 0. Bytes are
// record values. cmd/linkemu-bench compares the same copy with a
// consume-produce pipe.
func BenchmarkReplicate(b *testing.B) {
	const partitions, perPartition, size = 8, 1000, 1024
	for _, codec := range []struct {
		name  string
		codec kgo.CompressionCodec
	}{{"none", kgo.NoCompression()}, {"lz4", kgo.Lz4Compression()}} {
		b.Run(codec.name, func(b *testing.B) {
			src, dst := kafkatest.NewCluster(b), kafkatest.NewCluster(b)
			prod := src.Client(kafkatest.Partitioned(), kgo.ProducerBatchCompression(codec.codec),
				kgo.ProducerBatchMaxBytes(1<<20), kgo.ProducerLinger(10*time.Millisecond))
			b.SetBytes(partitions * perPartition * size)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				topic := fmt.Sprintf("t%d", i)
				src.CreateTopic(topic, partitions, nil)
				dst.CreateTopic(topic, partitions, nil)
				for p := range int32(partitions) {
					kafkatest.Produce(b, prod, topic, kafkatest.ToPartition(kafkatest.Plain(perPartition, size), p)...)
				}
				w := New(Config{
					LinkName: "bench", ClusterLinkID: "bench", Store: NewMemoryStore(), Logger: testLogger(),
					Source: src.Client(), Dest: dst.Client(),
				})
				w.SetMirrors([]Mirror{{Name: topic, SourceTopic: topic}})
				b.StartTimer()
				if err := w.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				for lagZero(w, topic, partitions)() != nil {
					time.Sleep(time.Millisecond)
				}
				b.StopTimer()
				w.Stop()
				b.StartTimer()
			}
		})
	}
}
