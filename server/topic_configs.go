package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/api"
	"github.com/linkemu/linkemu/broker"
)

func (s *Server) topicConfigRoutes(r chi.Router) {
	r.Get("/topics/-/configs", s.listAllTopicConfigs)
	r.Get("/topics/{topic_name}/configs", s.listTopicConfigs)
	r.Post("/topics/{topic_name}/configs:alter", s.alterTopicConfigs)
	r.Get("/topics/{topic_name}/configs/{name}", s.getTopicConfig)
	r.Put("/topics/{topic_name}/configs/{name}", s.updateTopicConfig)
	r.Delete("/topics/{topic_name}/configs/{name}", s.resetTopicConfig)
}

func (s *Server) topicConfigData(r *http.Request, cluster, topic string, c broker.TopicConfig) api.TopicConfig {
	syn := make([]api.ConfigSynonym, 0, len(c.Synonyms))
	for _, x := range c.Synonyms {
		syn = append(syn, api.ConfigSynonym{Name: x.Name, Value: x.Value, Source: x.Source})
	}
	return api.TopicConfig{
		Kind:        "KafkaTopicConfig",
		Metadata:    api.Metadata{Self: s.base(r) + "/clusters/" + cluster + "/topics/" + topic + "/configs/" + c.Name, ResourceName: crn("kafka", cluster, "topic", topic, "config", c.Name)},
		ClusterID:   cluster,
		TopicName:   topic,
		Name:        c.Name,
		Value:       c.Value,
		IsDefault:   c.IsDefault,
		IsReadOnly:  c.ReadOnly,
		IsSensitive: c.Sensitive,
		Source:      c.Source,
		Synonyms:    syn,
	}
}

func (s *Server) listTopicConfigs(w http.ResponseWriter, r *http.Request) {
	cluster, topic := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	cfgs, err := s.mgr.TopicConfigs(r.Context(), cluster, topic)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.TopicConfigList{Kind: "KafkaTopicConfigList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/topics/" + topic + "/configs"}, Data: []api.TopicConfig{}}
	for _, c := range cfgs {
		out.Data = append(out.Data, s.topicConfigData(r, cluster, topic, c))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *Server) listAllTopicConfigs(w http.ResponseWriter, r *http.Request) {
	cluster := chi.URLParam(r, "cluster_id")
	topics, err := s.mgr.Topics(r.Context(), cluster)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := api.TopicConfigList{Kind: "KafkaTopicConfigList", Metadata: api.CollectionMetadata{Self: s.base(r) + "/clusters/" + cluster + "/topics/-/configs"}, Data: []api.TopicConfig{}}
	for _, t := range topics {
		cfgs, err := s.mgr.TopicConfigs(r.Context(), cluster, t.Name)
		if err != nil {
			continue // deleted meanwhile
		}
		for _, c := range cfgs {
			out.Data = append(out.Data, s.topicConfigData(r, cluster, t.Name, c))
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// topicConfigParams returns the path's cluster, topic and config name,
// refusing an empty topic name (…/topics//configs/x) instead of asking the
// cluster about a topic called "".
func topicConfigParams(r *http.Request) (cluster, topic, name string, err error) {
	cluster, topic, name = chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name"), chi.URLParam(r, "name")
	if topic == "" {
		return "", "", "", linkemu.Errorf(linkemu.ENOTFOUND, "The topic name in %s is empty.", r.URL.Path)
	}
	return cluster, topic, name, nil
}

// topicConfig returns one config of a topic, ENOTFOUND if the topic has no
// config of that name.
func (s *Server) topicConfig(r *http.Request, cluster, topic, name string) (broker.TopicConfig, error) {
	cfgs, err := s.mgr.TopicConfigs(r.Context(), cluster, topic)
	if err != nil {
		return broker.TopicConfig{}, err
	}
	for _, c := range cfgs {
		if c.Name == name {
			return c, nil
		}
	}
	return broker.TopicConfig{}, linkemu.Errorf(linkemu.ENOTFOUND, "Config %s cannot be found for topic %s.", name, topic)
}

func (s *Server) getTopicConfig(w http.ResponseWriter, r *http.Request) {
	cluster, topic, name, err := topicConfigParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.topicConfig(r, cluster, topic, name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, s.topicConfigData(r, cluster, topic, c))
}

func (s *Server) updateTopicConfig(w http.ResponseWriter, r *http.Request) {
	cluster, topic, name, err := topicConfigParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body api.UpdateConfigRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Value == nil {
		// {} or {"value": null} is not a reset: DELETE is.
		s.fail(w, r, linkemu.Errorf(linkemu.EINVALID, "value is required; to reset %s to its default, send DELETE.", name))
		return
	}
	if err := s.mgr.AlterTopicConfigs(r.Context(), cluster, topic, map[string]*string{name: body.Value}, false); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) resetTopicConfig(w http.ResponseWriter, r *http.Request) {
	cluster, topic, name, err := topicConfigParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.topicConfig(r, cluster, topic, name); err != nil {
		s.fail(w, r, err) // as GET answers: an unknown config is 404
		return
	}
	if err := s.mgr.AlterTopicConfigs(r.Context(), cluster, topic, map[string]*string{name: nil}, false); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

func (s *Server) alterTopicConfigs(w http.ResponseWriter, r *http.Request) {
	cluster, topic := chi.URLParam(r, "cluster_id"), chi.URLParam(r, "topic_name")
	var body api.AlterConfigBatchRequest
	if err := decode(r, &body, false); err != nil {
		s.fail(w, r, err)
		return
	}
	sets, resets, err := alterEntries(body.Data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	changes := make(map[string]*string, len(sets)+len(resets))
	for k, v := range sets {
		changes[k] = &v
	}
	for _, k := range resets {
		changes[k] = nil
	}
	if err := s.mgr.AlterTopicConfigs(r.Context(), cluster, topic, changes, body.ValidateOnly); err != nil {
		s.fail(w, r, err)
		return
	}
	noContent(w)
}

// alterEntries splits a configs:alter body into sets and resets. An entry
// without operation is a SET, as the CLI and Terraform send it.
func alterEntries(data []api.AlterConfigEntry) (map[string]string, []string, error) {
	sets := map[string]string{}
	var resets []string
	for i, e := range data {
		if e.Name == "" {
			return nil, nil, linkemu.Errorf(linkemu.EINVALID, "data[%d].name is required.", i)
		}
		op := "SET"
		if e.Operation != nil {
			op = strings.ToUpper(*e.Operation)
		}
		switch op {
		case "SET":
			if e.Value == nil {
				return nil, nil, linkemu.Errorf(linkemu.EINVALID, "data[%d] sets %s without a value; give \"value\" or use \"operation\": \"DELETE\".", i, e.Name)
			}
			sets[e.Name] = *e.Value
		case "DELETE":
			resets = append(resets, e.Name)
		default:
			return nil, nil, linkemu.Errorf(linkemu.EINVALID, "data[%d].operation %q is invalid: use SET or DELETE.", i, *e.Operation)
		}
	}
	if len(data) == 0 {
		return nil, nil, linkemu.Errorf(linkemu.EINVALID, "data is empty: give at least one {\"name\": ..., \"value\": ...} entry.")
	}
	return sets, resets, nil
}
