package networking

import (
	"fmt"

	linkemu "github.com/linkemu/linkemu"
)

// CheckLink implements manager.NetworkPolicy: it returns nil when the
// cluster that opens the link's connection can reach the other cluster, and
// otherwise a *linkemu.Error that says what is missing.
func (f *Fabric) CheckLink(l *linkemu.Link) error {
	initiator, target := l.ClusterID, l.RemoteID()
	sourceInitiated := l.Mode() == linkemu.ModeSource ||
		(l.Mode() == linkemu.ModeDestination && l.ConnectionMode() == linkemu.ConnInbound)
	if l.ConnectionMode() == linkemu.ConnInbound {
		initiator, target = target, initiator
	}
	from, to := f.topo.networkOf(initiator), f.topo.networkOf(target)
	switch {
	case from.ID == to.ID, !to.Private():
		// One network, or out to the public network: nothing in the way.
		return nil
	case !from.Private():
		fix := fmt.Sprintf("Create a source-initiated link (link.mode=SOURCE on %s, connection.mode=INBOUND on %s) instead: a private cluster can connect out to the public network.", target, initiator)
		if sourceInitiated {
			fix = fmt.Sprintf("Create a destination-initiated link on %s (link.mode=DESTINATION, connection.mode=OUTBOUND) instead: a private cluster can connect out to the public network.", target)
		}
		return linkemu.Errorf(linkemu.EUNAVAILABLE,
			"cluster %s is in %s and cannot connect to %s in %s: a private network accepts no connections from the public one. %s",
			initiator, from.describe(), target, to.describe(), fix)
	case sourceInitiated:
		src, dst := l.ClusterID, l.RemoteID()
		if l.Mode() == linkemu.ModeDestination {
			src, dst = dst, src
		}
		return linkemu.Errorf(linkemu.EINVALID,
			"cluster link '%s' is source-initiated (source %s in %s, destination %s in %s), and source-initiated links cannot cross a network link. Create a destination-initiated link on %s (link.mode=DESTINATION, connection.mode=OUTBOUND) over a network link endpoint from %s to a service on %s.",
			l.Name, src, f.topo.networkOf(src).describe(), dst, f.topo.networkOf(dst).describe(), dst, f.topo.networkOf(dst).ID, f.topo.networkOf(src).ID)
	}
	var missing string
	err := f.view(func(st *state) error {
		missing = pathProblem(st, from, to)
		return nil
	})
	if err != nil {
		return err
	}
	if missing == "" {
		return nil
	}
	return linkemu.Errorf(linkemu.EUNAVAILABLE,
		"cluster %s is in network %s (env %s) and %s in %s (env %s); a READY network link endpoint from %s to a service on %s is required: %s",
		initiator, from.ID, from.Environment, target, to.ID, to.Environment, from.ID, to.ID, missing)
}

// pathProblem returns "" if a READY endpoint on from reaches a service on to,
// and otherwise what is missing.
func pathProblem(st *state, from, to Network) string {
	var svc *LinkService
	for _, s := range sorted(st.services) {
		if s.Network == to.ID {
			svc = s
			break
		}
	}
	if svc == nil {
		return fmt.Sprintf("there is no network link service on %s. Create one there that accepts %s or %s, then an endpoint on %s that points at it.",
			to.ID, from.Environment, from.ID, from.ID)
	}
	var found *LinkEndpoint
	for _, e := range sorted(st.endpoints) {
		if e.Network != from.ID || e.Service != svc.ID {
			continue
		}
		if e.Phase == PhaseReady {
			return ""
		}
		if found == nil || found.Phase == PhaseDisconnected {
			found = e
		}
	}
	if found == nil {
		return fmt.Sprintf("network %s has no endpoint to network link service %s on %s. Create one (spec.network %s, spec.network_link_service %s).",
			from.ID, svc.ID, to.ID, from.ID, svc.ID)
	}
	switch found.Phase {
	case PhaseProvisioning:
		return fmt.Sprintf("endpoint %s is still PROVISIONING; it is READY shortly if service %s accepts it.", found.ID, svc.ID)
	case PhasePendingAccept:
		return fmt.Sprintf("endpoint %s is PENDING_ACCEPT: service %s accepts neither environment %s nor network %s. Add one of them to its accept list.",
			found.ID, svc.ID, from.Environment, from.ID)
	default:
		return fmt.Sprintf("endpoint %s is %s. %s", found.ID, found.Phase, found.ErrorMessage)
	}
}
