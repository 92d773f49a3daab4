package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/networking"
)

func (s *Server) listNetworkLinkServiceAssociations(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := s.cfg.Networking.ListAssociations(networking.AssociationFilter{
		Environment: q.Get("environment"), Service: q.Get("spec.network_link_service"), Phases: q["status.phase"],
	})
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	refs := s.cloudRefs(r)
	items, meta := paginate(r, refs.base, list, func(v *networking.Association) string { return v.ID }, p)
	data := make([]api.NetworkLinkServiceAssociation, 0, len(items))
	for _, v := range items {
		data = append(data, refs.association(v))
	}
	writeJSON(w, r, http.StatusOK, cloudList("NetworkLinkServiceAssociationList", data, meta))
}

func (s *Server) getNetworkLinkServiceAssociation(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := s.cfg.Networking.GetAssociation(q.Get("environment"), q.Get("spec.network_link_service"), chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.cloudRefs(r).association(v))
}

// association encodes an association.
func (c cloudRefs) association(v *networking.Association) api.NetworkLinkServiceAssociation {
	e := v.Endpoint
	self := c.url("/networking/v1/network-link-service-associations/"+v.ID, v.ServiceEnvironment) + "&spec.network_link_service=" + v.Service
	return api.NetworkLinkServiceAssociation{
		APIVersion: api.NetworkingAPIVersion, Kind: "NetworkLinkServiceAssociation", ID: v.ID,
		Metadata: api.CloudObjectMeta{
			Self:         self,
			ResourceName: c.crn("environment", v.ServiceEnvironment, "network", v.ServiceNetwork, "network-link-service", v.Service, "network-link-endpoint", e.ID),
			CreatedAt:    timePtr(e.CreatedAt), UpdatedAt: timePtr(e.UpdatedAt),
		},
		Spec: api.NetworkLinkServiceAssociationSpec{
			DisplayName: e.DisplayName, Description: e.Description, NetworkLinkEndpoint: e.ID,
			NetworkLinkService: c.service(v.ServiceEnvironment, v.ServiceNetwork, v.Service),
			Environment:        c.environment(v.ServiceEnvironment),
		},
		Status: cloudStatus(e.Phase, e.ErrorMessage),
	}
}
