package manager

import (
	"fmt"

	linkemu "github.com/linkemu/linkemu"
)

// readOnly reports whether producers may not write to a mirror in status s:
// until it is stopped (failover, promote) a mirror belongs to its link.
func readOnly(s linkemu.MirrorStatus) bool { return s != linkemu.MirrorStopped }

// guardMessage returns the message a producer gets for writing to topic on
// cluster, when it is a read-only mirror topic. The embedded brokers' write
// guards call it on every produce request; it reads the published view.
func (m *Manager) guardMessage(cluster, topic string) (string, bool) {
	mr := m.view().mirror(cluster, topic)
	if mr == nil || !readOnly(mr.Status) {
		return "", false
	}
	return fmt.Sprintf("Cannot append records to read-only mirror topic '%s': it mirrors '%s' over cluster link '%s'. Fail it over or promote it to make it writable.", mr.Name, mr.SourceTopic, mr.LinkName), true
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
		c.Embedded.SetWriteGuard(func(topic string) (string, bool) { return m.guardMessage(id, topic) })
	}
}
