package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/cloudapi"
)

// The iam/v2 routes: the one user (read-only), service accounts, API keys
// and role bindings (cloud_rolebindings.go). A created key's secret is in
// the answer to create only.

func (s *Server) iamRoutes(r chi.Router) {
	r.NotFound(cloudNotFound("users, service-accounts, api-keys and role-bindings under /iam/v2"))
	r.MethodNotAllowed(cloudMethodNotAllowed)
	r.Get("/users", s.listUsers)
	r.Get("/users/{id}", s.getUser)
	r.Get("/service-accounts", s.listServiceAccounts)
	r.Post("/service-accounts", s.createServiceAccount)
	r.Get("/service-accounts/{id}", s.getServiceAccount)
	r.Patch("/service-accounts/{id}", s.updateServiceAccount)
	r.Delete("/service-accounts/{id}", s.deleteServiceAccount)
	r.Get("/api-keys", s.listAPIKeys)
	r.Post("/api-keys", s.createAPIKey)
	r.Get("/api-keys/{id}", s.getAPIKey)
	r.Patch("/api-keys/{id}", s.updateAPIKey)
	r.Delete("/api-keys/{id}", s.deleteAPIKey)
	s.roleBindingRoutes(r)
}

func (s *Server) user(r *http.Request, u cloudapi.User) api.User {
	refs := s.cloudRefs(r)
	return api.User{APIVersion: api.IAMAPIVersion, Kind: "User", ID: u.ID, Email: u.Email, FullName: u.FullName, AuthType: "AUTH_TYPE_LOCAL",
		Metadata: api.CloudObjectMeta{Self: refs.url("/iam/v2/users/"+u.ID, ""), ResourceName: refs.crn("user", u.ID)}}
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	page, meta := paginate(r, s.hostBase(r), []cloudapi.User{s.cfg.Cloud.User()}, func(u cloudapi.User) string { return u.ID }, p)
	out := make([]api.User, 0, len(page))
	for _, u := range page {
		out = append(out, s.user(r, u))
	}
	writeJSON(w, r, http.StatusOK, cloudListOf(api.IAMAPIVersion, "UserList", out, meta))
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u := s.cfg.Cloud.User()
	if id := chi.URLParam(r, "id"); id != u.ID {
		s.cloudFail(w, r, linkemu.Errorf(linkemu.ENOTFOUND, "User %q was not found: linkemu has one user, %s.", id, u.ID))
		return
	}
	writeJSON(w, r, http.StatusOK, s.user(r, u))
}

func (s *Server) serviceAccount(r *http.Request, sa cloudapi.ServiceAccount) api.ServiceAccount {
	refs := s.cloudRefs(r)
	return api.ServiceAccount{APIVersion: api.IAMAPIVersion, Kind: "ServiceAccount", ID: sa.ID, DisplayName: sa.DisplayName, Description: sa.Description,
		Metadata: api.CloudObjectMeta{Self: refs.url("/iam/v2/service-accounts/"+sa.ID, ""), ResourceName: refs.crn("service-account", sa.ID),
			CreatedAt: timePtr(sa.CreatedAt), UpdatedAt: timePtr(sa.UpdatedAt)}}
}

func (s *Server) listServiceAccounts(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	all, err := s.cfg.Cloud.ServiceAccounts()
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	page, meta := paginate(r, s.hostBase(r), all, func(sa cloudapi.ServiceAccount) string { return sa.ID }, p)
	out := make([]api.ServiceAccount, 0, len(page))
	for _, sa := range page {
		out = append(out, s.serviceAccount(r, sa))
	}
	writeJSON(w, r, http.StatusOK, cloudListOf(api.IAMAPIVersion, "ServiceAccountList", out, meta))
}

func (s *Server) createServiceAccount(w http.ResponseWriter, r *http.Request) {
	var req api.ServiceAccountRequest
	if err := decode(r, &req, false); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	sa, err := s.cfg.Cloud.CreateServiceAccount(deref(req.DisplayName), deref(req.Description))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, s.serviceAccount(r, sa))
}

func (s *Server) getServiceAccount(w http.ResponseWriter, r *http.Request) {
	sa, err := s.cfg.Cloud.ServiceAccount(chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.serviceAccount(r, sa))
}

func (s *Server) updateServiceAccount(w http.ResponseWriter, r *http.Request) {
	var req api.ServiceAccountRequest
	if err := decode(r, &req, false); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	sa, err := s.cfg.Cloud.UpdateServiceAccount(chi.URLParam(r, "id"), req.Description)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.serviceAccount(r, sa))
}

func (s *Server) deleteServiceAccount(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Cloud.DeleteServiceAccount(chi.URLParam(r, "id")); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) apiKey(r *http.Request, k cloudapi.APIKey, withSecret bool) api.APIKey {
	refs := s.cloudRefs(r)
	out := api.APIKey{APIVersion: api.IAMAPIVersion, Kind: "ApiKey", ID: k.ID,
		Metadata: api.CloudObjectMeta{Self: refs.url("/iam/v2/api-keys/"+k.ID, ""), ResourceName: refs.crn("api-key", k.ID),
			CreatedAt: timePtr(k.CreatedAt), UpdatedAt: timePtr(k.UpdatedAt)},
		Spec: api.APIKeySpec{DisplayName: k.DisplayName, Description: k.Description, Owner: s.ownerRef(refs, k.Owner)}}
	if withSecret {
		out.Spec.Secret = &k.Secret
	}
	if k.Resource == cloudapi.ResourceCloud {
		out.Spec.Resource = &api.ObjectReference{ID: cloudapi.ResourceCloud, Related: refs.url("/iam/v2/api-keys/"+k.ID, ""),
			ResourceName: refs.crn(), Kind: "Cloud"}
	} else {
		out.Spec.Resource = &api.ObjectReference{ID: k.Resource, Environment: k.Environment, APIVersion: api.CMKAPIVersion, Kind: "Cluster",
			Related: refs.url("/cmk/v2/clusters/"+k.Resource, k.Environment), ResourceName: refs.crn("environment", k.Environment, "cloud-cluster", k.Resource, "kafka", k.Resource)}
	}
	return out
}

func (s *Server) ownerRef(refs cloudRefs, owner string) api.ObjectReference {
	if strings.HasPrefix(owner, "sa-") {
		return api.ObjectReference{ID: owner, APIVersion: api.IAMAPIVersion, Kind: "ServiceAccount",
			Related: refs.url("/iam/v2/service-accounts/"+owner, ""), ResourceName: refs.crn("service-account", owner)}
	}
	return api.ObjectReference{ID: owner, APIVersion: api.IAMAPIVersion, Kind: "User",
		Related: refs.url("/iam/v2/users/"+owner, ""), ResourceName: refs.crn("user", owner)}
}

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) {
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	q := r.URL.Query()
	all, err := s.cfg.Cloud.APIKeys(cloudapi.KeyFilter{Owner: q.Get("spec.owner"), Resource: q.Get("spec.resource")})
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	page, meta := paginate(r, s.hostBase(r), all, func(k cloudapi.APIKey) string { return k.ID }, p)
	out := make([]api.APIKey, 0, len(page))
	for _, k := range page {
		out = append(out, s.apiKey(r, k, false))
	}
	writeJSON(w, r, http.StatusOK, cloudListOf(api.IAMAPIVersion, "ApiKeyList", out, meta))
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	var req api.APIKeyRequest
	if err := decodeCloud(r, &req, func(v *api.APIKeyRequest) bool { return v.Spec != nil }); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	sp := req.Spec
	nk := cloudapi.NewAPIKey{DisplayName: deref(sp.DisplayName), Description: deref(sp.Description)}
	if sp.Owner != nil {
		nk.Owner = sp.Owner.ID
	}
	if sp.Resource != nil {
		nk.Resource, nk.Environment = sp.Resource.ID, sp.Resource.Environment
	}
	k, err := s.cfg.Cloud.CreateAPIKey(nk)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, s.apiKey(r, k, true))
}

func (s *Server) getAPIKey(w http.ResponseWriter, r *http.Request) {
	k, err := s.cfg.Cloud.APIKey(chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.apiKey(r, k, false))
}

func (s *Server) updateAPIKey(w http.ResponseWriter, r *http.Request) {
	var req api.APIKeyRequest
	if err := decodeCloud(r, &req, func(v *api.APIKeyRequest) bool { return v.Spec != nil }); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	k, err := s.cfg.Cloud.UpdateAPIKey(chi.URLParam(r, "id"), req.Spec.DisplayName, req.Spec.Description)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.apiKey(r, k, false))
}

func (s *Server) deleteAPIKey(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Cloud.DeleteAPIKey(chi.URLParam(r, "id")); err != nil {
		s.cloudFail(w, r, err)
		return
	}
	noContent(w)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
