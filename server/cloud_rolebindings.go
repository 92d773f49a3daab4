package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/cloudapi"
)

// The iam/v2 role-bindings routes: kept and listed, enforcing nothing (see
// package cloudapi). Delete answers 200 with the binding, as the spec says.

func (s *Server) roleBindingRoutes(r chi.Router) {
	r.Get("/role-bindings", s.listRoleBindings)
	r.Post("/role-bindings", s.createRoleBinding)
	r.Get("/role-bindings/{id}", s.getRoleBinding)
	r.Delete("/role-bindings/{id}", s.deleteRoleBinding)
}

func (s *Server) roleBinding(r *http.Request, rb cloudapi.RoleBinding) api.RoleBinding {
	refs := s.cloudRefs(r)
	return api.RoleBinding{APIVersion: api.IAMAPIVersion, Kind: "RoleBinding", ID: rb.ID, Principal: rb.Principal, RoleName: rb.RoleName, CRNPattern: rb.CRNPattern,
		Metadata: api.CloudObjectMeta{Self: refs.url("/iam/v2/role-bindings/"+rb.ID, ""), ResourceName: refs.crn("role-binding", rb.ID), CreatedAt: timePtr(rb.CreatedAt)}}
}

func (s *Server) listRoleBindings(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	q := r.URL.Query()
	all, err := s.cfg.Cloud.RoleBindings(cloudapi.RoleBindingFilter{Principal: q.Get("principal"), RoleName: q.Get("role_name"), CRNPattern: q.Get("crn_pattern")})
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	page, meta := paginate(r, s.hostBase(r), all, func(rb cloudapi.RoleBinding) string { return rb.ID }, p)
	out := make([]api.RoleBinding, 0, len(page))
	for _, rb := range page {
		out = append(out, s.roleBinding(r, rb))
	}
	writeJSON(w, r, http.StatusOK, cloudListOf(api.IAMAPIVersion, "RoleBindingList", out, meta))
}

func (s *Server) createRoleBinding(w http.ResponseWriter, r *http.Request) {
	var req api.RoleBindingRequest
	if err := decode(r, &req, false); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	rb, err := s.cfg.Cloud.CreateRoleBinding(req.Principal, req.RoleName, req.CRNPattern)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, s.roleBinding(r, rb))
}

func (s *Server) getRoleBinding(w http.ResponseWriter, r *http.Request) {
	rb, err := s.cfg.Cloud.RoleBinding(chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.roleBinding(r, rb))
}

func (s *Server) deleteRoleBinding(w http.ResponseWriter, r *http.Request) {
	rb, err := s.cfg.Cloud.DeleteRoleBinding(chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.roleBinding(r, rb))
}
