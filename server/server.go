// Package server is linkemu's HTTP layer: the Kafka REST v3 routes Confluent
// serves for clusters, brokers, topics, partitions, ACLs, consumer groups,
// cluster links and mirror topics, under both /kafka/v3 (Confluent Cloud and
// Confluent Server's embedded REST) and /v3 (the standalone REST Proxy), and
// per cluster under /clusters/{id}/kafka/v3, a REST endpoint that serves that
// cluster alone (cluster_scope.go); the emulator's own admin API under
// /emulator/v1, with the CA certificate at /emulator/v1/ca.pem; Confluent
// Cloud's control plane (org/v2, cmk/v2, iam/v2, the CLI's login: cloud*.go)
// and network linking API (networking*.go); the admin API's demo traffic
// (demo.go) and proof of exactness (verify.go); the DR lab console at GET /
// (console.go), which acts only through those APIs; and /healthz (which also reports the
// build, package internal/buildinfo) and /readyz.
//
// Auth: APIKeys close the v3 routes and /emulator/v1 (but its ca.pem),
// CloudAPIKeys close /networking/v1 and the Cloud API, and MetricsAuth puts
// /metrics behind the APIKeys; /healthz and /readyz are always open.
//
// Handlers decode the request, call the manager, and encode Confluent's wire
// shapes from package api. Every body and integer parameter is read through
// decode.go, which bounds what a request may ask for: bodies are capped
// (413), integers are range-checked before they are narrowed to Kafka's
// int16/int32 (400/40002 naming the field and its range), partition counts
// are held to Config.Limits, and topic names to Kafka's 249 characters. Every error goes through writeError (errors.go),
// the one place where linkemu's error codes become HTTP statuses and
// {"error_code": N, "message": "..."} bodies (writeCloudError, beside it,
// writes the {"errors": [...]} of the Cloud API routes). Every response, errors
// included, is application/json: Confluent's generated clients refuse
// anything else.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/cloudapi"
	"github.com/linkemu/linkemu/demo"
	"github.com/linkemu/linkemu/internal/buildinfo"
	"github.com/linkemu/linkemu/manager"
	"github.com/linkemu/linkemu/networking"
)

// Config configures a Server.
type Config struct {
	Manager *manager.Manager
	Logger  *slog.Logger
	// PublicURL is the base of metadata.self links, e.g. http://linkemu:8090.
	// Empty derives it from each request's Host.
	PublicURL string
	// APIKeys, when not empty, turns on HTTP Basic auth for every v3 route:
	// key to secret.
	APIKeys map[string]string
	// Networking, if set, serves Confluent Cloud's network linking API under
	// /networking/v1 (networking.go).
	Networking *networking.Fabric
	// Cloud, if set, serves Confluent Cloud's control plane: org/v2, cmk/v2,
	// iam/v2 and the CLI's login API (cloud*.go).
	Cloud *cloudapi.Cloud
	// CloudAPIKeys, when not empty, turns on auth for the Cloud API routes
	// (/networking/v1 and those of Cloud): Cloud API key to secret.
	CloudAPIKeys map[string]string
	// Observe, if set, is called after each request with its route pattern,
	// status and duration (metrics).
	Observe func(route, method string, status int, d time.Duration)
	// Metrics, if set, serves GET /metrics (Prometheus): open, or behind
	// the APIKeys when MetricsAuth is set.
	Metrics     http.Handler
	MetricsAuth bool
	// CACertPEM is linkemu's CA certificate, served at GET
	// /emulator/v1/ca.pem without auth.
	CACertPEM []byte
	// Demo, if set, runs demo traffic for /emulator/v1/demo (demo.go).
	Demo *demo.Runner
	// Limits bound request bodies and the partitions one request may ask
	// for; zero fields take linkemu's defaults (decode.go).
	Limits linkemu.Limits
}

// Server serves the REST API.
type Server struct {
	cfg Config
	mgr *manager.Manager
	log *slog.Logger
}

// New returns a Server.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	cfg.Limits = cfg.Limits.WithDefaults()
	return &Server{cfg: cfg, mgr: cfg.Manager, log: cfg.Logger}
}

// Handler returns the HTTP handler of the whole API.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, s.observe, jsonContentType, limitBody(s.cfg.Limits.MaxRequestBytes))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, r, http.StatusNotFound, http.StatusNotFound, "HTTP 404 Not Found")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		// A method chi does not know never reaches the sub-router of
		// /networking/v1: answer it in the Cloud API's shape here.
		if s.cfg.Networking != nil && (r.URL.Path == "/networking/v1" || strings.HasPrefix(r.URL.Path, "/networking/v1/")) {
			networkingMethodNotAllowed(w, r)
			return
		}
		writeErr(w, r, http.StatusMethodNotAllowed, http.StatusMethodNotAllowed, "HTTP 405 Method Not Allowed")
	})
	s.consoleRoutes(r)
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	if s.cfg.Metrics != nil {
		h := s.cfg.Metrics
		if s.cfg.MetricsAuth {
			h = s.authenticate(h)
		}
		r.Method(http.MethodGet, "/metrics", h)
	}
	r.Route("/emulator/v1", func(r chi.Router) {
		r.Get("/ca.pem", s.caPEM)
		r.Group(func(r chi.Router) {
			r.Use(s.authenticate)
			s.adminRoutes(r)
		})
	})
	for _, prefix := range []string{"/kafka/v3", "/v3"} {
		r.Route(prefix, func(r chi.Router) {
			r.Use(withPrefix(prefix), s.authenticate)
			s.v3Routes(r)
		})
	}
	r.Route(scopedMount, func(r chi.Router) { // cluster_scope.go
		r.Use(withClusterScope, s.authenticate, s.scopeClusters)
		s.v3Routes(r)
	})
	s.cloudRoutes(r)
	return r
}

func (s *Server) v3Routes(r chi.Router) {
	r.Get("/clusters", s.listClusters)
	r.Route("/clusters/{cluster_id}", func(r chi.Router) {
		r.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if s.inScope(w, r, chi.URLParam(r, "cluster_id")) {
					next.ServeHTTP(w, r)
				}
			})
		})
		r.Get("/", s.getCluster)
		s.topicRoutes(r)
		s.linkRoutes(r)
		s.aclRoutes(r)
		s.consumerGroupRoutes(r)
		s.partitionRoutes(r)
		s.brokerRoutes(r)
		s.unimplementedRoutes(r)
	})
}

type prefixKey struct{}

// withPrefix remembers which mount a request came through, for self links.
func withPrefix(prefix string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), prefixKey{}, prefix)))
		})
	}
}

// base returns the URL prefix of self links: scheme, host and mount.
func (s *Server) base(r *http.Request) string {
	prefix, _ := r.Context().Value(prefixKey{}).(string)
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL + prefix
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	return scheme + "://" + r.Host + prefix
}

func jsonContentType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		next.ServeHTTP(w, r)
	})
}

// observe reports each request's route, status and duration.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := chi.RouteContext(r.Context()).RoutePattern()
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		if s.cfg.Observe != nil {
			s.cfg.Observe(route, r.Method, ww.Status(), d)
		}
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "route", route, "status", ww.Status(), "duration", d)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]any{"status": "ok", "build": buildinfo.Get()})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	checks := s.mgr.Ready(r.Context())
	body := map[string]any{}
	status, ready := http.StatusOK, true
	results := map[string]string{}
	for name, err := range checks {
		if err != nil {
			results[name] = err.Error()
			ready = false
		} else {
			results[name] = "ok"
		}
	}
	if !ready {
		status = http.StatusServiceUnavailable
	}
	body["ready"] = ready
	body["checks"] = results
	writeJSON(w, r, status, body)
}

// fail writes err as a Confluent error response.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if linkemu.ErrorCode(err) == linkemu.EINTERNAL {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeError(w, r, err)
}
