package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/broker"
)

// consumerGroupRoutes serves the consumer group API. Users check with it
// that a link's offset sync moved a group's offsets on the destination.
func (s *Server) consumerGroupRoutes(r chi.Router) {
	r.Get("/consumer-groups", s.listConsumerGroups)
	r.Get("/consumer-groups/{consumer_group_id}", s.getConsumerGroup)
	r.Get("/consumer-groups/{consumer_group_id}/consumers", s.listConsumers)
	r.Get("/consumer-groups/{consumer_group_id}/consumers/{consumer_id}", s.getConsumer)
	r.Get("/consumer-groups/{consumer_group_id}/lags", s.listConsumerLags)
	r.Get("/consumer-groups/{consumer_group_id}/lags/{topic_name}/partitions/{partition_id}", s.getConsumerLag)
	r.Get("/consumer-groups/{consumer_group_id}/lag-summary", s.getConsumerLagSummary)
}

// pathParam returns a path parameter unescaped. chi matches on the escaped
// path when the URL has escapes Go would not write itself, such as %2F in
// a group ID.
func pathParam(r *http.Request, name string) string {
	v := chi.URLParam(r, name)
	if r.URL.RawPath == "" {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// partitionParam reads the partition_id path parameter.
func partitionParam(r *http.Request) (int32, error) { return int32Param(r, "partition_id") }

func (s *Server) groupSelf(r *http.Request, cluster, group string) string {
	return s.base(r) + "/clusters/" + cluster + "/consumer-groups/" + url.PathEscape(group)
}

func (s *Server) consumerGroupData(r *http.Request, cluster string, g broker.Group) api.ConsumerGroup {
	self := s.groupSelf(r, cluster, g.ID)
	return api.ConsumerGroup{
		Kind:              "KafkaConsumerGroup",
		Metadata:          api.Metadata{Self: self, ResourceName: crn("kafka", cluster, "consumer-group", g.ID)},
		ClusterID:         cluster,
		ConsumerGroupID:   g.ID,
		IsSimple:          g.Simple,
		PartitionAssignor: g.Assignor,
		State:             g.State,
		Type:              g.Type,
		Coordinator:       api.Relationship{Related: s.base(r) + "/clusters/" + cluster + "/brokers/" + strconv.Itoa(int(g.Coordinator))},
		Consumers:         api.Relationship{Related: self + "/consumers"},
		LagSummary:        api.Relationship{Related: self + "/lag-summary"},
	}
}

func (s *Server) listConsumerGroups(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	groups, err := s.mgr.ConsumerGroups(r.Context(), cluster)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.ConsumerGroupList{Kind: "KafkaConsumerGroupList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/consumer-groups"}, Data: []api.ConsumerGroup{}}
	for _, g := range groups {
		out.Data = append(out.Data, s.consumerGroupData(r, cluster, g))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getConsumerGroup(w http.ResponseWriter, r *http.Request) {
	cluster, group := chi.URLParam(r, "cluster_id"), pathParam(r, "consumer_group_id")
	g, err := s.mgr.ConsumerGroup(r.Context(), cluster, group)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.consumerGroupData(r, cluster, g))
}

func (s *Server) consumerData(r *http.Request, cluster, group string, m broker.GroupMember) api.Consumer {
	self := s.groupSelf(r, cluster, group) + "/consumers/" + url.PathEscape(m.ConsumerID)
	return api.Consumer{
		Kind:            "KafkaConsumer",
		Metadata:        api.Metadata{Self: self, ResourceName: crn("kafka", cluster, "consumer-group", group, "consumer", m.ConsumerID)},
		ClusterID:       cluster,
		ConsumerGroupID: group,
		ConsumerID:      m.ConsumerID,
		InstanceID:      m.InstanceID,
		ClientID:        m.ClientID,
		Assignments:     api.Relationship{Related: self + "/assignments"},
	}
}

func (s *Server) listConsumers(w http.ResponseWriter, r *http.Request) {
	cluster, group := chi.URLParam(r, "cluster_id"), pathParam(r, "consumer_group_id")
	g, err := s.mgr.ConsumerGroup(r.Context(), cluster, group)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.ConsumerList{Kind: "KafkaConsumerList", Metadata: api.CollectionMetadata{Self: s.groupSelf(r, cluster, group) + "/consumers"}, Data: []api.Consumer{}}
	for _, m := range g.Members {
		out.Data = append(out.Data, s.consumerData(r, cluster, group, m))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getConsumer(w http.ResponseWriter, r *http.Request) {
	cluster, group, id := chi.URLParam(r, "cluster_id"), pathParam(r, "consumer_group_id"), pathParam(r, "consumer_id")
	m, err := s.mgr.Consumer(r.Context(), cluster, group, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.consumerData(r, cluster, group, m))
}

func (s *Server) consumerLagData(r *http.Request, cluster, group string, l broker.PartitionLag) api.ConsumerLag {
	p := strconv.Itoa(int(l.Partition))
	out := api.ConsumerLag{
		Kind: "KafkaConsumerLag",
		Metadata: api.Metadata{
			Self:         s.groupSelf(r, cluster, group) + "/lags/" + l.Topic + "/partitions/" + p,
			ResourceName: crn("kafka", cluster, "consumer-group", group, "lag", l.Topic, "partition", p),
		},
		ClusterID:       cluster,
		ConsumerGroupID: group,
		TopicName:       l.Topic,
		PartitionID:     l.Partition,
		CurrentOffset:   l.Current,
		LogEndOffset:    l.End,
		Lag:             l.Lag,
	}
	if l.Member != nil {
		out.ConsumerID, out.InstanceID, out.ClientID = l.Member.ConsumerID, l.Member.InstanceID, l.Member.ClientID
	}
	return out
}

func (s *Server) listConsumerLags(w http.ResponseWriter, r *http.Request) {
	cluster, group := chi.URLParam(r, "cluster_id"), pathParam(r, "consumer_group_id")
	lags, err := s.mgr.ConsumerLags(r.Context(), cluster, group)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.ConsumerLagList{Kind: "KafkaConsumerLagList", Metadata: api.CollectionMetadata{Self: s.groupSelf(r, cluster, group) + "/lags"}, Data: []api.ConsumerLag{}}
	for _, l := range lags {
		out.Data = append(out.Data, s.consumerLagData(r, cluster, group, l))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getConsumerLag(w http.ResponseWriter, r *http.Request) {
	cluster, group, topic := chi.URLParam(r, "cluster_id"), pathParam(r, "consumer_group_id"), chi.URLParam(r, "topic_name")
	p, err := partitionParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.mgr.ConsumerLag(r.Context(), cluster, group, topic, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.consumerLagData(r, cluster, group, l))
}

func (s *Server) getConsumerLagSummary(w http.ResponseWriter, r *http.Request) {
	cluster, group := chi.URLParam(r, "cluster_id"), pathParam(r, "consumer_group_id")
	sum, err := s.mgr.ConsumerLagSummary(r.Context(), cluster, group)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	self := s.groupSelf(r, cluster, group)
	resourceName := "crn:///kafka=" + cluster + "/consumer-group=" + group + "/lag-summary"
	top := sum.Max
	out := api.ConsumerGroupLagSummary{
		Kind:              "KafkaConsumerGroupLagSummary",
		Metadata:          api.Metadata{Self: self + "/lag-summary", ResourceName: &resourceName},
		ClusterID:         cluster,
		ConsumerGroupID:   group,
		MaxLagTopicName:   top.Topic,
		MaxLagPartitionID: top.Partition,
		MaxLag:            top.Lag,
		TotalLag:          sum.Total,
		MaxLagPartition:   api.Relationship{Related: s.base(r) + "/clusters/" + cluster + "/topics/" + top.Topic + "/partitions/" + strconv.Itoa(int(top.Partition))},
	}
	if top.Member != nil {
		out.MaxLagConsumerID, out.MaxLagInstanceID, out.MaxLagClientID = top.Member.ConsumerID, top.Member.InstanceID, top.Member.ClientID
	}
	out.MaxLagConsumer = api.Relationship{Related: self + "/consumers/" + url.PathEscape(out.MaxLagConsumerID)}
	writeJSON(w, r, http.StatusOK, out)
}
