package manager

import (
	"maps"
	"slices"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// logRestored logs, once at start, what the store brought back: how many
// links resumed and the mirror topics by status, so a restart says what it
// restored.
func (m *Manager) logRestored(links []*linkemu.Link, resumed int) {
	var mirrors []*linkemu.Mirror
	if err := m.store.View(func(tx *store.Tx) error {
		var err error
		mirrors, err = tx.Mirrors("", "")
		return err
	}); err != nil {
		m.log.Error("cannot read the restored mirror topics", "err", err)
		return
	}
	byStatus := map[linkemu.MirrorStatus]int{}
	for _, mr := range mirrors {
		byStatus[mr.Status]++
	}
	var names []string
	for _, l := range links {
		names = append(names, l.ClusterID+"/"+l.Name)
	}
	args := []any{"links", len(links), "links_resumed", resumed, "mirror_topics", len(mirrors)}
	for _, st := range slices.Sorted(maps.Keys(byStatus)) {
		args = append(args, "mirrors_"+strings.ToLower(string(st)), byStatus[st])
	}
	if len(names) > 0 {
		args = append(args, "link_names", strings.Join(names, ","))
	}
	m.log.Info("restored state", args...)
}
