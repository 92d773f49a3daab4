package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/api"
)

func (s *Server) clusterData(r *http.Request, id string) api.Cluster {
	self := s.base(r) + "/clusters/" + id
	rel := func(p string) api.Relationship { return api.Relationship{Related: self + p} }
	controller := rel("/brokers/0")
	return api.Cluster{
		Kind:                   "KafkaCluster",
		Metadata:               api.Metadata{Self: self, ResourceName: crn("kafka", id)},
		ClusterID:              id,
		Controller:             &controller,
		ACLs:                   rel("/acls"),
		Brokers:                rel("/brokers"),
		BrokerConfigs:          rel("/broker-configs"),
		ConsumerGroups:         rel("/consumer-groups"),
		Topics:                 rel("/topics"),
		PartitionReassignments: rel("/topics/-/partitions/-/reassignment"),
	}
}

func (s *Server) listClusters(w http.ResponseWriter, r *http.Request) {
	out := api.ClusterList{Kind: "KafkaClusterList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters"}, Data: []api.Cluster{}}
	for _, c := range s.mgr.Clusters().List() {
		if scope := clusterScope(r); scope != "" && scope != c.ID {
			continue // cluster_scope.go
		}
		out.Data = append(out.Data, s.clusterData(r, c.ID))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getCluster(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "cluster_id")
	if _, err := s.mgr.Clusters().Get(id); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.clusterData(r, id))
}
