package e2e

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// TestOutOfRangeIntegersChangeNothing sends every integer a route takes
// out of range, overflowing Go's int or Kafka's int16/int32, or over the
// partition limits, over real HTTP to real embedded brokers. Each must be a
// 400 with error_code 40002 whose message names the field and the range it
// accepts, and the topics, links, link configs and mirrors of both clusters
// must be exactly as before.
func TestOutOfRangeIntegersChangeNothing(t *testing.T) {
	limits := linkemu.Limits{PartitionsPerTopic: 64, PartitionsPerRequest: 16, MaxRequestBytes: 64 << 10}
	env := apitest.Start(t, emulator.Options{Limits: limits})
	topics := func(c string) string { return apitest.ClusterPath(c, "/topics") }
	links := apitest.ClusterPath("lkc-west", "/links")
	mustDo := func(method, path string, body any, want int) {
		t.Helper()
		if r := env.Do(method, path, body); r.Status != want {
			t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
	}
	mustDo("POST", topics("lkc-east"), map[string]any{"topic_name": "orders", "partitions_count": 2}, 201)
	mustDo("POST", links+"?link_name=east", map[string]any{"source_cluster_id": "lkc-east"}, 204)
	mustDo("POST", links+"/east/mirrors", map[string]any{"source_topic_name": "orders"}, 204)

	snapshot := func() []string {
		var out []string
		for _, c := range []string{"lkc-east", "lkc-west"} {
			var tl struct {
				Data []struct {
					TopicName         string `json:"topic_name"`
					PartitionsCount   int    `json:"partitions_count"`
					ReplicationFactor int    `json:"replication_factor"`
				} `json:"data"`
			}
			env.Do("GET", topics(c), nil).JSON(t, &tl)
			for _, tp := range tl.Data {
				out = append(out, c+" topic "+tp.TopicName+" "+strings.Repeat("p", tp.PartitionsCount)+" rf"+strings.Repeat("r", tp.ReplicationFactor))
				cfgs := env.Do("GET", topics(c)+"/"+tp.TopicName+"/configs", nil)
				out = append(out, string(cfgs.Body))
			}
			var ll struct {
				Data []struct {
					LinkName string `json:"link_name"`
				} `json:"data"`
			}
			env.Do("GET", apitest.ClusterPath(c, "/links"), nil).JSON(t, &ll)
			for _, l := range ll.Data {
				out = append(out, c+" link "+l.LinkName, string(env.Do("GET", apitest.ClusterPath(c, "/links/", l.LinkName, "/configs"), nil).Body))
				var ml struct {
					Data []struct {
						MirrorTopicName string `json:"mirror_topic_name"`
						NumPartitions   int    `json:"num_partitions"`
					} `json:"data"`
				}
				env.Do("GET", apitest.ClusterPath(c, "/links/", l.LinkName, "/mirrors"), nil).JSON(t, &ml)
				for _, m := range ml.Data {
					out = append(out, c+" mirror "+m.MirrorTopicName+" "+strings.Repeat("p", m.NumPartitions))
				}
			}
		}
		return out
	}
	before := snapshot()

	long := strings.Repeat("t", 250)
	linkCfg := func(name, value string) map[string]any {
		return map[string]any{"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": name, "value": value}}}
	}
	const grp = "/consumer-groups/g1/lags/orders/partitions/"
	cases := []struct {
		name         string
		method, path string
		body         any
		status, code int
		msg          []string // parts the message must contain
	}{
		// POST /topics
		{"partitions 2^32+1 (was truncated to 1)", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":4294967297}`, 400, 40002, []string{"partitions_count", "from 1 to 16", "-1"}},
		{"partitions 3,000,000 (ran out of memory)", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":3000000}`, 400, 40002, []string{"partitions_count", "from 1 to 16"}},
		{"partitions over the per-request limit", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":17}`, 400, 40002, []string{"partitions_count", "from 1 to 16"}},
		{"partitions zero", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":0}`, 400, 40002, []string{"partitions_count"}},
		{"partitions -2", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":-2}`, 400, 40002, []string{"partitions_count"}},
		{"partitions over int64", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":9223372036854775808}`, 400, 40002, []string{"partitions_count", "9223372036854775808", "from 1 to 16"}},
		{"partitions 1e30", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":1e30}`, 400, 40002, []string{"partitions_count", "from 1 to 16"}},
		{"partitions 1.5", "POST", topics("lkc-east"), `{"topic_name":"a","partitions_count":1.5}`, 400, 40002, []string{"partitions_count"}},
		{"replication factor 65536 (was truncated to 0)", "POST", topics("lkc-east"), `{"topic_name":"a","replication_factor":65536}`, 400, 40002, []string{"replication_factor", "from 1 to 32767"}},
		{"replication factor 32768", "POST", topics("lkc-east"), `{"topic_name":"a","replication_factor":32768}`, 400, 40002, []string{"replication_factor", "from 1 to 32767"}},
		{"replication factor zero", "POST", topics("lkc-east"), `{"topic_name":"a","replication_factor":0}`, 400, 40002, []string{"replication_factor"}},
		{"replication factor over int64", "POST", topics("lkc-east"), `{"topic_name":"a","replication_factor":-99999999999999999999}`, 400, 40002, []string{"replication_factor", "from 1 to 32767"}},
		{"topic name over 249 characters", "POST", topics("lkc-east"), map[string]any{"topic_name": long}, 400, 40002, []string{"topic_name", "249"}},
		{"topic config int over int32", "POST", topics("lkc-east"), map[string]any{"topic_name": "a", "configs": []map[string]string{{"name": "min.insync.replicas", "value": "2147483648"}}}, 400, 40002, []string{"min.insync.replicas"}},
		{"topic config long over int64", "POST", topics("lkc-east"), map[string]any{"topic_name": "a", "configs": []map[string]string{{"name": "retention.ms", "value": "9223372036854775808"}}}, 400, 40002, []string{"retention.ms"}},
		// PATCH /topics/{t}
		{"PATCH partitions 2^32+2 (grew the topic to 2)", "PATCH", topics("lkc-east") + "/orders", `{"partitions_count":4294967298}`, 400, 40002, []string{"partitions_count", "from 1 to 64"}},
		{"PATCH partitions over the per-topic limit", "PATCH", topics("lkc-east") + "/orders", `{"partitions_count":65}`, 400, 40002, []string{"partitions_count", "from 1 to 64"}},
		{"PATCH growth over the per-request limit", "PATCH", topics("lkc-east") + "/orders", `{"partitions_count":19}`, 400, 40002, []string{"partitions_count", "at most 16"}},
		{"PATCH partitions 1e30", "PATCH", topics("lkc-east") + "/orders", `{"partitions_count":1e30}`, 400, 40002, []string{"partitions_count", "from 1 to 64"}},
		{"PATCH topic config int over int32", "PUT", topics("lkc-east") + "/orders/configs/min.insync.replicas", `{"value":"99999999999"}`, 400, 40002, []string{"min.insync.replicas"}},
		{"topic configs:alter long over int64", "POST", topics("lkc-east") + "/orders/configs:alter", `{"data":[{"name":"retention.ms","value":"99999999999999999999"}]}`, 400, 40002, []string{"retention.ms"}},
		// POST /links/{l}/mirrors
		{"mirror replication factor 65536", "POST", links + "/east/mirrors", `{"source_topic_name":"orders","mirror_topic_name":"m2","replication_factor":65536}`, 400, 40002, []string{"replication_factor", "from 1 to 32767"}},
		{"mirror replication factor -1", "POST", links + "/east/mirrors", `{"source_topic_name":"orders","mirror_topic_name":"m2","replication_factor":-1}`, 400, 40002, []string{"replication_factor"}},
		{"mirror replication factor 1e30", "POST", links + "/east/mirrors", `{"source_topic_name":"orders","mirror_topic_name":"m2","replication_factor":1e30}`, 400, 40002, []string{"replication_factor", "from 1 to 32767"}},
		{"mirror name over 249 characters", "POST", links + "/east/mirrors", map[string]any{"source_topic_name": "orders", "mirror_topic_name": long}, 400, 40002, []string{"mirror_topic_name", "249"}},
		{"mirror source over 249 characters", "POST", links + "/east/mirrors", map[string]any{"source_topic_name": long}, 400, 40002, []string{"source_topic_name", "249"}},
		// links and link configs
		{"link int config over int32", "POST", links + "?link_name=x", linkCfg("consumer.offset.sync.ms", "2147483648"), 400, 40002, []string{"consumer.offset.sync.ms", "from 1000 to 2147483647"}},
		{"link long config over int64", "POST", links + "?link_name=x", linkCfg("metadata.max.age.ms", "9223372036854775808"), 400, 40002, []string{"metadata.max.age.ms", "from 0 to 9223372036854775807"}},
		{"link int config negative", "POST", links + "?link_name=x", linkCfg("cluster.link.retry.timeout.ms", "-5"), 400, 40002, []string{"cluster.link.retry.timeout.ms", "at least 0"}},
		{"link name over 249 characters", "POST", links + "?link_name=" + long, map[string]any{"source_cluster_id": "lkc-east"}, 400, 40002, []string{"link name"}},
		{"link config put over int32", "PUT", links + "/east/configs/acl.sync.ms", `{"value":"4294967296"}`, 400, 40002, []string{"acl.sync.ms", "from 1000 to 2147483647"}},
		{"link configs:alter over int32", "PUT", links + "/east/configs:alter", `{"data":[{"name":"topic.config.sync.ms","value":"99999999999"}]}`, 400, 40002, []string{"topic.config.sync.ms", "from 1000 to 2147483647"}},
		// integer path parameters
		{"partition id over int32", "GET", topics("lkc-east") + "/orders/partitions/4294967296", nil, 400, 40002, []string{"partition_id", "from 0 to 2147483647"}},
		{"partition id negative", "GET", topics("lkc-east") + "/orders/partitions/-1", nil, 400, 40002, []string{"partition_id"}},
		{"partition id over int64", "GET", topics("lkc-east") + "/orders/partitions/99999999999999999999", nil, 400, 40002, []string{"partition_id", "from 0 to 2147483647"}},
		{"consumer lag partition over int32", "GET", apitest.ClusterPath("lkc-east", grp+"2147483648"), nil, 400, 40002, []string{"partition_id", "from 0 to 2147483647"}},
		{"broker id over int32", "GET", apitest.ClusterPath("lkc-east", "/brokers/99999999999"), nil, 400, 40002, []string{"broker_id", "from 0 to 2147483647"}},
		// bodies
		{"body over the cap", "POST", topics("lkc-east"), `{"topic_name":"a","x":"` + strings.Repeat("x", 64<<10) + `"}`, 413, 413, []string{"larger than 65536 bytes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.Do(c.method, c.path, c.body)
			var e struct {
				ErrorCode int    `json:"error_code"`
				Message   string `json:"message"`
			}
			r.JSON(t, &e)
			if r.Status != c.status || e.ErrorCode != c.code {
				t.Fatalf("got %d %s, want %d with error_code %d", r.Status, r.Body, c.status, c.code)
			}
			for _, p := range c.msg {
				if !strings.Contains(e.Message, p) {
					t.Errorf("message %q does not contain %q", e.Message, p)
				}
			}
		})
	}
	t.Run("networking page_size over int64", func(t *testing.T) {
		r := env.Do("GET", "/networking/v1/network-link-services?environment=env-default&page_size=99999999999999999999", nil)
		wantCloudError(t, r, http.StatusBadRequest, "bad_request", "Bad Request", "page_size", "from 1 to 1000")
	})
	if after := snapshot(); !reflect.DeepEqual(before, after) {
		t.Errorf("state changed:\nbefore %q\nafter  %q", before, after)
	}

	// The limits themselves are allowed: a topic of exactly the per-request
	// limit, grown by exactly the per-request limit.
	mustDo("POST", topics("lkc-east"), map[string]any{"topic_name": "edge", "partitions_count": 16, "replication_factor": 1}, 201)
	mustDo("PATCH", topics("lkc-east")+"/edge", map[string]any{"partitions_count": 32}, 200)
}
