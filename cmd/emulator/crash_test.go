package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// freePort returns a loopback port nobody uses now, nor the port above it,
// where an embedded cluster's SASL_SSL listener goes by default, and neither
// next to a port handed out before: a busy machine's outgoing connections
// took that neighbour often enough to fail a start now and then.
func freePort(t *testing.T) int {
	t.Helper()
	portsMu.Lock()
	defer portsMu.Unlock()
	for range 100 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := ln.Addr().(*net.TCPAddr).Port
		up, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+1))
		ln.Close()
		if err != nil {
			continue
		}
		up.Close()
		if portsGiven[p-1] || portsGiven[p] || portsGiven[p+1] {
			continue
		}
		portsGiven[p] = true
		return p
	}
	t.Fatal("no free pair of loopback ports")
	return 0
}

var (
	portsMu    sync.Mutex
	portsGiven = map[int]bool{}
)

func call(t *testing.T, method, url string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// TestSIGKILLMidStreamKeepsTheMirrorExact kills the emulator with SIGKILL
// while a mirror is catching up with a large backlog, starts it again on the
// same data dir, and checks the mirror ends exactly equal to its source: no
// record lost, none duplicated, every offset the same.
func TestSIGKILLMidStreamKeepsTheMirrorExact(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	east, west := fmt.Sprintf("127.0.0.1:%d", freePort(t)), fmt.Sprintf("127.0.0.1:%d", freePort(t))
	// SASL_SSL on free ports: the default, plaintext + 1, may be the other
	// cluster's free port.
	args := []string{"--http-addr", "127.0.0.1:0", "--data-dir", dir, "--embedded", "lkc-east=" + east, "--embedded", "lkc-west=" + west,
		"--sasl-ssl", "lkc-east=127.0.0.1:0", "--sasl-ssl", "lkc-west=127.0.0.1:0"}
	cmd, url := startBinary(t, bin, args...)

	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "orders", "partitions_count": 4}); st != 201 {
		t.Fatalf("create topic: %d %s", st, b)
	}
	src := newClient(t, east, kgo.ProducerBatchCompression(kgo.Lz4Compression()), kgo.ProducerLinger(2*time.Millisecond))
	kafkatest.Produce(t, src, "orders", kafkatest.WithHeaders(kafkatest.Keyed(5000, 101))...)
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-west/links?link_name=east-to-west", map[string]any{"source_cluster_id": "lkc-east"}); st != 204 {
		t.Fatalf("create link: %d %s", st, b)
	}
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-west/links/east-to-west/mirrors", map[string]any{"source_topic_name": "orders"}); st != 204 {
		t.Fatalf("create mirror: %d %s", st, b)
	}
	// Keep producing through the crash, so replication is mid-stream when
	// the kill comes. The producer retries while the brokers are down.
	stop := make(chan struct{})
	produced := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		for i := 0; ; i++ {
			select {
			case <-stop:
				produced <- nil
				return
			default:
			}
			recs := kafkatest.Keyed(50, 13)
			for _, r := range recs {
				r.Topic = "orders"
			}
			if err := src.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				produced <- err
				return
			}
		}
	}()
	dst := newClient(t, west)
	deadline := time.Now().Add(30 * time.Second)
	for endOffsetSum(t, dst, "orders") < 3000 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("SIGKILL with %d records on the mirror and the source still growing", endOffsetSum(t, dst, "orders"))
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	_, url = startBinary(t, bin, args...)
	time.Sleep(500 * time.Millisecond) // let the producer write to the restarted brokers
	close(stop)
	if err := <-produced; err != nil {
		t.Fatalf("producer: %v", err)
	}
	kafkatest.WaitExact(t, src, dst, "orders", "orders", 60*time.Second)
	if st, b := call(t, http.MethodGet, url+"/kafka/v3/clusters/lkc-west/links/east-to-west/mirrors/orders", nil); st != 200 || !bytes.Contains(b, []byte(`"mirror_status":"ACTIVE"`)) {
		t.Errorf("mirror after restart: %d %s", st, b)
	}
}

func newClient(t *testing.T, bootstrap string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(bootstrap)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// endOffsetSum returns the sum of a topic's partition end offsets, -1 when
// they cannot be read.
func endOffsetSum(t *testing.T, cl *kgo.Client, topic string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err != nil || ends.Error() != nil {
		return -1
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n
}
