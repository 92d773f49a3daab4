package manager

import (
	"context"
	"fmt"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/offsetsync"
)

// The failback actions of bidirectional links.
//
// reverse-and-start-mirror and reverse-and-pause-mirror turn a local mirror
// topic into a writable topic and its remote source into a mirror of it. The
// remote topic is made read-only first, so nothing lands on it while the
// local mirror catches up; consumer offsets are carried across with a last
// sync of every group; then the local mirror stops and the remote side's
// mirror starts (or stays paused) from the offset where both logs end, so
// offsets stay equal on both sides.
//
// truncate-and-restore makes a local topic that diverged from its remote
// mirror after a failover (records written here after the mirror stopped)
// into a mirror of that remote topic again. Kafka cannot cut the tail of a
// log, so linkemu deletes the local topic and creates it again as a mirror
// of the remote topic, which replication fills from the remote topic's log
// start offset: everything up to the stop offsets comes back identical,
// everything after them is the remote topic's. The cost is a full copy of
// the remote topic. messages_truncated counts the offsets above the stop
// offsets that the local topic held.
//
// Both need the two sides of the link in this emulator, with mirror names
// that map back and forth: the remote mirror of a local topic is named with
// the remote side's cluster.link.prefix, so a topic reverses onto itself
// only when that name is the remote topic's own, as in unprefixed
// active/passive setups.

// Failback actions.
const (
	ActionReverseAndStart    MirrorAction = "reverse-and-start-mirror"
	ActionReverseAndPause    MirrorAction = "reverse-and-pause-mirror"
	ActionTruncateAndRestore MirrorAction = "truncate-and-restore"
)

// PartitionTruncation is one entry of partition_level_truncation_data.
type PartitionTruncation struct {
	Partition         int32
	OffsetTruncatedTo int64
	MessagesTruncated int64
}

// failbackSides returns the local side of a bidirectional link and its other
// side, or the error that keeps failback actions off the link.
func (m *Manager) failbackSides(cluster, link string, action MirrorAction) (*linkemu.Link, *linkemu.Link, error) {
	l, err := m.readLink(cluster, link)
	if err != nil {
		return nil, nil, err
	}
	if l.Mode() != linkemu.ModeBidirectional {
		return nil, nil, linkemu.Errorf(linkemu.EINVALID, "mirrors:%s is only available on bidirectional links; link '%s' has link.mode=%s.", action, link, l.Mode())
	}
	peer := m.peer(l)
	if peer == nil {
		return nil, nil, linkemu.Errorf(linkemu.EINVALID, "mirrors:%s needs both sides of link '%s': cluster %s has no side of it in this emulator.", action, link, l.RemoteID())
	}
	return l, peer, nil
}

// reverse runs reverse-and-start-mirror or reverse-and-pause-mirror on the
// selected local mirror topics. A reversed topic's mirror_lags are those of
// its new mirror on the other side, one entry per partition, as Confluent
// reports them. The caller holds the lanes of both sides
// and of the mirrors on both.
func (m *Manager) reverse(ctx context.Context, l, peer *linkemu.Link, names []string, todo []int, results []ActionResult, start bool) {
	for _, i := range todo {
		if results[i].Err = m.reverseOne(ctx, l, peer, names[i], start); results[i].Err != nil {
			continue
		}
		if rm, _ := m.mirror(peer.ClusterID, linkemu.MirrorName(peer.Prefix(), names[i])); rm != nil {
			results[i].Lags = m.mirrorView(rm).Lags
		}
	}
}

// reverseTarget checks that a local mirror can be reversed and returns the
// name of its source topic, which becomes the remote mirror.
func (m *Manager) reverseTarget(l, peer *linkemu.Link, name string) (string, error) {
	mr, err := m.mirror(l.ClusterID, name)
	if err != nil {
		return "", err
	}
	remote := mr.SourceTopic
	if want := linkemu.MirrorName(peer.Prefix(), name); want != remote {
		return "", linkemu.Errorf(linkemu.EINVALID, "Topic '%s' cannot be reversed: on cluster %s its mirror would be named '%s' (cluster.link.prefix '%s'), but its source topic there is '%s'.", name, peer.ClusterID, want, peer.Prefix(), remote)
	}
	if other, _ := m.mirror(peer.ClusterID, remote); other != nil && other.Status != linkemu.MirrorStopped {
		return "", linkemu.Errorf(linkemu.ECONFLICT, "Topic '%s' on cluster %s is already a mirror topic of link '%s'.", remote, peer.ClusterID, other.LinkName)
	}
	return remote, nil
}

func (m *Manager) reverseOne(ctx context.Context, l, peer *linkemu.Link, name string, start bool) error {
	remote, err := m.reverseTarget(l, peer, name)
	if err != nil {
		return err
	}
	rt := m.runtime(l.ClusterID, l.Name)
	if rt == nil || rt.repl == nil {
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' cannot be reversed: link '%s' is not replicating.", name, l.Name)
	}
	local, err := m.mirror(l.ClusterID, name)
	if err != nil {
		return err
	}
	// 1. The remote topic stops taking writes: it is a paused mirror now.
	rm := &linkemu.Mirror{ClusterID: peer.ClusterID, LinkName: peer.Name, Name: remote, SourceTopic: name, Partitions: local.Partitions,
		Status: linkemu.MirrorPaused, StateTime: m.cfg.Now().UTC(), StartSpec: "earliest"}
	if err := m.write(func(tx *wtx) error { return tx.PutMirror(rm) }); err != nil {
		return err
	}
	undo := func(cause error) error {
		_ = m.write(func(tx *wtx) error { return tx.DeleteMirror(peer.ClusterID, remote) })
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' was not reversed and keeps mirroring: %s", name, linkemu.ErrorMessage(cause))
	}
	// 2. The local mirror catches up with the now still remote topic.
	cctx, cancel := context.WithTimeout(ctx, PromoteTimeout)
	err = rt.repl.CatchUp(cctx, name)
	cancel()
	if err != nil {
		return undo(err)
	}
	// 3. Consumer offsets come across, for every group not in use here.
	if err := m.carryOffsets(ctx, rt, name); err != nil {
		return undo(err)
	}
	// 4. The local mirror stops and becomes a plain writable topic.
	if err := m.stopMirror(ctx, l.ClusterID, l.Name, name, true); err != nil {
		return undo(err)
	}
	if err := m.write(func(tx *wtx) error { return tx.DeleteMirror(l.ClusterID, name) }); err != nil {
		return err
	}
	m.mirrorsChanged(l.ClusterID, l.Name)
	// 5. The remote mirror starts, or stays paused.
	if start {
		if err := m.updateMirror(peer.ClusterID, remote, func(mr *linkemu.Mirror) bool {
			mr.Status, mr.StateTime = linkemu.MirrorActive, m.cfg.Now().UTC()
			return true
		}); err != nil {
			return err
		}
	}
	m.mirrorsChanged(peer.ClusterID, peer.Name)
	m.log.Info("mirror topic reversed", "cluster", l.ClusterID, "link", l.Name, "topic", name, "remote_cluster", peer.ClusterID, "remote_mirror", remote, "started", start)
	return nil
}

// allGroups selects every consumer group.
var allGroups = func() linkemu.GroupFilters {
	f, err := linkemu.ParseGroupFilters(`{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`)
	if err != nil {
		panic(err)
	}
	return f
}()

// carryOffsets copies every group's committed offsets on a mirror's source
// topic to the mirror, once, whatever the link's offset sync configs say:
// the reversed topic's consumers resume where they were.
func (m *Manager) carryOffsets(ctx context.Context, rt *linkRuntime, name string) error {
	local, err := m.cluster(rt.link.ClusterID)
	if err != nil {
		return err
	}
	s := offsetsync.New(offsetsync.Options{
		Source: rt.remote, Destination: local.Client(), Translate: rt.translate, Logger: m.log, Now: m.cfg.Now,
		Mirrors: func(context.Context) ([]*linkemu.Mirror, error) { return m.linkMirrors(rt.link) },
	}, offsetsync.Config{Enabled: true, Filters: allGroups})
	if err := s.SyncNow(ctx, name); err != nil {
		return fmt.Errorf("carrying consumer offsets across failed: %w", err)
	}
	return nil
}

// truncateTarget checks that a local topic can be restored as a mirror of
// the remote mirror that failed over from it, and returns that mirror.
func (m *Manager) truncateTarget(ctx context.Context, l, peer *linkemu.Link, name string) (*linkemu.Mirror, error) {
	if mr, _ := m.mirror(l.ClusterID, name); mr != nil && mr.Status != linkemu.MirrorStopped {
		return nil, linkemu.Errorf(linkemu.EINVALID, "Topic '%s' is already a mirror topic of link '%s'.", name, mr.LinkName)
	}
	remote := linkemu.MirrorName(peer.Prefix(), name)
	rm, err := m.mirror(peer.ClusterID, remote)
	if err != nil {
		return nil, err
	}
	if rm == nil || rm.LinkName != peer.Name || rm.SourceTopic != name {
		return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Topic '%s' cannot be restored: cluster %s has no mirror '%s' of it on link '%s'.", name, peer.ClusterID, remote, peer.Name)
	}
	if rm.Status != linkemu.MirrorStopped {
		return nil, linkemu.Errorf(linkemu.EINVALID, "Topic '%s' cannot be restored: its mirror '%s' on cluster %s is %s; truncate-and-restore follows a failover or promote of that mirror.", name, remote, peer.ClusterID, rm.Status)
	}
	if want := linkemu.MirrorName(l.Prefix(), remote); want != name {
		return nil, linkemu.Errorf(linkemu.EINVALID, "Topic '%s' cannot be restored: as a mirror of '%s' it would be named '%s' (cluster.link.prefix '%s').", name, remote, want, l.Prefix())
	}
	if _, err := m.cluster(l.ClusterID); err != nil {
		return nil, err
	}
	return rm, nil
}

// truncation computes what truncate-and-restore cuts from a local topic: the
// offsets above the remote mirror's stop offsets, per partition.
func (m *Manager) truncation(ctx context.Context, cluster, name string, stops []int64) ([]PartitionTruncation, int64, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, 0, err
	}
	ends, err := c.EndOffsets(ctx, name)
	if err != nil {
		return nil, 0, err
	}
	n := max(len(ends), len(stops))
	out := make([]PartitionTruncation, n)
	var total int64
	for p := range out {
		var end, stop int64
		if p < len(ends) {
			end = ends[p]
		}
		if p < len(stops) {
			stop = stops[p]
		}
		cut := max(end-stop, 0)
		out[p] = PartitionTruncation{Partition: int32(p), OffsetTruncatedTo: min(stop, end), MessagesTruncated: cut}
		total += cut
	}
	return out, total, nil
}

// truncateAndRestore restores one local topic as a mirror of its remote
// mirror; the caller holds the lanes of both sides and of the topic.
func (m *Manager) truncateAndRestore(ctx context.Context, l, peer *linkemu.Link, name string, validateOnly bool) ([]PartitionTruncation, int64, error) {
	rm, err := m.truncateTarget(ctx, l, peer, name)
	if err != nil {
		return nil, 0, err
	}
	parts, total, err := m.truncation(ctx, l.ClusterID, name, rm.StopOffsets)
	if err != nil {
		return nil, 0, err
	}
	rt := m.runtime(l.ClusterID, l.Name)
	// Refuse a remote topic over the limits in a dry run too, and before
	// the local topic is deleted, not after.
	if rt != nil && rt.remote != nil {
		if st, err := broker.NewAdmin(rt.remote).Topic(ctx, rm.Name); err == nil {
			if err := m.checkMirrorable(l, st.Name, int(st.Partitions)); err != nil {
				return nil, 0, err
			}
		}
	}
	if validateOnly {
		return parts, total, nil
	}
	if rt == nil || rt.remote == nil {
		return nil, 0, linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' cannot be restored: link '%s' cannot reach cluster %s.", name, l.Name, peer.ClusterID)
	}
	c, _ := m.cluster(l.ClusterID)
	if err := c.DeleteTopic(ctx, name); err != nil {
		return nil, 0, err
	}
	if err := waitTopicGone(ctx, c, name); err != nil {
		return nil, 0, err
	}
	if err := m.write(func(tx *wtx) error { return tx.DeleteMirror(l.ClusterID, name) }); err != nil {
		return nil, 0, err
	}
	if err := m.createMirror(ctx, l.ClusterID, l.Name, CreateMirrorRequest{SourceTopic: rm.Name}); err != nil {
		return nil, 0, linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' was deleted to be restored, but creating it again as a mirror of '%s' failed: %s Retry truncate-and-restore, or create the mirror.", name, rm.Name, linkemu.ErrorMessage(err))
	}
	m.log.Info("topic truncated and restored as a mirror", "cluster", l.ClusterID, "link", l.Name, "topic", name, "remote_cluster", peer.ClusterID, "messages_truncated", total)
	return parts, total, nil
}

// waitTopicGone waits until a deleted topic no longer shows in metadata:
// brokers finish deletions asynchronously.
func waitTopicGone(ctx context.Context, c *broker.Cluster, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		if exists, err := c.TopicExists(ctx, name); err == nil && !exists {
			return nil
		}
		select {
		case <-ctx.Done():
			return linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' was deleted but still shows on cluster %s.", name, c.ID)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
