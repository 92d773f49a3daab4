package broker

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Topic is what the REST API reports of a topic.
type Topic struct {
	Name              string
	ID                [16]byte
	Internal          bool
	Partitions        int32
	ReplicationFactor int
}

func topicWhat(name string) string { return fmt.Sprintf("Topic '%s'", name) }

// Topics lists the cluster's topics, internal ones included, sorted by name.
func (c *Admin) Topics(ctx context.Context) ([]Topic, error) {
	td, err := c.topicDetails(ctx)
	if err != nil {
		return nil, kafkaError(err, "List topics")
	}
	out := make([]Topic, 0, len(td))
	for _, d := range td.Sorted() {
		if d.Err != nil {
			continue
		}
		out = append(out, topicOf(d))
	}
	return out, nil
}

// Topic describes one topic; EUNKNOWNTOPIC if it does not exist.
func (c *Admin) Topic(ctx context.Context, name string) (Topic, error) {
	td, err := c.topicDetails(ctx, name)
	if err != nil {
		return Topic{}, kafkaError(err, topicWhat(name))
	}
	d, ok := td[name]
	if !ok || d.Err != nil {
		return Topic{}, c.unknownTopic(ctx, name)
	}
	return topicOf(d), nil
}

// TopicExists reports whether a topic exists, from fresh metadata. Unlike
// Topic, a missing topic is an answer, not an error, and costs no listing
// of every topic for a hint.
func (c *Admin) TopicExists(ctx context.Context, name string) (bool, error) {
	td, err := c.topicDetails(ctx, name)
	if err != nil {
		return false, kafkaError(err, topicWhat(name))
	}
	d, ok := td[name]
	return ok && d.Err == nil, nil
}

// unknownTopic is Confluent's error for a missing topic, with the closest
// existing topic name as a hint when one is likely meant.
func (c *Admin) unknownTopic(ctx context.Context, name string) error {
	err := kafkaError(kerr.UnknownTopicOrPartition, topicWhat(name))
	names, lerr := c.admin.ListTopics(ctx)
	if lerr != nil {
		return err
	}
	if hint := linkemu.DidYouMean(name, names.Names()); hint != "" {
		return linkemu.Errorf(linkemu.EUNKNOWNTOPIC, "%s%s", linkemu.ErrorMessage(err), hint)
	}
	return err
}

func topicOf(d kadm.TopicDetail) Topic {
	t := Topic{Name: d.Topic, ID: d.ID, Internal: d.IsInternal, Partitions: int32(len(d.Partitions))}
	if p, ok := d.Partitions[0]; ok {
		t.ReplicationFactor = len(p.Replicas)
	}
	return t
}

// CreateTopic creates a topic. partitions and rf of -1 mean the broker
// defaults. With validateOnly, the broker checks the request and creates
// nothing.
func (c *Admin) CreateTopic(ctx context.Context, name string, partitions int32, rf int16, configs map[string]*string, validateOnly bool) error {
	create := c.admin.CreateTopics
	if validateOnly {
		create = c.admin.ValidateCreateTopics
	}
	resp, err := create(ctx, partitions, rf, configs, name)
	if err != nil {
		return kafkaError(err, topicWhat(name))
	}
	r, err := resp.On(name, nil)
	if err != nil {
		return kafkaError(err, topicWhat(name))
	}
	if err := topicCreateError(r); err != nil || validateOnly {
		return err
	}
	c.waitTopic(ctx, name, true, int(max(partitions, 1)))
	return nil
}

func topicCreateError(r kadm.CreateTopicResponse) error {
	if r.Err == nil {
		return nil
	}
	err := kafkaError(r.Err, topicWhat(r.Topic))
	if r.ErrMessage != "" && r.Err != kerr.TopicAlreadyExists {
		return kafkaError(fmt.Errorf("%w: %s", r.Err, r.ErrMessage), topicWhat(r.Topic))
	}
	return err
}

// DeleteTopic deletes a topic.
func (c *Admin) DeleteTopic(ctx context.Context, name string) error {
	r, err := c.admin.DeleteTopic(ctx, name)
	if err == nil {
		err = r.Err
	}
	if err != nil {
		return kafkaError(err, topicWhat(name))
	}
	c.waitTopic(ctx, name, false, 0)
	return nil
}

// SetPartitions grows a topic to count partitions.
func (c *Admin) SetPartitions(ctx context.Context, name string, count int) error {
	resp, err := c.admin.UpdatePartitions(ctx, count, name)
	if err != nil {
		return kafkaError(err, topicWhat(name))
	}
	r, err := resp.On(name, nil)
	if err == nil {
		err = r.Err
	}
	if err != nil && r.ErrMessage != "" {
		err = fmt.Errorf("%w: %s", err, r.ErrMessage)
	}
	if err != nil {
		return kafkaError(err, topicWhat(name))
	}
	c.waitTopic(ctx, name, true, count)
	return nil
}

// ConfigSynonym is one synonym of a config.
type ConfigSynonym struct {
	Name   string
	Value  *string
	Source string
}

// TopicConfig is one topic config as the REST API reports it.
type TopicConfig struct {
	Name      string
	Value     *string
	Source    string // Confluent's ConfigSource enum
	IsDefault bool
	ReadOnly  bool
	Sensitive bool
	Synonyms  []ConfigSynonym
}

// TopicConfigs returns every config of a topic, sorted by name.
func (c *Admin) TopicConfigs(ctx context.Context, name string) ([]TopicConfig, error) {
	req := kmsg.NewPtrDescribeConfigsRequest()
	res := kmsg.NewDescribeConfigsRequestResource()
	res.ResourceType = kmsg.ConfigResourceTypeTopic
	res.ResourceName = name
	req.Resources = append(req.Resources, res)
	req.IncludeSynonyms = true
	resp, err := req.RequestWith(ctx, c.client)
	if err != nil {
		return nil, kafkaError(err, topicWhat(name))
	}
	if len(resp.Resources) != 1 {
		return nil, kafkaError(kerr.UnknownTopicOrPartition, topicWhat(name))
	}
	r := resp.Resources[0]
	if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
		return nil, kafkaError(err, topicWhat(name))
	}
	out := make([]TopicConfig, 0, len(r.Configs))
	for _, cfg := range r.Configs {
		tc := TopicConfig{
			Name: cfg.Name, Value: cfg.Value, Source: configSource(cfg.Source),
			ReadOnly: cfg.ReadOnly, Sensitive: cfg.IsSensitive,
			IsDefault: cfg.Source == kmsg.ConfigSourceDefaultConfig || cfg.Source == kmsg.ConfigSourceStaticBrokerConfig || cfg.Source == kmsg.ConfigSourceDynamicDefaultBrokerConfig,
		}
		for _, s := range cfg.ConfigSynonyms {
			tc.Synonyms = append(tc.Synonyms, ConfigSynonym{Name: s.Name, Value: s.Value, Source: configSource(s.Source)})
		}
		out = append(out, tc)
	}
	slices.SortFunc(out, func(a, b TopicConfig) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// AlterTopicConfigs sets (value non-nil) and resets (value nil) topic
// configs incrementally.
func (c *Admin) AlterTopicConfigs(ctx context.Context, name string, changes map[string]*string, validateOnly bool) error {
	var alters []kadm.AlterConfig
	for _, k := range slices.Sorted(maps.Keys(changes)) {
		op := kadm.SetConfig
		if changes[k] == nil {
			op = kadm.DeleteConfig
		}
		alters = append(alters, kadm.AlterConfig{Op: op, Name: k, Value: changes[k]})
	}
	alter := c.admin.AlterTopicConfigs
	if validateOnly {
		alter = c.admin.ValidateAlterTopicConfigs
	}
	resp, err := alter(ctx, alters, name)
	if err != nil {
		return kafkaError(err, topicWhat(name))
	}
	r, err := resp.On(name, nil)
	if err == nil {
		err = r.Err
	}
	if err != nil && r.ErrMessage != "" {
		err = fmt.Errorf("%w: %s", err, r.ErrMessage)
	}
	return kafkaError(err, topicWhat(name))
}

func configSource(s kmsg.ConfigSource) string {
	switch s {
	case kmsg.ConfigSourceDynamicTopicConfig:
		return "DYNAMIC_TOPIC_CONFIG"
	case kmsg.ConfigSourceDynamicBrokerConfig:
		return "DYNAMIC_BROKER_CONFIG"
	case kmsg.ConfigSourceDynamicDefaultBrokerConfig:
		return "DYNAMIC_DEFAULT_BROKER_CONFIG"
	case kmsg.ConfigSourceStaticBrokerConfig:
		return "STATIC_BROKER_CONFIG"
	case kmsg.ConfigSourceDefaultConfig:
		return "DEFAULT_CONFIG"
	case kmsg.ConfigSourceDynamicBrokerLoggerConfig:
		return "DYNAMIC_BROKER_LOGGER_CONFIG"
	}
	return "UNKNOWN"
}
