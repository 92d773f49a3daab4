package aclsync

import (
	"context"
	"slices"
	"sync"

	"github.com/linkemu/linkemu"
)

// Store records which ACLs each link created on its destination cluster, so
// that the link deletes those and no others. link is the key the manager
// gives a Syncer in Options.Link; it must be unique per link and side (two
// sides of a bidirectional link share a cluster_link_id, so that is not
// enough).
type Store interface {
	// OwnedACLs returns the ACLs the link created, or none.
	OwnedACLs(ctx context.Context, link string) ([]linkemu.ACLBinding, error)
	// SetOwnedACLs replaces them; an empty list forgets the link.
	SetOwnedACLs(ctx context.Context, link string, acls []linkemu.ACLBinding) error
}

// MemStore is an in-memory Store, for tests and for running without a
// database. The zero value is ready to use.
type MemStore struct {
	mu    sync.Mutex
	owned map[string][]linkemu.ACLBinding
}

// OwnedACLs implements Store.
func (m *MemStore) OwnedACLs(_ context.Context, link string) ([]linkemu.ACLBinding, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.owned[link]), nil
}

// SetOwnedACLs implements Store.
func (m *MemStore) SetOwnedACLs(_ context.Context, link string, acls []linkemu.ACLBinding) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(acls) == 0 {
		delete(m.owned, link)
		return nil
	}
	if m.owned == nil {
		m.owned = make(map[string][]linkemu.ACLBinding)
	}
	m.owned[link] = slices.Clone(acls)
	return nil
}
