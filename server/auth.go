package server

import (
	"crypto/subtle"
	"net/http"

	linkemu "github.com/linkemu/linkemu"
)

// authenticate checks HTTP Basic credentials against the configured API keys.
// With no keys configured every request passes, bearer tokens included.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.APIKeys) > 0 && !validKey(r, s.cfg.APIKeys) {
			w.Header().Set("WWW-Authenticate", `Basic realm="linkemu"`)
			writeErr(w, r, http.StatusUnauthorized, 40101, "Authentication failed")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cloudAuthenticate checks HTTP Basic credentials against the configured
// Cloud API keys and answers 401 in the Cloud API error format. With no keys
// configured every request passes.
func (s *Server) cloudAuthenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.CloudAPIKeys) > 0 && !validKey(r, s.cfg.CloudAPIKeys) {
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
