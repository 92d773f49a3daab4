package networking

// AssociationFilter selects the associations of one service.
type AssociationFilter struct {
	Environment string // required: the service's environment
	Service     string // required
	Phases      []string
}

// ListAssociations returns the associations of a service: one per endpoint
// that points at it, from any environment, ordered by ID.
func (f *Fabric) ListAssociations(filter AssociationFilter) ([]*Association, error) {
	if err := f.topo.environment(filter.Environment); err != nil {
		return nil, err
	}
	if filter.Service == "" {
		return nil, errMalformed("The query parameter spec.network_link_service is required: give the ID of the network link service (nls-…).")
	}
	out := []*Association{}
	err := f.view(func(st *state) error {
		s, err := serviceIn(st, filter.Environment, filter.Service)
		if err != nil {
			return err
		}
		for _, e := range sorted(st.endpoints) {
			if e.Service == s.ID && matches(filter.Phases, string(e.Phase)) {
				out = append(out, &Association{ID: associationID(e.ID), Endpoint: e, Service: s.ID, ServiceEnvironment: s.Environment, ServiceNetwork: s.Network})
			}
		}
		return nil
	})
	return out, err
}

// GetAssociation returns one association of a service.
func (f *Fabric) GetAssociation(env, service, id string) (*Association, error) {
	list, err := f.ListAssociations(AssociationFilter{Environment: env, Service: service})
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, errNotFound("Network link service association %s not found for network link service %s in environment %s.", id, service, env)
}
