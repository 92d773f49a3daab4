package manager

import (
	"context"
	"maps"
	"slices"
	"strings"

	linkemu "github.com/linkemu/linkemu"
)

// LinkConfigs returns every config of a link, defaults included.
func (m *Manager) LinkConfigs(_ context.Context, cluster, link string) ([]linkemu.ConfigEntry, error) {
	l, err := m.readLink(cluster, link)
	if err != nil {
		return nil, err
	}
	return l.ConfigEntries(), nil
}

// LinkConfig returns one config of a link; ENOTFOUND for a name linkemu
// does not know.
func (m *Manager) LinkConfig(_ context.Context, cluster, link, name string) (linkemu.ConfigEntry, error) {
	l, err := m.readLink(cluster, link)
	if err != nil {
		return linkemu.ConfigEntry{}, err
	}
	e, ok := l.ConfigEntry(name)
	if !ok {
		return e, linkemu.Errorf(linkemu.ENOTFOUND, "Config '%s' cannot be found for cluster link '%s'.", name, link)
	}
	return e, nil
}

// AlterLinkConfigs sets and resets configs of a link in one step: all or
// nothing. The link runs with the new configs before it returns.
//
// Validation and change are one store transaction, which needs no lane:
// the store orders concurrent alters. A change of task configs only
// (offset sync, ACL sync, auto-create and the configs the manager reads
// from the view) reconfigures the running task workers in place, which
// takes no lane either: the connection, replication and mirror operations
// of the link go on through it. Any other change restarts the link's
// runtime, which does take the link's lane (no mirror operation of the
// link may run meanwhile), and restarts with the latest configs: alters
// that queue up while one restarts the runtime find it running their
// configs already, and return without restarting it again.
func (m *Manager) AlterLinkConfigs(ctx context.Context, cluster, link string, sets map[string]string, resets []string, validateOnly bool) error {
	if _, err := m.cluster(cluster); err != nil {
		return err
	}
	norm, err := linkemu.NormalizeLinkConfigs(sets)
	if err != nil {
		return err
	}
	var updated *linkemu.Link
	err = m.write(func(tx *wtx) error {
		l, err := tx.Link(cluster, link)
		if err != nil {
			return err
		}
		if updated, err = linkemu.AlterLinkConfigs(l, norm, resets); err != nil {
			return err
		}
		if validateOnly {
			return nil
		}
		return tx.PutLink(updated)
	})
	if err != nil || validateOnly {
		return err
	}
	m.log.Info("link configs altered", "cluster", cluster, "link", link, "set", len(norm), "reset", len(resets))
	if rt := m.runtime(cluster, link); rt != nil && rt.reconfigureTasks() {
		return nil
	}
	unlock, err := m.lanes.lock(ctx, linkLane(cluster, link, true))
	if err != nil {
		return err
	}
	defer unlock()
	latest := m.view().findLink(cluster, link)
	if latest == nil {
		return nil // deleted since: nothing runs to restart
	}
	rt := m.runtime(cluster, link)
	if rt != nil && rt.runs(latest) {
		return nil // a concurrent alter restarted it with these configs already
	}
	m.startLink(latest)
	return nil
}

// tasksOnly reports whether two versions of a link differ only in configs
// that just the task workers read (offset sync, ACL sync, auto-create, and
// those the manager reads from the view when it creates a mirror): then
// the connection and replication keep running through the change.
func tasksOnly(a, b *linkemu.Link) bool {
	for _, k := range slices.Concat(slices.Collect(maps.Keys(a.Configs)), slices.Collect(maps.Keys(b.Configs))) {
		if a.Configs[k] == b.Configs[k] {
			continue
		}
		switch {
		case strings.HasPrefix(k, "consumer.offset."), strings.HasPrefix(k, "acl."), strings.HasPrefix(k, "auto.create.mirror."),
			k == linkemu.CfgConsumerGroupPrefix, k == linkemu.CfgMirrorStartOffsetSpec, k == linkemu.CfgClusterLinkPrefix:
		default:
			return false
		}
	}
	return true
}

// readLink returns a link from the published view after checking its
// cluster is served.
func (m *Manager) readLink(cluster, link string) (*linkemu.Link, error) {
	if _, err := m.cluster(cluster); err != nil {
		return nil, err
	}
	return m.view().link(cluster, link)
}
