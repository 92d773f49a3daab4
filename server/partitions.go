package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/broker"
)

// partitionRoutes serves a topic's partitions, which the CLI and UIs read
// to show leaders and replicas.
func (s *Server) partitionRoutes(r chi.Router) {
	r.Get("/topics/{topic_name}/partitions", s.listPartitions)
	r.Get("/topics/{topic_name}/partitions/{partition_id}", s.getPartition)
}

func (s *Server) partitionData(r *http.Request, cluster string, p broker.Partition) api.Partition {
	id := strconv.Itoa(int(p.ID))
	self := s.base(r) + "/clusters/" + cluster + "/topics/" + p.Topic + "/partitions/" + id
	out := api.Partition{
		Kind:         "KafkaPartition",
		Metadata:     api.Metadata{Self: self, ResourceName: crn("kafka", cluster, "topic", p.Topic, "partition", id)},
		ClusterID:    cluster,
		TopicName:    p.Topic,
		PartitionID:  p.ID,
		Replicas:     api.Relationship{Related: self + "/replicas"},
		Reassignment: api.Relationship{Related: self + "/reassignment"},
	}
	if p.Leader >= 0 {
		out.Leader = &api.Relationship{Related: self + "/replicas/" + strconv.Itoa(int(p.Leader))}
	}
	return out
}

func (s *Server) listPartitions(w http.ResponseWriter, r *http.Request) {
	cluster, topic := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	ps, err := s.mgr.Partitions(r.Context(), cluster, topic)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.PartitionList{Kind: "KafkaPartitionList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/topics/" + topic + "/partitions"}, Data: []api.Partition{}}
	for _, p := range ps {
		out.Data = append(out.Data, s.partitionData(r, cluster, p))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getPartition(w http.ResponseWriter, r *http.Request) {
	cluster, topic := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	id, err := partitionParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.mgr.Partition(r.Context(), cluster, topic, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.partitionData(r, cluster, p))
}
