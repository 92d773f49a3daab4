package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/networking"
)

func (s *Server) listNetworkLinkEndpoints(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := s.cfg.Networking.ListEndpoints(networking.EndpointFilter{
		Environment: q.Get("environment"), DisplayNames: q["spec.display_name"], Phases: q["status.phase"],
		Networks: q["spec.network"], Services: q["spec.network_link_service"],
	})
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	refs := s.cloudRefs(r)
	items, meta := paginate(r, refs.base, list, func(v *networking.LinkEndpoint) string { return v.ID }, p)
	data := make([]api.NetworkLinkEndpoint, 0, len(items))
	for _, v := range items {
		data = append(data, refs.linkEndpoint(v))
	}
	writeJSON(w, r, http.StatusOK, cloudList("NetworkLinkEndpointList", data, meta))
}

func (s *Server) createNetworkLinkEndpoint(w http.ResponseWriter, r *http.Request) {
	var req api.NetworkLinkEndpointRequest
	if err := decodeCloud(r, &req, func(v *api.NetworkLinkEndpointRequest) bool { return v.Spec != nil }); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	spec := networking.EndpointSpec{
		Environment: idOf(req.Spec.Environment), Network: idOf(req.Spec.Network), Service: idOf(req.Spec.NetworkLinkService),
	}
	if req.Spec.DisplayName != nil {
		spec.DisplayName = *req.Spec.DisplayName
	}
	if req.Spec.Description != nil {
		spec.Description = *req.Spec.Description
	}
	v, err := s.cfg.Networking.CreateEndpoint(spec)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	body := s.cloudRefs(r).linkEndpoint(v)
	w.Header().Set("Location", body.Metadata.Self)
	writeJSON(w, r, http.StatusAccepted, body)
}

func (s *Server) getNetworkLinkEndpoint(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Networking.GetEndpoint(r.URL.Query().Get("environment"), chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.cloudRefs(r).linkEndpoint(v))
}

func (s *Server) updateNetworkLinkEndpoint(w http.ResponseWriter, r *http.Request) {
	var req api.NetworkLinkEndpointRequest
	if err := decodeCloud(r, &req, func(v *api.NetworkLinkEndpointRequest) bool { return v.Spec != nil }); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	if req.Spec.Network != nil || req.Spec.NetworkLinkService != nil {
		s.cloudFail(w, r, linkemu.Errorf(linkemu.EINVALID, "spec.network and spec.network_link_service cannot be changed: only display_name and description can. Create a new endpoint instead."))
		return
	}
	v, err := s.cfg.Networking.UpdateEndpoint(chi.URLParam(r, "id"), networking.EndpointUpdate{
		Environment: idOf(req.Spec.Environment), DisplayName: req.Spec.DisplayName, Description: req.Spec.Description,
	})
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.cloudRefs(r).linkEndpoint(v))
}

func (s *Server) deleteNetworkLinkEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Networking.DeleteEndpoint(r.URL.Query().Get("environment"), chi.URLParam(r, "id")); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	noContent(w)
}

// linkEndpoint encodes an endpoint.
func (c cloudRefs) linkEndpoint(v *networking.LinkEndpoint) api.NetworkLinkEndpoint {
	return api.NetworkLinkEndpoint{
		APIVersion: api.NetworkingAPIVersion, Kind: "NetworkLinkEndpoint", ID: v.ID,
		Metadata: api.CloudObjectMeta{
			Self:         c.url("/networking/v1/network-link-endpoints/"+v.ID, v.Environment),
			ResourceName: c.crn("environment", v.Environment, "network", v.Network, "network-link-endpoint", v.ID),
			CreatedAt:    timePtr(v.CreatedAt), UpdatedAt: timePtr(v.UpdatedAt),
		},
		Spec: api.NetworkLinkEndpointSpec{
			DisplayName: v.DisplayName, Description: v.Description,
			Environment:        c.environment(v.Environment),
			Network:            c.network(v.Environment, v.Network),
			NetworkLinkService: c.service(v.ServiceEnvironment, v.ServiceNetwork, v.Service),
		},
		Status: cloudStatus(v.Phase, v.ErrorMessage),
	}
}
