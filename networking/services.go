package networking

import (
	"fmt"
	"strings"

	"github.com/linkemu/linkemu/store"
)

// ServiceSpec is the request to create a network link service.
type ServiceSpec struct {
	Environment string
	Network     string
	DisplayName string
	Description string
	Accept      AcceptPolicy
}

// ServiceUpdate changes a service; nil fields stay as they are.
type ServiceUpdate struct {
	Environment string // required: the service's environment
	DisplayName *string
	Description *string
	Accept      *AcceptPolicy
}

// ServiceFilter selects services; empty lists select everything.
type ServiceFilter struct {
	Environment  string // required
	DisplayNames []string
	Phases       []string
	Networks     []string
}

// CreateService creates a network link service on a private network. It is
// PROVISIONING for the ready delay, then READY.
func (f *Fabric) CreateService(spec ServiceSpec) (*LinkService, error) {
	if spec.Environment == "" {
		return nil, errInvalid("spec.environment.id is required: give the environment of the service's network.")
	}
	if err := f.topo.environment(spec.Environment); err != nil {
		return nil, onCreate(err)
	}
	if _, err := f.topo.privateNetwork(spec.Environment, spec.Network, "spec.network.id"); err != nil {
		return nil, onCreate(err)
	}
	accept := spec.Accept.normalize()
	if err := f.topo.checkAccept(accept); err != nil {
		return nil, err
	}
	var out *LinkService
	err := f.update(func(tx *store.Tx, st *state) error {
		var onNetwork []string
		for _, s := range sorted(st.services) {
			if s.Network == spec.Network {
				onNetwork = append(onNetwork, s.ID)
			}
		}
		if len(onNetwork) >= MaxServicesPerNetwork {
			return errQuota("Network %s already has network link service %s, and a network can have only %d (quota network_link_service_per_network). Change the accept list of %s instead.",
				spec.Network, strings.Join(onNetwork, ", "), MaxServicesPerNetwork, onNetwork[0])
		}
		now := f.now().UTC()
		s := &LinkService{
			ID:          newID("nls-", func(id string) bool { return st.services[id] != nil }),
			DisplayName: spec.DisplayName, Description: spec.Description,
			Environment: spec.Environment, Network: spec.Network, Accept: accept,
			CreatedAt: now, UpdatedAt: now,
		}
		if s.DisplayName == "" {
			s.DisplayName = s.ID
		}
		if err := putJSON(tx, nsServices, s.ID, s); err != nil {
			return err
		}
		s.Phase = servicePhase(s, now, f.delay)
		out = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.log.Info("network link service created", "service", out.ID, "environment", out.Environment, "network", out.Network,
		"accept_environments", out.Accept.Environments, "accept_networks", out.Accept.Networks)
	return out, nil
}

// GetService returns one service of an environment.
func (f *Fabric) GetService(env, id string) (*LinkService, error) {
	if err := f.topo.environment(env); err != nil {
		return nil, err
	}
	var out *LinkService
	err := f.view(func(st *state) error {
		var err error
		out, err = serviceIn(st, env, id)
		return err
	})
	return out, err
}

// ListServices returns the services that pass the filter, ordered by ID.
func (f *Fabric) ListServices(filter ServiceFilter) ([]*LinkService, error) {
	if err := f.topo.environment(filter.Environment); err != nil {
		return nil, err
	}
	out := []*LinkService{}
	err := f.view(func(st *state) error {
		for _, s := range sorted(st.services) {
			if s.Environment == filter.Environment && matches(filter.DisplayNames, s.DisplayName) &&
				matches(filter.Phases, string(s.Phase)) && matches(filter.Networks, s.Network) {
				out = append(out, s)
			}
		}
		return nil
	})
	return out, err
}

// UpdateService changes a service's name, description or accept list.
// Endpoints the new accept list no longer admits are DISCONNECTED for good.
func (f *Fabric) UpdateService(id string, u ServiceUpdate) (*LinkService, error) {
	if u.Environment == "" {
		return nil, errInvalid("spec.environment.id is required: give the environment of network link service %s.", id)
	}
	if err := f.topo.environment(u.Environment); err != nil {
		return nil, err
	}
	if u.Accept != nil {
		a := u.Accept.normalize()
		if err := f.topo.checkAccept(a); err != nil {
			return nil, err
		}
		u.Accept = &a
	}
	var out *LinkService
	var disconnected []string
	err := f.update(func(tx *store.Tx, st *state) error {
		s, err := serviceIn(st, u.Environment, id)
		if err != nil {
			return err
		}
		now := f.now().UTC()
		if u.Accept != nil {
			old := s.Accept
			s.Accept = *u.Accept
			for _, e := range sorted(st.endpoints) {
				if e.Service != s.ID || e.Disconnected || !old.admits(e.Environment, e.Network) || s.Accept.admits(e.Environment, e.Network) {
					continue
				}
				e.Disconnected, e.UpdatedAt = true, now
				e.DisconnectReason = fmt.Sprintf("Network link service %s no longer accepts environment %s or network %s (its accept list changed at %s). A disconnected endpoint does not recover: delete it, and create a new one once the service accepts it again.",
					s.ID, e.Environment, e.Network, now.Format("2006-01-02T15:04:05Z"))
				if err := putJSON(tx, nsEndpoints, e.ID, e); err != nil {
					return err
				}
				disconnected = append(disconnected, e.ID)
			}
		}
		if u.DisplayName != nil {
			s.DisplayName = *u.DisplayName
		}
		if u.Description != nil {
			s.Description = *u.Description
		}
		s.UpdatedAt = now
		out = s
		return putJSON(tx, nsServices, s.ID, s)
	})
	if err != nil {
		return nil, err
	}
	f.log.Info("network link service updated", "service", id, "accept_environments", out.Accept.Environments,
		"accept_networks", out.Accept.Networks, "disconnected_endpoints", disconnected)
	return out, nil
}

// DeleteService deletes a service that has no connected endpoints. Its
// other endpoints (pending or disconnected) stay, DISCONNECTED.
func (f *Fabric) DeleteService(env, id string) error {
	if err := f.topo.environment(env); err != nil {
		return err
	}
	err := f.update(func(tx *store.Tx, st *state) error {
		s, err := serviceIn(st, env, id)
		if err != nil {
			return err
		}
		var busy []string
		for _, e := range sorted(st.endpoints) {
			if e.Service == s.ID && connected(e, s) {
				busy = append(busy, fmt.Sprintf("%s (network %s, %s)", e.ID, e.Network, e.Phase))
			}
		}
		if len(busy) > 0 {
			return errRefused("Network link service %s has connected network link endpoints: %s. Delete them, or remove their environments and networks from the service's accept list, first.",
				s.ID, strings.Join(busy, ", "))
		}
		now := f.now().UTC()
		for _, e := range sorted(st.endpoints) {
			if e.Service != s.ID || e.Disconnected {
				continue
			}
			e.Disconnected, e.UpdatedAt = true, now
			e.DisconnectReason = fmt.Sprintf("Network link service %s was deleted; delete this endpoint.", s.ID)
			if err := putJSON(tx, nsEndpoints, e.ID, e); err != nil {
				return err
			}
		}
		return tx.KVDelete(nsServices, s.ID)
	})
	if err != nil {
		return err
	}
	f.log.Info("network link service deleted", "service", id, "environment", env)
	return nil
}

// serviceIn returns a service of env, or ENOTFOUND.
func serviceIn(st *state, env, id string) (*LinkService, error) {
	s := st.services[id]
	if s == nil || s.Environment != env {
		return nil, errNotFound("Network link service %s not found in environment %s.", id, env)
	}
	return s, nil
}
