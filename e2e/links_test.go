package e2e

import (
	"context"
	"net/http"
	"testing"

	kafkarestv3 "github.com/confluentinc/ccloud-sdk-go-v2/kafkarest/v3"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestLinkLifecycleWithConfluentSDK drives the link API with Confluent's Go
// SDK, as Terraform and the CLI do.
func TestLinkLifecycleWithConfluentSDK(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	sdk := env.SDK().ClusterLinkingV3Api
	ctx := context.Background()

	configs := []kafkarestv3.ConfigData{
		{Name: "bootstrap.servers", Value: *kafkarestv3.NewNullableString(ptr(env.Bootstrap("lkc-east")))},
		{Name: "consumer.offset.sync.ms", Value: *kafkarestv3.NewNullableString(ptr("15000"))},
	}
	resp, err := sdk.CreateKafkaLink(ctx, "lkc-west").LinkName("east-to-west").
		CreateLinkRequestData(kafkarestv3.CreateLinkRequestData{SourceClusterId: ptr("lkc-east"), Configs: &configs}).Execute()
	if err != nil {
		t.Fatalf("create link: %v (%v)", err, resp)
	}

	link, _, err := sdk.GetKafkaLink(ctx, "lkc-west", "east-to-west").Execute()
	if err != nil {
		t.Fatalf("get link: %v", err)
	}
	if link.LinkName != "east-to-west" || link.GetSourceClusterId() != "lkc-east" || len(link.ClusterLinkId) != 22 {
		t.Errorf("unexpected link %+v", link)
	}
	apitest.Eventually(t, apitest.Timeout, "link ACTIVE", func() bool {
		l, _, err := sdk.GetKafkaLink(ctx, "lkc-west", "east-to-west").Execute()
		return err == nil && l.GetLinkState() == "ACTIVE"
	})

	list, _, err := sdk.ListKafkaLinks(ctx, "lkc-west").Execute()
	if err != nil || len(list.Data) != 1 {
		t.Fatalf("list links: %v %+v", err, list)
	}

	cfgs, _, err := sdk.ListKafkaLinkConfigs(ctx, "lkc-west", "east-to-west").Execute()
	if err != nil {
		t.Fatalf("list configs: %v", err)
	}
	byName := map[string]kafkarestv3.ListLinkConfigsResponseData{}
	for _, c := range cfgs.Data {
		byName[c.Name] = c
	}
	if c := byName["consumer.offset.sync.ms"]; c.Value != "15000" || c.Source != "DYNAMIC_CLUSTER_LINK_CONFIG" || c.IsDefault {
		t.Errorf("user-set config reported as %+v", c)
	}
	if c := byName["acl.sync.ms"]; c.Value != "5000" || c.Source != "DEFAULT_CONFIG" || !c.IsDefault {
		t.Errorf("default config reported as %+v", c)
	}

	_, err = sdk.UpdateKafkaLinkConfigBatch(ctx, "lkc-west", "east-to-west").AlterConfigBatchRequestData(kafkarestv3.AlterConfigBatchRequestData{
		Data: []kafkarestv3.AlterConfigBatchRequestDataData{{Name: "acl.sync.ms", Value: *kafkarestv3.NewNullableString(ptr("7000"))}},
	}).Execute()
	if err != nil {
		t.Fatalf("alter configs: %v", err)
	}
	c, _, err := sdk.GetKafkaLinkConfigs(ctx, "lkc-west", "east-to-west", "acl.sync.ms").Execute()
	if err != nil || c.Value != "7000" {
		t.Fatalf("get config after alter: %v %+v", err, c)
	}
	if _, err := sdk.UpdateKafkaLinkConfig(ctx, "lkc-west", "east-to-west", "acl.sync.ms").UpdateLinkConfigRequestData(kafkarestv3.UpdateLinkConfigRequestData{Value: "8000"}).Execute(); err != nil {
		t.Fatalf("put config: %v", err)
	}
	if _, err := sdk.DeleteKafkaLinkConfig(ctx, "lkc-west", "east-to-west", "acl.sync.ms").Execute(); err != nil {
		t.Fatalf("reset config: %v", err)
	}
	if c, _, _ := sdk.GetKafkaLinkConfigs(ctx, "lkc-west", "east-to-west", "acl.sync.ms").Execute(); c.Value != "5000" || !c.IsDefault {
		t.Errorf("reset config reported as %+v", c)
	}

	if _, err := sdk.DeleteKafkaLink(ctx, "lkc-west", "east-to-west").Execute(); err != nil {
		t.Fatalf("delete link: %v", err)
	}
	_, hr, err := sdk.GetKafkaLink(ctx, "lkc-west", "east-to-west").Execute()
	if err == nil || hr == nil || hr.StatusCode != http.StatusNotFound {
		t.Fatalf("get deleted link: want 404, got %v %v", hr, err)
	}
}

func ptr[T any](v T) *T { return &v }
