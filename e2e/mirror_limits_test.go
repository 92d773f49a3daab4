package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	kafkarestv3 "github.com/confluentinc/ccloud-sdk-go-v2/kafkarest/v3"
	"github.com/twmb/franz-go/pkg/kadm"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// mirrorLimits are the limits of the tests below: small enough to cross
// with topics created in a moment.
var mirrorLimits = linkemu.Limits{PartitionsPerTopic: 8, PartitionsPerRequest: 8}

// clusterState lists, for both embedded clusters, every topic with its
// partition count as the brokers hold it (not through linkemu), and every
// link with its mirrors as the REST API reports them.
func clusterState(t *testing.T, env *apitest.Env) []string {
	t.Helper()
	var out []string
	for _, c := range []string{"lkc-east", "lkc-west"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		details, err := admin(t, env.Bootstrap(c)).ListTopics(ctx)
		cancel()
		if err != nil {
			t.Fatalf("list topics of %s: %v", c, err)
		}
		for _, td := range details.Sorted() {
			out = append(out, fmt.Sprintf("%s topic %s partitions=%d", c, td.Topic, len(td.Partitions)))
		}
		var ll struct {
			Data []struct {
				LinkName string `json:"link_name"`
			} `json:"data"`
		}
		env.Do(http.MethodGet, apitest.ClusterPath(c, "/links"), nil).JSON(t, &ll)
		for _, l := range ll.Data {
			out = append(out, c+" link "+l.LinkName)
			var ml struct {
				Data []struct {
					MirrorTopicName string `json:"mirror_topic_name"`
					NumPartitions   int    `json:"num_partitions"`
				} `json:"data"`
			}
			env.Do(http.MethodGet, apitest.ClusterPath(c, "/links/", l.LinkName, "/mirrors"), nil).JSON(t, &ml)
			for _, m := range ml.Data {
				out = append(out, fmt.Sprintf("%s mirror %s partitions=%d", c, m.MirrorTopicName, m.NumPartitions))
			}
		}
	}
	return out
}

// createSourceTopics creates topics on a cluster with the Kafka protocol,
// where the REST limits do not apply (as on an external source cluster).
func createSourceTopics(t *testing.T, adm *kadm.Client, topics map[string]int32) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, n := range topics {
		resp, err := adm.CreateTopic(ctx, n, 1, nil, name)
		if err == nil {
			err = resp.Err
		}
		if err != nil {
			t.Fatalf("create source topic %.20s… (%d partitions): %v", name, n, err)
		}
	}
}

// TestMirrorCreateHeldToTopicLimits creates mirrors of source topics over
// the destination's partition limit and with generated names over Kafka's
// 249 characters, through REST and Confluent's Go SDK (the Terraform
// provider's client), and links whose prefix leaves no room for a name.
// Each must be a 400 with error_code 40002 whose message names the topic,
// the count and the limit, and nothing may change on either cluster. The
// limits themselves are allowed.
func TestMirrorCreateHeldToTopicLimits(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t, emulator.Options{Limits: mirrorLimits})
	long := strings.Repeat("x", linkemu.TopicNameMaxLen-len("east.")+1) // prefixed: 250 characters
	fits := strings.Repeat("f", linkemu.TopicNameMaxLen-len("east."))   // prefixed: 249
	createSourceTopics(t, admin(t, env.Bootstrap("lkc-east")), map[string]int32{"wide": 9, "edge": 8, long: 1, fits: 1})
	links := apitest.ClusterPath("lkc-west", "/links")
	for name, body := range map[string]any{
		"plain": map[string]any{"source_cluster_id": "lkc-east"},
		"pre":   map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "cluster.link.prefix", "value": "east."}}},
	} {
		if r := env.Do(http.MethodPost, links+"?link_name="+name, body); r.Status != 204 {
			t.Fatalf("create link %s: %d %s", name, r.Status, r.Body)
		}
	}
	before := clusterState(t, env)

	overLimit := []string{"'wide'", "9 partitions", "more than the 8", "cluster lkc-west", "--max-partitions-per-topic", "EMULATOR_MAX_PARTITIONS_PER_TOPIC"}
	tooLong := []string{"'" + long + "'", "'east.'", "250 characters", "at most 249"}
	prefix := func(p string) map[string]any {
		return map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "cluster.link.prefix", "value": p}}}
	}
	cases := []struct {
		name string
		path string
		body any
		msg  []string
	}{
		{"source over the partition limit", links + "/plain/mirrors", map[string]any{"source_topic_name": "wide"}, overLimit},
		{"source over the partition limit, named mirror", links + "/plain/mirrors", map[string]any{"source_topic_name": "wide", "mirror_topic_name": "wide"}, overLimit},
		{"source over the partition limit, prefixed link", links + "/pre/mirrors", map[string]any{"source_topic_name": "wide", "replication_factor": 3}, overLimit},
		{"prefix and source name over 249 characters", links + "/pre/mirrors", map[string]any{"source_topic_name": long}, tooLong},
		{"prefix and source name over 249 characters, named mirror", links + "/pre/mirrors", map[string]any{"source_topic_name": long, "mirror_topic_name": long}, tooLong},
		{"prefix longer than any name allows", links + "?link_name=x", prefix(strings.Repeat("p", linkemu.TopicNameMaxLen)), []string{"cluster.link.prefix", "12 characters"}},
		{"prefix over Confluent's 12 characters", links + "?link_name=x", prefix("abcdefghijklm"), []string{"cluster.link.prefix", "12 characters"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.Do(http.MethodPost, c.path, c.body)
			apitest.ValidateSpec(t, r)
			var e struct {
				ErrorCode int    `json:"error_code"`
				Message   string `json:"message"`
			}
			r.JSON(t, &e)
			if r.Status != 400 || e.ErrorCode != 40002 {
				t.Fatalf("got %d %s, want 400 with error_code 40002", r.Status, r.Body)
			}
			for _, p := range c.msg {
				if !strings.Contains(e.Message, p) {
					t.Errorf("message %q does not contain %q", e.Message, p)
				}
			}
		})
	}
	t.Run("Go SDK, as Terraform creates a mirror", func(t *testing.T) {
		sdk := env.SDK().ClusterLinkingV3Api
		_, err := sdk.CreateKafkaMirrorTopic(context.Background(), "lkc-west", "plain").
			CreateMirrorTopicRequestData(kafkarestv3.CreateMirrorTopicRequestData{SourceTopicName: "wide"}).Execute()
		var oe kafkarestv3.GenericOpenAPIError
		if !asOpenAPIError(err, &oe) {
			t.Fatalf("create mirror of wide: %v, want a 400", err)
		}
		for _, p := range overLimit {
			if !strings.Contains(string(oe.Body()), p) {
				t.Errorf("error body %s does not contain %q", oe.Body(), p)
			}
		}
	})
	if after := clusterState(t, env); !reflect.DeepEqual(before, after) {
		t.Errorf("state changed:\nbefore %q\nafter  %q", before, after)
	}

	// The limits themselves are allowed.
	for link, source := range map[string]string{"plain": "edge", "pre": fits} {
		if r := env.Do(http.MethodPost, links+"/"+link+"/mirrors", map[string]any{"source_topic_name": source}); r.Status != 204 {
			t.Fatalf("mirror %.20s… on %s: %d %s", source, link, r.Status, r.Body)
		}
	}
	after := clusterState(t, env)
	for _, want := range []string{"lkc-west topic edge partitions=8", "lkc-west topic east." + fits + " partitions=1"} {
		if !slices.Contains(after, want) {
			t.Errorf("state lacks %.60q…: %q", want, after)
		}
	}
}

// asOpenAPIError reports whether err is the SDK's error for an HTTP error
// answer, and sets *oe to it.
func asOpenAPIError(err error, oe *kafkarestv3.GenericOpenAPIError) bool {
	e, ok := err.(kafkarestv3.GenericOpenAPIError)
	if ok {
		*oe = e
	}
	return ok
}

// TestAutoCreateSkipsTopicsOverTheLimits turns auto-create on for every
// topic of a source holding a topic over the partition limit and one whose
// prefixed name is too long: the task must report both (and keep reporting
// them), mirror the rest, and create nothing for them on either cluster.
func TestAutoCreateSkipsTopicsOverTheLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", linkemu.TopicNameMaxLen-len("east.")+1)
	l := newLabWith(t, emulator.Options{Limits: mirrorLimits}, map[string]string{"cluster.link.prefix": "east."})
	createSourceTopics(t, admin(t, l.Bootstrap("lkc-east")), map[string]int32{"wide": 9, long: 1, "orders": 2})
	l.alter(t, autoCreate(nameFilters("topicFilters", "* LITERAL INCLUDE")))
	apitest.Eventually(t, apitest.Timeout, "east.orders mirrored", func() bool {
		return slices.Contains(l.mirrorNames(t), "east.orders")
	})
	codes := []string{linkemu.TaskErrPolicyViolation, linkemu.TaskErrInvalidTopic} // by source topic: wide, then xxx…
	task := l.waitTask(t, linkemu.TaskAutoCreateMirror, "IN_ERROR", codes...)
	for _, e := range task.Errors {
		want := []string{"'wide'", "9 partitions", "more than the 8", "--max-partitions-per-topic"}
		if e.ErrorCode == linkemu.TaskErrInvalidTopic {
			want = []string{"'" + long + "'", "250 characters", "at most 249"}
		}
		for _, s := range want {
			if !strings.Contains(e.ErrorMessage, s) {
				t.Errorf("%s: message %q does not contain %q", e.ErrorCode, e.ErrorMessage, s)
			}
		}
	}
	// Later passes keep reporting them, and create nothing for them.
	time.Sleep(3 * time.Second)
	l.waitTask(t, linkemu.TaskAutoCreateMirror, "IN_ERROR", codes...)
	if got := l.mirrorNames(t); !reflect.DeepEqual(got, []string{"east.orders"}) {
		t.Errorf("mirrors %v, want only east.orders", got)
	}
	for _, s := range clusterState(t, l.Env) {
		if strings.HasPrefix(s, "lkc-west topic east.") && s != "lkc-west topic east.orders partitions=2" {
			t.Errorf("unexpected topic on the destination: %.80s", s)
		}
	}
}

// TestMirrorStopsWhenSourceGrowsPastTheLimit grows a mirrored source topic
// past the destination's partition limit: the mirror must not grow, must
// say so (FAILED, ILLEGAL_STATE, a POLICY_VIOLATION_ERROR state transition
// error naming the counts, the limit and the flag, and an error log line),
// and must grow and copy again once linkemu restarts with a higher limit.
func TestMirrorStopsWhenSourceGrowsPastTheLimit(t *testing.T) {
	t.Parallel()
	watch := &logWatch{}
	opts := emulator.Options{DataDir: t.TempDir(), Limits: mirrorLimits, Logger: slog.New(watch)}
	env := apitest.Start(t, opts)
	east := admin(t, env.Bootstrap("lkc-east"))
	createSourceTopics(t, east, map[string]int32{"orders": 4})
	links := apitest.ClusterPath("lkc-west", "/links")
	must := func(env *apitest.Env, status int, method, path string, body any) *apitest.Response {
		t.Helper()
		r := env.Do(method, path, body)
		if r.Status != status {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, status, r.Body)
		}
		return r
	}
	must(env, 204, http.MethodPost, links+"?link_name=east-to-west", map[string]any{"source_cluster_id": "lkc-east"})
	must(env, 204, http.MethodPost, links+"/east-to-west/mirrors", map[string]any{"source_topic_name": "orders"})
	everyPartition := func(env *apitest.Env, partitions int32) {
		counts := map[int32]int{}
		for p := range partitions {
			counts[p] = 2
		}
		produceTo(t, env.Bootstrap("lkc-east"), "orders", counts)
	}
	everyPartition(env, 4)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := east.CreatePartitions(ctx, 8, "orders"); err != nil { // 12: over the limit of 8
		t.Fatalf("grow the source: %v", err)
	}
	type mirrorJSON struct {
		MirrorStatus     string `json:"mirror_status"`
		MirrorTopicError string `json:"mirror_topic_error"`
		NumPartitions    int    `json:"num_partitions"`
		Transitions      []struct {
			ErrorCode    string `json:"error_code"`
			ErrorMessage string `json:"error_message"`
		} `json:"mirror_state_transition_errors"`
	}
	describe := func(env *apitest.Env) mirrorJSON {
		r := must(env, 200, http.MethodGet, links+"/east-to-west/mirrors/orders?include_state_transition_errors=true", nil)
		apitest.ValidateSpec(t, r)
		var m mirrorJSON
		r.JSON(t, &m)
		return m
	}
	var m mirrorJSON
	apitest.Eventually(t, apitest.Timeout, "mirror FAILED after the source grew past the limit", func() bool {
		m = describe(env)
		return m.MirrorStatus == "FAILED"
	})
	if m.MirrorTopicError != string(linkemu.MirrorErrIllegalState) || m.NumPartitions != 4 || len(m.Transitions) != 1 || m.Transitions[0].ErrorCode != linkemu.TaskErrPolicyViolation {
		t.Fatalf("failed mirror: %+v, want ILLEGAL_STATE, 4 partitions and one POLICY_VIOLATION_ERROR", m)
	}
	for _, s := range []string{"'orders'", "grew to 12 partitions", "more than the 8", "its 4 partitions", "--max-partitions-per-topic", "EMULATOR_MAX_PARTITIONS_PER_TOPIC", "restart"} {
		if !strings.Contains(m.Transitions[0].ErrorMessage, s) {
			t.Errorf("transition error %q does not contain %q", m.Transitions[0].ErrorMessage, s)
		}
	}
	if !watch.logged("mirror stopped copying") {
		t.Error("no error log line for the stopped mirror")
	}
	if got := topicPartitions(t, env, "lkc-west", "orders"); got != 4 {
		t.Fatalf("mirror topic has %d partitions, want 4 (not grown past the limit)", got)
	}
	// A plain describe shows no transition errors, as Confluent's.
	if r := must(env, 200, http.MethodGet, links+"/east-to-west/mirrors/orders", nil); strings.Contains(string(r.Body), "mirror_state_transition_errors") {
		t.Errorf("describe without include_state_transition_errors: %s", r.Body)
	}

	// Restart with a limit that fits: the mirror grows and copies again.
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	opts.Limits.PartitionsPerTopic = 16
	env2 := apitest.Start(t, opts)
	everyPartition(env2, 12)
	apitest.Eventually(t, apitest.Timeout, "mirror ACTIVE with 12 partitions after a restart with a higher limit", func() bool {
		m = describe(env2)
		return m.MirrorStatus == "ACTIVE" && m.NumPartitions == 12 && len(m.Transitions) == 0
	})
	consumeAll(t, env2.Bootstrap("lkc-west"), "orders", 8+24) // every record copied, the new partitions' too
}

// topicPartitions returns a topic's partition count as the broker holds it.
func topicPartitions(t *testing.T, env *apitest.Env, cluster, topic string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	details, err := admin(t, env.Bootstrap(cluster)).ListTopics(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	return len(details[topic].Partitions)
}

// TestTruncateAndRestoreRefusesARemoteOverTheLimit fails a mirror over to
// west, grows west's topic past the partition limit, and asks east to
// truncate and restore its topic as a mirror of it: the action must fail
// for that topic naming the limit before east's topic is deleted, so east
// keeps its topic and its records.
func TestTruncateAndRestoreRefusesARemoteOverTheLimit(t *testing.T) {
	t.Parallel()
	b := newBidiLabWith(t, emulator.Options{Limits: mirrorLimits})
	b.topic(t, "orders", 2)
	kafkatest.Produce(t, b.east, "orders", values("e", 0, 10)...)
	b.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/dr/mirrors"), map[string]any{"source_topic_name": "orders"})
	kafkatest.WaitExact(t, b.east, b.west, "orders", "orders", apitest.Timeout)
	if res := b.act(t, "lkc-west", "failover", "", "orders"); res[0]["error_code"] != nil {
		t.Fatalf("failover: %v", res[0])
	}
	b.waitMirror(t, "lkc-west", "orders", "STOPPED")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin(t, b.Bootstrap("lkc-west")).CreatePartitions(ctx, 7, "orders"); err != nil { // 9: over the limit of 8
		t.Fatalf("grow west's topic: %v", err)
	}
	before := clusterState(t, b.Env)
	for _, query := range []string{"?validate_only=true", ""} {
		res := b.act(t, "lkc-east", "truncate-and-restore", query, "orders")
		msg, _ := res[0]["error_message"].(string)
		if res[0]["error_code"] != float64(400) {
			t.Fatalf("truncate-and-restore%s of a topic whose remote is over the limit: %v", query, res[0])
		}
		for _, s := range []string{"'orders'", "9 partitions", "more than the 8", "--max-partitions-per-topic"} {
			if !strings.Contains(msg, s) {
				t.Errorf("truncate-and-restore%s: error message %q does not contain %q", query, msg, s)
			}
		}
	}
	if after := clusterState(t, b.Env); !reflect.DeepEqual(before, after) {
		t.Errorf("state changed:\nbefore %q\nafter  %q", before, after)
	}
	if got := consumeAll(t, b.Bootstrap("lkc-east"), "orders", 10); len(got) != 10 {
		t.Errorf("east's topic holds %d records, want 10", len(got))
	}
}
