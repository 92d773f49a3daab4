package server

import (
	"net/http"

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
	Embedded  bool     `json:"embedded"`
	Running   bool     `json:"running"`
}

func (s *Server) adminRoutes(r chi.Router) {
	r.Get("/clusters", s.adminListClusters)
	r.Post("/clusters/{cluster_id}:stop", s.adminStopCluster)
	r.Post("/clusters/{cluster_id}:start", s.adminStartCluster)
	s.verifyRoutes(r)
	s.demoRoutes(r)
}

func toAdminCluster(c manager.ClusterState) adminCluster {
	return adminCluster{Kind: "EmulatorCluster", ClusterID: c.ID, Bootstrap: c.Bootstrap, Embedded: c.Embedded, Running: c.Running}
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
