package store

import (
	"encoding/json"
	"sort"

	linkemu "github.com/linkemu/linkemu"
)

// Link returns the link name on cluster, with its configs.
func (t *Tx) Link(cluster, name string) (*linkemu.Link, error) {
	l, err := t.FindLink(cluster, name)
	if err == nil && l == nil {
		err = linkemu.Errorf(linkemu.ENOTFOUND, "Cluster link '%s' not found on cluster %s.%s", name, cluster, linkemu.DidYouMean(name, t.names(bucketLinks, cluster)))
	}
	return l, err
}

// FindLink is Link for callers to whom a missing link is an answer: it
// returns nil and no error then.
func (t *Tx) FindLink(cluster, name string) (*linkemu.Link, error) {
	v, err := t.value(bucketLinks, cluster, name)
	if err != nil || v == nil {
		return nil, err
	}
	var l linkemu.Link
	if err := json.Unmarshal(v, &l); err != nil {
		return nil, err
	}
	l.Configs = map[string]string{}
	cb, err := t.nested(false, bucketLinkConfigs, cluster, name)
	if err != nil || cb == nil {
		return &l, err
	}
	err = cb.ForEach(func(k, v []byte) error {
		l.Configs[string(k)] = string(v)
		return nil
	})
	return &l, err
}

// Links returns the links of cluster sorted by name; every link of every
// cluster when cluster is "".
func (t *Tx) Links(cluster string) ([]*linkemu.Link, error) {
	var out []*linkemu.Link
	for _, c := range t.clusters(bucketLinks, cluster) {
		b, err := t.nested(false, bucketLinks, c)
		if err != nil {
			return nil, err
		}
		if b == nil {
			continue
		}
		var names []string
		if err := b.ForEach(func(k, _ []byte) error {
			names = append(names, string(k))
			return nil
		}); err != nil {
			return nil, err
		}
		for _, n := range names {
			l, err := t.Link(c, n)
			if err != nil {
				return nil, err
			}
			out = append(out, l)
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

// PutLink creates or replaces a link and its configs.
func (t *Tx) PutLink(l *linkemu.Link) error {
	b, err := t.nested(true, bucketLinks, l.ClusterID)
	if err != nil {
		return err
	}
	bare := *l
	bare.Configs = nil
	v, err := json.Marshal(&bare)
	if err != nil {
		return err
	}
	if err := b.Put([]byte(l.Name), v); err != nil {
		return err
	}
	parent, err := t.nested(true, bucketLinkConfigs, l.ClusterID)
	if err != nil {
		return err
	}
	if parent.Bucket([]byte(l.Name)) != nil {
		if err := parent.DeleteBucket([]byte(l.Name)); err != nil {
			return err
		}
	}
	cb, err := parent.CreateBucket([]byte(l.Name))
	if err != nil {
		return err
	}
	for k, v := range l.Configs {
		if err := cb.Put([]byte(k), []byte(v)); err != nil {
			return err
		}
	}
	return nil
}

// CreateLink stores a new link; it fails with ECONFLICT if one of that name
// exists on the cluster.
func (t *Tx) CreateLink(l *linkemu.Link) error {
	if v, err := t.value(bucketLinks, l.ClusterID, l.Name); err != nil {
		return err
	} else if v != nil {
		return linkemu.Errorf(linkemu.ECONFLICT, "Cluster link '%s' already exists.", l.Name)
	}
	return t.PutLink(l)
}

// DeleteLink removes a link and its configs.
func (t *Tx) DeleteLink(cluster, name string) error {
	if _, err := t.Link(cluster, name); err != nil {
		return err
	}
	b, err := t.nested(false, bucketLinks, cluster)
	if err != nil {
		return err
	}
	if err := b.Delete([]byte(name)); err != nil {
		return err
	}
	if parent, _ := t.nested(false, bucketLinkConfigs, cluster); parent != nil && parent.Bucket([]byte(name)) != nil {
		return parent.DeleteBucket([]byte(name))
	}
	return nil
}
