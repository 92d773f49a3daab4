package manager

import (
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/metrics"
)

// Snapshot reports every stored link, mirror topic and link task for the
// metrics collector (it implements metrics.Source). Link and task states
// come from the link runtimes, as GET .../links?include_tasks=true reports
// them, with the task workers' last sync times; a link whose cluster this
// emulator does not serve is UNKNOWN with no tasks. Mirrors are reported as
// GET .../mirrors reports them, with their partitions' lags and last fetch
// offsets while they mirror.
//
// Like every read, it waits for no write: it reads the published view.
func (m *Manager) Snapshot() metrics.Snapshot {
	var snap metrics.Snapshot
	v := m.view()
	for _, l := range v.linksOf("") {
		state := linkemu.LinkUnknown
		if rt := m.runtime(l.ClusterID, l.Name); rt != nil {
			h := rt.Health()
			state = h.state
			synced := rt.lastSyncs()
			for _, t := range rt.tasks(h) {
				snap.Tasks = append(snap.Tasks, metrics.Task{Cluster: l.ClusterID, Link: l.Name, Name: t.Name, State: t.State, LastSync: synced[t.Name]})
			}
		}
		snap.Links = append(snap.Links, metrics.Link{Cluster: l.ClusterID, Name: l.Name, State: state})
	}
	for _, mr := range v.mirrorsOf("", "") {
		mv := m.mirrorView(mr)
		sm := metrics.Mirror{Cluster: mr.ClusterID, Link: mr.LinkName, Name: mr.Name, Status: mv.Status}
		for _, l := range mv.Lags {
			sm.ReplicatedRecords += uint64(l.RecordsReplicated)
			sm.ReplicatedBytes += uint64(l.BytesReplicated)
			if mv.Status != linkemu.MirrorStopped {
				sm.Partitions = append(sm.Partitions, metrics.Partition{Partition: l.Partition, Lag: l.Lag, LastSourceFetchOffset: l.LastSourceFetchOffset})
			}
		}
		snap.Mirrors = append(snap.Mirrors, sm)
	}
	return snap
}

// lastSyncs returns when each running task worker last finished a pass
// without errors. The workers are set before the runtime is published.
func (rt *linkRuntime) lastSyncs() map[string]time.Time {
	out := map[string]time.Time{}
	if rt.workers.acls != nil {
		out[linkemu.TaskAclSync] = rt.workers.acls.LastSync()
	}
	if rt.workers.offsets != nil {
		out[linkemu.TaskConsumerOffsetSync] = rt.workers.offsets.LastSync()
	}
	if rt.repl != nil {
		out[linkemu.TaskTopicConfigsSync] = rt.repl.LastConfigSync()
	}
	return out
}
