package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/manager"
)

func (s *Server) topicRoutes(r chi.Router) {
	r.Get("/topics", s.listTopics)
	r.Post("/topics", s.createTopic)
	r.Get("/topics/{topic_name}", s.getTopic)
	r.Patch("/topics/{topic_name}", s.updateTopicPartitions)
	r.Delete("/topics/{topic_name}", s.deleteTopic)
	s.topicConfigRoutes(r)
}

func (s *Server) topicData(r *http.Request, cluster string, t broker.Topic) api.Topic {
	self := s.base(r) + "/clusters/" + cluster + "/topics/" + t.Name
	return api.Topic{
		Kind:                   "KafkaTopic",
		Metadata:               api.Metadata{Self: self, ResourceName: crn("kafka", cluster, "topic", t.Name)},
		ClusterID:              cluster,
		TopicName:              t.Name,
		IsInternal:             t.Internal,
		ReplicationFactor:      t.ReplicationFactor,
		PartitionsCount:        int(t.Partitions),
		Partitions:             api.Relationship{Related: self + "/partitions"},
		Configs:                api.Relationship{Related: self + "/configs"},
		PartitionReassignments: api.Relationship{Related: self + "/partitions/-/reassignment"},
	}
}

func (s *Server) listTopics(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	topics, err := s.mgr.Topics(r.Context(), cluster)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.TopicList{Kind: "KafkaTopicList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/topics"}, Data: []api.Topic{}}
	for _, t := range topics {
		out.Data = append(out.Data, s.topicData(r, cluster, t))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getTopic(w http.ResponseWriter, r *http.Request) {
	cluster, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	t, err := s.mgr.Topic(r.Context(), cluster, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.topicData(r, cluster, t))
}

// topicFields are the integer fields of topic bodies and their ranges.
func (s *Server) topicFields() intFields {
	return intFields{"partitions_count": s.cfg.Limits.PartitionsRange(), "replication_factor": linkemu.ReplicationFactorRange}
}

func (s *Server) createTopic(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	var body api.CreateTopicRequest
	if err := decode(r, &body, false, s.topicFields()); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := errors.Join(
		linkemu.ValidateTopicName("topic_name", body.TopicName),
		checkInt("partitions_count", body.PartitionsCount, s.cfg.Limits.PartitionsRange()),
		checkInt("replication_factor", body.ReplicationFactor, linkemu.ReplicationFactorRange),
	); err != nil {
		s.fail(w, r, err)
		return
	}
	req := manager.CreateTopicRequest{Name: body.TopicName, Partitions: -1, ReplicationFactor: -1, ValidateOnly: body.ValidateOnly, Configs: map[string]*string{}}
	if body.PartitionsCount != nil {
		req.Partitions = int32(*body.PartitionsCount) // in range: checked above
	}
	if body.ReplicationFactor != nil {
		req.ReplicationFactor = int16(*body.ReplicationFactor) // in range: checked above
	}
	for _, c := range body.Configs {
		req.Configs[c.Name] = c.Value
	}
	if err := s.mgr.CreateTopic(r.Context(), cluster, req); err != nil {
		s.fail(w, r, err)
		return
	}
	t := broker.Topic{Name: body.TopicName, Partitions: req.Partitions, ReplicationFactor: int(req.ReplicationFactor)}
	if !body.ValidateOnly {
		if got, err := s.mgr.Topic(r.Context(), cluster, body.TopicName); err == nil {
			t = got
		}
	}
	writeJSON(w, r, http.StatusCreated, s.topicData(r, cluster, t))
}

func (s *Server) updateTopicPartitions(w http.ResponseWriter, r *http.Request) {
	cluster, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	var body api.UpdatePartitionCountRequest
	grow := s.cfg.Limits.PartitionsGrowRange()
	if err := decode(r, &body, false, intFields{"partitions_count": grow}); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.PartitionsCount == nil {
		s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "partitions_count is required: give the new total number of partitions."))
		return
	}
	if err := checkInt("partitions_count", body.PartitionsCount, grow); err != nil {
		s.fail(w, r, err)
		return
	}
	cur, err := s.mgr.Topic(r.Context(), cluster, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Limits.CheckGrowth(name, int(cur.Partitions), *body.PartitionsCount); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.mgr.SetPartitions(r.Context(), cluster, name, *body.PartitionsCount); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.mgr.Topic(r.Context(), cluster, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.topicData(r, cluster, t))
}

func (s *Server) deleteTopic(w http.ResponseWriter, r *http.Request) {
	cluster, name := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	if err := s.mgr.DeleteTopic(r.Context(), cluster, name); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}
