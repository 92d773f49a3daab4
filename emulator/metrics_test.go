package emulator_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestMetricsFollowTheEmulator scrapes /metrics as Prometheus would and
// checks that the figures move with what happens: a link appears, goes
// UNAVAILABLE while its source cluster is stopped and ACTIVE again once it
// is back, and REST requests are counted by route.
func TestMetricsFollowTheEmulator(t *testing.T) {
	noLeaks(t)
	emu := start(t, emulator.Options{})
	rest := newREST(t, emu.RESTURL)

	rest.must(http.StatusOK, http.MethodGet, "/kafka/v3/clusters", nil)
	mfs := scrape(t, rest)
	for _, family := range []string{"linkemu_http_requests_total", "go_goroutines", "process_open_fds"} {
		if mfs[family] == nil {
			t.Errorf("no %s in the first scrape", family)
		}
	}
	if mfs["linkemu_link_state"] != nil {
		t.Errorf("link states before any link: %v", mfs["linkemu_link_state"])
	}

	rest.must(http.StatusNoContent, http.MethodPost, linksPath+"?link_name=east-to-west", map[string]any{
		"source_cluster_id": "lkc-east",
		"configs": []map[string]string{
			{"name": "consumer.offset.sync.enable", "value": "true"},
			{"name": "consumer.offset.sync.ms", "value": "1000"},
			{"name": "consumer.offset.group.filters", "value": `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`},
			{"name": "topic.config.sync.ms", "value": "1000"},
		},
	})
	link := map[string]string{"cluster": "lkc-west", "link": "east-to-west"}
	linkIs := func(state string) func() bool {
		return func() bool {
			v, ok := value(scrape(t, rest), "linkemu_link_state", with(link, "state", state))
			return ok && v == 1
		}
	}
	eventually(t, "linkemu_link_state ACTIVE", linkIs("ACTIVE"))

	// Tasks: ACL sync is off; consumer offset sync is on and syncs every
	// second, so its last sync time appears and then moves on.
	taskIs := func(task, state string) bool {
		v, ok := value(scrape(t, rest), "linkemu_link_task_state", with(with(link, "task", task), "state", state))
		return ok && v == 1
	}
	if !taskIs("AclSync", "NOT_CONFIGURED") {
		t.Error("linkemu_link_task_state{task=AclSync,state=NOT_CONFIGURED} is not 1")
	}
	eventually(t, "ConsumerOffsetSync ACTIVE", func() bool { return taskIs("ConsumerOffsetSync", "ACTIVE") })
	offsetSync := with(link, "task", "ConsumerOffsetSync")
	var first float64
	eventually(t, "a first consumer offset sync", func() bool {
		first, _ = value(scrape(t, rest), "linkemu_link_task_last_sync_timestamp_seconds", offsetSync)
		return first > 0
	})
	eventually(t, "a later consumer offset sync", func() bool {
		v, _ := value(scrape(t, rest), "linkemu_link_task_last_sync_timestamp_seconds", offsetSync)
		return v > first
	})
	// Topic config sync runs every topic.config.sync.ms and reports its
	// last sync too.
	eventually(t, "a topic config sync", func() bool {
		v, _ := value(scrape(t, rest), "linkemu_link_task_last_sync_timestamp_seconds", with(link, "task", "TopicConfigsSync"))
		return v > 0
	})

	east, err := emu.Registry().Get("lkc-east")
	if err != nil {
		t.Fatal(err)
	}
	east.Embedded.Stop()
	eventually(t, "linkemu_link_state UNAVAILABLE while lkc-east is stopped", linkIs("UNAVAILABLE"))
	if v, _ := value(scrape(t, rest), "linkemu_link_state", with(link, "state", "ACTIVE")); v != 0 {
		t.Errorf("linkemu_link_state{state=ACTIVE} = %v while lkc-east is stopped", v)
	}
	if !taskIs("ConsumerOffsetSync", "LINK_UNAVAILABLE") {
		t.Error("linkemu_link_task_state{task=ConsumerOffsetSync,state=LINK_UNAVAILABLE} is not 1 while lkc-east is stopped")
	}
	if err := east.Embedded.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "linkemu_link_state ACTIVE once lkc-east is back", linkIs("ACTIVE"))

	getLink := map[string]string{"route": "/kafka/v3/clusters/{cluster_id}/links/{link_name}", "method": "GET", "code": "200"}
	before, _ := value(scrape(t, rest), "linkemu_http_requests_total", getLink)
	for range 3 {
		rest.must(http.StatusOK, http.MethodGet, linkPath, nil)
	}
	after, ok := value(scrape(t, rest), "linkemu_http_requests_total", getLink)
	if !ok || after != before+3 {
		t.Errorf("linkemu_http_requests_total%v went from %v to %v (found: %v), want +3", getLink, before, after, ok)
	}
	if v, ok := value(scrape(t, rest), "linkemu_http_requests_total", map[string]string{"route": "/metrics", "method": "GET", "code": "200"}); !ok || v < 1 {
		t.Errorf("scrapes are not counted: %v %v", v, ok)
	}
	notFound := map[string]string{"route": "unmatched", "method": "GET", "code": "404"}
	rest.must(http.StatusNotFound, http.MethodGet, "/no/such/route", nil)
	if v, ok := value(scrape(t, rest), "linkemu_http_requests_total", notFound); !ok || v != 1 {
		t.Errorf("unmatched routes: %v %v", v, ok)
	}

	status, _ := rest.do(http.MethodPost, "/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "orders"})
	if status != http.StatusCreated {
		t.Fatalf("create topic: %d", status)
	}
	rest.must(http.StatusNoContent, http.MethodPost, mirrorsPath, map[string]any{"source_topic_name": "orders"})
	mirror := map[string]string{"cluster": "lkc-west", "link": "east-to-west", "mirror": "orders"}
	eventually(t, "linkemu_mirror_status ACTIVE", func() bool {
		v, ok := value(scrape(t, rest), "linkemu_mirror_status", with(mirror, "status", "ACTIVE"))
		return ok && v == 1
	})

	// While replication runs, the replicated counters and the last fetch
	// offset move with the data; a paused mirror's lag grows.
	produce := func(n int) {
		cl, err := kgo.NewClient(kgo.SeedBrokers(emu.Clusters[0].Bootstrap))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for i := 0; i < n; i++ {
			if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("v")}).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
	}
	produce(10)
	part := with(mirror, "partition", "0")
	eventually(t, "10 records replicated", func() bool {
		mfs := scrape(t, rest)
		recs, ok1 := value(mfs, "linkemu_mirror_replicated_records_total", mirror)
		fetch, ok2 := value(mfs, "linkemu_mirror_partition_last_source_fetch_offset", part)
		return ok1 && ok2 && recs == 10 && fetch == 10
	})
	if v, ok := value(scrape(t, rest), "linkemu_mirror_replicated_bytes_total", mirror); !ok || v <= 0 {
		t.Errorf("linkemu_mirror_replicated_bytes_total = %v (found %v)", v, ok)
	}
	rest.must(http.StatusOK, http.MethodPost, strings.TrimSuffix(mirrorsPath, "/mirrors")+"/mirrors:pause", map[string]any{"mirror_topic_names": []string{"orders"}})
	produce(5)
	eventually(t, "lag 5 while paused", func() bool {
		v, ok := value(scrape(t, rest), "linkemu_mirror_partition_lag_records", part)
		return ok && v == 5
	})
}

// TestMetricsRegistryOption checks that a caller's registry gets the
// metrics, that Close takes them back, and that the registry then serves
// the next emulator.
func TestMetricsRegistryOption(t *testing.T) {
	noLeaks(t)
	reg := prometheus.NewRegistry()
	emu := start(t, emulator.Options{MetricsRegistry: reg})
	if emu.MetricsRegistry() != reg {
		t.Fatal("MetricsRegistry() is not the registry given in Options")
	}
	rest := newREST(t, emu.RESTURL)
	rest.must(http.StatusOK, http.MethodGet, "/kafka/v3/clusters", nil)
	if !gathered(t, reg, "linkemu_http_requests_total") {
		t.Error("the caller's registry has no linkemu_http_requests_total")
	}
	if gathered(t, reg, "go_goroutines") {
		t.Error("the emulator added Go runtime metrics to the caller's registry")
	}

	_, err := emulator.Start(context.Background(), emulator.Options{MetricsRegistry: reg})
	if err == nil || !strings.Contains(err.Error(), "register") {
		t.Errorf("a second emulator on the same registry: %v", err)
	}
	if !gathered(t, reg, "linkemu_http_requests_total") {
		t.Error("the failed second emulator took the first one's metrics away")
	}

	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
	if gathered(t, reg, "linkemu_http_requests_total") {
		t.Error("Close left linkemu's metrics in the caller's registry")
	}
	next := start(t, emulator.Options{MetricsRegistry: reg})
	newREST(t, next.RESTURL).must(http.StatusOK, http.MethodGet, "/kafka/v3/clusters", nil)
	if !gathered(t, reg, "linkemu_http_requests_total") {
		t.Error("the registry does not serve the next emulator")
	}
}

// scrape GETs /metrics and parses it with Prometheus' text parser.
func scrape(t *testing.T, rest *restClient) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := rest.http.Get(rest.base + "/metrics")
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("scrape: status %d: %s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("scrape: Content-Type %q", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return mfs
}

// value returns the value of the series of family whose labels include
// want.
func value(mfs map[string]*dto.MetricFamily, family string, want map[string]string) (float64, bool) {
	mf := mfs[family]
	if mf == nil {
		return 0, false
	}
next:
	for _, m := range mf.GetMetric() {
		got := map[string]string{}
		for _, lp := range m.GetLabel() {
			got[lp.GetName()] = lp.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		switch {
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Untyped != nil:
			return m.GetUntyped().GetValue(), true
		}
	}
	return 0, false
}

// with returns a copy of labels with k=v added.
func with(labels map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for lk, lv := range labels {
		out[lk] = lv
	}
	return out
}

// gathered reports whether reg has family.
func gathered(t *testing.T, reg prometheus.Gatherer, family string) bool {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == family {
			return true
		}
	}
	return false
}
