package manager

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/replication"
)

// CreateMirrorRequest is a request to create a mirror topic.
type CreateMirrorRequest struct {
	SourceTopic       string
	MirrorName        string // "" means the link prefix plus SourceTopic
	ReplicationFactor int    // 0 means the broker default
	Configs           map[string]string
}

// PartitionLag is one entry of mirror_lags, with what replication wrote.
type PartitionLag struct {
	Partition             int32
	Lag                   int64
	LastSourceFetchOffset int64
	RecordsReplicated     int64
	BytesReplicated       int64
}

// MirrorView is a mirror topic as the REST API reports it: the stored mirror
// with its status as seen now and its lags.
type MirrorView struct {
	Mirror *linkemu.Mirror
	Status linkemu.MirrorStatus
	// StateTime is when the mirror entered Status: the stored state's
	// time, or when replication failed for FAILED.
	StateTime  time.Time
	TopicError linkemu.MirrorTopicError
	// TransitionErrors are the mirror_state_transition_errors: the stored
	// ones, and why replication stopped the mirror when it can say it in
	// Confluent's terms (a source grown past the partition limit).
	TransitionErrors []linkemu.TransitionError
	Lags             []PartitionLag
}

// CreateMirror creates a mirror topic on cluster, the destination of link:
// a new topic with the source topic's partition count and synced configs,
// replicated from then on. The mirror exists as soon as this returns.
//
// It is held to the limits of topics (Config.Limits): a mirror name over
// 249 characters (prefix plus source name) is refused before any I/O, a
// source topic with more partitions than Limits.PartitionsPerTopic before
// anything is created on either cluster. A source that grows past the
// limit later stops its mirror (replication.Config.MaxPartitions).
//
// It holds the link's lane shared and the mirror's exclusive: creates on one
// link run in parallel, and the link is not deleted or reconfigured under
// them. The walk goes down once: check the published view, ask the source
// and the destination directly (no cached metadata), create the topic,
// then check again and store the mirror in one transaction.
func (m *Manager) CreateMirror(ctx context.Context, cluster, link string, req CreateMirrorRequest) error {
	l, err := m.readLink(cluster, link)
	if err != nil {
		return err
	}
	name, err := mirrorName(l, req)
	if err != nil {
		return err
	}
	unlock, err := m.lanes.lock(ctx, linkLane(cluster, link, false), mirrorLane(cluster, name))
	if err != nil {
		return err
	}
	defer unlock()
	return m.createMirror(ctx, cluster, link, req)
}

// createMirror creates a mirror topic; the caller holds the link's lane
// and the mirror's.
func (m *Manager) createMirror(ctx context.Context, cluster, link string, req CreateMirrorRequest) error {
	dest, err := m.cluster(cluster)
	if err != nil {
		return err
	}
	l, err := m.readLink(cluster, link)
	if err != nil {
		return err
	}
	if !receivesData(l) {
		return linkemu.Errorf(linkemu.EINVALID, "Cluster link '%s' on %s has link.mode=%s: mirror topics are created on the destination side of a link, cluster %s.", link, cluster, l.Mode(), l.RemoteID())
	}
	name, err := mirrorName(l, req)
	if err != nil {
		return err
	}
	rt := m.runtime(cluster, link)
	if rt == nil || rt.remote == nil {
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "Cluster link '%s' cannot reach its source cluster %s yet, so mirror topic '%s' cannot be created; check the link's link_state and link_error_message.", link, l.RemoteID(), name)
	}
	if existing := m.view().mirror(cluster, name); existing != nil && existing.Status != linkemu.MirrorStopped {
		return linkemu.Errorf(linkemu.ECONFLICT, "Topic '%s' is already a mirror topic of link '%s'.", name, existing.LinkName)
	}
	if isInternalTopic(req.SourceTopic) {
		return linkemu.Errorf(linkemu.EINVALID, "Source topic '%s' is an internal topic and cannot be mirrored.", req.SourceTopic)
	}
	src := broker.NewAdmin(rt.remote)
	st, err := src.Topic(ctx, req.SourceTopic)
	if err != nil {
		if linkemu.ErrorCode(err) == linkemu.EUNKNOWNTOPIC {
			return linkemu.Errorf(linkemu.EUNKNOWNTOPIC, "Source topic '%s' does not exist on cluster %s.%s Create it there first, or check source_topic_name.", req.SourceTopic, l.RemoteID(), linkemu.SuggestionOf(err))
		}
		return err
	}
	if st.Internal {
		return linkemu.Errorf(linkemu.EINVALID, "Source topic '%s' is an internal topic and cannot be mirrored.", st.Name)
	}
	if err := m.cfg.Limits.CheckMirrorPartitions(cluster, st.Name, int(st.Partitions)); err != nil {
		return err
	}
	if exists, err := dest.TopicExists(ctx, name); err != nil {
		return err
	} else if exists {
		return linkemu.Errorf(linkemu.ECONFLICT, "Topic '%s' already exists on cluster %s: a mirror topic must be a new topic. Delete the topic, or mirror into another name with a cluster.link.prefix.", name, cluster)
	}
	configs, err := m.mirrorConfigs(ctx, l, src, req)
	if err != nil {
		return err
	}
	rf, err := m.replicationFactor(ctx, dest, req.ReplicationFactor)
	if err != nil {
		return err
	}
	spec := l.Config(linkemu.CfgMirrorStartOffsetSpec)
	starts, err := pinStartOffsets(ctx, rt.remote, st.Name, st.Partitions, spec)
	if err != nil {
		return err
	}
	if err := dest.CreateTopic(ctx, name, st.Partitions, rf, configs, false); err != nil {
		return err
	}
	mr := &linkemu.Mirror{
		ClusterID: cluster, LinkName: link, Name: name, SourceTopic: st.Name, Partitions: st.Partitions,
		Status: linkemu.MirrorActive, StateTime: m.cfg.Now().UTC(), StartSpec: spec, StartOffsets: starts,
	}
	if err := m.write(func(tx *wtx) error {
		if _, err := tx.Link(cluster, link); err != nil {
			return err
		}
		if existing, err := tx.FindMirror(cluster, name); err != nil {
			return err
		} else if existing != nil && existing.Status != linkemu.MirrorStopped {
			return linkemu.Errorf(linkemu.ECONFLICT, "Topic '%s' is already a mirror topic of link '%s'.", name, existing.LinkName)
		}
		return tx.PutMirror(mr)
	}); err != nil {
		// Leave no half-made mirror behind.
		_ = dest.DeleteTopic(context.WithoutCancel(ctx), name)
		return err
	}
	m.log.Info("mirror topic created", "cluster", cluster, "link", link, "mirror", name, "source_topic", st.Name, "partitions", st.Partitions)
	m.mirrorsChanged(cluster, link)
	return nil
}

// checkMirrorable refuses a source topic that could never be mirrored on
// link l, whatever the destination holds: its mirror name would be too
// long, or it has more partitions than a topic may have there. CreateMirror
// checks both itself; the auto-create task asks first, to skip such topics.
func (m *Manager) checkMirrorable(l *linkemu.Link, source string, partitions int) error {
	if err := linkemu.CheckMirrorName(l.Prefix(), source); err != nil {
		return err
	}
	return m.cfg.Limits.CheckMirrorPartitions(l.ClusterID, source, partitions)
}

// isInternalTopic reports whether a topic name belongs to Kafka or Confluent
// (__consumer_offsets, __transaction_state, _confluent-*), which no link mirrors.
func isInternalTopic(name string) bool {
	return strings.HasPrefix(name, "__") || strings.HasPrefix(name, "_confluent")
}

// mirrorName resolves and checks the mirror topic's name: the link's prefix
// plus the source topic's name, as Confluent requires, at most Kafka's 249
// characters.
func mirrorName(l *linkemu.Link, req CreateMirrorRequest) (string, error) {
	if req.SourceTopic == "" {
		return "", linkemu.Errorf(linkemu.EINVALID, "source_topic_name is required.")
	}
	if err := linkemu.CheckMirrorName(l.Prefix(), req.SourceTopic); err != nil {
		return "", err
	}
	want := linkemu.MirrorName(l.Prefix(), req.SourceTopic)
	if req.MirrorName != "" && req.MirrorName != want {
		if l.Prefix() != "" {
			return "", linkemu.Errorf(linkemu.EINVALID, "Mirror topic name '%s' is invalid: link '%s' has cluster.link.prefix '%s', so the mirror of '%s' must be named '%s'.", req.MirrorName, l.Name, l.Prefix(), req.SourceTopic, want)
		}
		return "", linkemu.Errorf(linkemu.EINVALID, "Mirror topic name '%s' must equal the source topic name '%s'. To mirror into another name, use a link with cluster.link.prefix.", req.MirrorName, req.SourceTopic)
	}
	return want, nil
}

// mirrorConfigs returns the configs of a new mirror topic: those synced from
// the source plus the user's, which may not override synced ones.
func (m *Manager) mirrorConfigs(ctx context.Context, l *linkemu.Link, src *broker.Admin, req CreateMirrorRequest) (map[string]*string, error) {
	srcCfgs, err := src.TopicConfigs(ctx, req.SourceTopic)
	if err != nil {
		return nil, err
	}
	values := make(map[string]string, len(srcCfgs))
	for _, c := range srcCfgs {
		if c.Value != nil {
			values[c.Name] = *c.Value
		}
	}
	synced := replication.SyncedConfigs(values, l.ConfigList(linkemu.CfgTopicConfigSyncInclude))
	out := make(map[string]*string, len(synced)+len(req.Configs))
	for k, v := range synced {
		out[k] = &v
	}
	for k, v := range req.Configs {
		if _, isSynced := synced[k]; isSynced || slices.Contains(replication.AlwaysSyncedConfigs, k) {
			return nil, linkemu.Errorf(linkemu.EINVALID, "Cannot set configuration '%s' for mirror topic of '%s': it is synced from the source topic.", k, req.SourceTopic)
		}
		out[k] = &v
	}
	return out, nil
}

// replicationFactor returns the replication factor for a new mirror topic.
// Confluent's CLI asks for 3 by default; the embedded clusters have one
// broker, so the request is capped at the cluster's broker count.
func (m *Manager) replicationFactor(ctx context.Context, dest *broker.Cluster, want int) (int16, error) {
	if want < 0 {
		return 0, linkemu.Errorf(linkemu.EINVALID, "replication_factor must be positive.")
	}
	if want == 0 {
		return -1, nil
	}
	brokers, err := dest.Brokers(ctx)
	if err != nil {
		return 0, err
	}
	if want > len(brokers) {
		m.log.Info("capping mirror replication factor to the cluster's broker count", "cluster", dest.ID, "asked", want, "brokers", len(brokers))
		want = len(brokers)
	}
	return int16(want), nil
}

// GetMirror describes one mirror topic of a link, from the published view
// and the worker's published status.
func (m *Manager) GetMirror(_ context.Context, cluster, link, name string) (*MirrorView, error) {
	l, err := m.readLink(cluster, link)
	if err != nil {
		return nil, err
	}
	mr := m.view().mirror(cluster, name)
	if mr == nil || mr.LinkName != link {
		var names []string
		mirrors, _ := m.linkMirrors(l) // for the hint only
		for _, x := range mirrors {
			names = append(names, x.Name)
		}
		return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Mirror topic '%s' not found on cluster link '%s'.%s", name, link, linkemu.DidYouMean(name, names))
	}
	return m.mirrorView(mr), nil
}

// ListMirrors lists the mirror topics of one link, or of every link of the
// cluster when link is "", optionally only those in status.
func (m *Manager) ListMirrors(_ context.Context, cluster, link string, status linkemu.MirrorStatus) ([]*MirrorView, error) {
	if _, err := m.cluster(cluster); err != nil {
		return nil, err
	}
	v := m.view()
	if link != "" {
		if _, err := v.link(cluster, link); err != nil {
			return nil, err
		}
	}
	mirrors := v.mirrorsOf(cluster, link)
	out := make([]*MirrorView, 0, len(mirrors))
	for _, mr := range mirrors {
		mv := m.mirrorView(mr)
		if status == "" || mv.Status == status {
			out = append(out, mv)
		}
	}
	return out, nil
}

// mirrorView combines a stored mirror with its link's runtime. It takes no
// lock but the workers' short status locks, which are never held across I/O.
func (m *Manager) mirrorView(mr *linkemu.Mirror) *MirrorView {
	rt := m.runtime(mr.ClusterID, mr.LinkName)
	var rs replication.MirrorStatus
	var running bool
	if rt != nil && rt.repl != nil {
		rs, running = rt.repl.Status(mr.Name)
	}
	var h linkHealth
	if rt != nil {
		h = rt.Health()
	}
	v := &MirrorView{Mirror: mr, TransitionErrors: mr.TransitionErrors}
	v.Status, v.TopicError, v.StateTime = mirrorState(mr, h, rs, running)
	var limit *replication.PartitionLimitError
	if v.Status == linkemu.MirrorFailed && running && errors.As(rs.Err, &limit) {
		v.TransitionErrors = append(slices.Clip(v.TransitionErrors), linkemu.TransitionError{Code: linkemu.TaskErrPolicyViolation,
			Message: m.cfg.Limits.MirrorGrowthRefused(mr.ClusterID, mr.Name, mr.SourceTopic, limit.Source, limit.Mirror)})
	}
	n := int(mr.Partitions)
	if len(rs.Partitions) > n {
		n = len(rs.Partitions)
	}
	v.Lags = make([]PartitionLag, n)
	for i := range v.Lags {
		v.Lags[i] = PartitionLag{Partition: int32(i), LastSourceFetchOffset: -1}
		if i < len(mr.StopOffsets) && mr.Status == linkemu.MirrorStopped {
			v.Lags[i].LastSourceFetchOffset = mr.StopOffsets[i]
		}
	}
	for _, p := range rs.Partitions {
		if int(p.Partition) < n {
			v.Lags[p.Partition] = PartitionLag{Partition: p.Partition, Lag: max(p.Lag, 0), LastSourceFetchOffset: p.LastSourceFetchOffset,
				RecordsReplicated: p.RecordsReplicated, BytesReplicated: p.BytesReplicated}
		}
	}
	return v
}

// mirrorBrief returns what mirrorView shows of a mirror's status and
// partition count, from the briefs of its link's worker (nil when none
// runs), without reading its partitions' figures: a link's category counts
// need no more.
func mirrorBrief(mr *linkemu.Mirror, h linkHealth, briefs map[string]replication.Brief) (linkemu.MirrorStatus, int) {
	b, running := briefs[mr.Name]
	status, _, _ := mirrorState(mr, h, b.Status, running)
	return status, max(int(mr.Partitions), b.Partitions)
}

// mirrorState is a mirror's status on the wire: the stored one, unless the
// worker reports the mirror failed or the link's health h says it cannot
// copy.
func mirrorState(mr *linkemu.Mirror, h linkHealth, rs replication.MirrorStatus, running bool) (linkemu.MirrorStatus, linkemu.MirrorTopicError, time.Time) {
	status, terr, at := mr.Status, mr.TopicError, mr.StateTime
	if mr.Status != linkemu.MirrorActive && mr.Status != linkemu.MirrorPaused {
		return status, terr, at
	}
	switch {
	case running && rs.TopicError != "":
		status, terr = linkemu.MirrorFailed, rs.TopicError
		if !rs.FailedAt.IsZero() {
			at = rs.FailedAt
		}
	case h.state == linkemu.LinkFailed:
		status = linkemu.MirrorLinkFailed
	case h.state == linkemu.LinkPaused:
		status = linkemu.MirrorLinkPaused
	case mr.Status == linkemu.MirrorPaused:
	case h.localDown:
		// The destination is down, not the source: the mirror keeps its
		// state, and its lag grows until the destination returns.
	case h.state == linkemu.LinkUnavailable || (running && rs.SourceUnavailable):
		status = linkemu.MirrorSourceUnavailable
	}
	return status, terr, at
}

// mirrorsChanged tells a link's replication worker that the link's mirrors
// changed, after write published them (write refreshes the write guards).
func (m *Manager) mirrorsChanged(cluster, link string) {
	if rt := m.runtime(cluster, link); rt != nil {
		rt.applyMirrors()
	}
}

// pinStartOffsets resolves a latest or timestamp mirror.start.offset.spec
// when the mirror is created, so that every record produced to the source
// after the creation answered is mirrored. Earliest needs no pinning: the
// worker starts at the source's log start offset whenever it starts.
func pinStartOffsets(ctx context.Context, src *kgo.Client, topic string, partitions int32, spec string) ([]int64, error) {
	if s := strings.ToLower(strings.TrimSpace(spec)); s == "" || s == "earliest" {
		return nil, nil
	}
	parts := make([]int32, partitions)
	for i := range parts {
		parts[i] = int32(i)
	}
	offs, err := replication.ResolveStartOffsets(ctx, src, topic, parts, spec, 10*time.Second)
	if err != nil {
		if linkemu.ErrorCode(err) == linkemu.EINVALID {
			return nil, err
		}
		return nil, linkemu.Errorf(linkemu.EUNAVAILABLE, "Cannot resolve mirror.start.offset.spec %q on source topic '%s': %v", spec, topic, err)
	}
	out := make([]int64, partitions)
	for i := range out {
		o, ok := offs[int32(i)]
		if !ok {
			return nil, linkemu.Errorf(linkemu.EUNAVAILABLE, "Cannot resolve mirror.start.offset.spec %q on source topic '%s': no offset for partition %d.", spec, topic, i)
		}
		out[i] = o
	}
	return out, nil
}
