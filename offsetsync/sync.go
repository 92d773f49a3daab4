package offsetsync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// result is what one pass did, for the task and the logs.
type result struct {
	groups    int            // source groups selected by the filters
	committed int            // partitions committed on the destination
	clamped   int            // partitions committed at the log end offset instead
	inUse     []groupInUse   // destination groups left alone
	failed    []groupFailure // groups whose offsets could not be read or committed
}

type groupInUse struct {
	group   string // the destination group
	members int    // -1 when only the commit revealed the members
}

type groupFailure struct {
	group string // the destination group for commits, the source group for fetches, "" for listing
	err   error
}

// syncOnce syncs the offsets of every selected group. It returns an error
// only when the pass as a whole failed; per-group problems are in result.
func (s *Syncer) syncOnce(ctx context.Context, cfg Config, only []string) (result, error) {
	var res result
	if len(cfg.Filters) == 0 {
		return res, nil
	}
	mirrors, err := s.mirrors(ctx)
	if err != nil {
		return res, fmt.Errorf("listing the link's mirror topics: %w", err)
	}
	bySource := make(map[string]string) // source topic -> mirror topic
	var mirrorNames []string
	for _, m := range mirrors {
		if len(only) > 0 && !slices.Contains(only, m.Name) || len(only) == 0 && !syncable(m.Status) {
			continue
		}
		bySource[m.SourceTopic] = m.Name
		mirrorNames = append(mirrorNames, m.Name)
	}
	if len(bySource) == 0 {
		return res, nil
	}

	listed, err := s.src.ListGroups(ctx)
	if err != nil {
		err = fmt.Errorf("listing consumer groups on the source cluster: %w", err)
		if len(listed) == 0 {
			return res, err
		}
		res.failed = append(res.failed, groupFailure{"", err}) // some brokers answered; sync their groups
	}
	var groups []string
	for _, g := range listed.Sorted() {
		if g.ProtocolType != "share" && cfg.Filters.Match(g.Group, cfg.topicType()) {
			groups = append(groups, g.Group)
		}
	}
	res.groups = len(groups)
	if len(groups) == 0 {
		return res, nil
	}

	ends, err := s.dst.ListEndOffsets(ctx, mirrorNames...)
	if err != nil {
		return res, fmt.Errorf("listing log end offsets of mirror topics on the destination cluster: %w", err)
	}
	srcOffsets := s.src.FetchManyOffsets(ctx, groups...)

	destGroups := make([]string, 0, len(groups))
	for _, g := range groups {
		destGroups = append(destGroups, cfg.GroupPrefix+g)
	}
	// A group missing from a partial answer is still safe: committing to a
	// group with members fails, and the commit error marks it in use.
	described, err := s.dst.DescribeGroups(ctx, destGroups...)
	if err != nil && len(described) == 0 {
		return res, fmt.Errorf("describing consumer groups on the destination cluster: %w", err)
	}
	dstOffsets := s.dst.FetchManyOffsets(ctx, destGroups...)

	for i, group := range groups {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		destGroup := destGroups[i]
		if d, ok := described[destGroup]; ok && d.Err == nil && len(d.Members) > 0 {
			res.inUse = append(res.inUse, groupInUse{destGroup, len(d.Members)})
			continue
		}
		fetched, ok := srcOffsets[group]
		if !ok || fetched.Err != nil {
			err := errors.New("no response")
			if ok {
				err = fetched.Err
			}
			res.failed = append(res.failed, groupFailure{group, fmt.Errorf("fetching offsets of group %q on the source cluster: %w", group, err)})
			continue
		}
		current := dstOffsets[destGroup]
		if current.Err != nil && !errors.Is(current.Err, kerr.GroupIDNotFound) {
			res.failed = append(res.failed, groupFailure{destGroup, fmt.Errorf("fetching offsets of group %q on the destination cluster: %w", destGroup, current.Err)})
			continue
		}
		commit, clamped := s.plan(fetched.Fetched, current.Fetched, bySource, ends)
		if len(commit) == 0 {
			continue
		}
		resps, err := s.dst.CommitOffsets(ctx, destGroup, commit)
		if err == nil {
			err = resps.Error()
		}
		switch {
		case err == nil:
			res.committed += commitCount(commit)
			res.clamped += clamped
		case memberError(err):
			res.inUse = append(res.inUse, groupInUse{destGroup, -1})
		default:
			res.failed = append(res.failed, groupFailure{destGroup, fmt.Errorf("committing offsets of group %q on the destination cluster: %w", destGroup, err)})
		}
	}
	return res, nil
}

// plan returns the offsets to commit for one group: the source group's
// committed offsets on mirrored topics, translated, clamped to the mirror's
// log end offset, and only where they differ from the destination group's.
func (s *Syncer) plan(src, dst kadm.OffsetResponses, bySource map[string]string, ends kadm.ListedOffsets) (kadm.Offsets, int) {
	commit := make(kadm.Offsets)
	clamped := 0
	src.Each(func(o kadm.OffsetResponse) {
		mirror, ok := bySource[o.Topic]
		if !ok || o.Err != nil || o.At < 0 {
			return
		}
		at := o.At
		if s.translate != nil {
			if at, ok = s.translate(mirror, o.Partition, o.At); !ok {
				return
			}
		}
		end, ok := ends.Lookup(mirror, o.Partition)
		if !ok || end.Err != nil || end.Offset < 0 {
			return // the mirror partition does not exist (yet) on the destination
		}
		atEnd := at > end.Offset
		if atEnd {
			at = end.Offset
		}
		if cur, ok := dst.Lookup(mirror, o.Partition); ok && cur.Err == nil && cur.At == at {
			return // unchanged
		}
		if atEnd {
			clamped++
		}
		commit.Add(kadm.Offset{Topic: mirror, Partition: o.Partition, At: at, LeaderEpoch: -1, Metadata: o.Metadata})
	})
	return commit, clamped
}

// syncable reports whether offsets sync to a mirror in the given status.
// STOPPED mirrors are regular topics now, and mirrors that failed or are
// still being set up have no trustworthy data.
func syncable(st linkemu.MirrorStatus) bool {
	switch st {
	case linkemu.MirrorActive, linkemu.MirrorPaused, linkemu.MirrorPendingStopped,
		linkemu.MirrorSourceUnavailable, linkemu.MirrorLinkPaused, linkemu.MirrorLinkFailed:
		return true
	default:
		return false
	}
}

// memberError reports whether a commit failed because the group has members.
func memberError(err error) bool {
	return errors.Is(err, kerr.UnknownMemberID) || errors.Is(err, kerr.IllegalGeneration) ||
		errors.Is(err, kerr.RebalanceInProgress) || errors.Is(err, kerr.StaleMemberEpoch) ||
		errors.Is(err, kerr.FencedInstanceID)
}

func commitCount(os kadm.Offsets) int {
	n := 0
	for _, ps := range os {
		n += len(ps)
	}
	return n
}

// taskErrors returns the per-group problems of a pass as task errors.
func (r result) taskErrors() []linkemu.TaskError {
	var errs []linkemu.TaskError
	sort.Slice(r.inUse, func(i, j int) bool { return r.inUse[i].group < r.inUse[j].group })
	for _, g := range r.inUse {
		members := "it has active members"
		if g.members > 0 {
			members = fmt.Sprintf("it has %d active member(s)", g.members)
		}
		errs = append(errs, linkemu.TaskError{
			Code: linkemu.TaskErrConsumerGroupInUse,
			Message: fmt.Sprintf("Consumer group '%s' is in use on the destination cluster: %s, so the link does not overwrite its offsets. "+
				"Offsets of other groups are still synced; stop the group's consumers, or exclude it in %s.", g.group, members, linkemu.CfgOffsetGroupFilter),
		})
	}
	for _, f := range r.failed {
		errs = append(errs, linktask.TaskError(f.err))
	}
	return errs
}

func (r result) failedErr() error {
	errs := make([]error, 0, len(r.failed))
	for _, f := range r.failed {
		errs = append(errs, f.err)
	}
	return errors.Join(errs...)
}
