package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/cloudapi"
)

// The org/v2 routes: environments, read-only (they come from the network
// topology; see package cloudapi).

func (s *Server) orgRoutes(r chi.Router) {
	r.NotFound(cloudNotFound("environments under /org/v2"))
	r.MethodNotAllowed(cloudMethodNotAllowed)
	r.Get("/environments", s.listEnvironments)
	r.Get("/environments/{id}", s.getEnvironment)
	r.Post("/environments", s.readOnlyEnvironments)
	r.Patch("/environments/{id}", s.readOnlyEnvironments)
	r.Delete("/environments/{id}", s.readOnlyEnvironments)
}

func (s *Server) environment(r *http.Request, e cloudapi.Environment) api.Environment {
	refs := s.cloudRefs(r)
	return api.Environment{APIVersion: api.OrgAPIVersion, Kind: "Environment", ID: e.ID, DisplayName: e.DisplayName,
		Metadata: api.CloudObjectMeta{Self: refs.url("/org/v2/environments/"+e.ID, ""), ResourceName: refs.crn("environment", e.ID)}}
}

func (s *Server) listEnvironments(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	envs, meta := paginate(r, s.hostBase(r), s.cfg.Cloud.Environments(), func(e cloudapi.Environment) string { return e.ID }, p)
	out := make([]api.Environment, 0, len(envs))
	for _, e := range envs {
		out = append(out, s.environment(r, e))
	}
	writeJSON(w, r, http.StatusOK, cloudListOf(api.OrgAPIVersion, "EnvironmentList", out, meta))
}

func (s *Server) getEnvironment(w http.ResponseWriter, r *http.Request) {
	e, err := s.cfg.Cloud.Environment(chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.environment(r, e))
}

func (s *Server) readOnlyEnvironments(w http.ResponseWriter, r *http.Request) {
	s.cloudFail(w, r, linkemu.Errorf(linkemu.EFORBIDDEN, "linkemu's environments are fixed at start by its networks (--config networks:); they cannot be created, changed or deleted through the API."))
}

// cloudListOf builds a page of a list of kind in api version v.
func cloudListOf[T any](v, kind string, data []T, meta api.CloudListMeta) api.CloudList[T] {
	l := cloudList(kind, data, meta)
	l.APIVersion = v
	return l
}
