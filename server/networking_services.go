package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/networking"
)

func (s *Server) listNetworkLinkServices(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	q := r.URL.Query()
	list, err := s.cfg.Networking.ListServices(networking.ServiceFilter{
		Environment: q.Get("environment"), DisplayNames: q["spec.display_name"], Phases: q["status.phase"], Networks: q["spec.network"],
	})
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	refs := s.cloudRefs(r)
	items, meta := paginate(r, refs.base, list, func(v *networking.LinkService) string { return v.ID }, p)
	data := make([]api.NetworkLinkService, 0, len(items))
	for _, v := range items {
		data = append(data, refs.linkService(v))
	}
	writeJSON(w, r, http.StatusOK, cloudList("NetworkLinkServiceList", data, meta))
}

func (s *Server) createNetworkLinkService(w http.ResponseWriter, r *http.Request) {
	var req api.NetworkLinkServiceRequest
	if err := decodeCloud(r, &req, func(v *api.NetworkLinkServiceRequest) bool { return v.Spec != nil }); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	spec := networking.ServiceSpec{Environment: idOf(req.Spec.Environment), Network: idOf(req.Spec.Network)}
	if req.Spec.DisplayName != nil {
		spec.DisplayName = *req.Spec.DisplayName
	}
	if req.Spec.Description != nil {
		spec.Description = *req.Spec.Description
	}
	if a := req.Spec.Accept; a != nil {
		spec.Accept = networking.AcceptPolicy{Environments: a.Environments, Networks: a.Networks}
	}
	v, err := s.cfg.Networking.CreateService(spec)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	body := s.cloudRefs(r).linkService(v)
	w.Header().Set("Location", body.Metadata.Self)
	writeJSON(w, r, http.StatusAccepted, body)
}

func (s *Server) getNetworkLinkService(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Networking.GetService(r.URL.Query().Get("environment"), chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.cloudRefs(r).linkService(v))
}

func (s *Server) updateNetworkLinkService(w http.ResponseWriter, r *http.Request) {
	var req api.NetworkLinkServiceRequest
	if err := decodeCloud(r, &req, func(v *api.NetworkLinkServiceRequest) bool { return v.Spec != nil }); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if req.Spec.Network != nil {
		s.cloudFail(w, r, linkemu.Errorf(linkemu.EINVALID, "spec.network cannot be changed: a network link service stays on its network. Create a service on the other network instead."))
		return
	}
	u := networking.ServiceUpdate{Environment: idOf(req.Spec.Environment), DisplayName: req.Spec.DisplayName, Description: req.Spec.Description}
	if a := req.Spec.Accept; a != nil {
		u.Accept = &networking.AcceptPolicy{Environments: a.Environments, Networks: a.Networks}
	}
	v, err := s.cfg.Networking.UpdateService(id, u)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.cloudRefs(r).linkService(v))
}

func (s *Server) deleteNetworkLinkService(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Networking.DeleteService(r.URL.Query().Get("environment"), chi.URLParam(r, "id")); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	noContent(w)
}

// linkService encodes a service.
func (c cloudRefs) linkService(v *networking.LinkService) api.NetworkLinkService {
	return api.NetworkLinkService{
		APIVersion: api.NetworkingAPIVersion, Kind: "NetworkLinkService", ID: v.ID,
		Metadata: api.CloudObjectMeta{
			Self:         c.url("/networking/v1/network-link-services/"+v.ID, v.Environment),
			ResourceName: c.crn("environment", v.Environment, "network", v.Network, "network-link-service", v.ID),
			CreatedAt:    timePtr(v.CreatedAt), UpdatedAt: timePtr(v.UpdatedAt),
		},
		Spec: api.NetworkLinkServiceSpec{
			DisplayName: v.DisplayName, Description: v.Description,
			Accept:      api.NetworkLinkServiceAcceptPolicy{Environments: v.Accept.Environments, Networks: v.Accept.Networks},
			Environment: c.environment(v.Environment),
			Network:     c.network(v.Environment, v.Network),
		},
		Status: cloudStatus(v.Phase, ""),
	}
}
