package manager

import (
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/metrics"
	"github.com/linkemu/linkemu/store"
)

// Snapshot reports every stored link, mirror topic and link task for the
// metrics collector (it implements metrics.Source). Link and task states
// come from the link runtimes, as GET .../links reports them; a link whose
// cluster this emulator does not serve is UNKNOWN with no tasks. Mirrors
// come from the store.
//
// Replication figures (partition lags, last fetch offsets, replicated
// records and bytes) and the tasks' last sync times are not reported yet:
// mirrors have no partitions and zero counters, tasks a zero LastSync.
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
				for _, t := range rt.tasks(h) {
					snap.Tasks = append(snap.Tasks, metrics.Task{Cluster: l.ClusterID, Link: l.Name, Name: t.Name, State: t.State})
				}
			}
			snap.Links = append(snap.Links, metrics.Link{Cluster: l.ClusterID, Name: l.Name, State: state})
		}
		mirrors, err := tx.Mirrors("", "")
		if err != nil {
			return err
		}
		for _, mr := range mirrors {
			snap.Mirrors = append(snap.Mirrors, metrics.Mirror{Cluster: mr.ClusterID, Link: mr.LinkName, Name: mr.Name, Status: mr.Status})
		}
		return nil
	})
	if err != nil {
		m.log.Error("metrics snapshot: reading the store failed", "err", err)
	}
	return snap
}
