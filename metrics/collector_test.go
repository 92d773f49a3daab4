package metrics_test

import (
	"strings"
	"testing"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestCollectorFamilies checks the exact exposition of each family the
// Collector builds from a Snapshot.
func TestCollectorFamilies(t *testing.T) {
	synced := time.Date(2026, 11, 21, 10, 0, 0, 500_000_000, time.UTC)
	snap := metrics.Snapshot{
		Links: []metrics.Link{
			{Cluster: "lkc-west", Name: "east-to-west", State: linkemu.LinkActive},
			{Cluster: "lkc-east", Name: "odd", State: "REBALANCING"}, // not a known state
		},
		Mirrors: []metrics.Mirror{
			{Cluster: "lkc-west", Link: "east-to-west", Name: "orders", Status: linkemu.MirrorActive,
				Partitions: []metrics.Partition{
					{Partition: 0, Lag: 3, LastSourceFetchOffset: 97},
					{Partition: 1, Lag: 0, LastSourceFetchOffset: -1},
				},
				ReplicatedRecords: 100, ReplicatedBytes: 4096},
			{Cluster: "lkc-west", Link: "east-to-west", Name: "payments", Status: linkemu.MirrorPaused},
		},
		Tasks: []metrics.Task{
			{Cluster: "lkc-west", Link: "east-to-west", Name: linkemu.TaskConsumerOffsetSync, State: linkemu.TaskActive, LastSync: synced},
			{Cluster: "lkc-west", Link: "east-to-west", Name: linkemu.TaskAclSync, State: linkemu.TaskNotConfigured},
		},
	}
	src := metrics.SourceFunc(func() metrics.Snapshot { return snap })

	tests := []struct {
		name   string
		family string
		want   string
	}{
		{"link state, unknown state kept", "linkemu_link_state", `
# HELP linkemu_link_state State of a cluster link: 1 for its current link_state, 0 for the others.
# TYPE linkemu_link_state gauge
linkemu_link_state{cluster="lkc-east",link="odd",state="ACTIVE"} 0
linkemu_link_state{cluster="lkc-east",link="odd",state="FAILED"} 0
linkemu_link_state{cluster="lkc-east",link="odd",state="PAUSED"} 0
linkemu_link_state{cluster="lkc-east",link="odd",state="REBALANCING"} 1
linkemu_link_state{cluster="lkc-east",link="odd",state="UNAVAILABLE"} 0
linkemu_link_state{cluster="lkc-east",link="odd",state="UNKNOWN"} 0
linkemu_link_state{cluster="lkc-west",link="east-to-west",state="ACTIVE"} 1
linkemu_link_state{cluster="lkc-west",link="east-to-west",state="FAILED"} 0
linkemu_link_state{cluster="lkc-west",link="east-to-west",state="PAUSED"} 0
linkemu_link_state{cluster="lkc-west",link="east-to-west",state="UNAVAILABLE"} 0
linkemu_link_state{cluster="lkc-west",link="east-to-west",state="UNKNOWN"} 0
`},
		{"partition lag", "linkemu_mirror_partition_lag_records", `
# HELP linkemu_mirror_partition_lag_records Records of a source partition not yet copied to its mirror partition (source high watermark minus replication position).
# TYPE linkemu_mirror_partition_lag_records gauge
linkemu_mirror_partition_lag_records{cluster="lkc-west",link="east-to-west",mirror="orders",partition="0"} 3
linkemu_mirror_partition_lag_records{cluster="lkc-west",link="east-to-west",mirror="orders",partition="1"} 0
`},
		{"last source fetch offset", "linkemu_mirror_partition_last_source_fetch_offset", `
# HELP linkemu_mirror_partition_last_source_fetch_offset Offset of the last fetch of a mirror partition from its source partition; -1 before the first fetch.
# TYPE linkemu_mirror_partition_last_source_fetch_offset gauge
linkemu_mirror_partition_last_source_fetch_offset{cluster="lkc-west",link="east-to-west",mirror="orders",partition="0"} 97
linkemu_mirror_partition_last_source_fetch_offset{cluster="lkc-west",link="east-to-west",mirror="orders",partition="1"} -1
`},
		{"replicated records", "linkemu_mirror_replicated_records_total", `
# HELP linkemu_mirror_replicated_records_total Records replication wrote to a mirror topic since the emulator started.
# TYPE linkemu_mirror_replicated_records_total counter
linkemu_mirror_replicated_records_total{cluster="lkc-west",link="east-to-west",mirror="orders"} 100
linkemu_mirror_replicated_records_total{cluster="lkc-west",link="east-to-west",mirror="payments"} 0
`},
		{"replicated bytes", "linkemu_mirror_replicated_bytes_total", `
# HELP linkemu_mirror_replicated_bytes_total Bytes of record batches replication wrote to a mirror topic since the emulator started.
# TYPE linkemu_mirror_replicated_bytes_total counter
linkemu_mirror_replicated_bytes_total{cluster="lkc-west",link="east-to-west",mirror="orders"} 4096
linkemu_mirror_replicated_bytes_total{cluster="lkc-west",link="east-to-west",mirror="payments"} 0
`},
		{"last sync only once synced", "linkemu_link_task_last_sync_timestamp_seconds", `
# HELP linkemu_link_task_last_sync_timestamp_seconds Unix time when a link task's last pass without errors finished; absent until one has.
# TYPE linkemu_link_task_last_sync_timestamp_seconds gauge
linkemu_link_task_last_sync_timestamp_seconds{cluster="lkc-west",link="east-to-west",task="ConsumerOffsetSync"} 1.7952552005e+09
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := testutil.CollectAndCompare(metrics.NewCollector(src), strings.NewReader(tt.want), tt.family); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCollectorEnumFamilies checks that every mirror status and task state
// is exported, with exactly one at 1 per mirror or task.
func TestCollectorEnumFamilies(t *testing.T) {
	snap := metrics.Snapshot{
		Mirrors: []metrics.Mirror{{Cluster: "c", Link: "l", Name: "m", Status: linkemu.MirrorPendingStopped}},
		Tasks:   []metrics.Task{{Cluster: "c", Link: "l", Name: linkemu.TaskAclSync, State: linkemu.TaskLinkPaused}},
	}
	c := metrics.NewCollector(metrics.SourceFunc(func() metrics.Snapshot { return snap }))
	tests := []struct {
		family, label, current string
		n                      int
	}{
		{"linkemu_mirror_status", "status", "PENDING_STOPPED", len(linkemu.MirrorStatuses)},
		{"linkemu_link_task_state", "state", "LINK_PAUSED", 7},
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.family, func(t *testing.T) {
			var got int
			for _, mf := range mfs {
				if mf.GetName() != tt.family {
					continue
				}
				for _, m := range mf.GetMetric() {
					got++
					var v string
					for _, lp := range m.GetLabel() {
						if lp.GetName() == tt.label {
							v = lp.GetValue()
						}
					}
					if want := map[bool]float64{true: 1, false: 0}[v == tt.current]; m.GetGauge().GetValue() != want {
						t.Errorf("%s=%s is %v, want %v", tt.label, v, m.GetGauge().GetValue(), want)
					}
				}
			}
			if got != tt.n {
				t.Errorf("%d series, want %d", got, tt.n)
			}
		})
	}
}

// TestCollectorEmptySnapshot checks that a Source with no links exports no
// series and no errors.
func TestCollectorEmptySnapshot(t *testing.T) {
	c := metrics.NewCollector(metrics.SourceFunc(func() metrics.Snapshot { return metrics.Snapshot{} }))
	if n := testutil.CollectAndCount(c); n != 0 {
		t.Errorf("%d series from an empty snapshot", n)
	}
	if problems, err := testutil.CollectAndLint(c); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", err, problems)
	}
}

// TestHTTPObserve checks the request counter and histogram labels.
func TestHTTPObserve(t *testing.T) {
	h := metrics.NewHTTP()
	h.Observe("/kafka/v3/clusters/{cluster_id}/links", "GET", 200, 5*time.Millisecond)
	h.Observe("/kafka/v3/clusters/{cluster_id}/links", "GET", 200, 7*time.Millisecond)
	h.Observe("unmatched", "GET", 404, time.Millisecond)
	want := `
# HELP linkemu_http_requests_total REST requests served, by route pattern, method and HTTP status code.
# TYPE linkemu_http_requests_total counter
linkemu_http_requests_total{code="200",method="GET",route="/kafka/v3/clusters/{cluster_id}/links"} 2
linkemu_http_requests_total{code="404",method="GET",route="unmatched"} 1
`
	if err := testutil.CollectAndCompare(h, strings.NewReader(want), "linkemu_http_requests_total"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(h, "linkemu_http_request_duration_seconds"); n != 2 {
		t.Errorf("%d duration series, want 2", n)
	}
}

// TestRegisterTwice checks that one registry refuses a second emulator's
// metrics with a clear error, and takes them once the first unregisters.
func TestRegisterTwice(t *testing.T) {
	reg := prometheus.NewRegistry()
	src := metrics.SourceFunc(func() metrics.Snapshot { return metrics.Snapshot{} })
	if _, err := metrics.Register(reg, src); err != nil {
		t.Fatal(err)
	}
	if _, err := metrics.Register(reg, src); err == nil || !strings.Contains(err.Error(), "linkemu") {
		t.Errorf("second Register: %v", err)
	}
	metrics.Unregister(reg)
	if _, err := metrics.Register(reg, src); err != nil {
		t.Errorf("Register after Unregister: %v", err)
	}
}
