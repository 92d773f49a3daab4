package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
)

// The Cloud API routes serve Confluent Cloud's control plane over a
// cloudapi.Cloud: org/v2 environments (cloud_org.go), cmk/v2 clusters
// (cloud_cmk.go), iam/v2 users, service accounts and API keys
// (cloud_iam.go), and the v1 login API of the CLI (cloud_login.go), beside
// /networking/v1 (networking.go).
//
// One tree is mounted three times, so every client finds it where it looks:
// at the root, as https://api.confluent.cloud serves it (Terraform's
// endpoint, StackQL, the Go SDKs); under /api, where the CLI looks for a
// login URL that is not confluent.cloud itself (<scheme>://<host>/api); and
// under /confluent.cloud/api, where the CLI sends its data-plane token
// exchange when its login URL is http(s)://host:port/confluent.cloud (the
// path that makes the CLI take linkemu for Confluent Cloud; see README).

// cloudMounts are the prefixes of the Cloud API tree.
var cloudMounts = []string{"", "/api", "/confluent.cloud/api"}

func (s *Server) cloudRoutes(r chi.Router) {
	for _, mount := range cloudMounts {
		if s.cfg.Cloud != nil {
			r.Route(mount+"/org/v2", func(r chi.Router) { r.Use(s.cloudAuthenticate); s.orgRoutes(r) })
			r.Route(mount+"/cmk/v2", func(r chi.Router) { r.Use(s.cloudAuthenticate); s.cmkRoutes(r) })
			r.Route(mount+"/iam/v2", func(r chi.Router) { r.Use(s.cloudAuthenticate); s.iamRoutes(r) })
			if mount != "" {
				s.loginRoutes(r, mount)
			}
		}
		if s.cfg.Networking != nil {
			r.Route(mount+"/networking/v1", s.networkingRoutes)
		}
	}
}

// cloudNotFound and cloudMethodNotAllowed answer unknown routes of a Cloud
// API group in the Cloud error format.
func cloudNotFound(what string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeCloudError(w, r, linkemu.Errorf(linkemu.ENOTFOUND, "No route %s %s: this emulator serves %s.", r.Method, r.URL.Path, what))
	}
}

func cloudMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeCloudErr(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed", r.Method+" is not allowed on "+r.URL.Path+".")
}

// hostBase is the scheme and host clients reached linkemu by (or
// PublicURL): the base of Cloud API self links and of the REST endpoints
// it hands out, so that a client that came over HTTPS is sent to HTTPS.
func (s *Server) hostBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// bearer returns the bearer token of a request, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
