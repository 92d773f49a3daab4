package manager

import (
	"context"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
)

// Topics lists a cluster's topics.
func (m *Manager) Topics(ctx context.Context, cluster string) ([]broker.Topic, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	return c.Topics(ctx)
}

// Topic describes one topic.
func (m *Manager) Topic(ctx context.Context, cluster, name string) (broker.Topic, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return broker.Topic{}, err
	}
	return c.Topic(ctx, name)
}

// CreateTopicRequest is a request to create a topic.
type CreateTopicRequest struct {
	Name              string
	Partitions        int32 // -1: broker default
	ReplicationFactor int16 // -1: broker default
	Configs           map[string]*string
	ValidateOnly      bool
}

// CreateTopic creates a topic on a cluster.
func (m *Manager) CreateTopic(ctx context.Context, cluster string, req CreateTopicRequest) error {
	c, err := m.cluster(cluster)
	if err != nil {
		return err
	}
	if req.Name == "" {
		return linkemu.Errorf(linkemu.EINVALID, "topic_name is required.")
	}
	return c.CreateTopic(ctx, req.Name, req.Partitions, req.ReplicationFactor, req.Configs, req.ValidateOnly)
}

// SetPartitions grows a topic. Mirror topics take their partition count from
// their source and refuse it.
func (m *Manager) SetPartitions(ctx context.Context, cluster, name string, count int) error {
	c, err := m.cluster(cluster)
	if err != nil {
		return err
	}
	if mr, _ := m.mirror(cluster, name); mr != nil && mr.Status != linkemu.MirrorStopped {
		return linkemu.Errorf(linkemu.EINVALID, "Topic '%s' is a mirror topic of link '%s': its partition count follows the source topic '%s'. Add partitions to the source instead.", name, mr.LinkName, mr.SourceTopic)
	}
	return c.SetPartitions(ctx, name, count)
}

// DeleteTopic deletes a topic. Deleting a mirror topic also deletes its
// mirror state, as Confluent does (Terraform destroys mirrors this way). It
// holds the topic's mirror lane, and its link's lane shared when it is a
// mirror, so a mirror is never created or changed under it.
func (m *Manager) DeleteTopic(ctx context.Context, cluster, name string) error {
	c, err := m.cluster(cluster)
	if err != nil {
		return err
	}
	var mr *linkemu.Mirror
	var unlock func()
	for {
		locks := []laneReq{mirrorLane(cluster, name)}
		link := ""
		if mr = m.view().mirror(cluster, name); mr != nil {
			link = mr.LinkName
			locks = append(locks, linkLane(cluster, link, false))
		}
		if unlock, err = m.lanes.lock(ctx, locks...); err != nil {
			return err
		}
		if mr = m.view().mirror(cluster, name); mr == nil || mr.LinkName == link {
			break
		}
		unlock() // it became a mirror while we waited: take its link's lane too
	}
	defer unlock()
	if mr != nil {
		// Stop writing before the topic goes, and forget where it was.
		if rt := m.runtime(cluster, mr.LinkName); rt != nil && rt.repl != nil {
			if err := rt.repl.RemoveMirror(ctx, name); err != nil && linkemu.ErrorCode(err) != linkemu.ENOTFOUND {
				return err
			}
		}
	}
	if err := c.DeleteTopic(ctx, name); err != nil {
		return err
	}
	if mr == nil {
		return nil
	}
	if err := m.write(func(tx *wtx) error { return tx.DeleteMirror(cluster, name) }); err != nil {
		return err
	}
	m.log.Info("mirror topic deleted", "cluster", cluster, "link", mr.LinkName, "mirror", name)
	m.mirrorsChanged(cluster, mr.LinkName)
	return nil
}

// TopicConfigs returns a topic's configs.
func (m *Manager) TopicConfigs(ctx context.Context, cluster, name string) ([]broker.TopicConfig, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	return c.TopicConfigs(ctx, name)
}

// AlterTopicConfigs sets (non-nil) and resets (nil) topic configs.
func (m *Manager) AlterTopicConfigs(ctx context.Context, cluster, name string, changes map[string]*string, validateOnly bool) error {
	c, err := m.cluster(cluster)
	if err != nil {
		return err
	}
	if _, err := c.Topic(ctx, name); err != nil {
		return err
	}
	if err := m.checkMirrorConfigs(cluster, name, changes); err != nil {
		return err
	}
	return c.AlterTopicConfigs(ctx, name, changes, validateOnly)
}

// mirror returns the published mirror named name on cluster, or nil. It is
// shared: never change it.
func (m *Manager) mirror(cluster, name string) (*linkemu.Mirror, error) {
	return m.view().mirror(cluster, name), nil
}
