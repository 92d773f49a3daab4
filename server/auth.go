package server

import (
	"crypto/subtle"
	"net/http"
)

// authenticate checks HTTP Basic credentials against the configured API keys.
// With no keys configured every request passes, bearer tokens included.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(s.cfg.APIKeys) > 0 && !s.validKey(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="linkemu"`)
			writeErr(w, r, http.StatusUnauthorized, 40101, "Authentication failed")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) validKey(r *http.Request) bool {
	key, secret, ok := r.BasicAuth()
	if !ok {
		return false
	}
	want, known := s.cfg.APIKeys[key]
	return known && subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1
}
