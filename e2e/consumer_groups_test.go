package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

type groupJSON struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Self         string `json:"self"`
		ResourceName string `json:"resource_name"`
	} `json:"metadata"`
	ClusterID         string `json:"cluster_id"`
	ConsumerGroupID   string `json:"consumer_group_id"`
	IsSimple          bool   `json:"is_simple"`
	PartitionAssignor string `json:"partition_assignor"`
	State             string `json:"state"`
	Type              string `json:"type"`
	Coordinator       struct {
		Related string `json:"related"`
	} `json:"coordinator"`
}

type lagJSON struct {
	TopicName     string  `json:"topic_name"`
	PartitionID   int32   `json:"partition_id"`
	CurrentOffset int64   `json:"current_offset"`
	LogEndOffset  int64   `json:"log_end_offset"`
	Lag           int64   `json:"lag"`
	ConsumerID    string  `json:"consumer_id"`
	InstanceID    *string `json:"instance_id"`
	ClientID      string  `json:"client_id"`
}

type lagSummaryJSON struct {
	MaxLagConsumerID  string `json:"max_lag_consumer_id"`
	MaxLagClientID    string `json:"max_lag_client_id"`
	MaxLagTopicName   string `json:"max_lag_topic_name"`
	MaxLagPartitionID int32  `json:"max_lag_partition_id"`
	MaxLag            int64  `json:"max_lag"`
	TotalLag          int64  `json:"total_lag"`
	MaxLagPartition   struct {
		Related string `json:"related"`
	} `json:"max_lag_partition"`
}

// TestConsumerGroupLagsOverREST runs a real franz-go group consumer that
// commits offsets and checks that the REST consumer group, consumers, lags
// and lag-summary routes report the group, its member and the right
// numbers, before and after more records arrive and after the consumer
// leaves.
func TestConsumerGroupLagsOverREST(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	bootstrap := env.Bootstrap("lkc-east")
	groups := apitest.ClusterPath("lkc-east", "/consumer-groups")
	get := func(path string, v any) *apitest.Response {
		t.Helper()
		r := env.Do(http.MethodGet, path, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		apitest.ValidateSpec(t, r)
		if v != nil {
			r.JSON(t, v)
		}
		return r
	}

	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 3}); r.Status != 201 {
		t.Fatalf("create topic: %d %s", r.Status, r.Body)
	}
	produceTo(t, bootstrap, "orders", map[int32]int{0: 5, 1: 3})

	// A consumer that reads everything but commits only part of it.
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.ConsumerGroup("billing"), kgo.ConsumeTopics("orders"),
		kgo.ClientID("billing-client"), kgo.DisableAutoCommit(), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	for n := 0; n < 8; {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumed %d of 8 records: %v", n, ctx.Err())
		}
		n += fs.NumRecords()
	}
	var commitErr error
	cl.CommitOffsetsSync(ctx, map[string]map[int32]kgo.EpochOffset{"orders": {0: {Epoch: -1, Offset: 2}, 1: {Epoch: -1, Offset: 3}}},
		func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, _ *kmsg.OffsetCommitResponse, err error) {
			commitErr = err
		})
	if commitErr != nil {
		t.Fatalf("commit: %v", commitErr)
	}

	var g groupJSON
	apitest.Eventually(t, apitest.Timeout, "group STABLE", func() bool {
		get(groups+"/billing", &g)
		return g.State == "STABLE"
	})
	if g.Kind != "KafkaConsumerGroup" || g.ConsumerGroupID != "billing" || g.ClusterID != "lkc-east" || g.IsSimple || g.Type != "CLASSIC" ||
		g.PartitionAssignor == "" || !strings.HasPrefix(g.Coordinator.Related, env.RESTURL+apitest.ClusterPath("lkc-east", "/brokers/")) ||
		g.Metadata.ResourceName != "crn:///kafka=lkc-east/consumer-group=billing" {
		t.Errorf("group: %+v", g)
	}

	var list struct {
		Kind string      `json:"kind"`
		Data []groupJSON `json:"data"`
	}
	get(groups, &list)
	if list.Kind != "KafkaConsumerGroupList" || len(list.Data) != 1 || list.Data[0].ConsumerGroupID != "billing" {
		t.Errorf("group list: %+v", list)
	}

	var consumers struct {
		Kind string `json:"kind"`
		Data []struct {
			ConsumerID string  `json:"consumer_id"`
			InstanceID *string `json:"instance_id"`
			ClientID   string  `json:"client_id"`
		} `json:"data"`
	}
	get(groups+"/billing/consumers", &consumers)
	if consumers.Kind != "KafkaConsumerList" || len(consumers.Data) != 1 || consumers.Data[0].ClientID != "billing-client" || consumers.Data[0].InstanceID != nil {
		t.Fatalf("consumers: %+v", consumers)
	}
	member := consumers.Data[0].ConsumerID
	var one struct {
		ConsumerID string `json:"consumer_id"`
	}
	get(groups+"/billing/consumers/"+member, &one)
	if one.ConsumerID != member {
		t.Errorf("consumer %s: %+v", member, one)
	}

	wantLags := func(want ...lagJSON) {
		t.Helper()
		var lags struct {
			Kind string    `json:"kind"`
			Data []lagJSON `json:"data"`
		}
		get(groups+"/billing/lags", &lags)
		if lags.Kind != "KafkaConsumerLagList" || len(lags.Data) != len(want) {
			t.Fatalf("lags: %+v, want %+v", lags, want)
		}
		for i, w := range want {
			got := lags.Data[i]
			if got.InstanceID != nil || got.TopicName != w.TopicName || got.PartitionID != w.PartitionID || got.CurrentOffset != w.CurrentOffset ||
				got.LogEndOffset != w.LogEndOffset || got.Lag != w.Lag || got.ConsumerID != w.ConsumerID || got.ClientID != w.ClientID {
				t.Errorf("lag %d: %+v, want %+v", i, got, w)
			}
		}
	}
	wantLags(
		lagJSON{TopicName: "orders", PartitionID: 0, CurrentOffset: 2, LogEndOffset: 5, Lag: 3, ConsumerID: member, ClientID: "billing-client"},
		lagJSON{TopicName: "orders", PartitionID: 1, CurrentOffset: 3, LogEndOffset: 3, Lag: 0, ConsumerID: member, ClientID: "billing-client"},
	)
	var lag lagJSON
	get(groups+"/billing/lags/orders/partitions/0", &lag)
	if lag.Lag != 3 || lag.CurrentOffset != 2 || lag.LogEndOffset != 5 || lag.ConsumerID != member {
		t.Errorf("lag of orders-0: %+v", lag)
	}
	var sum lagSummaryJSON
	get(groups+"/billing/lag-summary", &sum)
	if sum.MaxLag != 3 || sum.TotalLag != 3 || sum.MaxLagTopicName != "orders" || sum.MaxLagPartitionID != 0 || sum.MaxLagConsumerID != member ||
		sum.MaxLagClientID != "billing-client" || sum.MaxLagPartition.Related != env.RESTURL+apitest.ClusterPath("lkc-east", "/topics/orders/partitions/0") {
		t.Errorf("lag summary: %+v", sum)
	}

	// Confluent's SDK decodes the same answers.
	sdk := env.SDK().ConsumerGroupV3Api
	if sg, _, err := sdk.GetKafkaConsumerGroup(ctx, "lkc-east", "billing").Execute(); err != nil || sg.State != "STABLE" {
		t.Errorf("SDK get group: %v %+v", err, sg)
	}
	if ss, _, err := sdk.GetKafkaConsumerGroupLagSummary(ctx, "lkc-east", "billing").Execute(); err != nil || ss.TotalLag != 3 {
		t.Errorf("SDK lag summary: %v %+v", err, ss)
	}
	if sl, _, err := sdk.GetKafkaConsumerLag(ctx, "lkc-east", "billing", "orders", 1).Execute(); err != nil || sl.Lag != 0 || sl.CurrentOffset != 3 {
		t.Errorf("SDK lag: %v %+v", err, sl)
	}

	// The standalone REST Proxy mount answers the same.
	for _, path := range []string{"", "/billing", "/billing/consumers", "/billing/lags", "/billing/lags/orders/partitions/0", "/billing/lag-summary"} {
		r := get("/v3/clusters/lkc-east/consumer-groups"+path, nil)
		if !strings.Contains(string(r.Body), `"self":"`+env.RESTURL+"/v3/clusters/lkc-east/consumer-groups") {
			t.Errorf("GET /v3/...%s: self links do not use the /v3 mount: %s", path, r.Body)
		}
	}

	// More records on partition 1 move the largest lag there.
	produceTo(t, bootstrap, "orders", map[int32]int{1: 4})
	apitest.Eventually(t, apitest.Timeout, "lag summary after producing", func() bool {
		get(groups+"/billing/lag-summary", &sum)
		return sum.TotalLag == 7
	})
	if sum.MaxLag != 4 || sum.MaxLagPartitionID != 1 {
		t.Errorf("lag summary after producing: %+v", sum)
	}

	// Once the consumer leaves, the group is EMPTY and no one owns the lags.
	cl.Close()
	apitest.Eventually(t, apitest.Timeout, "group EMPTY", func() bool {
		get(groups+"/billing", &g)
		return g.State == "EMPTY"
	})
	get(groups+"/billing/consumers", &consumers)
	if len(consumers.Data) != 0 {
		t.Errorf("consumers of an empty group: %+v", consumers)
	}
	wantLags(
		lagJSON{TopicName: "orders", PartitionID: 0, CurrentOffset: 2, LogEndOffset: 5, Lag: 3},
		lagJSON{TopicName: "orders", PartitionID: 1, CurrentOffset: 3, LogEndOffset: 7, Lag: 4},
	)

	// A group that only commits offsets, as a link's offset sync does on
	// the destination, is simple and EMPTY.
	adm := admin(t, bootstrap)
	if _, err := adm.CommitOffsets(ctx, "offsets-only", kadm.OffsetsFromRecords(kgo.Record{Topic: "orders", Partition: 2, Offset: -1})); err != nil {
		t.Fatalf("commit with kadm: %v", err)
	}
	get(groups+"/offsets-only", &g)
	if !g.IsSimple || g.State != "EMPTY" {
		t.Errorf("offsets-only group: %+v", g)
	}
	get(groups, &list)
	if len(list.Data) != 2 || list.Data[0].ConsumerGroupID != "billing" || list.Data[1].ConsumerGroupID != "offsets-only" {
		t.Errorf("group list: %+v", list)
	}
}

// TestConsumerGroupBadInputs checks the errors of the consumer group
// routes: unknown group, consumer, topic and partition, and a partition ID
// that is not a number.
func TestConsumerGroupBadInputs(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	bootstrap := env.Bootstrap("lkc-east")
	groups := apitest.ClusterPath("lkc-east", "/consumer-groups")
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 2}); r.Status != 201 {
		t.Fatalf("create topic: %d %s", r.Status, r.Body)
	}
	produceTo(t, bootstrap, "orders", map[int32]int{0: 2})
	adm := admin(t, bootstrap)
	ctx := context.Background()
	if _, err := adm.CommitOffsets(ctx, "committed", kadm.OffsetsFromRecords(kgo.Record{Topic: "orders", Partition: 0, Offset: 0})); err != nil {
		t.Fatalf("commit with kadm: %v", err)
	}

	cases := []struct {
		name, path   string
		status, code int
		msg          string
	}{
		{"unknown group", groups + "/nope", 404, 404, "Consumer Group nope could not be found."},
		{"consumers of unknown group", groups + "/nope/consumers", 404, 404, "could not be found"},
		{"lags of unknown group", groups + "/nope/lags", 404, 404, "could not be found"},
		{"lag summary of unknown group", groups + "/nope/lag-summary", 404, 404, "could not be found"},
		{"lag of unknown group", groups + "/nope/lags/orders/partitions/0", 404, 404, "could not be found"},
		{"unknown consumer", groups + "/committed/consumers/someone", 404, 404, "Consumer someone could not be found"},
		{"lag on unknown topic", groups + "/committed/lags/missing/partitions/0", 404, 40403, "This server does not host this topic-partition."},
		{"lag on unknown partition", groups + "/committed/lags/orders/partitions/7", 404, 40403, "This server does not host this topic-partition."},
		{"lag on a partition without a commit", groups + "/committed/lags/orders/partitions/1", 404, 404, "no committed offset"},
		{"partition ID not a number", groups + "/committed/lags/orders/partitions/one", 400, 400, "java.lang.Integer"},
		{"unknown cluster", apitest.ClusterPath("lkc-nope", "/consumer-groups"), 404, 404, "lkc-nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkError(t, env.Do(http.MethodGet, c.path, nil), c.status, c.code, c.msg)
		})
	}
	// The committed partition itself answers.
	if r := env.Do(http.MethodGet, groups+"/committed/lags/orders/partitions/0", nil); r.Status != 200 {
		t.Errorf("lag of a committed partition: %d %s", r.Status, r.Body)
	}
}

// produceTo writes counts[p] records to each partition p of topic.
func produceTo(t *testing.T, bootstrap, topic string, counts map[int32]int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var rs []*kgo.Record
	for p, n := range counts {
		for range n {
			rs = append(rs, &kgo.Record{Topic: topic, Partition: p, Value: []byte("v")})
		}
	}
	if err := cl.ProduceSync(ctx, rs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}
