package manager

import (
	"context"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
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
// nothing. The link's runtime restarts with the new configs.
func (m *Manager) AlterLinkConfigs(_ context.Context, cluster, link string, sets map[string]string, resets []string, validateOnly bool) error {
	if _, err := m.cluster(cluster); err != nil {
		return err
	}
	norm, err := linkemu.NormalizeLinkConfigs(sets)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var updated *linkemu.Link
	err = m.store.Update(func(tx *store.Tx) error {
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
	m.startLink(updated)
	return nil
}

// readLink returns a stored link after checking its cluster is served.
func (m *Manager) readLink(cluster, link string) (*linkemu.Link, error) {
	if _, err := m.cluster(cluster); err != nil {
		return nil, err
	}
	var l *linkemu.Link
	err := m.store.View(func(tx *store.Tx) error {
		var err error
		l, err = tx.Link(cluster, link)
		return err
	})
	return l, err
}
