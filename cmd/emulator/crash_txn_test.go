package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// crashRounds is the number of rounds of TestSIGKILLDuringTransactionalCopying:
// LINKEMU_CRASH_ROUNDS (make soak sets 20), 3 by default.
func crashRounds(t *testing.T) int {
	if v := os.Getenv("LINKEMU_CRASH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("LINKEMU_CRASH_ROUNDS=%q: want a positive number", v)
		}
		return n
	}
	return 3
}

// TestSIGKILLDuringTransactionalCopying kills the emulator with SIGKILL
// while a mirror copies a backlog of interleaved transactions (three
// transactional producers, about 70% committed, plus plain lz4 records with
// keys, headers and timestamps), starts it again on the same data dir, and
// checks the mirror against the source record by record for
// read_uncommitted and read_committed consumers. Each round kills at a
// different point, the first ones early, while transactions are being
// copied. The last round also restarts cleanly (SIGTERM) and checks again:
// the brokers' snapshots must keep what the crash recovery found.
func TestSIGKILLDuringTransactionalCopying(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	rounds := crashRounds(t)
	// Round 0 kills 200 ms after the mirror was created; the others once
	// the mirror holds a growing fraction of the source's offsets.
	fractions := []float64{0.05, 0.2, 0.4, 0.6, 0.8, 0.95}
	for round := range rounds {
		at := 0.0
		if round > 0 {
			at = fractions[(round-1)%len(fractions)]
		}
		t.Run(fmt.Sprintf("round %d kill at %.0f%%", round, at*100), func(t *testing.T) {
			crashRound(t, bin, int64(round), at, round == rounds-1)
		})
	}
}

func crashRound(t *testing.T, bin string, seed int64, at float64, cleanRestart bool) {
	dir := t.TempDir()
	east, west := fmt.Sprintf("127.0.0.1:%d", freePort(t)), fmt.Sprintf("127.0.0.1:%d", freePort(t))
	// SASL_SSL on free ports: the default, plaintext + 1, may be taken.
	args := []string{"--http-addr", "127.0.0.1:0", "--data-dir", dir, "--embedded", "lkc-east=" + east, "--embedded", "lkc-west=" + west,
		"--sasl-ssl", "lkc-east=127.0.0.1:0", "--sasl-ssl", "lkc-west=127.0.0.1:0"}
	cmd, url := startBinary(t, bin, args...)

	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "orders", "partitions_count": 4}); st != 201 {
		t.Fatalf("create topic: %d %s", st, b)
	}
	produceTxnBacklog(t, east, "orders", seed)
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-west/links?link_name=east-to-west", map[string]any{"source_cluster_id": "lkc-east"}); st != 204 {
		t.Fatalf("create link: %d %s", st, b)
	}
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-west/links/east-to-west/mirrors", map[string]any{"source_topic_name": "orders"}); st != 204 {
		t.Fatalf("create mirror: %d %s", st, b)
	}
	src, dst := newClient(t, east), newClient(t, west)
	total := endOffsetSum(t, src, "orders")
	if at == 0 {
		time.Sleep(200 * time.Millisecond)
	} else {
		for deadline := time.Now().Add(30 * time.Second); endOffsetSum(t, dst, "orders") < int64(at*float64(total)) && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	t.Logf("SIGKILL with %d of %d offsets copied", endOffsetSum(t, dst, "orders"), total)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	cmd, url = startBinary(t, bin, args...)
	kafkatest.WaitExact(t, src, dst, "orders", "orders", 90*time.Second)
	if st, b := call(t, http.MethodGet, url+"/kafka/v3/clusters/lkc-west/links/east-to-west/mirrors/orders", nil); st != 200 || !bytes.Contains(b, []byte(`"mirror_status":"ACTIVE"`)) {
		t.Errorf("mirror after restart: %d %s", st, b)
	}
	if !cleanRestart {
		return
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	startBinary(t, bin, args...)
	kafkatest.WaitExact(t, src, dst, "orders", "orders", 60*time.Second)
}

// produceTxnBacklog writes interleaved transactions of three producers
// (about 70% committed) and plain lz4 records to every partition of topic.
func produceTxnBacklog(t *testing.T, bootstrap, topic string, seed int64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(seed), 13))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var txs []*kgo.Client
	for i := range 3 {
		txs = append(txs, newClient(t, bootstrap, kgo.TransactionalID(fmt.Sprintf("backlog-%d", i)),
			kgo.RecordPartitioner(kgo.ManualPartitioner()), kgo.ProducerLinger(0)))
	}
	plain := newClient(t, bootstrap, kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchCompression(kgo.Lz4Compression()), kgo.ProducerLinger(0))
	open := make([]bool, len(txs))
	ts := time.Now().Add(-time.Hour)
	n := 0
	record := func(p int32) *kgo.Record {
		n++
		ts = ts.Add(time.Millisecond)
		return &kgo.Record{
			Topic: topic, Partition: p, Timestamp: ts,
			Key:     fmt.Appendf(nil, "k%d", n%37),
			Value:   fmt.Appendf(nil, "value-%d-%d", n, rng.IntN(1000)),
			Headers: []kgo.RecordHeader{{Key: "n", Value: fmt.Appendf(nil, "%d", n)}},
		}
	}
	for step := range 600 {
		i := rng.IntN(len(txs) + 1)
		if i == len(txs) {
			recs := []*kgo.Record{record(int32(rng.IntN(4))), record(int32(rng.IntN(4)))}
			if err := plain.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				t.Fatalf("plain produce: %v", err)
			}
			continue
		}
		cl := txs[i]
		if !open[i] {
			if err := cl.BeginTransaction(); err != nil {
				t.Fatal(err)
			}
			open[i] = true
		}
		recs := make([]*kgo.Record, 1+rng.IntN(3))
		for j := range recs {
			recs[j] = record(int32(rng.IntN(4)))
		}
		if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
			t.Fatalf("transactional produce: %v", err)
		}
		if rng.IntN(4) == 0 || step >= 590 {
			if err := cl.EndTransaction(ctx, kgo.TransactionEndTry(rng.IntN(10) < 7)); err != nil {
				t.Fatalf("end transaction: %v", err)
			}
			open[i] = false
		}
	}
	for i, cl := range txs {
		if open[i] {
			if err := cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
				t.Fatalf("end transaction: %v", err)
			}
		}
	}
}
