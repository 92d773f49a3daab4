package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/cloudapi"
)

// The cmk/v2 routes: the served Kafka clusters, read-only. http_endpoint is
// linkemu's REST for the cluster on the scheme and host the client came by;
// kafka_bootstrap_endpoint is the cluster's SASL_SSL listener.

func (s *Server) cmkRoutes(r chi.Router) {
	r.NotFound(cloudNotFound("clusters under /cmk/v2"))
	r.MethodNotAllowed(cloudMethodNotAllowed)
	r.Get("/clusters", s.listCMKClusters)
	r.Get("/clusters/{id}", s.getCMKCluster)
	r.Post("/clusters", s.readOnlyClusters)
	r.Patch("/clusters/{id}", s.readOnlyClusters)
	r.Delete("/clusters/{id}", s.readOnlyClusters)
}

// Placeholders of what linkemu's clusters are not: a cloud, a region, a size.
const (
	clusterCloud        = "AWS"
	clusterRegion       = "linkemu-local"
	clusterAvailability = "SINGLE_ZONE"
)

func (s *Server) cmkCluster(r *http.Request, c cloudapi.Cluster) api.CMKCluster {
	refs := s.cloudRefs(r)
	rest := s.hostBase(r) + c.RESTPath
	out := api.CMKCluster{APIVersion: api.CMKAPIVersion, Kind: "Cluster", ID: c.ID,
		Metadata: api.CloudObjectMeta{Self: refs.url("/cmk/v2/clusters/"+c.ID, c.Environment),
			ResourceName: refs.crn("environment", c.Environment, "cloud-cluster", c.ID, "kafka", c.ID)},
		Spec: api.CMKClusterSpec{DisplayName: c.ID, Availability: clusterAvailability, Cloud: clusterCloud, Region: clusterRegion,
			Config:                 api.CMKDedicated{Kind: "Dedicated", CKU: 1},
			KafkaBootstrapEndpoint: c.Bootstrap, HTTPEndpoint: rest, APIEndpoint: rest,
			Environment: api.EnvScopedObjectReference{ID: c.Environment, Related: refs.url("/org/v2/environments/"+c.Environment, ""),
				ResourceName: refs.crn("environment", c.Environment)}},
		Status: api.CMKClusterStatus{Phase: "PROVISIONED", CKU: 1},
	}
	if c.Network != "" {
		n := refs.network(c.Environment, c.Network)
		out.Spec.Network = &n
	}
	return out
}

// envParam reads the required environment query parameter.
func envParam(r *http.Request) (string, error) {
	env := r.URL.Query().Get("environment")
	if env == "" {
		return "", linkemu.Errorf(linkemu.EMALFORMED, "The environment query parameter is required: add ?environment=env-… (GET /org/v2/environments lists them).")
	}
	return env, nil
}

func (s *Server) listCMKClusters(w http.ResponseWriter, r *http.Request) {
	env, err := envParam(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	p, err := parsePage(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	all, err := s.cfg.Cloud.Clusters(env)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	nets := r.URL.Query()["spec.network"]
	filtered := all[:0]
	for _, c := range all {
		if matchesAny(nets, c.Network) {
			filtered = append(filtered, c)
		}
	}
	page, meta := paginate(r, s.hostBase(r), filtered, func(c cloudapi.Cluster) string { return c.ID }, p)
	out := make([]api.CMKCluster, 0, len(page))
	for _, c := range page {
		out = append(out, s.cmkCluster(r, c))
	}
	writeJSON(w, r, http.StatusOK, cloudListOf(api.CMKAPIVersion, "ClusterList", out, meta))
}

func (s *Server) getCMKCluster(w http.ResponseWriter, r *http.Request) {
	env, err := envParam(r)
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	c, err := s.cfg.Cloud.Cluster(env, chi.URLParam(r, "id"))
	if err != nil {
		s.cloudFail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.cmkCluster(r, c))
}

func (s *Server) readOnlyClusters(w http.ResponseWriter, r *http.Request) {
	s.cloudFail(w, r, linkemu.Errorf(linkemu.EFORBIDDEN, "linkemu's Kafka clusters are the ones it serves (--embedded, --cluster); they cannot be created, changed or deleted through the Cloud API."))
}

// matchesAny reports whether v passes a filter of allowed values; an empty
// filter passes everything.
func matchesAny(filter []string, v string) bool {
	if len(filter) == 0 {
		return true
	}
	for _, f := range filter {
		if f == v {
			return true
		}
	}
	return false
}
