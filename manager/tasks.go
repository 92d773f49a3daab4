package manager

import (
	"context"
	"fmt"
	"log/slog"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/aclsync"
	"github.com/linkemu/linkemu/automirror"
	"github.com/linkemu/linkemu/offsetsync"
	"github.com/twmb/franz-go/pkg/kgo"
)

// taskWorkers are the link tasks that run on the side of a link that data
// flows into: consumer offset sync and ACL sync.
type taskWorkers struct {
	offsets       *offsetsync.Syncer
	remoteOffsets *offsetsync.Syncer // REMOTE_MIRROR direction, bidirectional links only
	acls          *aclsync.Syncer
	auto          *automirror.Worker
}

// receivesData reports whether this side of the link mirrors topics into its
// own cluster, and so runs the link's tasks.
func receivesData(l *linkemu.Link) bool {
	return l.Mode() == linkemu.ModeDestination || l.Mode() == linkemu.ModeBidirectional
}

// taskConfigs are the task workers' configs, read from a link's configs.
type taskConfigs struct {
	offsets, remoteOffsets offsetsync.Config
	acls                   aclsync.Config
	auto                   automirror.Config
}

// taskConfigsOf reads the task workers' configs from l's. Errors cannot
// happen here, as the configs were validated when they were stored; they
// are logged if they do.
func (m *Manager) taskConfigsOf(l *linkemu.Link) taskConfigs {
	log := m.log.With(slog.String("cluster", l.ClusterID), slog.String("link", l.Name))
	var c taskConfigs
	var err error
	if c.offsets, err = offsetsync.ConfigFromLinkConfigs(l.Configs); err != nil {
		log.Error("offset sync config", "err", err)
	}
	c.remoteOffsets = c.offsets
	c.remoteOffsets.TopicType = linkemu.TopicTypeRemoteMirror
	if c.acls, err = aclsync.ConfigFromLinkConfigs(l.Configs); err != nil {
		log.Error("ACL sync config", "err", err)
	}
	if c.auto, err = automirror.ConfigFromLinkConfigs(l.Configs); err != nil {
		log.Error("auto-create config", "err", err)
	}
	return c
}

// startTasks starts the task workers of a link whose remote cluster the
// runtime can reach.
func (rt *linkRuntime) startTasks(ctx context.Context, local *kgo.Client) {
	l, m := rt.link, rt.m
	log := m.log.With(slog.String("cluster", l.ClusterID), slog.String("link", l.Name))
	cfgs := m.taskConfigsOf(l)
	rt.workers.offsets = offsetsync.New(offsetsync.Options{
		Source: rt.remote, Destination: local, Logger: log.With("task", linkemu.TaskConsumerOffsetSync), Now: m.cfg.Now,
		Mirrors:   func(context.Context) ([]*linkemu.Mirror, error) { return m.linkMirrors(l) },
		Translate: rt.translate,
	}, cfgs.offsets)
	if l.Mode() == linkemu.ModeBidirectional {
		rt.workers.remoteOffsets = offsetsync.New(offsetsync.Options{
			Source: rt.remote, Destination: local, Logger: log.With("task", linkemu.TaskConsumerOffsetSync, "topic_type", linkemu.TopicTypeRemoteMirror), Now: m.cfg.Now,
			Mirrors: func(context.Context) ([]*linkemu.Mirror, error) { return m.remoteMirrorsOfLocalTopics(l) },
		}, cfgs.remoteOffsets)
	}
	rt.workers.acls = aclsync.New(aclsync.Options{
		Source: rt.remote, Destination: local, Link: aclKey(l), Store: aclStore{m.store},
		LinkACLs: m.linkCreatedACLs(l), Logger: log.With("task", linkemu.TaskAclSync), Now: m.cfg.Now,
	}, cfgs.acls)
	rt.workers.auto = automirror.New(automirror.Options{
		Source:  rt.remote,
		Mirrors: func(context.Context) ([]*linkemu.Mirror, error) { return m.linkMirrors(l) },
		SourceMirrors: func(context.Context) ([]string, error) {
			return m.activeMirrorNames(l.RemoteID())
		},
		CreateMirror: func(ctx context.Context, topic string) error {
			return m.CreateMirror(ctx, l.ClusterID, l.Name, CreateMirrorRequest{SourceTopic: topic})
		},
		Check:  func(topic string, partitions int) error { return m.checkMirrorable(l, topic, partitions) },
		Logger: log.With("task", linkemu.TaskAutoCreateMirror), Now: m.cfg.Now,
	}, cfgs.auto)
	rt.workers.offsets.Start(ctx)
	if rt.workers.remoteOffsets != nil {
		rt.workers.remoteOffsets.Start(ctx)
	}
	rt.workers.acls.Start(ctx)
	rt.workers.auto.Start(ctx)
}

// reconfigure hands the task workers their configs in cfgs, read from a
// version of their link that differs from the one they started with only
// in task configs (see tasksOnly).
func (w *taskWorkers) reconfigure(cfgs taskConfigs) {
	if w.offsets != nil {
		w.offsets.Reconfigure(cfgs.offsets)
	}
	if w.remoteOffsets != nil {
		w.remoteOffsets.Reconfigure(cfgs.remoteOffsets)
	}
	if w.acls != nil {
		w.acls.Reconfigure(cfgs.acls)
	}
	if w.auto != nil {
		w.auto.Reconfigure(cfgs.auto)
	}
}

func (rt *linkRuntime) stopTasks() {
	if rt.workers.auto != nil {
		rt.workers.auto.Stop()
	}
	if rt.workers.offsets != nil {
		rt.workers.offsets.Stop()
	}
	if rt.workers.remoteOffsets != nil {
		rt.workers.remoteOffsets.Stop()
	}
	if rt.workers.acls != nil {
		rt.workers.acls.Stop()
	}
}

// wakeTasks asks the task workers for a pass now. The link calls it when
// its remote cluster is reachable again: workers back off after failed
// passes, and after a long outage their next pass could be minutes away.
func (rt *linkRuntime) wakeTasks() {
	if rt.workers.offsets != nil {
		rt.workers.offsets.Notify()
	}
	if rt.workers.acls != nil {
		rt.workers.acls.Notify()
	}
	if rt.workers.auto != nil {
		rt.workers.auto.Notify()
	}
}

// tasks reports the link's tasks as the wire shows them on a link in health
// state h.
func (rt *linkRuntime) tasks(h linkHealth) []linkemu.Task {
	var own []linkemu.Task
	if rt.workers.acls != nil {
		own = append(own, rt.workers.acls.Task())
	}
	if rt.workers.auto != nil {
		own = append(own, rt.workers.auto.Task())
	}
	if rt.workers.offsets != nil {
		own = append(own, mergeTasks(rt.workers.offsets.Task(), rt.workers.remoteOffsets))
	}
	if rt.repl != nil {
		own = append(own, rt.configSyncTask())
	}
	out := make([]linkemu.Task, 0, len(own))
	for _, t := range own {
		out = append(out, linkemu.TaskStatus(t, h.state))
	}
	return out
}

// mergeTasks reports both directions of offset sync as one task: in error
// if either is.
func mergeTasks(local linkemu.Task, remote *offsetsync.Syncer) linkemu.Task {
	if remote == nil {
		return local
	}
	r := remote.Task()
	if r.State == linkemu.TaskInError {
		local.State = linkemu.TaskInError
		local.Errors = append(local.Errors, r.Errors...)
	}
	return local
}

// remoteMirrorsOfLocalTopics returns the other side's mirrors of this side's
// topics, turned around for the REMOTE_MIRROR direction of offset sync:
// Name is the local topic, SourceTopic the remote mirror.
func (m *Manager) remoteMirrorsOfLocalTopics(l *linkemu.Link) ([]*linkemu.Mirror, error) {
	peer := m.peer(l)
	if peer == nil {
		return nil, nil
	}
	remote, err := m.linkMirrors(peer)
	if err != nil {
		return nil, err
	}
	out := make([]*linkemu.Mirror, 0, len(remote))
	for _, mr := range remote {
		if mr.Status == linkemu.MirrorActive || mr.Status == linkemu.MirrorPaused {
			out = append(out, &linkemu.Mirror{ClusterID: l.ClusterID, LinkName: l.Name, Name: mr.SourceTopic, SourceTopic: mr.Name, Partitions: mr.Partitions, Status: linkemu.MirrorActive})
		}
	}
	return out, nil
}

// configSyncTask reports topic config sync, which the replication worker
// runs for every mirror: IN_ERROR with one entry per mirror whose last sync
// failed.
func (rt *linkRuntime) configSyncTask() linkemu.Task {
	t := linkemu.Task{Name: linkemu.TaskTopicConfigsSync, State: linkemu.TaskActive, Errors: []linkemu.TaskError{}}
	for _, mr := range rt.m.view().mirrorsOf(rt.link.ClusterID, rt.link.Name) {
		if st, ok := rt.repl.Status(mr.Name); ok && st.ConfigSyncErr != nil {
			t.State = linkemu.TaskInError
			t.Errors = append(t.Errors, linkemu.TaskError{Code: linkemu.TaskErrInternal, Message: fmt.Sprintf("Topic configs of mirror topic '%s' could not be synced: %v", mr.Name, st.ConfigSyncErr)})
		}
	}
	return t
}

// activeMirrorNames returns the mirror topics of a cluster that still
// mirror: auto-create never mirrors a mirror.
func (m *Manager) activeMirrorNames(cluster string) ([]string, error) {
	var out []string
	for _, mr := range m.view().mirrorsOf(cluster, "") {
		if mr.Status != linkemu.MirrorStopped {
			out = append(out, mr.Name)
		}
	}
	return out, nil
}

// linkMirrors returns a link's mirror topics from the published view. The
// workers get clones: they are theirs to change.
func (m *Manager) linkMirrors(l *linkemu.Link) ([]*linkemu.Mirror, error) {
	mirrors := m.view().mirrorsOf(l.ClusterID, l.Name)
	out := make([]*linkemu.Mirror, len(mirrors))
	for i, mr := range mirrors {
		out[i] = mr.Clone()
	}
	return out, nil
}
