package manager

import (
	"context"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
)

// ConsumerGroups lists a cluster's consumer groups.
func (m *Manager) ConsumerGroups(ctx context.Context, cluster string) ([]broker.Group, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	return c.Groups(ctx)
}

// ConsumerGroup describes one consumer group.
func (m *Manager) ConsumerGroup(ctx context.Context, cluster, group string) (broker.Group, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return broker.Group{}, err
	}
	return c.Group(ctx, group)
}

// Consumer returns one member of a consumer group.
func (m *Manager) Consumer(ctx context.Context, cluster, group, consumerID string) (broker.GroupMember, error) {
	g, err := m.ConsumerGroup(ctx, cluster, group)
	if err != nil {
		return broker.GroupMember{}, err
	}
	for _, mb := range g.Members {
		if mb.ConsumerID == consumerID {
			return mb, nil
		}
	}
	return broker.GroupMember{}, linkemu.Errorf(linkemu.ENOTFOUND, "Consumer %s could not be found in consumer group %s.", consumerID, group)
}

// ConsumerLags returns a group's lag on each partition it committed to.
func (m *Manager) ConsumerLags(ctx context.Context, cluster, group string) ([]broker.PartitionLag, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	_, lags, err := c.GroupLags(ctx, group)
	return lags, err
}

// ConsumerLag returns a group's lag on one partition: ENOTFOUND for an
// unknown group or a partition the group has no offset for, EUNKNOWNTOPIC
// for a topic or partition the cluster does not have.
func (m *Manager) ConsumerLag(ctx context.Context, cluster, group, topic string, partition int32) (broker.PartitionLag, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return broker.PartitionLag{}, err
	}
	if _, err := c.Group(ctx, group); err != nil {
		return broker.PartitionLag{}, err
	}
	t, err := c.Topic(ctx, topic)
	if err != nil {
		return broker.PartitionLag{}, err
	}
	if partition < 0 || partition >= t.Partitions {
		return broker.PartitionLag{}, linkemu.Errorf(linkemu.EUNKNOWNTOPIC, "This server does not host this topic-partition.")
	}
	_, lags, err := c.GroupLags(ctx, group)
	if err != nil {
		return broker.PartitionLag{}, err
	}
	for _, l := range lags {
		if l.Topic == topic && l.Partition == partition {
			return l, nil
		}
	}
	return broker.PartitionLag{}, linkemu.Errorf(linkemu.ENOTFOUND, "Consumer Group %s has no committed offset for partition %d of topic '%s'.", group, partition, topic)
}

// LagSummary is a group's largest lag on one partition and its total lag.
type LagSummary struct {
	Max   broker.PartitionLag
	Total int64
}

// ConsumerLagSummary sums a group's lags. Max is the first partition, in
// topic and partition order, with the largest lag.
func (m *Manager) ConsumerLagSummary(ctx context.Context, cluster, group string) (LagSummary, error) {
	lags, err := m.ConsumerLags(ctx, cluster, group)
	if err != nil {
		return LagSummary{}, err
	}
	var s LagSummary
	s.Max.Lag = -1
	for _, l := range lags {
		if l.Lag > s.Max.Lag {
			s.Max = l
		}
		s.Total += l.Lag
	}
	if s.Max.Lag < 0 {
		return LagSummary{}, linkemu.Errorf(linkemu.ENOTFOUND, "Consumer group offsets could not be found.")
	}
	return s, nil
}
