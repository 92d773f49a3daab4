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
	// byLink holds each link's mirror topics sorted by name, by cluster and
	// link name: the reads of one link (GET link, the metrics) and the
	// workers' mirror lists need not walk every mirror.
	byLink map[linkKey][]*linkemu.Mirror
}

// emptyView is the view of an empty store.
func emptyView() *view {
	return &view{links: map[linkKey]*linkemu.Link{}, mirrors: map[linkKey]*linkemu.Mirror{}, byLink: map[linkKey][]*linkemu.Mirror{}}
}

// findLink returns a link, or nil: for callers to whom a missing link is an
// answer, not an error (no did-you-mean hint is worked out).
func (v *view) findLink(cluster, name string) *linkemu.Link { return v.links[linkKey{cluster, name}] }

func (v *view) link(cluster, name string) (*linkemu.Link, error) {
	if l := v.findLink(cluster, name); l != nil {
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
	if cluster != "" && link != "" {
		return slices.Clip(v.byLink[linkKey{cluster, link}])
	}
	var out []*linkemu.Mirror
	for k, mr := range v.mirrors {
		if (cluster == "" || k.cluster == cluster) && (link == "" || mr.LinkName == link) {
			out = append(out, mr)
		}
	}
	sortMirrors(out)
	return out
}

// loadView reads the whole view from the store.
func loadView(s *store.Store) (*view, error) {
	v := emptyView()
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
			k := linkKey{mr.ClusterID, mr.LinkName}
			v.byLink[k] = append(v.byLink[k], mr)
		}
		for _, ms := range v.byLink {
			sortMirrors(ms)
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
	next := &view{links: old.links, mirrors: old.mirrors, byLink: old.byLink}
	if len(t.links) > 0 {
		next.links = applyChanges(old.links, t.links)
	}
	if len(t.mirrors) > 0 {
		next.mirrors = applyChanges(old.mirrors, t.mirrors)
		next.byLink = regroup(old, t.mirrors)
	}
	m.state.Store(next)
}

// regroup returns old's byLink with changes to mirrors applied: only the
// links of changed mirrors (before and after the change) are regrouped.
func regroup(old *view, changes map[linkKey]*linkemu.Mirror) map[linkKey][]*linkemu.Mirror {
	touched := map[linkKey]bool{}
	for k, mr := range changes {
		if was := old.mirrors[k]; was != nil {
			touched[linkKey{was.ClusterID, was.LinkName}] = true
		}
		if mr != nil {
			touched[linkKey{mr.ClusterID, mr.LinkName}] = true
		}
	}
	out := make(map[linkKey][]*linkemu.Mirror, len(old.byLink)+len(touched))
	for k, ms := range old.byLink {
		if !touched[k] {
			out[k] = ms
		}
	}
	for lk := range touched {
		var ms []*linkemu.Mirror
		for _, mr := range old.byLink[lk] {
			if _, changed := changes[linkKey{mr.ClusterID, mr.Name}]; !changed {
				ms = append(ms, mr)
			}
		}
		for _, mr := range changes {
			if mr != nil && mr.ClusterID == lk.cluster && mr.LinkName == lk.name {
				ms = append(ms, mr)
			}
		}
		if len(ms) > 0 {
			sortMirrors(ms)
			out[lk] = ms
		}
	}
	return out
}

// sortMirrors sorts mirror topics by cluster and name.
func sortMirrors(ms []*linkemu.Mirror) {
	slices.SortFunc(ms, func(a, b *linkemu.Mirror) int {
		return cmp.Or(strings.Compare(a.ClusterID, b.ClusterID), strings.Compare(a.Name, b.Name))
	})
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
