package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/verify"
)

// verifyRun fills an 8-partition topic with n records of 100 B, with a key
// and a header each, mirrors it with the engine, and times the proof of
// exactness (package verify) over the whole mirror.
func verifyRun(ctx context.Context, srcAddr, dstAddr string, n int) {
	const topic = "verify-src"
	createTopics(ctx, srcAddr, 8, topic)
	cl := client(srcAddr, kgo.DefaultProduceTopic(topic), kgo.ProducerBatchMaxBytes(1<<20),
		kgo.ProducerLinger(10*time.Millisecond), kgo.MaxBufferedRecords(100_000))
	var firstErr atomic.Value
	for i := range n {
		cl.Produce(ctx, &kgo.Record{
			Key:     fmt.Appendf(nil, "k%d", i),
			Value:   fmt.Appendf(nil, "%0100d", i),
			Headers: []kgo.RecordHeader{{Key: "h", Value: []byte("v")}},
		}, func(_ *kgo.Record, err error) {
			if err != nil {
				firstErr.CompareAndSwap(nil, err)
			}
		})
	}
	check(cl.Flush(ctx))
	cl.Close()
	if err, _ := firstErr.Load().(error); err != nil {
		check(err)
	}
	copyTook := engineRun(ctx, srcAddr, dstAddr, topic, "verify-mirror")

	scl, dcl := client(srcAddr), client(dstAddr)
	defer scl.Close()
	defer dcl.Close()
	c0 := cpuTime()
	start := time.Now()
	rep, err := verify.Mirror(ctx, verify.Side{Client: scl, Topic: topic}, verify.Side{Client: dcl, Topic: "verify-mirror"}, verify.Options{})
	check(err)
	took := time.Since(start)
	cpu := cpuTime() - c0
	fmt.Printf("\nproof of exactness: %d records of 100 B (8 partitions, key and header each), mirrored in %v\n", n, copyTook.Round(time.Millisecond))
	fmt.Printf("  verified in %v (%.0f records/s, %.2f s CPU both clusters included): equal %v, %d records compared\n",
		took.Round(time.Millisecond), float64(rep.RecordsCompared)/took.Seconds(), cpu.Seconds(), rep.Equal, rep.RecordsCompared)
}
