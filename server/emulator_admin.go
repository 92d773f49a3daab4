package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/manager"
)

// The emulator admin API lives outside Confluent's namespace, under
// /emulator/v1. It drives what Confluent has no API for, such as taking an
// embedded cluster down for an outage drill.

// adminCluster is one cluster in the admin API.
type adminCluster struct {
	Kind      string   `json:"kind"`
	ClusterID string   `json:"cluster_id"`
	Bootstrap []string `json:"bootstrap_servers"`
	// SASLSSLBootstrap is the SASL_SSL listener, trusting GET
	// /emulator/v1/ca.pem; empty for external clusters.
	SASLSSLBootstrap []string        `json:"sasl_ssl_bootstrap_servers"`
	Listeners        []adminListener `json:"listeners"`
	Embedded         bool            `json:"embedded"`
	Running          bool            `json:"running"`
}

// adminListener is one listener of a cluster: PLAINTEXT://host:port or
// SASL_SSL://host:port, ready to paste into bootstrap.servers.
type adminListener struct {
	SecurityProtocol string `json:"security_protocol"`
	Bootstrap        string `json:"bootstrap_servers"`
}

func (s *Server) adminRoutes(r chi.Router) {
	r.Get("/clusters", s.adminListClusters)
	r.Post("/clusters/{cluster_id}:stop", s.adminStopCluster)
	r.Post("/clusters/{cluster_id}:start", s.adminStartCluster)
	s.verifyRoutes(r)
	s.demoRoutes(r)
}

func toAdminCluster(c manager.ClusterState) adminCluster {
	out := adminCluster{Kind: "EmulatorCluster", ClusterID: c.ID, Bootstrap: c.Bootstrap, SASLSSLBootstrap: c.SASLSSLBootstrap, Embedded: c.Embedded, Running: c.Running, Listeners: []adminListener{}}
	if c.Embedded {
		out.Listeners = append(out.Listeners, adminListener{SecurityProtocol: "PLAINTEXT", Bootstrap: "PLAINTEXT://" + strings.Join(c.Bootstrap, ",PLAINTEXT://")})
	}
	if len(c.SASLSSLBootstrap) > 0 {
		out.Listeners = append(out.Listeners, adminListener{SecurityProtocol: "SASL_SSL", Bootstrap: "SASL_SSL://" + strings.Join(c.SASLSSLBootstrap, ",SASL_SSL://")})
	}
	return out
}

// caPEM serves linkemu's CA certificate, which issues the certificates of
// the SASL_SSL listeners, for clients to trust. It is public, like any CA
// certificate, so it needs no API key.
func (s *Server) caPEM(w http.ResponseWriter, r *http.Request) {
	if len(s.cfg.CACertPEM) == 0 {
		writeErr(w, r, http.StatusNotFound, http.StatusNotFound, "This emulator has no certificate authority.")
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Content-Disposition", `inline; filename="linkemu-ca.pem"`)
	_, _ = w.Write(s.cfg.CACertPEM)
}

func (s *Server) adminListClusters(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Kind string         `json:"kind"`
		Data []adminCluster `json:"data"`
	}{Kind: "EmulatorClusterList", Data: []adminCluster{}}
	for _, c := range s.mgr.ClusterStates() {
		out.Data = append(out.Data, toAdminCluster(c))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) adminStopCluster(w http.ResponseWriter, r *http.Request) {
	c, err := s.mgr.StopCluster(r.Context(), chi.URLParam(r, "cluster_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, toAdminCluster(c))
}

func (s *Server) adminStartCluster(w http.ResponseWriter, r *http.Request) {
	c, err := s.mgr.StartCluster(r.Context(), chi.URLParam(r, "cluster_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, toAdminCluster(c))
}
