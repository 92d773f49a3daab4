package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kgo"
)

// demoRun is a demo traffic run as the admin API reports it.
type demoRun struct {
	Kind          string `json:"kind"`
	ID            string `json:"id"`
	State         string `json:"state"`
	Reason        string `json:"reason"`
	Produced      int64  `json:"produced"`
	Consumed      int64  `json:"consumed"`
	ConsumerGroup string `json:"consumer_group"`
	TopicCreated  bool   `json:"topic_created"`
}

func getRun(t *testing.T, env *apitest.Env, id string) demoRun {
	t.Helper()
	var r demoRun
	resp := env.Do(http.MethodGet, "/emulator/v1/demo/traffic/"+id, nil)
	if resp.Status != 200 {
		t.Fatalf("GET run %s: %d %s", id, resp.Status, resp.Body)
	}
	resp.JSON(t, &r)
	return r
}

// TestDemoTraffic starts bounded demo traffic through the admin API, sees
// it finish with marked records and a consumer group, stops another run,
// and checks the bounds are enforced with the API's errors.
func TestDemoTraffic(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	resp := env.Do(http.MethodPost, "/emulator/v1/demo/traffic", map[string]any{"cluster_id": "lkc-east", "topic": "demo", "records_per_second": 200, "max_records": 150})
	if resp.Status != 201 {
		t.Fatalf("start: %d %s", resp.Status, resp.Body)
	}
	var run demoRun
	resp.JSON(t, &run)
	if run.Kind != "DemoTraffic" || run.State != "RUNNING" || !run.TopicCreated || run.ConsumerGroup != "linkemu-demo-demo" {
		t.Fatalf("started run: %+v", run)
	}
	apitest.Eventually(t, apitest.Timeout, "run FINISHED", func() bool { return getRun(t, env, run.ID).State == "FINISHED" })
	run = getRun(t, env, run.ID)
	if run.Produced != 150 || run.Consumed == 0 || run.Reason != "produced 150 records" {
		t.Errorf("finished run: %+v", run)
	}

	cl := client(t, env.Bootstrap("lkc-east"), kgo.ConsumeTopics("demo"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	seen := 0
	for seen < 150 && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			seen++
			if !strings.HasPrefix(string(r.Key), "linkemu-demo-"+run.ID+"-") || len(r.Headers) != 2 || r.Headers[0].Key != "linkemu-demo" || string(r.Headers[0].Value) != "true" || !strings.Contains(string(r.Value), `"linkemu_demo":true`) {
				t.Fatalf("record is not marked as demo data: key %q headers %v value %s", r.Key, r.Headers, r.Value)
			}
		})
	}
	if seen != 150 {
		t.Errorf("read %d demo records, want 150", seen)
	}

	long := env.Do(http.MethodPost, "/emulator/v1/demo/traffic", map[string]any{"cluster_id": "lkc-east", "topic": "demo", "records_per_second": 5})
	var lr demoRun
	long.JSON(t, &lr)
	if dup := env.Do(http.MethodPost, "/emulator/v1/demo/traffic", map[string]any{"cluster_id": "lkc-east", "topic": "demo"}); dup.Status != 400 || !strings.Contains(string(dup.Body), "already produces to topic 'demo'") {
		t.Errorf("a second run on the same topic: %d %s", dup.Status, dup.Body)
	}
	stop := env.Do(http.MethodPost, "/emulator/v1/demo/traffic/"+lr.ID+":stop", nil)
	var sr demoRun
	stop.JSON(t, &sr)
	if stop.Status != 200 || sr.State != "STOPPED" {
		t.Errorf("stop: %d %s", stop.Status, stop.Body)
	}
	list := env.Do(http.MethodGet, "/emulator/v1/demo/traffic", nil).Map(t)
	if data, _ := list["data"].([]any); list["kind"] != "DemoTrafficList" || len(data) != 2 || data[0].(map[string]any)["id"] != lr.ID {
		t.Errorf("list: %v", list)
	}

	for _, tc := range []struct {
		body   map[string]any
		status int
		msg    string
	}{
		{map[string]any{"cluster_id": "lkc-east", "topic": "x", "records_per_second": 100000}, 400, "records_per_second must be between 1 and 5000"},
		{map[string]any{"cluster_id": "lkc-east", "topic": "x", "duration_seconds": 7200}, 400, "duration_seconds must be between 1 and 3600"},
		{map[string]any{"cluster_id": "lkc-nope", "topic": "x"}, 404, "Cluster lkc-nope cannot be found."},
		{map[string]any{"cluster_id": "lkc-east"}, 400, "topic is required"},
	} {
		r := env.Do(http.MethodPost, "/emulator/v1/demo/traffic", tc.body)
		if r.Status != tc.status || !strings.Contains(string(r.Body), tc.msg) {
			t.Errorf("start %v: %d %s, want %d %q", tc.body, r.Status, r.Body, tc.status, tc.msg)
		}
	}
	if r := env.Do(http.MethodPost, "/emulator/v1/demo/traffic/demo-99:stop", nil); r.Status != 404 {
		t.Errorf("stop of a missing run: %d %s", r.Status, r.Body)
	}
}

// TestDemoTrafficOnMirrorFails checks a run aimed at a read-only mirror
// topic fails at once with the broker's error.
func TestDemoTrafficOnMirrorFails(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 1)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})
	var run demoRun
	l.mustStatus(t, 201, http.MethodPost, "/emulator/v1/demo/traffic", map[string]any{"cluster_id": "lkc-west", "topic": "orders", "no_consumer": true}).JSON(t, &run)
	apitest.Eventually(t, apitest.Timeout, "run FAILED", func() bool { return getRun(t, l.Env, run.ID).State == "FAILED" })
	run = getRun(t, l.Env, run.ID)
	if run.Produced != 0 || !strings.Contains(run.Reason, "writing to topic 'orders' on cluster lkc-west failed: INVALID_REQUEST") || run.ConsumerGroup != "" {
		t.Errorf("run on a mirror topic: %+v", run)
	}
}
