package manager

import (
	"cmp"
	"slices"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// view is the published copy of the stored links and mirror topics: an
// immutable value that readers load with one atomic operation and never
// change. Every manager write to links or mirrors goes through write, which
// commits the store transaction and then publishes the next view before it
// returns, so the writer's next read, and anyone's read that starts after
// the write returned, sees it.
type view struct {
	links   map[linkKey]*linkemu.Link
	mirrors map[linkKey]*linkemu.Mirror // by cluster and mirror topic name
}

func (v *view) link(cluster, name string) (*linkemu.Link, error) {
	if l := v.links[linkKey{cluster, name}]; l != nil {
		return l, nil
	}
	var names []string
	for _, l := range v.linksOf(cluster) {
		names = append(names, l.Name)
	}
	return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Cluster link '%s' not found on cluster %s.%s", name, cluster, linkemu.DidYouMean(name, names))
}

// linksOf returns the links of cluster ("" for every cluster) sorted by
// cluster and name, as the store lists them.
func (v *view) linksOf(cluster string) []*linkemu.Link {
	var out []*linkemu.Link
	for k, l := range v.links {
		if cluster == "" || k.cluster == cluster {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b *linkemu.Link) int {
		return cmp.Or(strings.Compare(a.ClusterID, b.ClusterID), strings.Compare(a.Name, b.Name))
	})
	return out
}

// mirror returns a mirror topic, or nil.
func (v *view) mirror(cluster, name string) *linkemu.Mirror { return v.mirrors[linkKey{cluster, name}] }

// mirrorsOf returns the mirror topics of one link of cluster, of every link
// when link is "", of every cluster when cluster is also "", sorted by
// cluster and name.
func (v *view) mirrorsOf(cluster, link string) []*linkemu.Mirror {
	var out []*linkemu.Mirror
	for k, mr := range v.mirrors {
		if (cluster == "" || k.cluster == cluster) && (link == "" || mr.LinkName == link) {
			out = append(out, mr)
		}
	}
	slices.SortFunc(out, func(a, b *linkemu.Mirror) int {
		return cmp.Or(strings.Compare(a.ClusterID, b.ClusterID), strings.Compare(a.Name, b.Name))
	})
	return out
}

// loadView reads the whole view from the store.
func loadView(s *store.Store) (*view, error) {
	v := &view{links: map[linkKey]*linkemu.Link{}, mirrors: map[linkKey]*linkemu.Mirror{}}
	err := s.View(func(tx *store.Tx) error {
		links, err := tx.Links("")
		if err != nil {
			return err
		}
		for _, l := range links {
			v.links[linkKey{l.ClusterID, l.Name}] = l
		}
		mirrors, err := tx.Mirrors("", "")
		for _, mr := range mirrors {
			v.mirrors[linkKey{mr.ClusterID, mr.Name}] = mr
		}
		return err
	})
	return v, err
}

// wtx is a store transaction of the manager: it records what it changes in
// links and mirrors so that write can publish it. Reads go to the
// transaction, so validation sees exactly what the write replaces.
type wtx struct {
	*store.Tx
	links   map[linkKey]*linkemu.Link   // nil value: deleted
	mirrors map[linkKey]*linkemu.Mirror // nil value: deleted
}

func (t *wtx) CreateLink(l *linkemu.Link) error {
	if err := t.Tx.CreateLink(l); err != nil {
		return err
	}
	t.links[linkKey{l.ClusterID, l.Name}] = l.Clone()
	return nil
}

func (t *wtx) PutLink(l *linkemu.Link) error {
	if err := t.Tx.PutLink(l); err != nil {
		return err
	}
	t.links[linkKey{l.ClusterID, l.Name}] = l.Clone()
	return nil
}

func (t *wtx) DeleteLink(cluster, name string) error {
	if err := t.Tx.DeleteLink(cluster, name); err != nil {
		return err
	}
	t.links[linkKey{cluster, name}] = nil
	return nil
}

func (t *wtx) PutMirror(mr *linkemu.Mirror) error {
	if err := t.Tx.PutMirror(mr); err != nil {
		return err
	}
	t.mirrors[linkKey{mr.ClusterID, mr.Name}] = mr.Clone()
	return nil
}

func (t *wtx) DeleteMirror(cluster, name string) error {
	if err := t.Tx.DeleteMirror(cluster, name); err != nil {
		return err
	}
	t.mirrors[linkKey{cluster, name}] = nil
	return nil
}

// write runs fn in one store transaction (validation and write together)
// and publishes what it changed before it returns. The store may commit fn
// together with concurrent writes (group commit) and then runs each
// publication after the commit, in commit order (store.UpdateThen), so the
// view follows the store without a lock of the manager's own.
func (m *Manager) write(fn func(tx *wtx) error) error {
	var t *wtx
	return m.store.UpdateThen(func(tx *store.Tx) error {
		t = &wtx{Tx: tx, links: map[linkKey]*linkemu.Link{}, mirrors: map[linkKey]*linkemu.Mirror{}}
		return fn(t)
	}, func() { m.publish(t) })
}

// publish makes the view show a committed transaction's changes.
func (m *Manager) publish(t *wtx) {
	if len(t.links) == 0 && len(t.mirrors) == 0 {
		return
	}
	old := m.state.Load()
	next := &view{links: old.links, mirrors: old.mirrors}
	if len(t.links) > 0 {
		next.links = applyChanges(old.links, t.links)
	}
	if len(t.mirrors) > 0 {
		next.mirrors = applyChanges(old.mirrors, t.mirrors)
	}
	m.state.Store(next)
}

// applyChanges returns a copy of old with changes applied.
func applyChanges[T any](old, changes map[linkKey]*T) map[linkKey]*T {
	out := make(map[linkKey]*T, len(old)+len(changes))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// view returns the published view.
func (m *Manager) view() *view { return m.state.Load() }
