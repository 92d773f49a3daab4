package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/cloudapi"
)

// The login routes serve the part of Confluent's v1 auth API that the
// released CLI's `confluent login` (email and password) and its Cloud-mode
// commands call, under <mount> (/api or /confluent.cloud/api):
//
//	GET    <mount>/login/realm   is the email an SSO or MFA user? (no)
//	POST   <mount>/sessions      email+password or refresh_token → token, refresh_token
//	DELETE <mount>/sessions      logout
//	GET    <mount>/me            the user, organization and environments of a token
//	POST   <mount>/access_tokens a session token → a data-plane token for Kafka REST
//	GET    <mount>/growth/v1/free-trial-info  no free trial: {} (else the CLI warns)
//	GET    <mount>/usage_limits  no limits, for `kafka cluster describe` (else it warns)
//
// Bodies are the CLI's protobuf JSON: fields it does not know would fail its
// decoder, so answers carry only fields of api.AuthenticateReply and friends.
// Failures answer {"error": {"code", "message"}}, which the CLI reads.

func (s *Server) loginRoutes(r chi.Router, mount string) {
	r.Get(mount+"/login/realm", s.loginRealm)
	r.Post(mount+"/sessions", s.createSession)
	r.Delete(mount+"/sessions", s.deleteSession)
	r.Get(mount+"/me", s.getMe)
	r.Post(mount+"/access_tokens", s.createAccessToken)
	r.Get(mount+"/growth/v1/free-trial-info", s.freeTrialInfo)
	r.Get(mount+"/usage_limits", s.usageLimits)
}

// usageLimits answers the CLI's usage limits lookup: linkemu's clusters
// have no throughput or storage limits, so every limit of a 1-CKU cluster
// (the size cmk/v2 reports) is unlimited.
func (s *Server) usageLimits(w http.ResponseWriter, r *http.Request) {
	if _, err := s.cfg.Cloud.SessionUser(bearer(r)); err != nil {
		writeJSON(w, r, http.StatusUnauthorized, map[string]string{"error": linkemu.ErrorMessage(err)})
		return
	}
	unlimited := func(unit string) map[string]any { return map[string]any{"unit": unit, "unlimited": true} }
	writeJSON(w, r, http.StatusOK, map[string]any{"usage_limits": map[string]any{
		"tier_limits": map[string]any{},
		"cku_limits": map[string]any{"1": map[string]any{
			"ingress": unlimited("MB/s"), "egress": unlimited("MB/s"), "storage": unlimited("TB")}},
	}})
}

func (s *Server) freeTrialInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, struct{}{})
}

// authenticateRequest is the CLI's login request; protobuf JSON may name
// fields in camelCase or as in the proto.
type authenticateRequest struct {
	Email         string `json:"email"`
	Password      string `json:"password"`
	RefreshToken  string `json:"refresh_token"`
	RefreshToken2 string `json:"refreshToken"`
}

func (s *Server) loginRealm(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, api.LoginRealmReply{Realm: "Username-Password-Authentication"})
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var req authenticateRequest
	if err := decode(r, &req, false); err != nil {
		writeV1Error(w, r, err)
		return
	}
	var sess cloudapi.Session
	var err error
	if rt := req.RefreshToken + req.RefreshToken2; rt != "" {
		sess, err = s.cfg.Cloud.Refresh(rt)
	} else {
		sess, err = s.cfg.Cloud.Login(req.Email, req.Password)
	}
	if err != nil {
		writeV1Error(w, r, err)
		return
	}
	org := v1Organization()
	writeJSON(w, r, http.StatusOK, api.AuthenticateReply{Token: sess.Token, RefreshToken: sess.RefreshToken, User: v1User(sess.User), Organization: &org})
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, api.AuthenticateReply{})
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) {
	u, err := s.cfg.Cloud.SessionUser(bearer(r))
	if err != nil {
		writeV1Error(w, r, err)
		return
	}
	org := v1Organization()
	var accounts []api.V1Account
	for _, e := range s.cfg.Cloud.Environments() {
		accounts = append(accounts, api.V1Account{ID: e.ID, Name: e.DisplayName, OrganizationID: org.ID, OrgResourceID: org.ResourceID})
	}
	reply := api.GetMeReply{User: v1User(u), Organization: &org, Accounts: accounts}
	if len(accounts) > 0 {
		reply.Account = &accounts[0]
	}
	writeJSON(w, r, http.StatusOK, reply)
}

func (s *Server) createAccessToken(w http.ResponseWriter, r *http.Request) {
	tok, err := s.cfg.Cloud.DataplaneToken(bearer(r))
	if err != nil {
		writeJSON(w, r, http.StatusUnauthorized, api.AccessTokenReply{Error: linkemu.ErrorMessage(err)})
		return
	}
	writeJSON(w, r, http.StatusOK, api.AccessTokenReply{Token: tok})
}

// v1OrgID is the numeric ID of the organization in the v1 API.
const v1OrgID = 1

func v1Organization() api.V1Organization {
	return api.V1Organization{ID: v1OrgID, Name: cloudapi.Organization, ResourceID: cloudapi.Organization}
}

func v1User(u cloudapi.User) *api.V1User {
	return &api.V1User{ID: 1, Email: u.Email, FirstName: u.FullName, ResourceID: u.ID}
}

// writeV1Error writes err as a v1 auth API failure.
func writeV1Error(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	writeJSON(w, r, status, api.AuthenticateReply{Error: &api.V1Error{Code: int32(status), Message: linkemu.ErrorMessage(err)}})
}
