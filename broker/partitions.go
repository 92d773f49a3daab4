package broker

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kerr"
)

// Partition is what the REST API reports of one partition of a topic.
type Partition struct {
	Topic    string
	ID       int32
	Leader   int32 // -1 when the partition has no leader
	Replicas []int32
	ISR      []int32
}

// Partitions lists a topic's partitions by ID; EUNKNOWNTOPIC if the topic
// does not exist.
func (c *Admin) Partitions(ctx context.Context, topic string) ([]Partition, error) {
	td, err := c.topicDetails(ctx, topic)
	if err != nil {
		return nil, kafkaError(err, topicWhat(topic))
	}
	d, ok := td[topic]
	if !ok || d.Err != nil {
		return nil, kafkaError(kerr.UnknownTopicOrPartition, topicWhat(topic))
	}
	out := make([]Partition, 0, len(d.Partitions))
	for _, p := range d.Partitions {
		out = append(out, Partition{Topic: topic, ID: p.Partition, Leader: p.Leader, Replicas: p.Replicas, ISR: p.ISR})
	}
	slices.SortFunc(out, func(a, b Partition) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Partition describes one partition; EUNKNOWNTOPIC if the topic or the
// partition does not exist.
func (c *Admin) Partition(ctx context.Context, topic string, id int32) (Partition, error) {
	ps, err := c.Partitions(ctx, topic)
	if err != nil {
		return Partition{}, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return Partition{}, kafkaError(kerr.UnknownTopicOrPartition, topicWhat(topic))
}

// BrokerNode is what the REST API reports of one broker of a cluster.
type BrokerNode struct {
	ID   int32
	Host string
	Port int32
	Rack *string
}

// Brokers lists the cluster's brokers by ID, with the addresses they
// advertise.
func (c *Admin) Brokers(ctx context.Context) ([]BrokerNode, error) {
	resp, err := c.metadata(ctx, false)
	if err != nil {
		return nil, kafkaError(err, "List brokers")
	}
	out := make([]BrokerNode, 0, len(resp.Brokers))
	for _, b := range resp.Brokers {
		out = append(out, BrokerNode{ID: b.NodeID, Host: b.Host, Port: b.Port, Rack: b.Rack})
	}
	slices.SortFunc(out, func(a, b BrokerNode) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Broker describes one broker; ENOTFOUND if the cluster has no broker id.
func (c *Admin) Broker(ctx context.Context, id int32) (BrokerNode, error) {
	bs, err := c.Brokers(ctx)
	if err != nil {
		return BrokerNode{}, err
	}
	for _, b := range bs {
		if b.ID == id {
			return b, nil
		}
	}
	return BrokerNode{}, linkemu.Errorf(linkemu.ENOTFOUND, "Broker %d could not be found.%s", id, brokerHint(bs))
}

func brokerHint(bs []BrokerNode) string {
	if len(bs) == 0 {
		return ""
	}
	ids := make([]int32, 0, len(bs))
	for _, b := range bs {
		ids = append(ids, b.ID)
	}
	return fmt.Sprintf(" The cluster's brokers are %v.", ids)
}
