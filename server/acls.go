package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/manager"
)

// aclRoutes serves the ACL API. Users check with it what a link's ACL sync
// copied, on either cluster.
func (s *Server) aclRoutes(r chi.Router) {
	r.Get("/acls", s.listACLs)
	r.Post("/acls", s.createACL)
	r.Post("/acls:batch", s.createACLBatch)
	r.Delete("/acls", s.deleteACLs)
}

func aclQuery(r *http.Request) manager.ACLQuery {
	q := r.URL.Query()
	return manager.ACLQuery{
		ResourceType: q.Get("resource_type"),
		ResourceName: q.Get("resource_name"),
		PatternType:  q.Get("pattern_type"),
		Principal:    q.Get("principal"),
		Host:         q.Get("host"),
		Operation:    q.Get("operation"),
		Permission:   q.Get("permission"),
	}
}

// aclSelf is the URL that lists exactly a, in the parameter order
// Confluent uses.
func (s *Server) aclSelf(r *http.Request, cluster string, a linkemu.ACLBinding) string {
	params := []struct{ k, v string }{
		{"resource_type", a.ResourceType}, {"resource_name", a.ResourceName}, {"pattern_type", a.PatternType},
		{"principal", a.Principal}, {"host", a.Host}, {"operation", a.Operation}, {"permission", a.Permission},
	}
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k + "=" + strings.ReplaceAll(url.QueryEscape(p.v), "%2A", "*"))
	}
	return s.base(r) + "/clusters/" + cluster + "/acls?" + b.String()
}

func (s *Server) aclData(r *http.Request, cluster string, acls []linkemu.ACLBinding) []api.ACL {
	out := make([]api.ACL, 0, len(acls))
	for _, a := range acls {
		out = append(out, api.ACL{
			Kind:         "KafkaAcl",
			Metadata:     api.Metadata{Self: s.aclSelf(r, cluster, a)},
			ClusterID:    cluster,
			ResourceType: a.ResourceType,
			ResourceName: a.ResourceName,
			PatternType:  a.PatternType,
			Principal:    a.Principal,
			Host:         a.Host,
			Operation:    a.Operation,
			Permission:   a.Permission,
		})
	}
	return out
}

func (s *Server) listACLs(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	acls, err := s.mgr.ACLs(r.Context(), cluster, aclQuery(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	self := s.base(r) + "/clusters/" + cluster + "/acls"
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	writeJSON(w, r, http.StatusOK, api.ACLList{Kind: "KafkaAclList", Metadata: api.CollectionMetadata{Self: self}, Data: s.aclData(r, cluster, acls)})
}

func aclBinding(c api.CreateACLRequest) linkemu.ACLBinding {
	return linkemu.ACLBinding{
		ResourceType: c.ResourceType, ResourceName: c.ResourceName, PatternType: c.PatternType,
		Principal: c.Principal, Host: c.Host, Operation: c.Operation, Permission: c.Permission,
	}
}

// createACL answers 201 with no body and the ACL's URL in Location, as
// Confluent does.
func (s *Server) createACL(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	var body api.CreateACLRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	created, err := s.mgr.CreateACLs(r.Context(), cluster, []linkemu.ACLBinding{aclBinding(body)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", s.aclSelf(r, cluster, created[0]))
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) createACLBatch(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	var body api.CreateACLBatchRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	acls := make([]linkemu.ACLBinding, 0, len(body.Data))
	for _, c := range body.Data {
		acls = append(acls, aclBinding(c))
	}
	if _, err := s.mgr.CreateACLs(r.Context(), cluster, acls); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) deleteACLs(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	deleted, err := s.mgr.DeleteACLs(r.Context(), cluster, aclQuery(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, api.DeleteACLsResponse{Data: s.aclData(r, cluster, deleted)})
}
