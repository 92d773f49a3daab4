package networking

import (
	"strings"

	"github.com/linkemu/linkemu/store"
)

// EndpointSpec is the request to create a network link endpoint.
type EndpointSpec struct {
	Environment string
	Network     string
	Service     string
	DisplayName string
	Description string
}

// EndpointUpdate changes an endpoint; nil fields stay as they are.
type EndpointUpdate struct {
	Environment string // required: the endpoint's environment
	DisplayName *string
	Description *string
}

// EndpointFilter selects endpoints; empty lists select everything.
type EndpointFilter struct {
	Environment  string // required
	DisplayNames []string
	Phases       []string
	Networks     []string
	Services     []string
}

// CreateEndpoint creates a network link endpoint from a private network to a
// service on another. It is PROVISIONING for the ready delay, then READY if
// the service accepts it and PENDING_ACCEPT until it does.
func (f *Fabric) CreateEndpoint(spec EndpointSpec) (*LinkEndpoint, error) {
	if spec.Environment == "" {
		return nil, errInvalid("spec.environment.id is required: give the environment of the endpoint's network.")
	}
	if err := f.topo.environment(spec.Environment); err != nil {
		return nil, onCreate(err)
	}
	if _, err := f.topo.privateNetwork(spec.Environment, spec.Network, "spec.network.id"); err != nil {
		return nil, onCreate(err)
	}
	if spec.Service == "" {
		return nil, errInvalid("spec.network_link_service.id is required: give the ID of the network link service (nls-…) on the network to connect to.")
	}
	var out *LinkEndpoint
	err := f.update(func(tx *store.Tx, st *state) error {
		svc := st.services[spec.Service]
		if svc == nil {
			return errRefused("Network link service %s not found: spec.network_link_service.id must name an existing service (nls-…).", spec.Service)
		}
		if svc.Network == spec.Network {
			return errInvalid("Network link service %s is on network %s itself; an endpoint connects its network to another network's service.", svc.ID, spec.Network)
		}
		var onNetwork []string
		for _, e := range sorted(st.endpoints) {
			if e.Network != spec.Network {
				continue
			}
			onNetwork = append(onNetwork, e.ID)
			if e.Service == svc.ID && e.Phase != PhaseDisconnected {
				return errConflict("Network %s already has network link endpoint %s to service %s (%s).", spec.Network, e.ID, svc.ID, e.Phase)
			}
		}
		if len(onNetwork) >= MaxEndpointsPerNetwork {
			return errQuota("Network %s already has %d network link endpoints (%s); a network can have at most %d (quota network_link_endpoints_per_network). Delete one first.",
				spec.Network, len(onNetwork), strings.Join(onNetwork, ", "), MaxEndpointsPerNetwork)
		}
		if len(st.endpoints) >= MaxEndpointsPerOrg {
			return errQuota("The organization already has %d network link endpoints; it can have at most %d (network links per organization). Delete one first.",
				len(st.endpoints), MaxEndpointsPerOrg)
		}
		now := f.now().UTC()
		e := &LinkEndpoint{
			ID:          newID("nle-", func(id string) bool { return st.endpoints[id] != nil }),
			DisplayName: spec.DisplayName, Description: spec.Description,
			Environment: spec.Environment, Network: spec.Network,
			Service: svc.ID, ServiceEnvironment: svc.Environment, ServiceNetwork: svc.Network,
			CreatedAt: now, UpdatedAt: now,
		}
		if e.DisplayName == "" {
			e.DisplayName = e.ID
		}
		if err := putJSON(tx, nsEndpoints, e.ID, e); err != nil {
			return err
		}
		e.Phase, e.ErrorMessage = endpointPhase(e, svc, now, f.delay)
		out = e
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.log.Info("network link endpoint created", "endpoint", out.ID, "environment", out.Environment, "network", out.Network, "service", out.Service)
	return out, nil
}

// GetEndpoint returns one endpoint of an environment.
func (f *Fabric) GetEndpoint(env, id string) (*LinkEndpoint, error) {
	if err := f.topo.environment(env); err != nil {
		return nil, err
	}
	var out *LinkEndpoint
	err := f.view(func(st *state) error {
		var err error
		out, err = endpointIn(st, env, id)
		return err
	})
	return out, err
}

// ListEndpoints returns the endpoints that pass the filter, ordered by ID.
func (f *Fabric) ListEndpoints(filter EndpointFilter) ([]*LinkEndpoint, error) {
	if err := f.topo.environment(filter.Environment); err != nil {
		return nil, err
	}
	out := []*LinkEndpoint{}
	err := f.view(func(st *state) error {
		for _, e := range sorted(st.endpoints) {
			if e.Environment == filter.Environment && matches(filter.DisplayNames, e.DisplayName) && matches(filter.Phases, string(e.Phase)) &&
				matches(filter.Networks, e.Network) && matches(filter.Services, e.Service) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

// UpdateEndpoint changes an endpoint's name or description.
func (f *Fabric) UpdateEndpoint(id string, u EndpointUpdate) (*LinkEndpoint, error) {
	if u.Environment == "" {
		return nil, errInvalid("spec.environment.id is required: give the environment of network link endpoint %s.", id)
	}
	if err := f.topo.environment(u.Environment); err != nil {
		return nil, err
	}
	var out *LinkEndpoint
	err := f.update(func(tx *store.Tx, st *state) error {
		e, err := endpointIn(st, u.Environment, id)
		if err != nil {
			return err
		}
		if u.DisplayName != nil {
			e.DisplayName = *u.DisplayName
		}
		if u.Description != nil {
			e.Description = *u.Description
		}
		e.UpdatedAt = f.now().UTC()
		out = e
		return putJSON(tx, nsEndpoints, e.ID, e)
	})
	return out, err
}

// DeleteEndpoint deletes an endpoint, whatever its phase. Cluster links that
// needed it become UNAVAILABLE at their next health check.
func (f *Fabric) DeleteEndpoint(env, id string) error {
	if err := f.topo.environment(env); err != nil {
		return err
	}
	err := f.update(func(tx *store.Tx, st *state) error {
		if _, err := endpointIn(st, env, id); err != nil {
			return err
		}
		return tx.KVDelete(nsEndpoints, id)
	})
	if err != nil {
		return err
	}
	f.log.Info("network link endpoint deleted", "endpoint", id, "environment", env)
	return nil
}

// endpointIn returns an endpoint of env, or ENOTFOUND.
func endpointIn(st *state, env, id string) (*LinkEndpoint, error) {
	e := st.endpoints[id]
	if e == nil || e.Environment != env {
		return nil, errNotFound("Network link endpoint %s not found in environment %s.", id, env)
	}
	return e, nil
}
