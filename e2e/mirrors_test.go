package e2e

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	kafkarestv3 "github.com/confluentinc/ccloud-sdk-go-v2/kafkarest/v3"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// lab is an emulator with a topic on lkc-east and a link east-to-west on
// lkc-west.
type lab struct {
	*apitest.Env
	east, west *kgo.Client
}

func newLab(t *testing.T, linkConfigs ...map[string]string) *lab {
	t.Helper()
	return newLabWith(t, emulator.Options{}, linkConfigs...)
}

// newLabWith is newLab with emulator options.
func newLabWith(t *testing.T, opts emulator.Options, linkConfigs ...map[string]string) *lab {
	t.Helper()
	env := apitest.Start(t, opts)
	l := &lab{Env: env, east: client(t, env.Bootstrap("lkc-east")), west: client(t, env.Bootstrap("lkc-west"))}
	var cfgs []map[string]string
	for _, c := range linkConfigs {
		for k, v := range c {
			cfgs = append(cfgs, map[string]string{"name": k, "value": v})
		}
	}
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=east-to-west"), map[string]any{"source_cluster_id": "lkc-east", "configs": cfgs})
	return l
}

func client(t *testing.T, bootstrap string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(bootstrap)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func (l *lab) mustStatus(t *testing.T, status int, method, path string, body any) *apitest.Response {
	t.Helper()
	r := l.Do(method, path, body)
	if r.Status != status {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	return r
}

func (l *lab) topic(t *testing.T, name string, partitions int) {
	t.Helper()
	l.mustStatus(t, 201, http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": name, "partitions_count": partitions})
}

func (l *lab) mirror(t *testing.T, name string) map[string]any {
	t.Helper()
	return l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors/", name), nil).Map(t)
}

func (l *lab) action(t *testing.T, action string, names ...string) []map[string]any {
	t.Helper()
	r := l.mustStatus(t, 200, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors:"+action), map[string]any{"mirror_topic_names": names})
	apitest.ValidateSpec(t, r)
	var body struct {
		Data []map[string]any `json:"data"`
	}
	r.JSON(t, &body)
	return body.Data
}

func (l *lab) waitStatus(t *testing.T, name, status string) {
	t.Helper()
	apitest.Eventually(t, apitest.Timeout, name+" "+status, func() bool { return l.mirror(t, name)["mirror_status"] == status })
}

// TestMirrorReplicatesExactly creates a mirror, produces data of every shape
// to the source and checks the mirror holds exactly the same records at the
// same offsets.
func TestMirrorReplicatesExactly(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 4)
	kafkatest.Produce(t, l.east, "orders", kafkatest.WithHeaders(kafkatest.Keyed(200, 17))...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})

	m := l.mirror(t, "orders")
	if m["num_partitions"] != float64(4) || len(m["mirror_lags"].([]any)) != 4 {
		t.Errorf("mirror right after create: %v", m)
	}
	lz4 := client(t, l.Bootstrap("lkc-east"), kgo.ProducerBatchCompression(kgo.Lz4Compression()))
	kafkatest.Produce(t, lz4, "orders", kafkatest.Plain(300, 512)...)
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)
	apitest.Eventually(t, apitest.Timeout, "lags 0", func() bool {
		for _, p := range l.mirror(t, "orders")["mirror_lags"].([]any) {
			if p.(map[string]any)["lag"] != float64(0) || p.(map[string]any)["last_source_fetch_offset"] == float64(-1) {
				return false
			}
		}
		return true
	})
	links := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil).Map(t)
	if names := links["topic_names"].([]any); len(names) != 1 || names[0] != "orders" {
		t.Errorf("link topic_names %v", names)
	}
	if cc, _ := links["category_counts"].([]any); len(cc) != 1 || cc[0].(map[string]any)["state_category"] != "ACTIVE" || cc[0].(map[string]any)["count"] != float64(4) {
		t.Errorf("link category_counts %v, want 4 ACTIVE partitions", links["category_counts"])
	}
	for _, path := range []string{"/links/east-to-west", "/links/-/mirrors", "/links/east-to-west/mirrors", "/links/east-to-west/mirrors?mirror_status=ACTIVE", "/links/east-to-west/mirrors/orders?include_state_transition_errors=true"} {
		apitest.ValidateSpec(t, l.Do(http.MethodGet, apitest.ClusterPath("lkc-west", path), nil))
	}
	if got := l.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors?mirror_status=PAUSED"), nil).Map(t)["data"].([]any); len(got) != 0 {
		t.Errorf("mirror_status filter let through %v", got)
	}
}

// TestMirrorIsReadOnlyUntilFailover produces to a mirror (refused), fails it
// over and produces again (accepted).
func TestMirrorIsReadOnlyUntilFailover(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 1)
	kafkatest.Produce(t, l.east, "orders", kafkatest.Plain(10, 10)...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

	producer := client(t, l.Bootstrap("lkc-west"), kgo.RecordRetries(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := producer.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("nope")}).FirstErr()
	var ke *kerr.Error
	if !errors.As(err, &ke) || ke != kerr.InvalidRequest {
		t.Fatalf("produce to an active mirror: %v, want INVALID_REQUEST", err)
	}

	res := l.action(t, "failover", "orders")
	if res[0]["error_code"] != nil {
		t.Fatalf("failover: %v", res[0])
	}
	l.waitStatus(t, "orders", "STOPPED")
	if err := producer.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("yes")}).FirstErr(); err != nil {
		t.Fatalf("produce after failover: %v", err)
	}
	lags := l.mirror(t, "orders")["mirror_lags"].([]any)
	if off := lags[0].(map[string]any)["last_source_fetch_offset"]; off != float64(10) {
		t.Errorf("stopped mirror reports stop offset %v, want 10", off)
	}
	// A stopped mirror stays stopped.
	res = l.action(t, "resume", "orders")
	if res[0]["error_code"] != float64(400) || !strings.Contains(res[0]["error_message"].(string), "has already stopped its mirror from 'east-to-west'") {
		t.Errorf("resume of a stopped mirror: %v", res[0])
	}
}

// TestMirrorActionsValidateOnlyAndPerTopicErrors checks that validate_only
// changes nothing and that an unknown topic fails alone.
func TestMirrorActionsValidateOnlyAndPerTopicErrors(t *testing.T) {
	l := newLab(t)
	for _, topic := range []string{"a", "b"} {
		l.topic(t, topic, 1)
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": topic})
	}
	for _, action := range []string{"pause", "resume", "failover", "promote"} {
		r := l.mustStatus(t, 200, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors:"+action+"?validate_only=true"), map[string]any{"mirror_topic_names": []string{"a", "b"}})
		apitest.ValidateSpec(t, r)
		for _, topic := range []string{"a", "b"} {
			if st := l.mirror(t, topic)["mirror_status"]; st != "ACTIVE" {
				t.Fatalf("%s?validate_only=true changed %s to %v", action, topic, st)
			}
		}
	}
	res := l.action(t, "pause", "a", "missing", "b")
	if len(res) != 3 || res[0]["error_code"] != nil || res[2]["error_code"] != nil || res[1]["error_code"] != float64(404) {
		t.Fatalf("pause with an unknown topic: %v", res)
	}
	l.waitStatus(t, "a", "PAUSED")
	l.waitStatus(t, "b", "PAUSED")
	r := l.mustStatus(t, 200, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors:resume"), map[string]any{"mirror_topic_name_pattern": "a|b"})
	apitest.ValidateSpec(t, r)
	l.waitStatus(t, "a", "ACTIVE")
	l.waitStatus(t, "b", "ACTIVE")
	for _, bad := range []any{map[string]any{}, map[string]any{"mirror_topic_name_pattern": "("}} {
		if r := l.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors:pause"), bad); r.Status != 400 {
			t.Errorf("pause with %v: %d %s", bad, r.Status, r.Body)
		}
	}
}

// TestPromoteNeedsTheSource checks that promote catches up and stops, and
// that it refuses while the source is down, where failover still works.
func TestPromoteNeedsTheSource(t *testing.T) {
	l := newLab(t)
	for _, topic := range []string{"up", "down"} {
		l.topic(t, topic, 2)
		kafkatest.Produce(t, l.east, topic, kafkatest.Plain(50, 100)...)
		l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": topic})
	}
	res := l.action(t, "promote", "up")
	if res[0]["error_code"] != nil {
		t.Fatalf("promote: %v", res[0])
	}
	l.waitStatus(t, "up", "STOPPED")
	kafkatest.AssertExact(t, l.east, l.west, "up", "up")

	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:stop", nil)
	l.waitStatus(t, "down", "SOURCE_UNAVAILABLE")
	res = l.action(t, "promote", "down")
	if res[0]["error_code"] == nil {
		t.Fatalf("promote with the source down succeeded: %v", res[0])
	}
	if st := l.mirror(t, "down")["mirror_status"]; st == "STOPPED" {
		t.Fatal("a refused promote stopped the mirror")
	}
	if res = l.action(t, "failover", "down"); res[0]["error_code"] != nil {
		t.Fatalf("failover with the source down: %v", res[0])
	}
	l.waitStatus(t, "down", "STOPPED")
}

// TestTerraformMirrorLifecycle drives a mirror the way terraform-provider-
// confluent does, with Confluent's Go SDK: create, read at once, pause,
// resume, promote, then destroy through the topic API.
func TestTerraformMirrorLifecycle(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 3)
	sdk := l.SDK().ClusterLinkingV3Api
	ctx := context.Background()
	if _, err := sdk.CreateKafkaMirrorTopic(ctx, "lkc-west", "east-to-west").CreateMirrorTopicRequestData(kafkarestv3.CreateMirrorTopicRequestData{SourceTopicName: "orders"}).Execute(); err != nil {
		t.Fatalf("create mirror: %v", err)
	}
	read := func() string {
		m, _, err := sdk.ReadKafkaMirrorTopic(ctx, "lkc-west", "east-to-west", "orders").Execute()
		if err != nil {
			t.Fatalf("read mirror: %v", err)
		}
		return string(m.MirrorStatus)
	}
	if st := read(); st != "ACTIVE" {
		t.Fatalf("mirror right after create: %s", st)
	}
	names := kafkarestv3.AlterMirrorsRequestData{MirrorTopicNames: &[]string{"orders"}}
	steps := []struct {
		call func() error
		want string
	}{
		{func() error {
			_, _, err := sdk.UpdateKafkaMirrorTopicsPause(ctx, "lkc-west", "east-to-west").AlterMirrorsRequestData(names).Execute()
			return err
		}, "PAUSED"},
		{func() error {
			_, _, err := sdk.UpdateKafkaMirrorTopicsResume(ctx, "lkc-west", "east-to-west").AlterMirrorsRequestData(names).Execute()
			return err
		}, "ACTIVE"},
		{func() error {
			_, _, err := sdk.UpdateKafkaMirrorTopicsPromote(ctx, "lkc-west", "east-to-west").AlterMirrorsRequestData(names).Execute()
			return err
		}, "STOPPED"},
	}
	for _, s := range steps {
		if err := s.call(); err != nil {
			t.Fatalf("action towards %s: %v", s.want, err)
		}
		// Terraform waits 2s, then polls; the state must have settled.
		apitest.Eventually(t, 2*time.Second, s.want, func() bool { return read() == s.want })
	}
	l.mustStatus(t, 204, http.MethodDelete, apitest.ClusterPath("lkc-west", "/topics/orders"), nil)
	_, hr, err := sdk.ReadKafkaMirrorTopic(ctx, "lkc-west", "east-to-west", "orders").Execute()
	if err == nil || hr == nil || hr.StatusCode != http.StatusNotFound {
		t.Fatalf("read after delete: %v %v", hr, err)
	}
}

// TestMirrorCreateErrors checks the create errors and that they create
// nothing.
func TestMirrorCreateErrors(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 1)
	l.mustStatus(t, 201, http.MethodPost, apitest.ClusterPath("lkc-west", "/topics"), map[string]any{"topic_name": "taken"})
	l.topic(t, "taken", 1)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=prefixed"), map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "cluster.link.prefix", "value": "east."}}})
	cases := []struct {
		name, link string
		body       map[string]any
		status     int
		msg        string
	}{
		{"unknown link", "nope", map[string]any{"source_topic_name": "orders"}, 404, "Cluster link 'nope' not found"},
		{"unknown source topic", "east-to-west", map[string]any{"source_topic_name": "ghost"}, 404, "does not exist on cluster lkc-east"},
		{"no source topic", "east-to-west", map[string]any{}, 400, "source_topic_name is required"},
		{"internal source topic", "east-to-west", map[string]any{"source_topic_name": "__consumer_offsets"}, 400, "internal topic"},
		{"mirror name already a topic", "east-to-west", map[string]any{"source_topic_name": "taken"}, 400, "already exists on cluster lkc-west"},
		{"renamed without prefix", "east-to-west", map[string]any{"source_topic_name": "orders", "mirror_topic_name": "other"}, 400, "must equal the source topic name"},
		{"wrong name with prefix", "prefixed", map[string]any{"source_topic_name": "orders", "mirror_topic_name": "orders"}, 400, "must be named 'east.orders'"},
		{"synced config override", "east-to-west", map[string]any{"source_topic_name": "orders", "configs": []map[string]string{{"name": "cleanup.policy", "value": "compact"}}}, 400, "synced from the source"},
	}
	for _, c := range cases {
		r := l.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links/", c.link, "/mirrors"), c.body)
		if r.Status != c.status || !strings.Contains(r.Map(t)["message"].(string), c.msg) {
			t.Errorf("%s: %d %s, want %d and %q", c.name, r.Status, r.Body, c.status, c.msg)
		}
	}
	if ms := l.Do(http.MethodGet, apitest.ClusterPath("lkc-west", "/links/-/mirrors"), nil).Map(t)["data"].([]any); len(ms) != 0 {
		t.Errorf("failed creates left mirrors: %v", ms)
	}
	// With a prefix, the mirror gets the prefixed name.
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/prefixed/mirrors"), map[string]any{"source_topic_name": "orders"})
	r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/prefixed/mirrors/east.orders"), nil).Map(t)
	if r["source_topic_name"] != "orders" {
		t.Errorf("prefixed mirror %v", r)
	}
}

// TestDeleteLinkWithMirrors checks that a link with mirrors is only deleted
// with force=true, which fails its mirrors over.
func TestDeleteLinkWithMirrors(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 1)
	kafkatest.Produce(t, l.east, "orders", kafkatest.Plain(5, 10)...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)
	r := l.Do(http.MethodDelete, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil)
	if r.Status != 400 || !strings.Contains(r.Map(t)["message"].(string), "force=true") {
		t.Fatalf("delete of a link in use: %d %s", r.Status, r.Body)
	}
	l.mustStatus(t, 200, http.MethodDelete, apitest.ClusterPath("lkc-west", "/links/east-to-west?force=true"), nil)
	l.mustStatus(t, 404, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil)
	producer := client(t, l.Bootstrap("lkc-west"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := producer.ProduceSync(ctx, &kgo.Record{Topic: "orders", Value: []byte("writable")}).FirstErr(); err != nil {
		t.Fatalf("the failed-over topic is not writable: %v", err)
	}
}
