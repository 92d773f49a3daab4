package server

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
)

// Cluster-scoped mounts: /clusters/{id}/kafka/v3 serves the v3 API of one
// cluster, as a Confluent Server serves one cluster per REST endpoint. Its
// GET …/v3/clusters lists only that cluster, so clients that take data[0]
// of that list as their cluster (the on-prem Confluent CLI with --url)
// reach every cluster: --url http://localhost:8090/clusters/lkc-west/kafka.
// Any other cluster ID under the mount is not found there.

// scopeKey holds the cluster a cluster-scoped mount serves.
type scopeKey struct{}

// scopedMount is the pattern of the cluster-scoped mounts.
const scopedMount = "/clusters/{scope_cluster_id}/kafka/v3"

// withClusterScope remembers the mount's cluster and its URL prefix.
func withClusterScope(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := chi.URLParam(r, "scope_cluster_id")
		ctx := context.WithValue(r.Context(), scopeKey{}, id)
		ctx = context.WithValue(ctx, prefixKey{}, "/clusters/"+id+"/kafka/v3")
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clusterScope returns the cluster a cluster-scoped mount serves, or "".
func clusterScope(r *http.Request) string {
	id, _ := r.Context().Value(scopeKey{}).(string)
	return id
}

// inScope answers 404 for a cluster outside the request's cluster-scoped
// mount, with Confluent's message, and reports whether id is in scope.
func (s *Server) inScope(w http.ResponseWriter, r *http.Request, id string) bool {
	if scope := clusterScope(r); scope != "" && scope != id {
		s.fail(w, r, linkemu.Errorf(linkemu.ENOTFOUND, "Cluster %s cannot be found.", id))
		return false
	}
	return true
}

// scopeClusters checks a cluster-scoped mount's cluster and every
// {cluster_id} under it.
func (s *Server) scopeClusters(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scope := clusterScope(r)
		if _, err := s.mgr.Clusters().Get(scope); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
