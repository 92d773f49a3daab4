package e2e

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kgo"
)

// The tests in this file and in runbook_active_active_test.go run the steps
// of docs/dr-runbook.md, in its order and under its step names (A1, A2, ...
// B1, ... C1, ...), through the REST API and real Kafka clients: a reader
// can follow one with the other.

// step runs one runbook step as a subtest named after the runbook's
// heading, and stops the scenario at the first step that fails.
func step(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, f) {
		t.FailNow()
	}
}

// orderRecords returns records prefix<i> for i in [from, to), keyed over ten
// keys as the runbook's kcat commands key them, so they spread over
// partitions.
func orderRecords(prefix string, from, to int) []*kgo.Record {
	var out []*kgo.Record
	for i := from; i < to; i++ {
		out = append(out, &kgo.Record{Key: fmt.Appendf(nil, "key%d", i%10), Value: fmt.Appendf(nil, "%s%d", prefix, i)})
	}
	return out
}

// link returns the link dr on cluster as a map.
func (b *bidiLab) link(t *testing.T, cluster string) map[string]any {
	t.Helper()
	r := b.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath(cluster, "/links/dr"), nil)
	apitest.ValidateSpec(t, r)
	return r.Map(t)
}

// waitLink waits until the link dr on cluster is in state with error.
func (b *bidiLab) waitLink(t *testing.T, cluster, state, linkError string) {
	t.Helper()
	apitest.Eventually(t, apitest.Timeout, fmt.Sprintf("link dr on %s %s/%s", cluster, state, linkError), func() bool {
		m := b.link(t, cluster)
		return m["link_state"] == state && m["link_error"] == linkError
	})
}

// lag returns the total lag of mirror topic name on cluster.
func (b *bidiLab) lag(t *testing.T, cluster, name string) int {
	t.Helper()
	total := 0
	for _, l := range b.mirrorOn(t, cluster, name)["mirror_lags"].([]any) {
		total += int(l.(map[string]any)["lag"].(float64))
	}
	return total
}

// outage stops or starts a cluster through the emulator's admin API.
func (b *bidiLab) outage(t *testing.T, cluster, action string) {
	t.Helper()
	r := b.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/"+cluster+":"+action, nil)
	if want := action == "start"; r.Map(t)["running"] != want {
		t.Fatalf("%s %s: %s", action, cluster, r.Body)
	}
}

// TestRunbookActivePassive runs section A of docs/dr-runbook.md: an
// unprefixed bidirectional link, orders on east mirrored to west, a consumer
// group on east; east fails, west takes over, east comes back diverged, is
// truncated and restored, and the mirror is reversed to fail back.
func TestRunbookActivePassive(t *testing.T) {
	b := newBidiLab(t)
	east, west := b.Bootstrap("lkc-east"), b.Bootstrap("lkc-west")
	var (
		cgOnEast, cgOnWest positions          // the group's committed offsets before each move
		atOutage           map[int32][]string // west's copy of orders when east fails
		stops              []int64            // the failed-over mirror's stop offsets
	)

	step(t, "A1 create the bidirectional link dr on both clusters", func(t *testing.T) {
		e, w := b.link(t, "lkc-east"), b.link(t, "lkc-west")
		if e["cluster_link_id"] != w["cluster_link_id"] {
			t.Errorf("the two sides have cluster_link_id %v and %v", e["cluster_link_id"], w["cluster_link_id"])
		}
		b.waitLink(t, "lkc-east", "ACTIVE", "NO_ERROR")
		b.waitLink(t, "lkc-west", "ACTIVE", "NO_ERROR")
	})

	step(t, "A2 create orders on east and mirror it to west", func(t *testing.T) {
		b.topic(t, "orders", 3)
		kafkatest.Produce(t, b.east, "orders", orderRecords("order-", 1, 101)...)
		b.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/dr/mirrors"), map[string]any{"source_topic_name": "orders"})
		b.waitMirror(t, "lkc-west", "orders", "ACTIVE")
		kafkatest.WaitExact(t, b.east, b.west, "orders", "orders", apitest.Timeout)
	})

	step(t, "A3 consume on east; offset sync carries the group to west", func(t *testing.T) {
		resumeExactly(t, east, "cg", nil, "orders")
		// Orders the group has not read yet when disaster strikes.
		kafkatest.Produce(t, b.east, "orders", orderRecords("order-", 101, 121)...)
		kafkatest.WaitExact(t, b.east, b.west, "orders", "orders", apitest.Timeout)
		cgOnEast = committed(t, east, "cg")
		waitCommitted(t, west, "cg", cgOnEast)
	})

	var held positions // west's log end offsets while the mirror is paused
	copiedWhilePaused := func() bool { return !maps.Equal(ends(t, west, "orders"), held) }
	step(t, "A4 hold the mirror back to simulate replication lag", func(t *testing.T) {
		b.act(t, "lkc-west", "pause", "", "orders")
		b.waitMirror(t, "lkc-west", "orders", "PAUSED")
		held = ends(t, west, "orders")
		kafkatest.Produce(t, b.east, "orders", orderRecords("order-", 121, 126)...)
		apitest.Eventually(t, apitest.Timeout, "a lag of 5", func() bool {
			return copiedWhilePaused() || b.lag(t, "lkc-west", "orders") == 5
		})
	})
	if copiedWhilePaused() {
		t.Fatal("records produced after mirrors:pause answered were copied to the mirror")
	}

	step(t, "A5 outage of east", func(t *testing.T) {
		atOutage = records(t, west, "orders")
		b.outage(t, "lkc-east", "stop")
		b.waitLink(t, "lkc-west", "UNAVAILABLE", "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR")
		if msg, _ := b.link(t, "lkc-west")["link_error_message"].(string); !strings.Contains(msg, east) {
			t.Errorf("link_error_message %q does not name %s", msg, east)
		}
		b.act(t, "lkc-west", "resume", "", "orders")
		b.waitMirror(t, "lkc-west", "orders", "SOURCE_UNAVAILABLE")
		if lag := b.lag(t, "lkc-west", "orders"); lag != 5 {
			t.Errorf("with east down the mirror reports a lag of %d, want the 5 records it never got", lag)
		}
		res := b.act(t, "lkc-west", "promote", "", "orders")
		if res[0]["error_code"] != float64(503) || !strings.Contains(fmt.Sprint(res[0]["error_message"]), "Use failover") {
			t.Errorf("promote with east down: %v", res[0])
		}
		if st := b.mirrorOn(t, "lkc-west", "orders")["mirror_status"]; st != "SOURCE_UNAVAILABLE" {
			t.Errorf("a refused promote left the mirror %v", st)
		}
	})

	step(t, "A6 fail over orders on west", func(t *testing.T) {
		if res := b.act(t, "lkc-west", "failover", "", "orders"); res[0]["error_code"] != nil {
			t.Fatalf("failover: %v", res[0])
		}
		b.waitMirror(t, "lkc-west", "orders", "STOPPED")
		for _, l := range b.mirrorOn(t, "lkc-west", "orders")["mirror_lags"].([]any) {
			stops = append(stops, int64(l.(map[string]any)["last_source_fetch_offset"].(float64)))
		}
		for p, recs := range atOutage {
			if stops[p] != int64(len(recs)) {
				t.Errorf("partition %d stopped at %d, west held %d records", p, stops[p], len(recs))
			}
		}
	})

	step(t, "A7 move producers and consumers to west", func(t *testing.T) {
		kafkatest.Produce(t, client(t, west), "orders", orderRecords("order-", 201, 231)...)
		if got := resumeExactly(t, west, "cg", cgOnEast, "orders"); len(got) != 50 {
			t.Errorf("the group on west read %d records, want the 20 unread on east and the 30 new", len(got))
		}
		cgOnWest = committed(t, west, "cg")
	})

	step(t, "A8 east comes back, diverged", func(t *testing.T) {
		b.outage(t, "lkc-east", "start")
		b.waitLink(t, "lkc-west", "ACTIVE", "NO_ERROR")
		b.waitLink(t, "lkc-east", "ACTIVE", "NO_ERROR")
		var diverged int64
		for p, end := range ends(t, east, "orders") {
			diverged += end - stops[p.partition]
		}
		if diverged != 5 {
			t.Errorf("east holds %d records above west's stop offsets, want the 5 of A4", diverged)
		}
	})

	step(t, "A9 truncate-and-restore orders on east", func(t *testing.T) {
		const query = "?include_partition_level_truncation_data=true"
		dry := b.act(t, "lkc-east", "truncate-and-restore", query+"&validate_only=true", "orders")
		checkTruncation(t, dry[0], stops, 5)
		if b.mirrorOn(t, "lkc-east", "orders") != nil {
			t.Fatal("the dry run restored the topic")
		}
		// What the runbook saves before the cut: the records of A4.
		var cut []string
		for p, recs := range records(t, east, "orders") {
			cut = append(cut, recs[stops[p]:]...)
		}
		slices.Sort(cut)
		if want := []string{"order-121", "order-122", "order-123", "order-124", "order-125"}; !slices.Equal(cut, want) {
			t.Errorf("east holds %v above the stop offsets, want %v", cut, want)
		}
		checkTruncation(t, b.act(t, "lkc-east", "truncate-and-restore", query, "orders")[0], stops, 5)
		b.waitMirror(t, "lkc-east", "orders", "ACTIVE")
		kafkatest.WaitExact(t, b.west, client(t, east), "orders", "orders", apitest.Timeout)
		waitCommitted(t, east, "cg", cgOnWest)
	})

	step(t, "A10 fail back with reverse-and-start-mirror", func(t *testing.T) {
		if res := b.act(t, "lkc-east", "reverse-and-start-mirror", "?validate_only=true", "orders"); res[0]["error_code"] != nil {
			t.Fatalf("reverse-and-start-mirror?validate_only=true: %v", res[0])
		}
		b.waitMirror(t, "lkc-east", "orders", "ACTIVE")
		if res := b.act(t, "lkc-east", "reverse-and-start-mirror", "", "orders"); res[0]["error_code"] != nil {
			t.Fatalf("reverse-and-start-mirror: %v", res[0])
		}
		b.waitMirror(t, "lkc-west", "orders", "ACTIVE")
		if b.mirrorOn(t, "lkc-east", "orders") != nil {
			t.Error("east's orders is still a mirror after the reverse")
		}
		// Producers come back to east with new connections: truncate-and-
		// restore recreated the topic under a new topic ID.
		kafkatest.Produce(t, client(t, east), "orders", orderRecords("order-", 301, 311)...)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := client(t, west, kgo.RecordRetries(1)).ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("x")}).FirstErr(); err == nil {
			t.Error("west's orders takes writes although it mirrors east again")
		}
	})

	step(t, "A11 verify both sides", func(t *testing.T) {
		eastCl := client(t, east)
		kafkatest.WaitExact(t, eastCl, b.west, "orders", "orders", apitest.Timeout)
		// The proof of exactness agrees, over the bidirectional link.
		if v := b.verifyOn(t, "lkc-west", "dr", "orders"); !v.Equal || v.SourceClusterID != "lkc-east" || len(v.Partitions) != 3 {
			t.Errorf("verify of west's orders after failback: %+v", v)
		}
		assertKept(t, "orders after failback", atOutage, records(t, east, "orders"))
		got := resumeExactly(t, east, "cg", cgOnWest, "orders")
		if len(got) != 10 {
			t.Errorf("the group back on east read %d records, want the 10 of A10", len(got))
		}
	})
}

// checkTruncation checks a truncate-and-restore result: total records cut,
// and per partition the offset it cuts to (the remote mirror's stop offset).
func checkTruncation(t *testing.T, res map[string]any, stops []int64, total int) {
	t.Helper()
	if res["error_code"] != nil || res["messages_truncated"] != float64(total) {
		t.Fatalf("truncate-and-restore: %v", res)
	}
	parts, _ := res["partition_level_truncation_data"].([]any)
	if len(parts) != len(stops) {
		t.Fatalf("partition_level_truncation_data: %v", parts)
	}
	for _, p := range parts {
		m := p.(map[string]any)
		id := int(m["partition_id"].(float64))
		if m["offset_truncated_to"] != float64(stops[id]) {
			t.Errorf("partition %d truncated to %v, want the stop offset %d", id, m["offset_truncated_to"], stops[id])
		}
	}
}

// TestRunbookSourceInitiated runs section C of docs/dr-runbook.md: a
// source-initiated link, its destination side first.
func TestRunbookSourceInitiated(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	l := &lab{Env: env, east: client(t, env.Bootstrap("lkc-east")), west: client(t, env.Bootstrap("lkc-west"))}
	get := func(cluster string) map[string]any {
		r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath(cluster, "/links/east-to-west"), nil)
		apitest.ValidateSpec(t, r)
		return r.Map(t)
	}

	step(t, "C1 the destination side on west, INBOUND", func(t *testing.T) {
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=east-to-west"), map[string]any{
			"source_cluster_id": "lkc-east",
			"configs":           []map[string]string{{"name": "link.mode", "value": "DESTINATION"}, {"name": "connection.mode", "value": "INBOUND"}},
		})
		m := get("lkc-west")
		if m["link_state"] != "UNAVAILABLE" || !strings.Contains(fmt.Sprint(m["link_error_message"]), "Waiting for cluster lkc-east to create the source side") {
			t.Errorf("the destination side alone: %v", m)
		}
	})

	step(t, "C2 the source side on east", func(t *testing.T) {
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-east", "/links?link_name=east-to-west"), map[string]any{
			"destination_cluster_id": "lkc-west",
			"configs":                []map[string]string{{"name": "link.mode", "value": "SOURCE"}, {"name": "bootstrap.servers", "value": env.Bootstrap("lkc-west")}},
		})
		for _, c := range []string{"lkc-east", "lkc-west"} {
			apitest.Eventually(t, apitest.Timeout, c+" side ACTIVE", func() bool { return get(c)["link_state"] == "ACTIVE" })
		}
		if e, w := get("lkc-east")["cluster_link_id"], get("lkc-west")["cluster_link_id"]; e != w {
			t.Errorf("the two sides have cluster_link_id %v and %v", e, w)
		}
	})

	step(t, "C3 mirror a topic on the destination side", func(t *testing.T) {
		l.topic(t, "payments", 2)
		kafkatest.Produce(t, l.east, "payments", orderRecords("payment-", 1, 21)...)
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "payments"})
		kafkatest.WaitExact(t, l.east, l.west, "payments", "payments", apitest.Timeout)
		r := l.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "payments"})
		if r.Status != 400 || !strings.Contains(r.Map(t)["message"].(string), "mirror topics are created on the destination side") {
			t.Errorf("mirror on the source side: %d %s", r.Status, r.Body)
		}
	})
}
