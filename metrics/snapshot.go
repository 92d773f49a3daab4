package metrics

import (
	"time"

	linkemu "github.com/linkemu/linkemu"
)

// Source reports the state of the emulator's links. Snapshot is called once
// per scrape, possibly from several goroutines at once; it must be cheap
// and must not block on a broker.
type Source interface {
	Snapshot() Snapshot
}

// SourceFunc adapts a function to Source.
type SourceFunc func() Snapshot

// Snapshot implements Source.
func (f SourceFunc) Snapshot() Snapshot { return f() }

// Snapshot is the state of every link, mirror topic and link task at one
// moment.
type Snapshot struct {
	Links   []Link
	Mirrors []Mirror
	Tasks   []Task
}

// Link is one side of a cluster link.
type Link struct {
	Cluster string // the cluster whose REST API owns this side of the link
	Name    string
	State   linkemu.LinkState
}

// Mirror is one mirror topic on its destination cluster.
type Mirror struct {
	Cluster string // the destination cluster
	Link    string
	Name    string // the mirror topic
	Status  linkemu.MirrorStatus
	// Partitions holds the replication figures of each partition the
	// replication worker runs; empty while it runs none.
	Partitions []Partition
	// ReplicatedRecords and ReplicatedBytes count what replication wrote
	// to the mirror since the emulator started.
	ReplicatedRecords uint64
	ReplicatedBytes   uint64
}

// Partition is the replication state of one mirror partition, the figures
// Confluent reports as mirror_lags.
type Partition struct {
	Partition int32
	// Lag is the source high watermark minus the position replication has
	// reached, in records.
	Lag int64
	// LastSourceFetchOffset is the offset of the last fetch from the
	// source, -1 before the first.
	LastSourceFetchOffset int64
}

// Task is one task of a link (ACL sync, consumer offset sync, ...).
type Task struct {
	Cluster string
	Link    string
	Name    string // linkemu.TaskAclSync, ...
	State   linkemu.TaskState
	// LastSync is when the task's last pass without errors finished; zero
	// if none has.
	LastSync time.Time
}
