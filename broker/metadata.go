package broker

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Read-your-writes. franz-go clients cache metadata for MetadataMinAge (5s)
// and kadm's topic and offset calls read that cache, so a topic created or
// deleted a moment ago could be reported missing or present. Every read
// here asks a broker: topics, partitions and brokers with a Metadata
// request of their own, kadm calls that look metadata up internally with a
// context that makes kadm skip the cache (fresh). Writes that a broker
// completes asynchronously (topic creation and deletion, partition growth on
// a multi-broker cluster) wait until metadata shows them, so a write that
// returned is visible to the next read.

// fresh returns a context under which kadm sends its metadata lookups to a
// broker rather than answering them from the client's cache: kadm bypasses
// the cache whenever authorized operations are asked for.
func fresh(ctx context.Context) context.Context { return kadm.WithAuthorizedOps(ctx) }

// metadata asks a broker for the metadata of topics: none when topics is
// empty and all is false, every topic when all is set.
func (c *Admin) metadata(ctx context.Context, all bool, topics ...string) (*kmsg.MetadataResponse, error) {
	req := kmsg.NewPtrMetadataRequest()
	if !all {
		req.Topics = []kmsg.MetadataRequestTopic{}
		for _, t := range topics {
			rt := kmsg.NewMetadataRequestTopic()
			rt.Topic = kmsg.StringPtr(t)
			req.Topics = append(req.Topics, rt)
		}
	}
	return req.RequestWith(ctx, c.client)
}

// topicDetails returns the fresh details of topics (every topic when none
// is named), internal topics included, like kadm.ListTopicsWithInternal.
func (c *Admin) topicDetails(ctx context.Context, topics ...string) (kadm.TopicDetails, error) {
	resp, err := c.metadata(ctx, len(topics) == 0, topics...)
	if err != nil {
		return nil, err
	}
	out := make(kadm.TopicDetails, len(resp.Topics))
	for _, t := range resp.Topics {
		if t.Topic == nil {
			continue
		}
		d := kadm.TopicDetail{Topic: *t.Topic, ID: t.TopicID, IsInternal: t.IsInternal,
			Err: kerr.ErrorForCode(t.ErrorCode), Partitions: make(kadm.PartitionDetails, len(t.Partitions))}
		for _, p := range t.Partitions {
			d.Partitions[p.Partition] = kadm.PartitionDetail{Topic: d.Topic, Partition: p.Partition, Leader: p.Leader,
				LeaderEpoch: p.LeaderEpoch, Replicas: p.Replicas, ISR: p.ISR, OfflineReplicas: p.OfflineReplicas,
				Err: kerr.ErrorForCode(p.ErrorCode)}
		}
		out[d.Topic] = d
	}
	return out, nil
}

// settleTimeout bounds how long a write waits for metadata to show it.
const settleTimeout = 10 * time.Second

// waitTopic waits until metadata shows the topic with at least partitions
// partitions (exists), or no longer shows it (!exists). A cluster that
// does not settle in time is not an error: the write itself succeeded.
func (c *Admin) waitTopic(ctx context.Context, name string, exists bool, partitions int) {
	ctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	for {
		td, err := c.topicDetails(ctx, name)
		if err == nil {
			d, ok := td[name]
			there := ok && d.Err == nil
			if there == exists && (!exists || len(d.Partitions) >= partitions) {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}
