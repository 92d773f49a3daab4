package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/broker"
)

// brokerRoutes serves a cluster's brokers. Confluent Cloud's spec has no
// broker routes; Confluent Platform's REST Proxy serves these, and the
// on-prem CLI reads them.
func (s *Server) brokerRoutes(r chi.Router) {
	r.Get("/brokers", s.listBrokers)
	r.Get("/brokers/{broker_id}", s.getBroker)
}

func (s *Server) brokerData(r *http.Request, cluster string, b broker.BrokerNode) api.Broker {
	id := strconv.Itoa(int(b.ID))
	self := s.base(r) + "/clusters/" + cluster + "/brokers/" + id
	return api.Broker{
		Kind:              "KafkaBroker",
		Metadata:          api.Metadata{Self: self, ResourceName: crn("kafka", cluster, "broker", id)},
		ClusterID:         cluster,
		BrokerID:          b.ID,
		Host:              strPtr(b.Host),
		Port:              &b.Port,
		Rack:              b.Rack,
		Configs:           api.Relationship{Related: self + "/configs"},
		PartitionReplicas: api.Relationship{Related: self + "/partition-replicas"},
	}
}

func (s *Server) listBrokers(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	bs, err := s.mgr.Brokers(r.Context(), cluster)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.BrokerList{Kind: "KafkaBrokerList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/brokers"}, Data: []api.Broker{}}
	for _, b := range bs {
		out.Data = append(out.Data, s.brokerData(r, cluster, b))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) getBroker(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	id, err := int32Param(r, "broker_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.mgr.Broker(r.Context(), cluster, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.brokerData(r, cluster, b))
}
