package manager

import (
	"context"
	"encoding/json"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// aclStore keeps, per link side, the ACLs the link's ACL sync created on its
// destination (aclsync.Store), in the store's "aclsync" namespace.
type aclStore struct{ s *store.Store }

var aclNamespace = []string{"aclsync"}

// aclKey is a link side's key: cluster/link, unique even for the two sides of
// a bidirectional link, which share a cluster_link_id.
func aclKey(l *linkemu.Link) string { return l.ClusterID + "/" + l.Name }

func (a aclStore) OwnedACLs(_ context.Context, link string) ([]linkemu.ACLBinding, error) {
	var out []linkemu.ACLBinding
	err := a.s.View(func(tx *store.Tx) error {
		v, err := tx.KVGet(aclNamespace, link)
		if err != nil || v == nil {
			return err
		}
		return json.Unmarshal(v, &out)
	})
	return out, err
}

func (a aclStore) SetOwnedACLs(_ context.Context, link string, acls []linkemu.ACLBinding) error {
	return a.s.Update(func(tx *store.Tx) error {
		if len(acls) == 0 {
			return tx.KVDelete(aclNamespace, link)
		}
		v, err := json.Marshal(acls)
		if err != nil {
			return err
		}
		return tx.KVPut(aclNamespace, link, v)
	})
}

// linkCreatedACLs returns, for the cluster the given link reads from, every
// ACL that another link created there by syncing into it, with that link's
// cluster_link_id: ACL sync skips them unless a filter names the link.
func (m *Manager) linkCreatedACLs(l *linkemu.Link) func(context.Context) (map[linkemu.ACLBinding]string, error) {
	source := l.RemoteID()
	return func(ctx context.Context) (map[linkemu.ACLBinding]string, error) {
		out := map[linkemu.ACLBinding]string{}
		for _, other := range m.view().linksOf(source) {
			owned, err := aclStore{m.store}.OwnedACLs(ctx, aclKey(other))
			if err != nil {
				return nil, err
			}
			for _, a := range owned {
				out[a] = other.ClusterLinkID
			}
		}
		return out, nil
	}
}
