package emulator_test

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu/emulator"
)

// TestFullDiskIsReported fills the emulator's data dir (a small tmpfs, or,
// where none can be mounted, write failures injected into lkc-west's data
// dir): /readyz answers 503 naming the storage failure, the embedded
// broker answers producers KAFKA_STORAGE_ERROR, a REST write answers a
// Confluent error saying the disk is full, and everything recovers once
// space returns.
func TestFullDiskIsReported(t *testing.T) {
	dir := t.TempDir()
	tmpfs := exec.Command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", dir).Run() == nil
	if tmpfs {
		t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	} else {
		t.Log("no tmpfs: injecting write failures into lkc-west's data dir")
	}
	var full atomic.Bool
	fault := func(string, string) error {
		if full.Load() {
			return syscall.ENOSPC
		}
		return nil
	}
	emu := start(t, emulator.Options{DataDir: dir, Embedded: []emulator.EmbeddedSpec{
		{ID: "lkc-east"}, {ID: "lkc-west", StorageFault: fault},
	}})
	rest := newREST(t, emu.RESTURL)
	rest.must(http.StatusCreated, http.MethodPost, "/kafka/v3/clusters/lkc-west/topics", map[string]any{"topic_name": "plain", "partitions_count": 1})
	west, _ := emu.Cluster("lkc-west")
	cl, err := kgo.NewClient(kgo.SeedBrokers(west.Bootstrap))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	full.Store(true)
	ballast := filepath.Join(dir, "ballast")
	if tmpfs {
		fillDisk(t, ballast)
	}
	if code := produceRaw(t, cl, "plain", 64<<10); code != kerr.KafkaStorageError.Code {
		t.Errorf("produce to lkc-west with a full disk: error %v, want KAFKA_STORAGE_ERROR", kerr.ErrorForCode(code))
	}
	st, body := rest.do(http.MethodGet, "/readyz", nil)
	checks, _ := body["checks"].(map[string]any)
	if st != http.StatusServiceUnavailable || !strings.Contains(checks["storage lkc-west"].(string), "no space left") {
		t.Errorf("/readyz with a full disk: %d %v", st, body)
	}
	if tmpfs {
		big := strings.Repeat("x", 900<<10) // under the 1 MiB body cap
		st, body := rest.do(http.MethodPost, "/kafka/v3/clusters/lkc-west/links?link_name=l", map[string]any{
			"source_cluster_id": "lkc-east", "configs": []map[string]any{{"name": "consumer.offset.group.filters", "value": `{"groupFilters":[{"name":"` + big + `","patternType":"LITERAL","filterType":"INCLUDE"}]}`}},
		})
		if st != http.StatusInternalServerError || body["error_code"] != float64(50003) || !strings.Contains(body["message"].(string), "is full") {
			t.Errorf("REST write with a full disk: %d %v", st, body)
		}
	}

	full.Store(false)
	if tmpfs {
		if err := os.Remove(ballast); err != nil {
			t.Fatal(err)
		}
	}
	if code := produceRaw(t, cl, "plain", 100); code != 0 {
		t.Errorf("produce once space returned: %v", kerr.ErrorForCode(code))
	}
	eventually(t, "/readyz 200 once space returned", func() bool {
		st, _ := rest.do(http.MethodGet, "/readyz", nil)
		return st == http.StatusOK
	})
}

func fillDisk(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, n := range []int{64 << 10, 4096, 1} {
		buf := make([]byte, n)
		for {
			if _, err := f.Write(buf); err != nil {
				break
			}
		}
	}
}

// produceRaw produces one record of size bytes to partition 0 of topic and
// returns the partition's error code.
func produceRaw(t *testing.T, cl *kgo.Client, topic string, size int) int16 {
	t.Helper()
	rec := &kgo.Record{Topic: topic, Value: []byte(strings.Repeat("v", size))}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// One attempt: kgo would retry a retriable error until it succeeds.
	req := kmsg.NewPtrProduceRequest()
	req.Acks = -1
	req.TimeoutMillis = 5000
	mreq := kmsg.NewPtrMetadataRequest()
	mt := kmsg.NewMetadataRequestTopic()
	mt.Topic = kmsg.StringPtr(topic)
	mreq.Topics = append(mreq.Topics, mt)
	mresp, err := mreq.RequestWith(ctx, cl)
	if err != nil || len(mresp.Topics) != 1 {
		t.Fatalf("metadata of %s: %v", topic, err)
	}
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.TopicID = topic, mresp.Topics[0].TopicID
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Records = encodeOne(rec)
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Topics[0].Partitions[0].ErrorCode
}

// encodeOne encodes rec as a one-record batch (magic 2, no compression).
func encodeOne(rec *kgo.Record) []byte {
	r := kmsg.Record{Value: rec.Value}
	r.Length = int32(len(r.AppendTo(nil)) - 1)
	for len(r.AppendTo(nil))-varintLen(r.Length) != int(r.Length) {
		r.Length = int32(len(r.AppendTo(nil)) - varintLen(r.Length))
	}
	b := kmsg.RecordBatch{Magic: 2, ProducerID: -1, ProducerEpoch: -1, FirstSequence: -1, NumRecords: 1, Records: r.AppendTo(nil)}
	enc := b.AppendTo(nil)
	b.Length = int32(len(enc) - 12)
	enc = b.AppendTo(nil)
	b.CRC = int32(crc32.Checksum(enc[21:], crc32.MakeTable(crc32.Castagnoli)))
	return b.AppendTo(nil)
}

func varintLen(v int32) int { return len(binary.AppendVarint(nil, int64(v))) }
