package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
)

// unimplemented lists routes of Confluent's Kafka REST v3 spec that linkemu
// does not serve yet. They answer 501 with a Confluent-shaped body naming
// what is missing, and the README's coverage table lists them.
var unimplemented = []struct{ method, pattern, what string }{
	{http.MethodGet, "/broker-configs", "broker configs"},
	{http.MethodPost, "/topics/{topic_name}/records", "producing records over REST"},
	{http.MethodGet, "/brokers/{broker_id}/configs", "broker configs"},
	{http.MethodGet, "/brokers/{broker_id}/partition-replicas", "partition replicas"},
	{http.MethodGet, "/topics/{topic_name}/partitions/{partition_id}/replicas", "partition replicas"},
	{http.MethodGet, "/topics/{topic_name}/partitions/{partition_id}/reassignment", "partition reassignments"},
	{http.MethodGet, "/topics/-/partitions/-/reassignment", "partition reassignments"},
	{http.MethodGet, "/consumer-groups/{consumer_group_id}/consumers/{consumer_id}/assignments", "consumer assignments"},
	{http.MethodGet, "/topics/{topic_name}/default-configs", "topic default configs"},
	{http.MethodGet, "/share-groups", "the share group API"},
	{http.MethodGet, "/streams-groups", "the streams group API"},
}

func (s *Server) unimplementedRoutes(r chi.Router) {
	for _, u := range unimplemented {
		what := u.what
		r.Method(u.method, u.pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.fail(w, r, linkemu.Errorf(linkemu.ENOTIMPLEMENTED, "linkemu does not implement %s yet (%s %s). See the coverage table in linkemu's README.", what, r.Method, r.URL.Path))
		}))
	}
}
