package metrics

import (
	"strconv"

	linkemu "github.com/linkemu/linkemu"
	"github.com/prometheus/client_golang/prometheus"
)

// The states each enum-valued family always exports, so that a state that
// is not current reads 0 rather than missing.
var (
	linkStates = []linkemu.LinkState{linkemu.LinkActive, linkemu.LinkFailed, linkemu.LinkUnavailable, linkemu.LinkPaused, linkemu.LinkUnknown}
	taskStates = []linkemu.TaskState{linkemu.TaskActive, linkemu.TaskInError, linkemu.TaskNotConfigured, linkemu.TaskLinkFailed,
		linkemu.TaskLinkUnavailable, linkemu.TaskLinkPaused, linkemu.TaskUnknown}
)

var (
	linkLabels      = []string{"cluster", "link"}
	mirrorLabels    = []string{"cluster", "link", "mirror"}
	partitionLabels = []string{"cluster", "link", "mirror", "partition"}
	taskLabels      = []string{"cluster", "link", "task"}
)

// Collector is a prometheus.Collector that reads a Source at each scrape.
type Collector struct {
	src Source

	linkState      *prometheus.Desc
	mirrorStatus   *prometheus.Desc
	partitionLag   *prometheus.Desc
	partitionFetch *prometheus.Desc
	mirrorRecords  *prometheus.Desc
	mirrorBytes    *prometheus.Desc
	taskState      *prometheus.Desc
	taskLastSync   *prometheus.Desc
}

// NewCollector returns a Collector of src's figures.
func NewCollector(src Source) *Collector {
	return &Collector{
		src: src,
		linkState: prometheus.NewDesc("linkemu_link_state",
			"State of a cluster link: 1 for its current link_state, 0 for the others.",
			append(linkLabels[:2:2], "state"), nil),
		mirrorStatus: prometheus.NewDesc("linkemu_mirror_status",
			"Status of a mirror topic: 1 for its current mirror_status, 0 for the others.",
			append(mirrorLabels[:3:3], "status"), nil),
		partitionLag: prometheus.NewDesc("linkemu_mirror_partition_lag_records",
			"Records of a source partition not yet copied to its mirror partition (source high watermark minus replication position).",
			partitionLabels, nil),
		partitionFetch: prometheus.NewDesc("linkemu_mirror_partition_last_source_fetch_offset",
			"Offset of the last fetch of a mirror partition from its source partition; -1 before the first fetch.",
			partitionLabels, nil),
		mirrorRecords: prometheus.NewDesc("linkemu_mirror_replicated_records_total",
			"Records replication wrote to a mirror topic since the emulator started.",
			mirrorLabels, nil),
		mirrorBytes: prometheus.NewDesc("linkemu_mirror_replicated_bytes_total",
			"Bytes of record batches replication wrote to a mirror topic since the emulator started.",
			mirrorLabels, nil),
		taskState: prometheus.NewDesc("linkemu_link_task_state",
			"State of a link task (AclSync, ConsumerOffsetSync, ...): 1 for its current state, 0 for the others.",
			append(taskLabels[:3:3], "state"), nil),
		taskLastSync: prometheus.NewDesc("linkemu_link_task_last_sync_timestamp_seconds",
			"Unix time when a link task's last pass without errors finished; absent until one has.",
			taskLabels, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.linkState, c.mirrorStatus, c.partitionLag, c.partitionFetch,
		c.mirrorRecords, c.mirrorBytes, c.taskState, c.taskLastSync} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: one Snapshot, every family.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.Snapshot()
	for _, l := range s.Links {
		enum(ch, c.linkState, linkStates, l.State, l.Cluster, l.Name)
	}
	for _, m := range s.Mirrors {
		enum(ch, c.mirrorStatus, linkemu.MirrorStatuses, m.Status, m.Cluster, m.Link, m.Name)
		ch <- prometheus.MustNewConstMetric(c.mirrorRecords, prometheus.CounterValue, float64(m.ReplicatedRecords), m.Cluster, m.Link, m.Name)
		ch <- prometheus.MustNewConstMetric(c.mirrorBytes, prometheus.CounterValue, float64(m.ReplicatedBytes), m.Cluster, m.Link, m.Name)
		for _, p := range m.Partitions {
			part := strconv.Itoa(int(p.Partition))
			ch <- prometheus.MustNewConstMetric(c.partitionLag, prometheus.GaugeValue, float64(p.Lag), m.Cluster, m.Link, m.Name, part)
			ch <- prometheus.MustNewConstMetric(c.partitionFetch, prometheus.GaugeValue, float64(p.LastSourceFetchOffset), m.Cluster, m.Link, m.Name, part)
		}
	}
	for _, t := range s.Tasks {
		enum(ch, c.taskState, taskStates, t.State, t.Cluster, t.Link, t.Name)
		if !t.LastSync.IsZero() {
			ch <- prometheus.MustNewConstMetric(c.taskLastSync, prometheus.GaugeValue, float64(t.LastSync.UnixNano())/1e9, t.Cluster, t.Link, t.Name)
		}
	}
}

// enum sends one series per known value, 1 for current and 0 for the rest;
// a current value outside known gets a series of its own.
func enum[T ~string](ch chan<- prometheus.Metric, d *prometheus.Desc, known []T, current T, labels ...string) {
	seen := false
	for _, v := range known {
		val := 0.0
		if v == current {
			val, seen = 1, true
		}
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, val, append(labels, string(v))...)
	}
	if !seen {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, 1, append(labels, string(current))...)
	}
}
