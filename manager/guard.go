package manager

import (
	"fmt"
	"sync"

	linkemu "github.com/linkemu/linkemu"
)

// readOnlyIndex holds, per cluster, the mirror topics producers may not
// write to and the message they get. The embedded brokers' write guards
// read it on every produce request, so it lives in memory.
type readOnlyIndex struct {
	mu     sync.RWMutex
	topics map[string]map[string]string // cluster -> topic -> message
}

func (ix *readOnlyIndex) lookup(cluster, topic string) (string, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	msg, ok := ix.topics[cluster][topic]
	return msg, ok
}

func (ix *readOnlyIndex) set(cluster string, topics map[string]string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.topics == nil {
		ix.topics = make(map[string]map[string]string)
	}
	ix.topics[cluster] = topics
}

// readOnly reports whether producers may not write to a mirror in status s:
// until it is stopped (failover, promote) a mirror belongs to its link.
func readOnly(s linkemu.MirrorStatus) bool { return s != linkemu.MirrorStopped }

// refreshGuard rebuilds a cluster's read-only topics from a view. write
// calls it with each view it publishes, in order.
func (m *Manager) refreshGuard(v *view, cluster string) {
	mirrors := v.mirrorsOf(cluster, "")
	topics := make(map[string]string, len(mirrors))
	for _, mr := range mirrors {
		if readOnly(mr.Status) {
			topics[mr.Name] = fmt.Sprintf("Cannot append records to read-only mirror topic '%s': it mirrors '%s' over cluster link '%s'. Fail it over or promote it to make it writable.", mr.Name, mr.SourceTopic, mr.LinkName)
		}
	}
	m.guard.set(cluster, topics)
}

// installGuards makes mirror topics read-only on every embedded cluster.
// External brokers get no guard: nothing stops a client writing to a mirror
// there (see the README).
func (m *Manager) installGuards() {
	for _, c := range m.clusters.List() {
		if c.Embedded == nil {
			continue
		}
		id := c.ID
		m.refreshGuard(m.view(), id)
		c.Embedded.SetWriteGuard(func(topic string) (string, bool) { return m.guard.lookup(id, topic) })
	}
}
