package manager

import (
	"context"
	"regexp"
	"slices"
	"time"

	linkemu "github.com/linkemu/linkemu"
)

// MirrorAction names an action on mirror topics, as in the URL
// .../mirrors:<action>.
type MirrorAction string

// Mirror actions.
const (
	ActionPause    MirrorAction = "pause"
	ActionResume   MirrorAction = "resume"
	ActionFailover MirrorAction = "failover"
	ActionPromote  MirrorAction = "promote"
)

// actionDone names what an action does, for messages.
var actionDone = map[MirrorAction]string{
	ActionPromote: "promoted", ActionReverseAndStart: "reversed", ActionReverseAndPause: "reversed",
}

// PromoteTimeout bounds how long promote waits for a mirror to catch up.
const PromoteTimeout = 30 * time.Second

// ActionRequest selects the mirror topics of an action.
type ActionRequest struct {
	Names        []string
	Pattern      string
	ValidateOnly bool
}

// ActionResult is the outcome of an action on one mirror topic. Err is nil
// on success; it is always a *linkemu.Error otherwise.
type ActionResult struct {
	Mirror string
	Err    error
	Lags   []PartitionLag
	// MessagesTruncated and Truncation are set by truncate-and-restore.
	MessagesTruncated *int64
	Truncation        []PartitionTruncation
}

// MirrorAction runs an action on the selected mirror topics of a link and
// answers per topic: one topic's failure never hides the others' results.
// With ValidateOnly it checks every topic and changes nothing.
//
// It holds the link's lane (and, for failback actions, the other side's)
// shared and the lanes of the selected mirrors exclusive, for the whole
// action, catching up included: actions on other mirrors and other links,
// and every read, go on meanwhile.
func (m *Manager) MirrorAction(ctx context.Context, cluster, link string, action MirrorAction, req ActionRequest) ([]ActionResult, error) {
	if _, err := m.cluster(cluster); err != nil {
		return nil, err
	}
	if _, err := m.readLink(cluster, link); err != nil {
		return nil, err
	}
	var l, peer *linkemu.Link
	switch action {
	case ActionReverseAndStart, ActionReverseAndPause, ActionTruncateAndRestore:
		var err error
		if l, peer, err = m.failbackSides(cluster, link, action); err != nil {
			return nil, err
		}
	}
	names, err := m.selectMirrors(cluster, link, req, peer, action == ActionTruncateAndRestore)
	if err != nil {
		return nil, err
	}
	locks := []laneReq{linkLane(cluster, link, false)}
	if peer != nil {
		locks = append(locks, linkLane(peer.ClusterID, peer.Name, false))
	}
	for _, name := range names {
		locks = append(locks, mirrorLane(cluster, name))
		if peer != nil {
			if mr := m.view().mirror(cluster, name); mr != nil {
				locks = append(locks, mirrorLane(peer.ClusterID, mr.SourceTopic))
			}
			locks = append(locks, mirrorLane(peer.ClusterID, linkemu.MirrorName(peer.Prefix(), name)))
		}
	}
	unlock, err := m.lanes.lock(ctx, locks...)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := m.readLink(cluster, link); err != nil {
		return nil, err // deleted while we waited
	}
	results := make([]ActionResult, len(names))
	var todo []int
	for i, name := range names {
		results[i].Mirror = name
		if action == ActionTruncateAndRestore {
			// Its topics are not mirrors here: they are restored into ones.
			parts, total, err := m.truncateAndRestore(ctx, l, peer, name, req.ValidateOnly)
			results[i].Err, results[i].Truncation = err, parts
			if err == nil {
				results[i].MessagesTruncated = &total
			}
			continue
		}
		if err := m.actionTarget(cluster, link, name, action); err != nil {
			results[i].Err = err
			continue
		}
		if action == ActionReverseAndStart || action == ActionReverseAndPause {
			if _, err := m.reverseTarget(l, peer, name); err != nil {
				results[i].Err = err
				continue
			}
		}
		if !req.ValidateOnly {
			todo = append(todo, i)
		}
	}
	switch action {
	case ActionPause, ActionResume:
		for _, i := range todo {
			results[i].Err = m.setPaused(cluster, link, names[i], action == ActionPause)
		}
	case ActionFailover:
		for _, i := range todo {
			results[i].Err = m.stopMirror(ctx, cluster, link, names[i], false)
		}
	case ActionPromote:
		m.promote(ctx, cluster, link, names, todo, results)
	case ActionReverseAndStart, ActionReverseAndPause:
		m.reverse(ctx, l, peer, names, todo, results, action == ActionReverseAndStart)
	}
	for i := range results {
		if mr := m.view().mirror(cluster, results[i].Mirror); mr != nil && mr.LinkName == link {
			results[i].Lags = m.mirrorView(mr).Lags
		} else if results[i].Lags == nil { // reversed topics have theirs (dr_actions.go)
			results[i].Lags = []PartitionLag{}
		}
	}
	return results, nil
}

// selectMirrors resolves the topics an action names, keeping the request's
// order, each once. A pattern matches the link's mirror topics, or, for
// truncate-and-restore, the local topics the other side mirrors.
func (m *Manager) selectMirrors(cluster, link string, req ActionRequest, peer *linkemu.Link, sources bool) ([]string, error) {
	if len(req.Names) == 0 && req.Pattern == "" {
		return nil, linkemu.Errorf(linkemu.EINVALID, "Name the mirror topics: give mirror_topic_names or mirror_topic_name_pattern.")
	}
	var out []string
	for _, n := range req.Names {
		if n == "" {
			return nil, linkemu.Errorf(linkemu.EINVALID, "mirror_topic_names contains an empty name.")
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if req.Pattern != "" {
		re, err := regexp.Compile("^(?:" + req.Pattern + ")$")
		if err != nil {
			return nil, linkemu.Errorf(linkemu.EINVALID, "mirror_topic_name_pattern %q is not a valid regular expression: %v", req.Pattern, err)
		}
		mirrors := m.view().mirrorsOf(cluster, link)
		if sources {
			mirrors = m.view().mirrorsOf(peer.ClusterID, peer.Name)
		}
		for _, mr := range mirrors {
			name := mr.Name
			if sources {
				name = mr.SourceTopic
			}
			if re.MatchString(name) && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out, nil
}

// actionTarget returns the per-topic error that keeps an action from
// applying to a mirror, or nil.
func (m *Manager) actionTarget(cluster, link, name string, action MirrorAction) error {
	mr := m.view().mirror(cluster, name)
	if mr == nil || mr.LinkName != link {
		return linkemu.Errorf(linkemu.ENOTFOUND, "Topic '%s' is not mirrored by cluster link '%s'.", name, link)
	}
	switch mr.Status {
	case linkemu.MirrorStopped, linkemu.MirrorPendingStopped:
		return linkemu.Errorf(linkemu.EINVALID, "Topic '%s' has already stopped its mirror from '%s'", name, link)
	}
	if action != ActionPause && action != ActionResume && action != ActionFailover {
		if mr.Status == linkemu.MirrorPaused {
			return linkemu.Errorf(linkemu.EINVALID, "Topic '%s' is paused: resume it so it can catch up first, or fail it over.", name)
		}
		if rt := m.runtime(cluster, link); rt == nil || rt.Health().state != linkemu.LinkActive {
			return linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' cannot be %s: the source cluster of link '%s' is not reachable, so the mirror cannot catch up. Use failover to stop it whatever its lag.", name, actionDone[action], link)
		}
	}
	return nil
}

// setPaused pauses or resumes one mirror; the caller holds its lane.
func (m *Manager) setPaused(cluster, link, name string, pause bool) error {
	err := m.updateMirror(cluster, name, func(mr *linkemu.Mirror) bool {
		want := linkemu.MirrorActive
		if pause {
			want = linkemu.MirrorPaused
		}
		if mr.Status == want {
			return false
		}
		mr.Status, mr.StateTime = want, m.cfg.Now().UTC()
		return true
	})
	if err == nil {
		m.mirrorsChanged(cluster, link)
	}
	return err
}

// stopMirror stops one mirror at once, whatever its lag: PENDING_STOPPED,
// then the worker stops copying and reports each partition's log end offset,
// then STOPPED. The topic becomes writable. The caller holds the mirror's
// lane, or its link's exclusive.
func (m *Manager) stopMirror(ctx context.Context, cluster, link, name string, synced bool) error {
	if err := m.updateMirror(cluster, name, func(mr *linkemu.Mirror) bool {
		mr.Status, mr.StateTime = linkemu.MirrorPendingStopped, m.cfg.Now().UTC()
		return true
	}); err != nil {
		return err
	}
	rt := m.runtime(cluster, link)
	if !synced && rt != nil && rt.workers.offsets != nil && rt.Health().state == linkemu.LinkActive {
		// A last offset sync helps consumers resume where they were; it
		// must not hold up a failover, so it gets little time.
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		if err := rt.workers.offsets.SyncNow(sctx, name); err != nil {
			m.log.Warn("final offset sync before failover failed", "cluster", cluster, "link", link, "mirror", name, "err", err)
		}
		cancel()
	}
	offsets, err := m.stopCopying(ctx, rt, cluster, name)
	if err != nil {
		_ = m.updateMirror(cluster, name, func(mr *linkemu.Mirror) bool {
			mr.Status = linkemu.MirrorActive
			return true
		})
		m.mirrorsChanged(cluster, link)
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' could not be stopped: %s", name, linkemu.ErrorMessage(err))
	}
	if err := m.updateMirror(cluster, name, func(mr *linkemu.Mirror) bool {
		mr.Status, mr.StateTime, mr.StopOffsets = linkemu.MirrorStopped, m.cfg.Now().UTC(), offsets
		return true
	}); err != nil {
		return err
	}
	// The stop offsets are all a stopped mirror needs; its replication
	// state would only confuse a later mirror of the same name.
	if err := (replicationStore{s: m.store, cluster: cluster}).DeleteReplicationState(link, name); err != nil {
		m.log.Warn("cannot drop the replication state of a stopped mirror", "mirror", name, "err", err)
	}
	m.log.Info("mirror topic stopped", "cluster", cluster, "link", link, "mirror", name, "stop_offsets", offsets)
	m.mirrorsChanged(cluster, link)
	return nil
}

// stopCopying stops the worker copying a mirror and returns the mirror
// partitions' log end offsets. A mirror the worker does not run (its link
// cannot reach the source) is already still: its offsets are read from the
// destination.
func (m *Manager) stopCopying(ctx context.Context, rt *linkRuntime, cluster, name string) ([]int64, error) {
	if rt != nil && rt.repl != nil {
		offsets, err := rt.repl.StopMirror(ctx, name)
		if err == nil || linkemu.ErrorCode(err) != linkemu.ENOTFOUND {
			return offsets, err
		}
	}
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	return c.EndOffsets(ctx, name)
}

// promote catches each mirror up with its source, syncs consumer offsets a
// last time and stops it. A mirror that cannot catch up keeps mirroring and
// gets a per-topic error. The caller holds the mirrors' lanes: only
// requests on these mirrors wait for the catch-up.
func (m *Manager) promote(ctx context.Context, cluster, link string, names []string, todo []int, results []ActionResult) {
	rt := m.runtime(cluster, link)
	if rt == nil || rt.repl == nil {
		for _, i := range todo {
			results[i].Err = linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' cannot be promoted: link '%s' is not replicating.", names[i], link)
		}
		return
	}
	caught := make([]error, len(names))
	cctx, cancel := context.WithTimeout(ctx, PromoteTimeout)
	for _, i := range todo {
		caught[i] = rt.repl.CatchUp(cctx, names[i])
	}
	cancel()
	for _, i := range todo {
		if err := caught[i]; err != nil {
			results[i].Err = linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' was not promoted and keeps mirroring: %s", names[i], linkemu.ErrorMessage(err))
			continue
		}
		if rt.workers.offsets != nil {
			if err := rt.workers.offsets.SyncNow(ctx, names[i]); err != nil {
				results[i].Err = linkemu.Errorf(linkemu.EUNAVAILABLE, "Topic '%s' was not promoted and keeps mirroring: the final consumer offset sync failed: %v", names[i], err)
				continue
			}
		}
		results[i].Err = m.stopMirror(ctx, cluster, link, names[i], true)
	}
}

// updateMirror changes a stored mirror in one transaction and publishes
// it; fn returns false when there is nothing to write. A change of
// mirror_status is logged once, whichever action made it (pause, resume,
// stop, reverse).
func (m *Manager) updateMirror(cluster, name string, fn func(*linkemu.Mirror) bool) error {
	var from, to linkemu.MirrorStatus
	var link string
	err := m.write(func(tx *wtx) error {
		mr, err := tx.Mirror(cluster, name)
		if err != nil {
			return err
		}
		from, link = mr.Status, mr.LinkName
		if !fn(mr) {
			to = from
			return nil
		}
		to = mr.Status
		return tx.PutMirror(mr)
	})
	if err == nil && from != to {
		m.log.Info("mirror topic state changed", "cluster", cluster, "link", link, "mirror", name, "from", from, "to", to)
	}
	return err
}
