package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestSourceOutageDrill takes the source cluster of a link down with
// mirrors running and checks what a user sees while it is down, that
// failover works and promote refuses per topic, and that after it returns
// the mirrors resume with no gap and no duplicate: data produced before the
// outage (some of it still in flight when the source stops) and after it.
func TestSourceOutageDrill(t *testing.T) {
	l := newLab(t)
	east, west := l.Bootstrap("lkc-east"), l.Bootstrap("lkc-west")
	topics := map[string]int{"orders": 3, "payments": 2, "audit": 1}
	for name, parts := range topics {
		l.topic(t, name, parts)
		kafkatest.Produce(t, l.east, name, orderRecords(name+"-", 0, 50)...)
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": name})
	}
	for name := range topics {
		kafkatest.WaitExact(t, l.east, l.west, name, name, apitest.Timeout)
	}
	auditBefore := records(t, east, "audit")

	// Acknowledged by the source, maybe not yet copied when it stops.
	for _, name := range []string{"orders", "payments"} {
		kafkatest.Produce(t, l.east, name, orderRecords(name+"-", 50, 100)...)
	}
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:stop", nil)

	link := apitest.ClusterPath("lkc-west", "/links/east-to-west")
	apitest.Eventually(t, apitest.Timeout, "link UNAVAILABLE", func() bool {
		m := l.Do(http.MethodGet, link, nil).Map(t)
		return m["link_state"] == "UNAVAILABLE" && m["link_error"] == "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR"
	})
	r := l.mustStatus(t, 200, http.MethodGet, link+"?include_tasks=true", nil)
	apitest.ValidateSpec(t, r)
	m := r.Map(t)
	if msg, _ := m["link_error_message"].(string); !strings.Contains(msg, east) {
		t.Errorf("link_error_message %q does not name the source's bootstrap %s", msg, east)
	}
	for _, task := range m["tasks"].([]any) {
		if st := task.(map[string]any)["state"]; st != "LINK_UNAVAILABLE" && st != "NOT_CONFIGURED" {
			t.Errorf("task %v while the link is UNAVAILABLE", task)
		}
	}
	for name := range topics {
		l.waitStatus(t, name, "SOURCE_UNAVAILABLE")
	}
	r = l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/-/mirrors?mirror_status=SOURCE_UNAVAILABLE"), nil)
	apitest.ValidateSpec(t, r)
	if got := r.Map(t)["data"].([]any); len(got) != len(topics) {
		t.Errorf("%d mirrors listed SOURCE_UNAVAILABLE, want %d", len(got), len(topics))
	}

	// Promote answers per topic: each mirror it cannot catch up, and the
	// unknown topic, fail on their own.
	res := l.action(t, "promote", "orders", "nope", "payments")
	if len(res) != 3 || res[1]["error_code"] != float64(404) {
		t.Fatalf("promote with the source down: %v", res)
	}
	for _, i := range []int{0, 2} {
		name := res[i]["mirror_topic_name"].(string)
		if res[i]["error_code"] != float64(503) || !strings.Contains(fmt.Sprint(res[i]["error_message"]), "'"+name+"'") {
			t.Errorf("promote of %s with the source down: %v", name, res[i])
		}
		if st := l.mirror(t, name)["mirror_status"]; st != "SOURCE_UNAVAILABLE" {
			t.Errorf("a refused promote left %s %v", name, st)
		}
	}
	// Failover works: audit takes writes on west.
	if res := l.action(t, "failover", "audit"); res[0]["error_code"] != nil {
		t.Fatalf("failover with the source down: %v", res[0])
	}
	l.waitStatus(t, "audit", "STOPPED")
	kafkatest.Produce(t, client(t, west), "audit", orderRecords("west-audit-", 0, 5)...)

	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:start", nil)
	apitest.Eventually(t, apitest.Timeout, "link ACTIVE", func() bool {
		return l.Do(http.MethodGet, link, nil).Map(t)["link_state"] == "ACTIVE"
	})
	for _, name := range []string{"orders", "payments"} {
		l.waitStatus(t, name, "ACTIVE")
	}
	eastCl, westCl := client(t, east), client(t, west)
	for _, name := range []string{"orders", "payments"} {
		kafkatest.Produce(t, eastCl, name, orderRecords(name+"-", 100, 150)...)
		kafkatest.WaitExact(t, eastCl, westCl, name, name, apitest.Timeout)
	}
	// The failed-over topic stays apart: east's records up to the failover,
	// then west's own.
	if st := l.mirror(t, "audit")["mirror_status"]; st != "STOPPED" {
		t.Errorf("audit is %v after the source returned, want STOPPED", st)
	}
	want := append(slices.Clone(auditBefore[0]), "west-audit-0", "west-audit-1", "west-audit-2", "west-audit-3", "west-audit-4")
	if got := records(t, west, "audit")[0]; !slices.Equal(got, want) {
		t.Errorf("west's audit after failover holds %v, want %v", got, want)
	}
	if got := records(t, east, "audit")[0]; !slices.Equal(got, auditBefore[0]) {
		t.Errorf("east's audit changed: %v", got)
	}
}

// TestDestinationOutageDrill takes the destination cluster down while the
// source takes writes, and checks that the mirrors catch up exactly once it
// is back: nothing lost, nothing copied twice.
func TestDestinationOutageDrill(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 3)
	kafkatest.Produce(t, l.east, "orders", orderRecords("order-", 0, 100)...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

	kafkatest.Produce(t, l.east, "orders", orderRecords("order-", 100, 150)...)
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-west:stop", nil)
	kafkatest.Produce(t, l.east, "orders", orderRecords("order-", 150, 200)...)
	// The link cannot run, but its source is fine: no bootstrap failure
	// toward the source, and the mirror is not SOURCE_UNAVAILABLE.
	link := apitest.ClusterPath("lkc-west", "/links/east-to-west")
	apitest.Eventually(t, apitest.Timeout, "link UNAVAILABLE", func() bool {
		return l.Do(http.MethodGet, link, nil).Map(t)["link_state"] == "UNAVAILABLE"
	})
	m := l.Do(http.MethodGet, link, nil).Map(t)
	if m["link_error"] == "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR" || !strings.Contains(fmt.Sprint(m["link_error_message"]), "lkc-west") {
		t.Errorf("link while its destination is down: %v: %v", m["link_error"], m["link_error_message"])
	}
	if st := l.mirror(t, "orders")["mirror_status"]; st != "ACTIVE" {
		t.Errorf("mirror while its destination is down: %v, want ACTIVE (the source is reachable)", st)
	}
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-west:start", nil)
	kafkatest.Produce(t, l.east, "orders", orderRecords("order-", 200, 250)...)

	kafkatest.WaitExact(t, l.east, client(t, l.Bootstrap("lkc-west")), "orders", "orders", apitest.Timeout)
	l.waitStatus(t, "orders", "ACTIVE")
}
