// Command linkemu-bench measures the replication engine between two embedded
// kfake clusters (one broker each, loopback TCP, in this process) and prints,
// in one run:
//
//   - throughput (MB/s of record values, records/s) copying an 8-partition
//     topic of 1 KiB records, uncompressed and lz4, next to a tuned franz-go
//     consume→produce pipe between the same two brokers, and their ratio;
//   - end-to-end latency p50/p99 (produce on the source → readable on the
//     mirror) at a steady 1,000 records/s;
//   - time and peak heap for 500 mirror topics on one link to reach lag 0,
//     and the CPU the idle process uses afterwards;
//   - the REST API under 200 concurrent clients mixing reads and writes,
//     p50/p99 per route, plain and with a blackholed link present, paced
//     (5 requests/s per client, the latency targets) and saturated
//     (throughput), and the paced mix's worst read and write p99 at lower
//     loads (-rest-curve) (rest.go);
//   - one link carrying 1,000 mirror topics × 10 partitions through the
//     whole emulator: time to lag 0, peak heap, and a restart (scale.go).
//   - the time the proof of exactness (package verify) takes over a mirror
//     of 1 M records.
//
// Both clusters run in the process, so heap and CPU figures include them.
// -rest-duration, -rest-clients and -scale-topics make a quick run possible.
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/replication"
)

func main() {
	records := flag.Int("records", 100_000, "records per throughput run (1 KiB each, over 8 partitions)")
	repeat := flag.Int("repeat", 3, "throughput runs of each kind, alternating; the median is shown")
	rate := flag.Int("rate", 1000, "records per second for the latency run")
	latFor := flag.Duration("latency-duration", 10*time.Second, "length of the latency run")
	mirrors := flag.Int("mirrors", 500, "mirror topics for the engine-only scale run")
	verifyRecords := flag.Int("verify-records", 1_000_000, "records for the proof-of-exactness run")
	restClients := flag.Int("rest-clients", 200, "concurrent clients of the REST run")
	restFor := flag.Duration("rest-duration", 20*time.Second, "length of each REST run (plain, then with a blackholed link; paced, then saturated)")
	restRate := flag.Float64("rest-rate", 5, "requests per second of each client in the paced REST runs that the targets apply to")
	restCurve := flag.String("rest-curve", "1,2", "lower requests per second per client at which the paced runs are repeated, for the latency-against-load table; empty for none")
	scaleTopics := flag.Int("scale-topics", 1000, "mirror topics on one link for the scale run through the emulator")
	scaleParts := flag.Int("scale-partitions", 10, "partitions of each scale topic")
	scaleRecs := flag.Int("scale-records", 10, "records of 100 B per partition for the scale run")
	only := flag.String("only", "", "run only throughput, latency, mirrors, verify, rest or scale")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile := flag.String("memprofile", "", "write a heap profile to this file when the scale run reaches lag 0")
	restartProfile := flag.String("restart-cpuprofile", "", "write a CPU profile of the scale run's restart (close, start, resume) to this file; not with -cpuprofile")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	run := func(name string) bool { return *only == "" || *only == name }

	fmt.Printf("linkemu-bench %s, %s, GOMAXPROCS=%d, %d CPUs\n", time.Now().UTC().Format(time.RFC3339), runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	ctx := context.Background()
	if run("throughput") {
		withClusters(func(srcAddr, dstAddr string) { throughput(ctx, srcAddr, dstAddr, *records, *repeat) })
	}
	if run("latency") {
		var p50, p99, pmax time.Duration
		var n int
		withClusters(func(srcAddr, dstAddr string) { p50, p99, pmax, n = latencyRun(ctx, srcAddr, dstAddr, *rate, *latFor) })
		fmt.Printf("\nlatency at %d records/s for %v (%d records): p50 %v, p99 %v, max %v\n", *rate, *latFor, n, p50, p99, pmax)
	}
	if run("mirrors") {
		var took time.Duration
		var peak, base uint64
		var gor int
		var idleCPU float64
		withClusters(func(srcAddr, dstAddr string) {
			took, peak, base, gor, idleCPU = mirrorsRun(ctx, srcAddr, dstAddr, *mirrors)
		})
		fmt.Printf("\n%d mirror topics (1 partition, 100 records of 100 B each): lag 0 after %v\n", *mirrors, took)
		fmt.Printf("  heap in use: %.1f MiB before the worker, peak %.1f MiB while catching up (both clusters included)\n", mib(base), mib(peak))
		fmt.Printf("  goroutines once caught up: %d; idle CPU over 3s after: %.1f%% of one core\n", gor, idleCPU)
	}
	if run("verify") {
		withClusters(func(srcAddr, dstAddr string) { verifyRun(ctx, srcAddr, dstAddr, *verifyRecords) })
	}
	if run("rest") {
		rates, err := parseRates(*restCurve)
		check(err)
		var curve []restPoint
		for _, load := range []restLoad{{*restClients, *restRate, *restFor}, {*restClients, 0, *restFor}} {
			plain, black := restPair(ctx, load)
			printREST(load, load.rate > 0, plain, black)
			if load.rate > 0 {
				curve = append(curve, restPoint{load, plain, black})
			}
		}
		for _, r := range rates {
			load := restLoad{*restClients, r, *restFor}
			plain, black := restPair(ctx, load)
			curve = append(curve, restPoint{load, plain, black})
		}
		printCurve(curve)
	}
	if run("scale") {
		printScale(scaleRun(ctx, *scaleTopics, *scaleParts, *scaleRecs, *memProfile, *restartProfile))
	}
}

func throughput(ctx context.Context, srcAddr, dstAddr string, records, repeat int) {
	fmt.Printf("\nthroughput: 8 partitions, %d records of 1 KiB; median of %d alternating runs each\n", records, repeat)
	fmt.Println("(MB/s of record values; CPU: seconds of process CPU per run, both clusters included)")
	fmt.Printf("%-6s %12s %12s %10s %12s %12s %10s %7s\n", "codec", "engine MB/s", "engine rec/s", "engine CPU", "pipe MB/s", "pipe rec/s", "pipe CPU", "ratio")
	for _, c := range []struct {
		name  string
		codec kgo.CompressionCodec
	}{{"none", kgo.NoCompression()}, {"lz4", kgo.Lz4Compression()}} {
		topic := "tp-" + c.name
		fill(ctx, srcAddr, topic, records, c.codec)
		var eng, pipe, engCPU, pipeCPU []time.Duration
		for i := range repeat {
			c0 := cpuTime()
			eng = append(eng, engineRun(ctx, srcAddr, dstAddr, topic, fmt.Sprintf("engine-%d-%s", i, topic)))
			c1 := cpuTime()
			pipe = append(pipe, pipeRun(ctx, srcAddr, dstAddr, topic, fmt.Sprintf("pipe-%d-%s", i, topic), records, c.codec))
			c2 := cpuTime()
			engCPU, pipeCPU = append(engCPU, c1-c0), append(pipeCPU, c2-c1)
		}
		e, p := median(eng), median(pipe)
		mb := func(d time.Duration) float64 { return float64(records) * 1024 / d.Seconds() / 1e6 }
		rs := func(d time.Duration) float64 { return float64(records) / d.Seconds() }
		fmt.Printf("%-6s %12.1f %12.0f %9.2fs %12.1f %12.0f %9.2fs %7.2f\n", c.name,
			mb(e), rs(e), median(engCPU).Seconds(), mb(p), rs(p), median(pipeCPU).Seconds(), p.Seconds()/e.Seconds())
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// cpuTime returns the CPU time the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// withClusters runs fn on a fresh pair of clusters, closed afterwards.
func withClusters(fn func(srcAddr, dstAddr string)) {
	src, err := kfake.NewCluster(kfake.NumBrokers(1))
	check(err)
	dst, err := kfake.NewCluster(kfake.NumBrokers(1))
	check(err)
	fn(src.ListenAddrs()[0], dst.ListenAddrs()[0])
	src.Close()
	dst.Close()
	runtime.GC()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "linkemu-bench:", err)
		os.Exit(1)
	}
}

func client(addr string, opts ...kgo.Opt) *kgo.Client {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr)}, opts...)...)
	check(err)
	return cl
}

func createTopics(ctx context.Context, addr string, partitions int32, topics ...string) {
	cl := client(addr)
	defer cl.Close()
	for chunk := range slices.Chunk(topics, 100) {
		resps, err := kadm.NewClient(cl).CreateTopics(ctx, partitions, 1, nil, chunk...)
		check(err)
		check(resps.Error())
	}
}

// value returns a 1 KiB value that compresses about as much as text.
func value(rng *rand.Rand, i int) []byte {
	const words = "replication mirror offset batch record partition broker leader topic link "
	v := fmt.Appendf(make([]byte, 0, 1024), "%08d:", i)
	for len(v) < 1024 {
		if rng.IntN(4) == 0 {
			v = append(v, byte('a'+rng.IntN(26)))
		} else {
			w := rng.IntN(len(words) - 8)
			v = append(v, words[w:w+8]...)
		}
	}
	return v[:1024]
}

// fill produces n records to an 8-partition topic with a throughput-tuned
// producer: the batches the engine then forwards.
func fill(ctx context.Context, addr, topic string, n int, codec kgo.CompressionCodec) {
	createTopics(ctx, addr, 8, topic)
	cl := client(addr, kgo.DefaultProduceTopic(topic), kgo.ProducerBatchCompression(codec),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.ProducerLinger(10*time.Millisecond), kgo.MaxBufferedRecords(100_000))
	defer cl.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	var firstErr atomic.Value
	for i := range n {
		cl.Produce(ctx, &kgo.Record{Key: fmt.Appendf(nil, "k%d", i), Value: value(rng, i)}, func(_ *kgo.Record, err error) {
			if err != nil {
				firstErr.CompareAndSwap(nil, err)
			}
		})
	}
	check(cl.Flush(ctx))
	if err, _ := firstErr.Load().(error); err != nil {
		check(err)
	}
}

func endOffsets(ctx context.Context, adm *kadm.Client, topics ...string) map[string]int64 {
	ends, err := adm.ListEndOffsets(ctx, topics...)
	check(err)
	out := make(map[string]int64)
	ends.Each(func(o kadm.ListedOffset) { out[o.Topic] += o.Offset })
	return out
}

// waitCopied waits until every topic's summed end offsets on dst equal
// want's.
func waitCopied(ctx context.Context, dst *kadm.Client, want map[string]int64, every time.Duration) {
	topics := make([]string, 0, len(want))
	for t := range want {
		topics = append(topics, t)
	}
	for {
		got := endOffsets(ctx, dst, topics...)
		done := true
		for t, w := range want {
			if got[t] != w {
				done = false
				break
			}
		}
		if done {
			return
		}
		time.Sleep(every)
	}
}

func newWorker(srcAddr, dstAddr string) (*replication.Worker, func()) {
	scl, dcl := client(srcAddr), client(dstAddr)
	w := replication.New(replication.Config{
		LinkName: "bench", ClusterLinkID: "bench", Store: replication.NewMemoryStore(),
		Source: scl, Dest: dcl, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return w, func() { w.Stop(); scl.Close(); dcl.Close() }
}

// engineRun mirrors topic to mirror with a worker, from its start to the
// last offset.
func engineRun(ctx context.Context, srcAddr, dstAddr, topic, mirror string) time.Duration {
	createTopics(ctx, dstAddr, 8, mirror)
	scl, dcl := client(srcAddr), client(dstAddr)
	defer scl.Close()
	defer dcl.Close()
	sadm, dadm := kadm.NewClient(scl), kadm.NewClient(dcl)
	want := endOffsets(ctx, sadm, topic)[topic]
	w, stop := newWorker(srcAddr, dstAddr)
	defer stop()
	w.SetMirrors([]replication.Mirror{{Name: mirror, SourceTopic: topic}})
	start := time.Now()
	check(w.Start(ctx))
	// Poll the worker's status rather than the destination broker, which
	// the copy keeps busy: its log end offsets come from acks=-1 produce
	// responses.
	for {
		st, _ := w.Status(mirror)
		var copied int64
		for _, p := range st.Partitions {
			copied += max(0, p.LogEndOffset)
		}
		if copied == want {
			break
		}
		time.Sleep(time.Millisecond)
	}
	took := time.Since(start)
	waitCopied(ctx, dadm, map[string]int64{mirror: want}, time.Millisecond) // confirm
	return took
}

// pipeRun copies topic to dstTopic with a franz-go consumer feeding a
// franz-go producer, both tuned for throughput, keeping partitions.
func pipeRun(ctx context.Context, srcAddr, dstAddr, topic, dstTopic string, n int, codec kgo.CompressionCodec) time.Duration {
	createTopics(ctx, dstAddr, 8, dstTopic)
	parts := make(map[int32]kgo.Offset)
	for p := range int32(8) {
		parts[p] = kgo.NewOffset().AtStart()
	}
	// The fastest settings found on kfake: small fetches interleave with
	// the produces, 5ms of linger fills 1 MiB batches.
	cons := client(srcAddr, kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: parts}),
		kgo.FetchMaxBytes(8<<20), kgo.FetchMaxPartitionBytes(1<<20), kgo.FetchMaxWait(100*time.Millisecond))
	defer cons.Close()
	prod := client(dstAddr, kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerBatchCompression(codec),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.ProducerLinger(5*time.Millisecond), kgo.MaxBufferedRecords(200_000))
	defer prod.Close()
	var acked atomic.Int64
	done := make(chan struct{})
	start := time.Now()
	for read := 0; read < n; {
		fs := cons.PollFetches(ctx)
		check(fs.Err0())
		fs.EachRecord(func(r *kgo.Record) {
			read++
			out := &kgo.Record{Topic: dstTopic, Partition: r.Partition, Key: r.Key, Value: r.Value, Headers: r.Headers, Timestamp: r.Timestamp}
			prod.Produce(ctx, out, func(_ *kgo.Record, err error) {
				check(err)
				if acked.Add(1) == int64(n) {
					close(done)
				}
			})
		})
	}
	<-done
	return time.Since(start)
}

// latencyRun produces at a steady rate to a mirrored topic and measures,
// for each record, the time from its produce call to its arrival at a
// consumer of the mirror.
func latencyRun(ctx context.Context, srcAddr, dstAddr string, rate int, d time.Duration) (p50, p99, pmax time.Duration, n int) {
	const topic = "latency"
	createTopics(ctx, srcAddr, 8, topic)
	createTopics(ctx, dstAddr, 8, topic)
	w, stop := newWorker(srcAddr, dstAddr)
	defer stop()
	w.SetMirrors([]replication.Mirror{{Name: topic, SourceTopic: topic}})
	check(w.Start(ctx))
	for st, ok := w.Status(topic); !ok || len(st.Partitions) < 8; st, ok = w.Status(topic) {
		time.Sleep(10 * time.Millisecond)
	}

	parts := make(map[int32]kgo.Offset)
	for p := range int32(8) {
		parts[p] = kgo.NewOffset().AtStart()
	}
	cons := client(dstAddr, kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: parts}), kgo.FetchMaxWait(time.Second))
	defer cons.Close()
	prod := client(srcAddr, kgo.DefaultProduceTopic(topic), kgo.ProducerLinger(0))
	defer prod.Close()

	total := int(d.Seconds() * float64(rate))
	var mu sync.Mutex
	lats := make([]time.Duration, 0, total)
	recvDone := make(chan struct{})
	go func() {
		defer close(recvDone)
		for len(lats) < total {
			fs := cons.PollFetches(ctx)
			now := time.Now()
			fs.EachRecord(func(r *kgo.Record) {
				sent := int64(binary.BigEndian.Uint64(r.Headers[0].Value))
				mu.Lock()
				lats = append(lats, now.Sub(time.Unix(0, sent)))
				mu.Unlock()
			})
		}
	}()
	rng := rand.New(rand.NewPCG(3, 4))
	tick := time.NewTicker(time.Second / time.Duration(rate))
	for i := range total {
		<-tick.C
		hdr := binary.BigEndian.AppendUint64(nil, uint64(time.Now().UnixNano()))
		prod.Produce(ctx, &kgo.Record{Value: value(rng, i), Headers: []kgo.RecordHeader{{Key: "sent", Value: hdr}}}, func(_ *kgo.Record, err error) { check(err) })
	}
	tick.Stop()
	// A record can reach the mirror's consumer before its produce response
	// reaches the producer: flush, or closing the producer fails it.
	check(prod.Flush(ctx))
	<-recvDone
	slices.Sort(lats)
	q := func(f float64) time.Duration { return lats[int(f*float64(len(lats)-1))] }
	return q(0.5), q(0.99), lats[len(lats)-1], len(lats)
}

// mirrorsRun mirrors n small topics on one link and reports how long they
// take to reach lag 0, the peak heap meanwhile, and the idle CPU after.
func mirrorsRun(ctx context.Context, srcAddr, dstAddr string, n int) (took time.Duration, peak, base uint64, goroutines int, idleCPU float64) {
	topics := make([]string, n)
	for i := range topics {
		topics[i] = fmt.Sprintf("m-%04d", i)
	}
	createTopics(ctx, srcAddr, 1, topics...)
	createTopics(ctx, dstAddr, 1, topics...)
	prod := client(srcAddr)
	var recs []*kgo.Record
	for _, t := range topics {
		for i := range 100 {
			recs = append(recs, &kgo.Record{Topic: t, Value: fmt.Appendf(nil, "%0100d", i)})
		}
	}
	check(prod.ProduceSync(ctx, recs...).FirstErr())
	prod.Close()
	want := make(map[string]int64, n)
	for _, t := range topics {
		want[t] = 100
	}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak = ms.HeapInuse, ms.HeapInuse
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}()

	w, stop := newWorker(srcAddr, dstAddr)
	defer stop()
	ms2 := make([]replication.Mirror, n)
	for i, t := range topics {
		ms2[i] = replication.Mirror{Name: t, SourceTopic: t}
	}
	w.SetMirrors(ms2)
	start := time.Now()
	check(w.Start(ctx))
	dadm := kadm.NewClient(client(dstAddr))
	waitCopied(ctx, dadm, want, 20*time.Millisecond)
	took = time.Since(start)
	close(stopSampling)
	<-sampled
	goroutines = runtime.NumGoroutine()

	c0, t0 := cpuTime(), time.Now()
	time.Sleep(3 * time.Second)
	idleCPU = 100 * float64(cpuTime()-c0) / float64(time.Since(t0))
	return took, peak, base, goroutines, idleCPU
}
