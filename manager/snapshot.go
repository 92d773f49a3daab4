package manager

import (
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/metrics"
	"github.com/linkemu/linkemu/store"
)

// Snapshot reports every stored link, mirror topic and link task for the
// metrics collector (it implements metrics.Source). Link and task states
// come from the link runtimes, as GET .../links?include_tasks=true reports
// them, with the task workers' last sync times; a link whose cluster this
// emulator does not serve is UNKNOWN with no tasks. Mirrors are reported as
// GET .../mirrors reports them, with their partitions' lags and last fetch
// offsets while they mirror.
//
// A scrape waits for an in-flight state-changing operation, like any read.
func (m *Manager) Snapshot() metrics.Snapshot {
	var snap metrics.Snapshot
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.store.View(func(tx *store.Tx) error {
		links, err := tx.Links("")
		if err != nil {
			return err
		}
		for _, l := range links {
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
		mirrors, err := tx.Mirrors("", "")
		if err != nil {
			return err
		}
		for _, mr := range mirrors {
			v := m.mirrorView(mr)
			sm := metrics.Mirror{Cluster: mr.ClusterID, Link: mr.LinkName, Name: mr.Name, Status: v.Status}
			for _, l := range v.Lags {
				sm.ReplicatedRecords += uint64(l.RecordsReplicated)
				sm.ReplicatedBytes += uint64(l.BytesReplicated)
				if v.Status != linkemu.MirrorStopped {
					sm.Partitions = append(sm.Partitions, metrics.Partition{Partition: l.Partition, Lag: l.Lag, LastSourceFetchOffset: l.LastSourceFetchOffset})
				}
			}
			snap.Mirrors = append(snap.Mirrors, sm)
		}
		return nil
	})
	if err != nil {
		m.log.Error("metrics snapshot: reading the store failed", "err", err)
	}
	return snap
}

// lastSyncs returns when each running task worker last finished a pass
// without errors. m.mu must be held: it guards the workers.
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
