package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/emulator"
)

// The scale section runs one link carrying many mirror topics of several
// partitions each through the whole emulator: mirrors created over REST,
// the time until every partition's lag is 0, the peak heap (both embedded
// clusters included: they run in this process), and a restart of the
// emulator on the same data: the time until every mirror is ACTIVE again,
// and until new records reach every mirror.

// scaleResult holds the figures of the scale section.
type scaleResult struct {
	topics, partitions int
	created            time.Duration // creating every mirror over REST
	lagZero            time.Duration // from the first mirror create to lag 0 everywhere
	baseHeap, peakHeap uint64
	closeTook          time.Duration
	startTook          time.Duration // emulator.Start on the same data
	allActive          time.Duration // from Start to every mirror ACTIVE over REST
	resumed            time.Duration // from Start to a new record on every mirror
}

// heapSampler records the peak heap in use until stopped.
type heapSampler struct {
	mu   sync.Mutex
	peak uint64
	stop chan struct{}
	done chan struct{}
}

func sampleHeap() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				h.mu.Lock()
				h.peak = max(h.peak, ms.HeapInuse)
				h.mu.Unlock()
			}
		}
	}()
	return h
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	<-h.done
	return h.peak
}

// freePorts returns n ports that are free together with the port above
// each, which an embedded cluster's SASL_SSL listener takes: two ports the
// kernel hands out one after the other are often adjacent, and a cluster's
// SASL_SSL port then was the other cluster's plaintext port.
func freePorts(n int) []int {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	var ports []int
	for len(ports) < n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		check(err)
		lns = append(lns, ln)
		p := ln.Addr().(*net.TCPAddr).Port
		if p == 65535 {
			continue
		}
		if up, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+1)); err == nil {
			lns = append(lns, up)
			ports = append(ports, p)
		}
	}
	return ports
}

func scaleRun(ctx context.Context, topics, partitions, perPartition int, memProfile, restartProfile string) scaleResult {
	res := scaleResult{topics: topics, partitions: partitions}
	dir, err := os.MkdirTemp("", "linkemu-bench-scale-")
	check(err)
	defer os.RemoveAll(dir)
	ports := freePorts(2)
	opts := emulator.Options{DataDir: dir, Embedded: emulator.DefaultEmbedded(ports[0], ports[1])}
	emu, err := emulator.Start(ctx, opts)
	check(err)
	east, _ := emu.Cluster("lkc-east")
	west, _ := emu.Cluster("lkc-west")

	names := make([]string, topics)
	for i := range names {
		names[i] = fmt.Sprintf("scale-%04d", i)
	}
	createTopics(ctx, east.Bootstrap, int32(partitions), names...)
	fillScale(ctx, east.Bootstrap, names, partitions, perPartition)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.baseHeap = ms.HeapInuse
	heap := sampleHeap()

	c := newRESTClient(emu.RESTURL, 32)
	const linksPath = "/kafka/v3/clusters/lkc-west/links"
	start := time.Now()
	c.must(ctx, "POST", linksPath+"?link_name=scale", `{"source_cluster_id":"lkc-east"}`, 204)
	parallel(16, names, func(n string) {
		c.must(ctx, "POST", linksPath+"/scale/mirrors", fmt.Sprintf(`{"source_topic_name":%q}`, n), 204)
	})
	res.created = time.Since(start)
	sadm, dadm := kadm.NewClient(client(east.Bootstrap)), kadm.NewClient(client(west.Bootstrap))
	want := endOffsets(ctx, sadm, names...)
	waitCopied(ctx, dadm, want, 100*time.Millisecond)
	res.lagZero = time.Since(start)
	res.peakHeap = heap.finish()
	if memProfile != "" {
		f, err := os.Create(memProfile)
		check(err)
		check(pprof.WriteHeapProfile(f))
		f.Close()
	}

	if restartProfile != "" {
		f, err := os.Create(restartProfile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	t0 := time.Now()
	closeWithin(emu, time.Minute)
	res.closeTook = time.Since(t0)
	runtime.GC()

	t0 = time.Now()
	emu, err = emulator.Start(ctx, opts)
	check(err)
	defer closeWithin(emu, time.Minute)
	res.startTook = time.Since(t0)
	c = newRESTClient(emu.RESTURL, 4)
	for !allActive(ctx, c, linksPath+"/scale/mirrors", topics) {
		time.Sleep(5 * time.Millisecond)
	}
	res.allActive = time.Since(t0)
	// One new record on every source topic: replication has resumed when
	// every mirror has it.
	prod := client(east.Bootstrap)
	recs := make([]*kgo.Record, 0, topics)
	for _, n := range names {
		recs = append(recs, &kgo.Record{Topic: n, Value: []byte("after restart")})
	}
	check(prod.ProduceSync(ctx, recs...).FirstErr())
	prod.Close()
	sadm, dadm = kadm.NewClient(client(east.Bootstrap)), kadm.NewClient(client(west.Bootstrap))
	waitCopied(ctx, dadm, endOffsets(ctx, sadm, names...), 20*time.Millisecond)
	res.resumed = time.Since(t0)
	return res
}

// fillScale writes perPartition records of 100 B to every partition.
func fillScale(ctx context.Context, addr string, names []string, partitions, perPartition int) {
	cl := client(addr, kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerLinger(5*time.Millisecond), kgo.MaxBufferedRecords(1_000_000))
	defer cl.Close()
	var first error
	var mu sync.Mutex
	for _, n := range names {
		for p := range partitions {
			for i := range perPartition {
				cl.Produce(ctx, &kgo.Record{Topic: n, Partition: int32(p), Value: fmt.Appendf(nil, "%0100d", i)}, func(_ *kgo.Record, err error) {
					if err != nil {
						mu.Lock()
						first = err
						mu.Unlock()
					}
				})
			}
		}
	}
	check(cl.Flush(ctx))
	check(first)
}

// parallel runs fn on every item with n goroutines.
func parallel(n int, items []string, fn func(string)) {
	ch := make(chan string)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range ch {
				fn(it)
			}
		}()
	}
	for _, it := range items {
		ch <- it
	}
	close(ch)
	wg.Wait()
}

// allActive reports whether the link lists want mirrors, all ACTIVE.
func allActive(ctx context.Context, c *restClient, path string, want int) bool {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	check(err)
	resp, err := c.hc.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return false
	}
	var list struct {
		Data []struct {
			MirrorStatus string `json:"mirror_status"`
		} `json:"data"`
	}
	if json.NewDecoder(resp.Body).Decode(&list) != nil || len(list.Data) != want {
		return false
	}
	for _, m := range list.Data {
		if m.MirrorStatus != "ACTIVE" {
			return false
		}
	}
	return true
}

func printScale(r scaleResult) {
	fmt.Printf("\nscale: one link, %d mirror topics × %d partitions (%d partitions), through REST\n", r.topics, r.partitions, r.topics*r.partitions)
	fmt.Printf("  mirrors created over REST (16 at a time): %v; lag 0 everywhere after %v\n", r.created.Round(time.Millisecond), r.lagZero.Round(time.Millisecond))
	fmt.Printf("  heap in use: %.1f MiB before the link, peak %.1f MiB until lag 0 (both clusters included; target ≤ 400 MiB)\n", mib(r.baseHeap), mib(r.peakHeap))
	fmt.Printf("  restart: close %v; start %v; every mirror ACTIVE %v after start (target ≤ 1 s); a new record on every mirror %v after start\n",
		r.closeTook.Round(time.Millisecond), r.startTook.Round(time.Millisecond), r.allActive.Round(time.Millisecond), r.resumed.Round(time.Millisecond))
}
