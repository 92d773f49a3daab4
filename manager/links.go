package manager

import (
	"context"
	"errors"
	"strings"
	"sync"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/replication"
)

// CreateLinkRequest is a request to create one side of a link.
type CreateLinkRequest struct {
	Name                 string
	SourceClusterID      string
	DestinationClusterID string
	RemoteClusterID      string
	ClusterLinkID        string
	Configs              map[string]string

	// ValidateOnly checks everything and creates nothing.
	ValidateOnly bool
	// ValidateLink connects to the remote cluster with the link's
	// credentials and checks its cluster ID (Confluent's default).
	ValidateLink bool
}

// LinkStatus is a link with its runtime status, as the REST API reports it.
type LinkStatus struct {
	Link         *linkemu.Link
	State        linkemu.LinkState
	Error        linkemu.LinkError
	ErrorMessage string
	TopicNames   []string
	Tasks        []linkemu.Task
	// CategoryCounts counts the link's mirror partitions by state category
	// (ACTIVE, PAUSED, PENDING, IN_ERROR, NOT_APPLICABLE), as Confluent
	// Cloud reports them; nil for a link without mirrors.
	CategoryCounts map[string]int
}

// CreateLink validates and creates a link on cluster.
func (m *Manager) CreateLink(ctx context.Context, cluster string, req CreateLinkRequest) error {
	if _, err := m.cluster(cluster); err != nil {
		return err
	}
	if err := linkemu.ValidateLinkName(req.Name); err != nil {
		return err
	}
	configs, err := linkemu.NormalizeLinkConfigs(req.Configs)
	if err != nil {
		return err
	}
	l := &linkemu.Link{
		Name: req.Name, ClusterID: cluster,
		SourceClusterID: req.SourceClusterID, DestinationClusterID: req.DestinationClusterID, RemoteClusterID: req.RemoteClusterID,
		Configs: configs, CreatedAt: m.cfg.Now().UTC(),
	}
	if err := checkLinkEnds(l); err != nil {
		return err
	}
	if err := linkemu.CheckLinkConfigs(l.Configs); err != nil {
		return err
	}
	if req.ClusterLinkID != "" {
		if err := linkemu.ValidateClusterLinkID(req.ClusterLinkID); err != nil {
			return err
		}
	}
	l.LinkID = linkemu.NewUUID()
	if m.view().findLink(cluster, l.Name) != nil {
		return linkemu.Errorf(linkemu.ECONFLICT, "Cluster link '%s' already exists.", l.Name)
	}
	// Reaching the remote cluster takes network calls: no lane is held
	// yet, so a link that never answers holds up no other request.
	if err := m.checkReachable(ctx, l, req.ValidateLink); err != nil {
		return err
	}
	unlock, err := m.lanes.lock(ctx, bothSides(cluster, l.Name, l.RemoteID())...)
	if err != nil {
		return err
	}
	defer unlock()
	if err := m.assignClusterLinkID(l, req.ClusterLinkID); err != nil {
		return err
	}
	if req.ValidateOnly {
		if m.view().findLink(cluster, l.Name) != nil {
			return linkemu.Errorf(linkemu.ECONFLICT, "Cluster link '%s' already exists.", l.Name)
		}
		return nil
	}
	if err := m.write(func(tx *wtx) error { return tx.CreateLink(l) }); err != nil {
		return err
	}
	m.log.Info("link created", "cluster", cluster, "link", l.Name, "mode", l.Mode(), "connection_mode", l.ConnectionMode(), "remote", l.RemoteID(), "cluster_link_id", l.ClusterLinkID)
	m.startLink(l)
	m.restartPeer(l)
	return nil
}

// checkReachable checks what a new link needs to reach its remote cluster:
// the emulated network lets it (with validate), it has a connection, and
// (with validate) the remote cluster answers with the expected ID.
func (m *Manager) checkReachable(ctx context.Context, l *linkemu.Link, validate bool) error {
	if validate && m.cfg.Network != nil {
		if err := m.cfg.Network.CheckLink(l); err != nil {
			return linkemu.Errorf(linkemu.EINVALID, "Unable to validate cluster link '%s': %s", l.Name, linkemu.ErrorMessage(err))
		}
	}
	if l.ConnectionMode() != linkemu.ConnOutbound {
		if _, err := m.cluster(l.RemoteID()); err != nil {
			return linkemu.Errorf(linkemu.EINVALID, "A link with connection.mode=INBOUND waits for its remote cluster to connect; cluster %s is not served by this emulator, so it never can.", l.RemoteID())
		}
		return nil
	}
	cc, err := m.remoteConn(l)
	if err != nil {
		return err
	}
	if validate {
		return m.validateRemote(ctx, l, cc)
	}
	return nil
}

// assignClusterLinkID gives a new link its cluster_link_id: the one of the
// other side when that exists (a request naming a different one is refused),
// the one the request names, or a new one. The caller holds both sides'
// lanes.
func (m *Manager) assignClusterLinkID(l *linkemu.Link, asked string) error {
	if twoSided(l) {
		if peer := m.peer(l); peer != nil {
			if asked != "" && asked != peer.ClusterLinkID {
				return linkemu.Errorf(linkemu.EINVALID, "cluster_link_id '%s' does not match '%s', the cluster_link_id of the other side of link '%s' on cluster %s. Leave it out to use the other side's.", asked, peer.ClusterLinkID, l.Name, l.RemoteID())
			}
			l.ClusterLinkID = peer.ClusterLinkID
			return nil
		}
	}
	l.ClusterLinkID = asked
	if asked == "" {
		l.ClusterLinkID = linkemu.NewClusterLinkID()
	}
	return nil
}

// checkLinkEnds checks that the link names exactly the remote cluster its
// mode calls for, and not itself.
func checkLinkEnds(l *linkemu.Link) error {
	set := 0
	for _, id := range []string{l.SourceClusterID, l.DestinationClusterID, l.RemoteClusterID} {
		if id != "" {
			set++
		}
	}
	mode := l.Mode()
	var want, field string
	switch mode {
	case linkemu.ModeDestination:
		want, field = l.SourceClusterID, "source_cluster_id"
	case linkemu.ModeSource:
		want, field = l.DestinationClusterID, "destination_cluster_id"
	case linkemu.ModeBidirectional:
		want, field = l.RemoteClusterID, "remote_cluster_id"
	}
	if want == "" || set != 1 {
		return linkemu.Errorf(linkemu.EINVALID, "A link with %s=%s must name its remote cluster in %s, and only there.", linkemu.CfgLinkMode, mode, field)
	}
	if want == l.ClusterID {
		return linkemu.Errorf(linkemu.EINVALID, "Requested cluster ID matches local cluster ID '%s' - cannot create cluster link to self", l.ClusterID)
	}
	return nil
}

// validateRemote connects to the remote cluster as the link will and checks
// its cluster ID.
func (m *Manager) validateRemote(ctx context.Context, l *linkemu.Link, cc broker.ConnConfig) error {
	got, err := broker.Probe(ctx, cc, m.cfg.ProbeTimeout)
	if err != nil {
		var pe *broker.ProbeError
		if errors.As(err, &pe) {
			return linkemu.Errorf(linkemu.EINVALID, "Unable to validate cluster link '%s' (%s): %s Create it with validate_link=false to skip this check.", l.Name, pe.Kind, pe.Message)
		}
		return linkemu.Errorf(linkemu.EINVALID, "Unable to validate cluster link '%s': %v", l.Name, err)
	}
	if want := l.RemoteID(); got != want {
		return linkemu.Errorf(linkemu.EINVALID, "Expected cluster ID '%s' does not match resolved cluster ID '%s'", want, got)
	}
	return nil
}

// GetLink returns one link with its status. With includeTasks, Tasks is
// never nil. Like every read, it waits for no write: it reads the published
// view and the runtimes' published status.
func (m *Manager) GetLink(_ context.Context, cluster, name string, includeTasks bool) (*LinkStatus, error) {
	if _, err := m.cluster(cluster); err != nil {
		return nil, err
	}
	v := m.view()
	l, err := v.link(cluster, name)
	if err != nil {
		return nil, err
	}
	return m.linkStatus(v, l, includeTasks), nil
}

// ListLinks returns every link of cluster with its status.
func (m *Manager) ListLinks(_ context.Context, cluster string) ([]*LinkStatus, error) {
	if _, err := m.cluster(cluster); err != nil {
		return nil, err
	}
	v := m.view()
	links := v.linksOf(cluster)
	out := make([]*LinkStatus, 0, len(links))
	for _, l := range links {
		out = append(out, m.linkStatus(v, l, false))
	}
	return out, nil
}

// briefMaps holds the maps linkStatus reads a worker's briefs into: GET
// link and GET links run hundreds of times a second under load, and a
// fresh map per request for a link with hundreds of mirrors was the
// largest allocation of the API.
var briefMaps = sync.Pool{New: func() any { return map[string]replication.Brief{} }}

func (m *Manager) linkStatus(v *view, l *linkemu.Link, includeTasks bool) *LinkStatus {
	mirrors := v.mirrorsOf(l.ClusterID, l.Name)
	st := &LinkStatus{Link: l, State: linkemu.LinkUnknown, Error: linkemu.LinkErrUnknown, TopicNames: make([]string, 0, len(mirrors))}
	rt := m.runtime(l.ClusterID, l.Name)
	var h linkHealth
	var briefs map[string]replication.Brief
	if rt != nil {
		h = rt.Health()
		st.State, st.Error, st.ErrorMessage = h.state, h.err, h.message
		if includeTasks {
			st.Tasks = rt.tasks(h)
		}
		if rt.repl != nil && len(mirrors) > 0 {
			briefs = briefMaps.Get().(map[string]replication.Brief)
			defer briefMaps.Put(briefs)
			rt.repl.Briefs(briefs)
		}
	}
	if includeTasks && st.Tasks == nil {
		st.Tasks = []linkemu.Task{}
	}
	for _, mr := range mirrors {
		st.TopicNames = append(st.TopicNames, mr.Name)
		status, partitions := mirrorBrief(mr, h, briefs)
		if st.CategoryCounts == nil {
			st.CategoryCounts = map[string]int{}
		}
		st.CategoryCounts[stateCategory(status)] += partitions
	}
	return st
}

// stateCategory maps a mirror status to Confluent's LinkCategory.
func stateCategory(s linkemu.MirrorStatus) string {
	switch s {
	case linkemu.MirrorActive:
		return "ACTIVE"
	case linkemu.MirrorPaused, linkemu.MirrorLinkPaused:
		return "PAUSED"
	case linkemu.MirrorStopped:
		return "NOT_APPLICABLE"
	case linkemu.MirrorFailed, linkemu.MirrorSourceUnavailable, linkemu.MirrorLinkFailed:
		return "IN_ERROR"
	default:
		return "PENDING"
	}
}

// DeleteLink deletes a link. A link that still has mirror topics is refused
// unless force is set, which fails the mirrors over first. It holds the
// lanes of both sides exclusive: no mirror operation of the link runs
// meanwhile.
func (m *Manager) DeleteLink(ctx context.Context, cluster, name string, force, validateOnly bool) error {
	if _, err := m.cluster(cluster); err != nil {
		return err
	}
	l, err := m.view().link(cluster, name)
	if err != nil {
		return err
	}
	unlock, err := m.lanes.lock(ctx, bothSides(cluster, name, l.RemoteID())...)
	if err != nil {
		return err
	}
	defer unlock()
	v := m.view()
	if l, err = v.link(cluster, name); err != nil {
		return err
	}
	var inUse []string
	for _, mr := range v.mirrorsOf(cluster, name) {
		if mr.Status != linkemu.MirrorStopped {
			inUse = append(inUse, mr.Name)
		}
	}
	if len(inUse) > 0 && !force {
		return linkemu.Errorf(linkemu.ECONFLICT, "Cluster link '%s' is in use by mirror topics: %s. Fail them over or promote them first, or delete the link with force=true, which fails them over.", name, strings.Join(inUse, ", "))
	}
	if validateOnly {
		return nil
	}
	for _, mr := range inUse {
		if err := m.stopMirror(ctx, cluster, name, mr, false); err != nil {
			return linkemu.Errorf(linkemu.EUNAVAILABLE, "Cluster link '%s' was not deleted: failing over its mirror topics failed: %s", name, linkemu.ErrorMessage(err))
		}
	}
	m.stopLink(cluster, name)
	if err := m.write(func(tx *wtx) error {
		mirrors, err := tx.Mirrors(cluster, name)
		if err != nil {
			return err
		}
		for _, mr := range mirrors {
			// Stopped mirrors are plain topics now; forget their mirror state.
			if err := tx.DeleteMirror(cluster, mr.Name); err != nil {
				return err
			}
		}
		if err := tx.KVDropNamespace(replicationStore{cluster: cluster}.ns(name)); err != nil {
			return err
		}
		// The ACLs the link created stay on the cluster, now its own: a
		// new link of the same name did not create them and must not
		// delete them.
		if err := tx.KVDelete(aclNamespace, aclKey(&linkemu.Link{ClusterID: cluster, Name: name})); err != nil {
			return err
		}
		return tx.DeleteLink(cluster, name)
	}); err != nil {
		return err
	}
	m.restartPeer(l)
	m.log.Info("link deleted", "cluster", cluster, "link", name, "force", force)
	return nil
}
