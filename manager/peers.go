package manager

import (
	"fmt"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
)

// Two-sided links. A source-initiated link is a SOURCE side on the source
// cluster (it connects out to the destination) and a DESTINATION side with
// connection.mode=INBOUND on the destination (it waits). A bidirectional
// link is a BIDIRECTIONAL side on each cluster, of which one may be INBOUND.
// Both sides carry the same name and the same cluster_link_id. Data flows
// into a DESTINATION or BIDIRECTIONAL side; an INBOUND side reads its remote
// cluster with the credentials its peer declares for its own cluster
// (local.* configs), as Confluent's reverse connection does.

// pairs reports whether two links with the same name are the two sides of
// one link.
func pairs(a, b *linkemu.Link) bool {
	if a.Name != b.Name || a.RemoteID() != b.ClusterID || b.RemoteID() != a.ClusterID {
		return false
	}
	switch a.Mode() {
	case linkemu.ModeSource:
		return b.Mode() == linkemu.ModeDestination && b.ConnectionMode() == linkemu.ConnInbound
	case linkemu.ModeDestination:
		return a.ConnectionMode() == linkemu.ConnInbound && b.Mode() == linkemu.ModeSource
	case linkemu.ModeBidirectional:
		return b.Mode() == linkemu.ModeBidirectional
	}
	return false
}

// twoSided reports whether a link needs its other side to work.
func twoSided(l *linkemu.Link) bool {
	return l.Mode() != linkemu.ModeDestination || l.ConnectionMode() == linkemu.ConnInbound
}

// peer returns the other side of a two-sided link, or nil while it does not
// exist (or the remote cluster is not served by this emulator).
func (m *Manager) peer(l *linkemu.Link) *linkemu.Link {
	if !twoSided(l) {
		return nil
	}
	other := m.view().findLink(l.RemoteID(), l.Name)
	if other == nil || !pairs(l, other) {
		return nil
	}
	return other
}

// peerMissing reports a two-sided link whose other side is missing: the link
// is UNAVAILABLE and no data moves in either direction. A remote cluster the
// emulator does not serve cannot be checked and is assumed to have it.
func (m *Manager) peerMissing(l *linkemu.Link) (linkHealth, bool) {
	if !twoSided(l) || m.peer(l) != nil {
		return linkHealth{}, false
	}
	if _, err := m.clusters.Get(l.RemoteID()); err != nil && l.ConnectionMode() == linkemu.ConnOutbound {
		return linkHealth{}, false
	}
	var msg string
	switch {
	case l.Mode() == linkemu.ModeSource:
		msg = fmt.Sprintf("Cluster %s has no destination side of link '%s': create it there with link.mode=DESTINATION and connection.mode=INBOUND.", l.RemoteID(), l.Name)
	case l.Mode() == linkemu.ModeDestination:
		msg = fmt.Sprintf("Waiting for cluster %s to create the source side of link '%s' (link.mode=SOURCE): this side has connection.mode=INBOUND and does not connect out.", l.RemoteID(), l.Name)
	default:
		msg = fmt.Sprintf("The other side of bidirectional link '%s' does not exist on cluster %s: create it there (link.mode=BIDIRECTIONAL), or delete this side. No data flows in either direction.", l.Name, l.RemoteID())
	}
	return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrUnknown, message: msg, blocked: true}, true
}

// remoteConn resolves how a link reaches its remote cluster. An OUTBOUND side
// uses its own bootstrap.servers and security configs, or, when
// bootstrap.servers is not set, the emulator's own connection to a cluster it
// serves. An INBOUND side uses its peer's local.* credentials for the peer's
// own cluster, or the emulator's connection when the peer declares none.
func (m *Manager) remoteConn(l *linkemu.Link) (broker.ConnConfig, error) {
	if l.ConnectionMode() == linkemu.ConnInbound {
		c, err := m.clusters.Get(l.RemoteID())
		if err != nil {
			return broker.ConnConfig{}, linkemu.Errorf(linkemu.EINVALID, "An INBOUND link needs its remote cluster %s to be served by this emulator, so the other side of the link can be found.", l.RemoteID())
		}
		peer := m.peer(l)
		if peer == nil {
			return broker.ConnConfig{}, linkemu.Errorf(linkemu.EUNAVAILABLE, "Waiting for cluster %s to create its side of link '%s'.", l.RemoteID(), l.Name)
		}
		if peer.Config(linkemu.CfgLocalSecurityProtocol) == "" {
			return c.Conn(), nil
		}
		return m.clusters.LinkConn(peer, "local.", c.BootstrapFor(peer.Config(linkemu.CfgLocalSecurityProtocol)))
	}
	if bs := l.ConfigList(linkemu.CfgBootstrapServers); len(bs) > 0 {
		return m.clusters.LinkConn(l, "", bs)
	}
	c, err := m.clusters.Get(l.RemoteID())
	if err != nil {
		return broker.ConnConfig{}, linkemu.Errorf(linkemu.EINVALID, "The config %s is required: cluster %s is not served by this emulator, so give its brokers' host:port list.", linkemu.CfgBootstrapServers, l.RemoteID())
	}
	return c.Conn(), nil
}

// restartPeer restarts the runtime of a link's other side, so that it sees
// this side appear or go. The caller holds the lanes of both sides
// exclusive (see bothSides).
func (m *Manager) restartPeer(l *linkemu.Link) {
	other := m.view().findLink(l.RemoteID(), l.Name)
	if other != nil && pairs(other, l) && m.runtime(other.ClusterID, other.Name) != nil {
		m.startLink(other)
	}
}

// bothSides returns the lanes of a link side and of the side with its name
// on its remote cluster, exclusive: creating, deleting and reconfiguring a
// side may restart the other one.
func bothSides(cluster, name, remote string) []laneReq {
	return []laneReq{linkLane(cluster, name, true), linkLane(remote, name, true)}
}
