package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestRestartKeepsLinksConfigsAndTopics restarts the emulator on the same
// data dir and checks that links, configs, topics and records survive.
func TestRestartKeepsLinksConfigsAndTopics(t *testing.T) {
	dir := t.TempDir()
	opts := emulator.Options{DataDir: dir}

	env := apitest.Start(t, opts)
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 3}); r.Status != 201 {
		t.Fatalf("create topic: %d %s", r.Status, r.Body)
	}
	produce(t, env.Bootstrap("lkc-east"), "orders", "k1", "v1")
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=east-to-west"), map[string]any{
		"source_cluster_id": "lkc-east",
		"configs":           []map[string]string{{"name": "consumer.offset.sync.ms", "value": "12000"}, {"name": "cluster.link.prefix", "value": "east."}},
	}); r.Status != 204 {
		t.Fatalf("create link: %d %s", r.Status, r.Body)
	}
	before := env.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil).Map(t)
	beforeCfg := string(env.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/configs"), nil).Body)
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}

	env2 := apitest.Start(t, opts)
	after := env2.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil).Map(t)
	for _, k := range []string{"link_name", "link_id", "cluster_link_id", "source_cluster_id"} {
		if before[k] != after[k] {
			t.Errorf("%s: before restart %v, after %v", k, before[k], after[k])
		}
	}
	afterCfg := string(env2.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/configs"), nil).Body)
	if beforeCfg != strings.ReplaceAll(afterCfg, env2.RESTURL, env.RESTURL) {
		t.Errorf("configs changed across restart:\n%s\n%s", beforeCfg, afterCfg)
	}
	topic := env2.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/topics/orders"), nil)
	if topic.Status != 200 || topic.Map(t)["partitions_count"] != float64(3) {
		t.Fatalf("topic after restart: %d %s", topic.Status, topic.Body)
	}
	if got := consumeAll(t, env2.Bootstrap("lkc-east"), "orders", 1); got[0] != "k1=v1" {
		t.Errorf("records after restart: %v", got)
	}
	apitest.Eventually(t, apitest.Timeout, "link ACTIVE after restart", func() bool {
		return env2.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil).Map(t)["link_state"] == "ACTIVE"
	})
}

// TestValidateOnlyChangesNothing checks validate_only on create, alter and
// delete.
func TestValidateOnlyChangesNothing(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	links := apitest.ClusterPath("lkc-west", "/links")
	if r := env.Do(http.MethodPost, links+"?link_name=dry&validate_only=true", map[string]any{"source_cluster_id": "lkc-east"}); r.Status != 204 {
		t.Fatalf("validate-only create: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodGet, links+"/dry", nil); r.Status != 404 {
		t.Fatalf("validate-only create made a link: %d", r.Status)
	}
	if r := env.Do(http.MethodPost, links+"?link_name=dry&validate_only=true", map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "acl.sync.ms", "value": "1"}}}); r.Status != 400 {
		t.Fatalf("validate-only still validates: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodPost, links+"?link_name=real", map[string]any{"source_cluster_id": "lkc-east"}); r.Status != 204 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodPut, links+"/real/configs:alter?validate_only=true", map[string]any{"data": []map[string]string{{"name": "acl.sync.ms", "value": "9000"}}}); r.Status != 204 {
		t.Fatalf("validate-only alter: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodPut, links+"/real/configs:alter", map[string]any{"validate_only": true, "data": []map[string]string{{"name": "acl.sync.ms", "value": "9000"}}}); r.Status != 204 {
		t.Fatalf("validate-only alter (body flag): %d %s", r.Status, r.Body)
	}
	if v := env.Do(http.MethodGet, links+"/real/configs/acl.sync.ms", nil).Map(t)["value"]; v != "5000" {
		t.Errorf("validate-only alter changed acl.sync.ms to %v", v)
	}
	if r := env.Do(http.MethodDelete, links+"/real?validate_only=true", nil); r.Status != 200 {
		t.Fatalf("validate-only delete: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodGet, links+"/real", nil); r.Status != 200 {
		t.Fatalf("validate-only delete removed the link: %d", r.Status)
	}
}

// TestLinkStateFollowsTheSourceCluster takes the source cluster down and up
// through the emulator admin API and watches link_state and link_error.
func TestLinkStateFollowsTheSourceCluster(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	link := apitest.ClusterPath("lkc-west", "/links/east-to-west")
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=east-to-west"), map[string]any{
		"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "bootstrap.servers", "value": env.Bootstrap("lkc-east")}},
	}); r.Status != 204 {
		t.Fatalf("create link: %d %s", r.Status, r.Body)
	}
	state := func() (string, string) {
		m := env.Do(http.MethodGet, link, nil).Map(t)
		s, _ := m["link_state"].(string)
		e, _ := m["link_error"].(string)
		return s, e
	}
	apitest.Eventually(t, apitest.Timeout, "ACTIVE", func() bool { s, _ := state(); return s == "ACTIVE" })
	if r := env.Do(http.MethodPost, "/emulator/v1/clusters/lkc-east:stop", nil); r.Status != 200 || r.Map(t)["running"] != false {
		t.Fatalf("stop lkc-east: %d %s", r.Status, r.Body)
	}
	apitest.Eventually(t, apitest.Timeout, "UNAVAILABLE", func() bool {
		s, e := state()
		return s == "UNAVAILABLE" && e == "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR"
	})
	if m := env.Do(http.MethodGet, link, nil).Map(t); m["link_error_message"] == nil {
		t.Errorf("UNAVAILABLE link has no link_error_message: %v", m)
	}
	if r := env.Do(http.MethodGet, "/readyz", nil); r.Status != 503 {
		t.Errorf("/readyz with a cluster down: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodPost, "/emulator/v1/clusters/lkc-east:start", nil); r.Status != 200 || r.Map(t)["running"] != true {
		t.Fatalf("start lkc-east: %d %s", r.Status, r.Body)
	}
	apitest.Eventually(t, apitest.Timeout, "ACTIVE again", func() bool { s, e := state(); return s == "ACTIVE" && e == "NO_ERROR" })
}

func produce(t *testing.T, bootstrap, topic, key, value string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: []byte(key), Value: []byte(value)}).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

func consumeAll(t *testing.T, bootstrap, topic string, n int) []string {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []string
	for len(out) < n {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of %d records: %v", len(out), n, err)
		}
		fs.EachRecord(func(r *kgo.Record) { out = append(out, string(r.Key)+"="+string(r.Value)) })
	}
	return out
}
