package aclsync

import (
	"context"
	"fmt"

	"github.com/linkemu/linkemu"
)

// result is what one pass did, for the task and the logs.
type result struct {
	created, deleted int
	failed           []error // per-ACL failures; the other ACLs were synced
}

// syncOnce reconciles the destination's ACLs with the source's. It returns
// an error when the pass as a whole failed.
func (s *Syncer) syncOnce(ctx context.Context, cfg Config) (result, error) {
	var res result
	src, err := describeAll(ctx, s.src)
	if err != nil {
		return res, fmt.Errorf("describing ACLs on the source cluster: %w", err)
	}
	var byLink map[linkemu.ACLBinding]string
	if s.linkACLs != nil {
		if byLink, err = s.linkACLs(ctx); err != nil {
			return res, fmt.Errorf("looking up ACLs that cluster links created on the source cluster: %w", err)
		}
	}
	dst, err := describeAll(ctx, s.dst)
	if err != nil {
		return res, fmt.Errorf("describing ACLs on the destination cluster: %w", err)
	}
	stored, err := s.store.OwnedACLs(ctx, s.link)
	if err != nil {
		return res, fmt.Errorf("reading the ACLs this link created: %w", err)
	}

	desired := make(map[linkemu.ACLBinding]bool)
	for _, a := range src {
		if cfg.Filters.MatchCreatedBy(a, byLink[a]) {
			desired[a] = true
		}
	}
	onDst := make(map[linkemu.ACLBinding]bool, len(dst))
	for _, a := range dst {
		onDst[a] = true
	}
	// Owned ACLs that are gone from the destination are forgotten: the link
	// has nothing left to delete, and must not delete an ACL of the same
	// shape that someone creates later.
	owned := make(map[linkemu.ACLBinding]bool)
	for _, a := range stored {
		if onDst[a] {
			owned[a] = true
		}
	}

	var toCreate, toDelete []linkemu.ACLBinding
	for _, a := range src {
		if desired[a] && !onDst[a] {
			toCreate = append(toCreate, a)
		}
	}
	for a := range owned {
		if !desired[a] {
			toDelete = append(toDelete, a)
		}
	}
	sortACLs(toDelete)

	// Record ACLs before creating them: after a crash the link still knows
	// them, and the next pass forgets the ones that were never created.
	for _, a := range toCreate {
		owned[a] = true
	}
	if stored, err = s.saveOwned(ctx, stored, owned); err != nil {
		return res, err
	}
	if len(toCreate) > 0 {
		failed, err := createACLs(ctx, s.dst, toCreate)
		if err != nil {
			return res, fmt.Errorf("creating %d ACLs on the destination cluster: %w", len(toCreate), err)
		}
		res.created = len(toCreate) - len(failed)
		for _, f := range failed {
			res.failed = append(res.failed, fmt.Errorf("The destination cluster refused to create ACL %s: %w", f.acl, f.err))
		}
	}
	if len(toDelete) > 0 {
		failed, err := deleteACLs(ctx, s.dst, toDelete)
		if err != nil {
			return res, fmt.Errorf("deleting %d ACLs from the destination cluster: %w", len(toDelete), err)
		}
		refused := make(map[linkemu.ACLBinding]bool)
		for _, f := range failed {
			refused[f.acl] = true
			res.failed = append(res.failed, fmt.Errorf("The destination cluster refused to delete ACL %s: %w", f.acl, f.err))
		}
		for _, a := range toDelete {
			if !refused[a] {
				delete(owned, a)
				res.deleted++
			}
		}
	}
	_, err = s.saveOwned(ctx, stored, owned)
	return res, err
}

// saveOwned stores owned if it differs from stored, and returns what is
// stored now.
func (s *Syncer) saveOwned(ctx context.Context, stored []linkemu.ACLBinding, owned map[linkemu.ACLBinding]bool) ([]linkemu.ACLBinding, error) {
	same := len(stored) == len(owned)
	for _, a := range stored {
		same = same && owned[a]
	}
	if same {
		return stored, nil
	}
	list := make([]linkemu.ACLBinding, 0, len(owned))
	for a := range owned {
		list = append(list, a)
	}
	sortACLs(list)
	if err := s.store.SetOwnedACLs(ctx, s.link, list); err != nil {
		return stored, fmt.Errorf("recording the ACLs this link created: %w", err)
	}
	return list, nil
}
