package server

import (
	"crypto/subtle"
	"net/http"
	"strings"

	linkemu "github.com/linkemu/linkemu"
)

// authenticate checks a request's credentials when API keys are configured:
// HTTP Basic with a configured key, or with a Cloud API key created for the
// cluster in the path (package cloudapi), or a bearer token of a Cloud
// login session (the CLI's data-plane token). With no keys configured every
// request passes, bearer tokens included.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.APIKeys) > 0 && !validKey(r, s.cfg.APIKeys) && !s.clusterKey(r) && !s.cfg.Cloud.ValidBearer(bearer(r)) {
			w.Header().Set("WWW-Authenticate", `Basic realm="linkemu"`)
			writeErr(w, r, http.StatusUnauthorized, 40101, "Authentication failed")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cloudAuthenticate checks a Cloud API request's credentials when Cloud API
// keys are configured: HTTP Basic with a configured key or a Cloud API key
// created through /iam/v2/api-keys, or a bearer token of a login session.
// It answers 401 in the Cloud API error format. With no keys configured
// every request passes.
func (s *Server) cloudAuthenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.CloudAPIKeys) > 0 && !validKey(r, s.cfg.CloudAPIKeys) && !s.cloudKey(r) && !s.cfg.Cloud.ValidBearer(bearer(r)) {
			if _, _, sent := r.BasicAuth(); sent {
				w.Header().Set("WWW-Authenticate", `Basic error="invalid_key", error_description="The API Key is invalid"`)
			} else {
				w.Header().Set("WWW-Authenticate", `Basic realm="linkemu"`)
			}
			writeCloudError(w, r, linkemu.Errorf(linkemu.EUNAUTHORIZED, "Valid authentication credentials must be provided: send a Cloud API key and secret as HTTP Basic auth."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validKey reports whether the request's Basic credentials are one of keys.
func validKey(r *http.Request, keys map[string]string) bool {
	key, secret, ok := r.BasicAuth()
	if !ok {
		return false
	}
	want, known := keys[key]
	return known && subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1
}

// clusterKey reports whether the request's Basic credentials are a Cloud
// API key created for the cluster its path names (/clusters/{id}/…).
func (s *Server) clusterKey(r *http.Request) bool {
	key, secret, ok := r.BasicAuth()
	if !ok || s.cfg.Cloud == nil {
		return false
	}
	_, rest, found := strings.Cut(r.URL.Path, "/clusters/")
	if !found {
		return false
	}
	cluster, _, _ := strings.Cut(rest, "/")
	return s.cfg.Cloud.ClusterCredential(cluster, key, secret)
}

// cloudKey reports whether the request's Basic credentials are a Cloud API
// key created through the API.
func (s *Server) cloudKey(r *http.Request) bool {
	key, secret, ok := r.BasicAuth()
	return ok && s.cfg.Cloud.CloudCredential(key, secret)
}
