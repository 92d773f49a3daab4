package manager

import (
	"context"

	"github.com/linkemu/linkemu/broker"
)

// Partitions lists a topic's partitions.
func (m *Manager) Partitions(ctx context.Context, cluster, topic string) ([]broker.Partition, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	return c.Partitions(ctx, topic)
}

// Partition describes one partition of a topic.
func (m *Manager) Partition(ctx context.Context, cluster, topic string, id int32) (broker.Partition, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return broker.Partition{}, err
	}
	return c.Partition(ctx, topic, id)
}

// Brokers lists a cluster's brokers.
func (m *Manager) Brokers(ctx context.Context, cluster string) ([]broker.BrokerNode, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	return c.Brokers(ctx)
}

// Broker describes one broker of a cluster.
func (m *Manager) Broker(ctx context.Context, cluster string, id int32) (broker.BrokerNode, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return broker.BrokerNode{}, err
	}
	return c.Broker(ctx, id)
}
