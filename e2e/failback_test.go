package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kgo"
)

// bidiLab is an emulator with an unprefixed bidirectional link "dr" between
// lkc-east and lkc-west, offset sync on for every group on both sides.
type bidiLab struct {
	*lab
}

func newBidiLab(t *testing.T) *bidiLab {
	t.Helper()
	return newBidiLabWith(t, emulator.Options{})
}

// newBidiLabWith is newBidiLab with emulator options.
func newBidiLabWith(t *testing.T, opts emulator.Options) *bidiLab {
	t.Helper()
	env := apitest.Start(t, opts)
	l := &lab{Env: env, east: client(t, env.Bootstrap("lkc-east")), west: client(t, env.Bootstrap("lkc-west"))}
	cfgs := []map[string]string{
		{"name": "link.mode", "value": "BIDIRECTIONAL"},
		{"name": "consumer.offset.sync.enable", "value": "true"},
		{"name": "consumer.offset.sync.ms", "value": "1000"},
		{"name": "consumer.offset.group.filters", "value": `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`},
	}
	for _, side := range [][2]string{{"lkc-east", "lkc-west"}, {"lkc-west", "lkc-east"}} {
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath(side[0], "/links?link_name=dr"), map[string]any{"remote_cluster_id": side[1], "configs": cfgs})
	}
	return &bidiLab{l}
}

func (b *bidiLab) act(t *testing.T, cluster, action string, query string, names ...string) []map[string]any {
	t.Helper()
	r := b.mustStatus(t, 200, http.MethodPost, apitest.ClusterPath(cluster, "/links/dr/mirrors:"+action+query), map[string]any{"mirror_topic_names": names})
	apitest.ValidateSpec(t, r)
	var body struct {
		Data []map[string]any `json:"data"`
	}
	r.JSON(t, &body)
	return body.Data
}

func (b *bidiLab) mirrorOn(t *testing.T, cluster, name string) map[string]any {
	t.Helper()
	r := b.Do(http.MethodGet, apitest.ClusterPath(cluster, "/links/dr/mirrors/", name), nil)
	if r.Status != 200 {
		return nil
	}
	return r.Map(t)
}

func (b *bidiLab) waitMirror(t *testing.T, cluster, name, status string) {
	t.Helper()
	apitest.Eventually(t, apitest.Timeout, cluster+" "+name+" "+status, func() bool {
		m := b.mirrorOn(t, cluster, name)
		return m != nil && m["mirror_status"] == status
	})
}

// consumeNext joins group on the cluster at bootstrap and returns the values
// of the next n records it reads on topic.
func consumeNext(t *testing.T, bootstrap, group, topic string, n int) []string {
	t.Helper()
	cl := client(t, bootstrap, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	var out []string
	for len(out) < n {
		fs := cl.PollRecords(ctx, n-len(out))
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records of %s: %v", len(out), n, topic, ctx.Err())
		}
		fs.EachRecord(func(r *kgo.Record) { out = append(out, string(r.Value)) })
	}
	if err := cl.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatal(err)
	}
	cl.Close()
	return out
}

func values(prefix string, from, to int) []*kgo.Record {
	var out []*kgo.Record
	for i := from; i < to; i++ {
		out = append(out, &kgo.Record{Key: []byte("k"), Value: []byte(prefix + itoa(i))})
	}
	return out
}

func itoa(i int) string {
	return string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

// TestActivePassiveFailoverAndFailback runs the whole DR playbook on one
// topic: mirror east to west, take east down, fail over, move producers and
// consumers to west, bring east back, truncate-and-restore east and reverse
// the mirror, and check every step's data.
func TestActivePassiveFailoverAndFailback(t *testing.T) {
	b := newBidiLab(t)
	b.topic(t, "orders", 1)
	kafkatest.Produce(t, b.east, "orders", values("e", 0, 50)...)
	b.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/dr/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, b.east, b.west, "orders", "orders", apitest.Timeout)

	// A consumer reads 30 records on east; offset sync carries its position.
	if got := consumeNext(t, b.Bootstrap("lkc-east"), "cg", "orders", 30); got[0] != "e000" || got[29] != "e029" {
		t.Fatalf("consumer on east read %v..%v", got[0], got[29])
	}
	apitest.Eventually(t, apitest.Timeout, "offsets synced to west", func() bool {
		r := b.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/consumer-groups/cg/lags/orders/partitions/0"), nil)
		return r.Status == 200 && r.Map(t)["current_offset"] == float64(30)
	})

	// Records the mirror never gets: the link is paused when they land.
	b.act(t, "lkc-west", "pause", "", "orders")
	b.waitMirror(t, "lkc-west", "orders", "PAUSED")
	kafkatest.Produce(t, b.east, "orders", values("lost", 0, 10)...)

	// Outage of east.
	b.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:stop", nil)
	apitest.Eventually(t, apitest.Timeout, "link UNAVAILABLE", func() bool {
		return b.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/dr"), nil).Map(t)["link_state"] == "UNAVAILABLE"
	})
	b.act(t, "lkc-west", "resume", "", "orders")
	b.waitMirror(t, "lkc-west", "orders", "SOURCE_UNAVAILABLE")
	if res := b.act(t, "lkc-west", "promote", "", "orders"); res[0]["error_code"] == nil {
		t.Fatalf("promote with the source down: %v", res[0])
	}
	if res := b.act(t, "lkc-west", "failover", "", "orders"); res[0]["error_code"] != nil {
		t.Fatalf("failover: %v", res[0])
	}
	b.waitMirror(t, "lkc-west", "orders", "STOPPED")

	// Producers and consumers move to west; the group resumes exactly.
	kafkatest.Produce(t, b.west, "orders", values("w", 0, 20)...)
	if got := consumeNext(t, b.Bootstrap("lkc-west"), "cg", "orders", 40); got[0] != "e030" || got[19] != "e049" || got[20] != "w000" {
		t.Fatalf("consumer on west resumed at %v, then %v, %v", got[0], got[19], got[20])
	}

	// East returns, diverged by the 10 records west never got.
	b.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:start", nil)
	apitest.Eventually(t, apitest.Timeout, "link ACTIVE", func() bool {
		return b.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/links/dr"), nil).Map(t)["link_state"] == "ACTIVE"
	})
	dry := b.act(t, "lkc-east", "truncate-and-restore", "?validate_only=true&include_partition_level_truncation_data=true", "orders")
	if dry[0]["error_code"] != nil || dry[0]["messages_truncated"] != float64(10) {
		t.Fatalf("truncate-and-restore dry run: %v", dry[0])
	}
	if b.mirrorOn(t, "lkc-east", "orders") != nil {
		t.Fatal("the dry run restored the topic")
	}
	res := b.act(t, "lkc-east", "truncate-and-restore", "?include_partition_level_truncation_data=true", "orders")
	parts, _ := res[0]["partition_level_truncation_data"].([]any)
	if res[0]["error_code"] != nil || res[0]["messages_truncated"] != float64(10) || len(parts) != 1 ||
		parts[0].(map[string]any)["offset_truncated_to"] != float64(50) || parts[0].(map[string]any)["messages_truncated"] != float64(10) {
		t.Fatalf("truncate-and-restore: %v", res[0])
	}
	b.waitMirror(t, "lkc-east", "orders", "ACTIVE")
	kafkatest.WaitExact(t, b.west, b.east, "orders", "orders", apitest.Timeout)

	// Failback: producers stop on west, east takes over again.
	res = b.act(t, "lkc-east", "reverse-and-start-mirror", "", "orders")
	if res[0]["error_code"] != nil {
		t.Fatalf("reverse-and-start-mirror: %v", res[0])
	}
	// mirror_lags lists the reversed topic's partitions (the CLI prints a
	// row per entry), not [].
	if lags, _ := res[0]["mirror_lags"].([]any); len(lags) != 1 || lags[0].(map[string]any)["partition"] != float64(0) {
		t.Errorf("reverse-and-start-mirror mirror_lags: %v", res[0]["mirror_lags"])
	}
	b.waitMirror(t, "lkc-west", "orders", "ACTIVE")
	if b.mirrorOn(t, "lkc-east", "orders") != nil {
		t.Error("east's orders is still a mirror after the reverse")
	}
	// truncate-and-restore recreated east's topic: clients that cached its
	// old topic ID need a new connection, as after any topic recreation.
	east := client(t, b.Bootstrap("lkc-east"))
	kafkatest.Produce(t, east, "orders", values("back", 0, 5)...)
	kafkatest.WaitExact(t, east, b.west, "orders", "orders", apitest.Timeout)
	if got := consumeNext(t, b.Bootstrap("lkc-east"), "cg", "orders", 5); got[0] != "back000" {
		t.Fatalf("consumer back on east resumed at %v", got[0])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client(t, b.Bootstrap("lkc-west"), kgo.RecordRetries(1)).ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("x")}).FirstErr(); err == nil {
		t.Error("west's orders is writable although it mirrors east again")
	}
}
