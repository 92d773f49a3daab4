package broker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Group is what the REST API reports of a consumer group. State and Type
// hold Confluent's enum names.
type Group struct {
	ID          string
	State       string // STABLE, EMPTY, PREPARING_REBALANCE, ...
	Type        string // CLASSIC or CONSUMER (KIP-848)
	Simple      bool   // no members ever joined: a group that only commits offsets
	Assignor    string // the partition assignor of a stable group, else ""
	Coordinator int32  // broker ID of the group coordinator
	Members     []GroupMember
}

// GroupMember is one consumer of a group.
type GroupMember struct {
	ConsumerID string // Kafka's member ID
	InstanceID *string
	ClientID   string
	ClientHost string
	Assigned   []TopicPartition // sorted
}

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// PartitionLag is how far a group is behind on one partition it committed
// an offset for.
type PartitionLag struct {
	Topic     string
	Partition int32
	Current   int64        // the group's committed offset
	End       int64        // the log end offset, read_committed (last stable offset)
	Lag       int64        // End - Current, never negative
	Member    *GroupMember // the consumer assigned the partition, nil if none is
}

func groupWhat(id string) string { return fmt.Sprintf("Consumer Group %s", id) }

// groupNotFound is Confluent's answer for a group that does not exist.
func groupNotFound(id string) error {
	return linkemu.Errorf(linkemu.ENOTFOUND, "Consumer Group %s could not be found.", id)
}

// Groups lists the cluster's consumer groups sorted by ID: groups of
// protocol type "consumer" and simple groups that only commit offsets, as
// Kafka's Admin.listConsumerGroups does. Share, streams and Connect groups
// are left out.
func (c *Admin) Groups(ctx context.Context) ([]Group, error) {
	listed, err := c.listGroups(ctx)
	if err != nil {
		return nil, err
	}
	if len(listed) == 0 {
		return []Group{}, nil
	}
	ids := make([]string, 0, len(listed))
	for id := range listed {
		ids = append(ids, id)
	}
	described, err := c.admin.DescribeGroups(ctx, ids...)
	if err != nil {
		return nil, kafkaError(err, "List consumer groups")
	}
	out := make([]Group, 0, len(described))
	for _, d := range described {
		// Groups that vanished or that this client may not describe are
		// skipped, as Confluent skips them.
		if d.Err != nil || isMissingGroup(d) {
			continue
		}
		out = append(out, groupOf(d, listed[d.Group]))
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Group describes one consumer group; ENOTFOUND if it does not exist.
func (c *Admin) Group(ctx context.Context, id string) (Group, error) {
	described, err := c.admin.DescribeGroups(ctx, id)
	if err != nil {
		return Group{}, kafkaError(err, groupWhat(id))
	}
	d, ok := described[id]
	switch {
	case !ok, errors.Is(d.Err, kerr.GroupIDNotFound), d.Err == nil && isMissingGroup(d):
		return Group{}, groupNotFound(id)
	case d.Err != nil:
		return Group{}, kafkaError(d.Err, groupWhat(id))
	}
	listed, err := c.listGroups(ctx)
	if err != nil {
		return Group{}, err
	}
	return groupOf(d, listed[id]), nil
}

// GroupLags returns the group and its lag on every partition it committed
// an offset for, sorted by topic and partition. As Confluent does, a group
// that committed nothing is ENOTFOUND, and partitions whose end offset
// cannot be listed (a deleted topic) are left out.
func (c *Admin) GroupLags(ctx context.Context, id string) (Group, []PartitionLag, error) {
	g, err := c.Group(ctx, id)
	if err != nil {
		return Group{}, nil, err
	}
	committed, err := c.admin.FetchOffsets(ctx, id)
	if err != nil {
		return Group{}, nil, kafkaError(err, groupWhat(id))
	}
	var topics []string
	committed.Each(func(o kadm.OffsetResponse) {
		if o.Err == nil && o.At >= 0 && !slices.Contains(topics, o.Topic) {
			topics = append(topics, o.Topic)
		}
	})
	if len(topics) == 0 {
		return Group{}, nil, linkemu.Errorf(linkemu.ENOTFOUND, "Consumer group offsets could not be found.")
	}
	ends, err := c.admin.ListCommittedOffsets(fresh(ctx), topics...)
	if err != nil {
		return Group{}, nil, kafkaError(err, groupWhat(id))
	}
	owner := make(map[TopicPartition]*GroupMember)
	for i := range g.Members {
		for _, tp := range g.Members[i].Assigned {
			owner[tp] = &g.Members[i]
		}
	}
	var lags []PartitionLag
	for _, o := range committed.Sorted() {
		if o.Err != nil || o.At < 0 {
			continue
		}
		end, ok := ends.Lookup(o.Topic, o.Partition)
		if !ok || end.Err != nil || end.Offset < 0 {
			continue
		}
		lags = append(lags, PartitionLag{
			Topic: o.Topic, Partition: o.Partition,
			Current: o.At, End: end.Offset, Lag: max(0, end.Offset-o.At),
			Member: owner[TopicPartition{o.Topic, o.Partition}],
		})
	}
	return g, lags, nil
}

// listGroups lists every group with its group type, keeping consumer and
// simple groups only.
func (c *Admin) listGroups(ctx context.Context) (map[string]string, error) {
	req := kmsg.NewPtrListGroupsRequest()
	out := make(map[string]string)
	for _, shard := range c.client.RequestSharded(ctx, req) {
		if shard.Err != nil {
			return nil, kafkaError(shard.Err, "List consumer groups")
		}
		resp := shard.Resp.(*kmsg.ListGroupsResponse)
		if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
			return nil, kafkaError(err, "List consumer groups")
		}
		for _, lg := range resp.Groups {
			if lg.ProtocolType != "consumer" && lg.ProtocolType != "" {
				continue
			}
			if lg.GroupType == "share" || lg.GroupType == "streams" {
				continue
			}
			out[lg.Group] = lg.GroupType
		}
	}
	return out, nil
}

// isMissingGroup reports Kafka's placeholder description of a group that
// does not exist: no protocol type and state Dead.
func isMissingGroup(d kadm.DescribedGroup) bool {
	return d.ProtocolType == "" && d.State == "Dead"
}

func groupOf(d kadm.DescribedGroup, groupType string) Group {
	g := Group{
		ID:          d.Group,
		State:       groupState(d.State),
		Type:        groupTypeName(groupType),
		Simple:      d.ProtocolType == "",
		Assignor:    d.Protocol,
		Coordinator: d.Coordinator.NodeID,
	}
	for _, m := range d.Members {
		gm := GroupMember{ConsumerID: m.MemberID, InstanceID: m.InstanceID, ClientID: m.ClientID, ClientHost: m.ClientHost}
		if a, ok := m.Assigned.AsConsumer(); ok {
			for _, t := range a.Topics {
				for _, p := range t.Partitions {
					gm.Assigned = append(gm.Assigned, TopicPartition{t.Topic, p})
				}
			}
		}
		slices.SortFunc(gm.Assigned, func(a, b TopicPartition) int {
			return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.Partition, b.Partition))
		})
		g.Members = append(g.Members, gm)
	}
	return g
}

// groupState maps Kafka's group state names to Confluent's enum.
func groupState(s string) string {
	switch strings.ToLower(s) {
	case "stable":
		return "STABLE"
	case "empty":
		return "EMPTY"
	case "dead":
		return "DEAD"
	case "preparingrebalance":
		return "PREPARING_REBALANCE"
	case "completingrebalance":
		return "COMPLETING_REBALANCE"
	case "assigning":
		return "ASSIGNING"
	case "reconciling":
		return "RECONCILING"
	}
	return "UNKNOWN"
}

// groupTypeName maps Kafka's group type to Confluent's enum. Brokers before
// Kafka 3.8 report no type; their groups are all classic.
func groupTypeName(t string) string {
	switch strings.ToLower(t) {
	case "", "classic":
		return "CLASSIC"
	case "consumer":
		return "CONSUMER"
	case "share":
		return "SHARE"
	}
	return "UNKNOWN"
}
