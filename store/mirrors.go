package store

import (
	"encoding/json"
	"sort"

	linkemu "github.com/linkemu/linkemu"
)

// Mirror returns the mirror topic name on cluster.
func (t *Tx) Mirror(cluster, name string) (*linkemu.Mirror, error) {
	m, err := t.FindMirror(cluster, name)
	if err == nil && m == nil {
		err = linkemu.Errorf(linkemu.ENOTFOUND, "Mirror topic '%s' not found on cluster %s.%s", name, cluster, linkemu.DidYouMean(name, t.names(bucketMirrors, cluster)))
	}
	return m, err
}

// FindMirror is Mirror for callers to whom a missing mirror is an answer:
// it returns nil and no error then.
func (t *Tx) FindMirror(cluster, name string) (*linkemu.Mirror, error) {
	v, err := t.value(bucketMirrors, cluster, name)
	if err != nil || v == nil {
		return nil, err
	}
	var m linkemu.Mirror
	return &m, json.Unmarshal(v, &m)
}

// Mirrors returns the mirror topics of cluster, sorted by name: those of one
// link when link is not "", every cluster's when cluster is "".
func (t *Tx) Mirrors(cluster, link string) ([]*linkemu.Mirror, error) {
	var out []*linkemu.Mirror
	for _, c := range t.clusters(bucketMirrors, cluster) {
		b, err := t.nested(false, bucketMirrors, c)
		if err != nil {
			return nil, err
		}
		if b == nil {
			continue
		}
		err = b.ForEach(func(_, v []byte) error {
			var m linkemu.Mirror
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if link == "" || m.LinkName == link {
				out = append(out, &m)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ClusterID != out[j].ClusterID {
			return out[i].ClusterID < out[j].ClusterID
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// PutMirror creates or replaces a mirror topic.
func (t *Tx) PutMirror(m *linkemu.Mirror) error {
	b, err := t.nested(true, bucketMirrors, m.ClusterID)
	if err != nil {
		return err
	}
	v, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return b.Put([]byte(m.Name), v)
}

// DeleteMirror removes a mirror topic; a missing one is not an error.
func (t *Tx) DeleteMirror(cluster, name string) error {
	b, err := t.nested(false, bucketMirrors, cluster)
	if err != nil || b == nil {
		return err
	}
	return b.Delete([]byte(name))
}
