package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Read-your-writes: every object the API creates, changes or deletes is
// visible to the very next request, with no sleep in between, including
// names that were looked up (and so cached by a client) just before. The
// brokers' clients cache metadata for 5s: these tests fail if any read or
// existence check uses that cache.

func TestReadYourWritesTopics(t *testing.T) {
	l := newLab(t)
	east := apitest.ClusterPath("lkc-east", "/topics")
	for round := range 3 {
		// A lookup first, so that a cached "does not exist" would show.
		l.mustStatus(t, 404, http.MethodGet, east+"/ryw", nil)
		l.mustStatus(t, 201, http.MethodPost, east, map[string]any{"topic_name": "ryw", "partitions_count": 2})
		r := l.mustStatus(t, 200, http.MethodGet, east+"/ryw", nil)
		if n := r.Map(t)["partitions_count"]; n != float64(2) {
			t.Fatalf("round %d: partitions_count %v right after create, want 2", round, n)
		}
		if !strings.Contains(string(l.mustStatus(t, 200, http.MethodGet, east, nil).Body), `"topic_name":"ryw"`) {
			t.Fatalf("round %d: topic missing from the list right after create", round)
		}
		l.mustStatus(t, 200, http.MethodPatch, east+"/ryw", map[string]any{"partitions_count": 5})
		var parts struct{ Data []any }
		l.mustStatus(t, 200, http.MethodGet, east+"/ryw/partitions", nil).JSON(t, &parts)
		if len(parts.Data) != 5 {
			t.Fatalf("round %d: %d partitions listed right after growing to 5", round, len(parts.Data))
		}
		l.mustStatus(t, 200, http.MethodGet, east+"/ryw/partitions/4", nil)

		v := fmt.Sprint(3600000 + round)
		l.mustStatus(t, 204, http.MethodPut, east+"/ryw/configs/retention.ms", map[string]any{"value": v})
		if got := l.mustStatus(t, 200, http.MethodGet, east+"/ryw/configs/retention.ms", nil).Map(t)["value"]; got != v {
			t.Fatalf("round %d: retention.ms %v right after setting it to %s", round, got, v)
		}
		l.mustStatus(t, 204, http.MethodDelete, east+"/ryw", nil)
		l.mustStatus(t, 404, http.MethodGet, east+"/ryw", nil)
		if strings.Contains(string(l.mustStatus(t, 200, http.MethodGet, east, nil).Body), `"topic_name":"ryw"`) {
			t.Fatalf("round %d: topic still listed right after delete", round)
		}
	}
}

func TestReadYourWritesACLs(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	acls := apitest.ClusterPath("lkc-east", "/acls")
	query := "?resource_type=TOPIC&resource_name=ryw&pattern_type=LITERAL&principal=User%3Aryw&host=*&operation=READ&permission=ALLOW"
	count := func() int {
		r := env.Do(http.MethodGet, acls+query, nil)
		var list struct{ Data []any }
		r.JSON(t, &list)
		return len(list.Data)
	}
	for round := range 3 {
		r := env.Do(http.MethodPost, acls, map[string]string{"resource_type": "TOPIC", "resource_name": "ryw", "pattern_type": "LITERAL",
			"principal": "User:ryw", "host": "*", "operation": "READ", "permission": "ALLOW"})
		if r.Status != 201 {
			t.Fatalf("create ACL: %d %s", r.Status, r.Body)
		}
		if n := count(); n != 1 {
			t.Fatalf("round %d: %d ACLs listed right after create, want 1", round, n)
		}
		if r := env.Do(http.MethodDelete, acls+query, nil); r.Status != 200 {
			t.Fatalf("delete ACL: %d %s", r.Status, r.Body)
		}
		if n := count(); n != 0 {
			t.Fatalf("round %d: %d ACLs listed right after delete, want 0", round, n)
		}
	}
}

// TestReadYourWritesGroups commits offsets on a topic created a moment ago
// and reads the group's lags at once; each round recreates the topic with
// one more partition and commits on the new one.
func TestReadYourWritesGroups(t *testing.T) {
	l := newLab(t)
	for round := range 3 {
		parts := int32(3 + round)
		l.topic(t, "ryw", int(parts))
		// The test's own clients are new each round: their caches are not
		// under test.
		producer := client(t, l.Bootstrap("lkc-east"), kafkatest.Partitioned())
		adm := kadm.NewClient(producer)
		kafkatest.Produce(t, producer, "ryw", kafkatest.ToPartition(kafkatest.Plain(10, 10), parts-1)...)
		group := fmt.Sprintf("ryw-%d", round)
		if resp, err := adm.CommitOffsets(context.Background(), group, kadm.OffsetsFromRecords(kgo.Record{Topic: "ryw", Partition: parts - 1, Offset: 4})); err != nil || resp.Error() != nil {
			t.Fatal(err, resp.Error())
		}
		r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-east", "/consumer-groups/", group, "/lags/ryw/partitions/", fmt.Sprint(parts-1)), nil)
		if m := r.Map(t); m["current_offset"] != float64(5) || m["log_end_offset"] != float64(10) {
			t.Fatalf("round %d: lag right after commit: %v", round, m)
		}
		l.mustStatus(t, 204, http.MethodDelete, apitest.ClusterPath("lkc-east", "/topics/ryw"), nil)
	}
}

func TestReadYourWritesLinks(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	links := apitest.ClusterPath("lkc-west", "/links")
	for round := range 3 {
		if r := env.Do(http.MethodGet, links+"/ryw", nil); r.Status != 404 {
			t.Fatalf("round %d: GET link before create: %d %s", round, r.Status, r.Body)
		}
		if r := env.Do(http.MethodPost, links+"?link_name=ryw", map[string]any{"source_cluster_id": "lkc-east"}); r.Status != 204 {
			t.Fatalf("round %d: create link: %d %s", round, r.Status, r.Body)
		}
		r := env.Do(http.MethodGet, links+"/ryw", nil)
		if r.Status != 200 || r.Map(t)["link_state"] != "ACTIVE" {
			t.Fatalf("round %d: GET link right after create: %d %s", round, r.Status, r.Body)
		}
		if !strings.Contains(string(env.Do(http.MethodGet, links, nil).Body), `"link_name":"ryw"`) {
			t.Fatalf("round %d: link missing from the list right after create", round)
		}
		v := fmt.Sprint(2000 + round)
		if r := env.Do(http.MethodPut, links+"/ryw/configs/consumer.offset.sync.ms", map[string]any{"value": v}); r.Status != 204 {
			t.Fatalf("round %d: set link config: %d %s", round, r.Status, r.Body)
		}
		if got := env.Do(http.MethodGet, links+"/ryw/configs/consumer.offset.sync.ms", nil).Map(t)["value"]; got != v {
			t.Fatalf("round %d: link config %v right after setting %s", round, got, v)
		}
		if r := env.Do(http.MethodDelete, links+"/ryw", nil); r.Status != 200 {
			t.Fatalf("round %d: delete link: %d %s", round, r.Status, r.Body)
		}
		if r := env.Do(http.MethodGet, links+"/ryw", nil); r.Status != 404 {
			t.Fatalf("round %d: GET link right after delete: %d %s", round, r.Status, r.Body)
		}
	}
}

// TestReadYourWritesMirrors creates a source topic and mirrors it at once,
// deletes the mirror and creates it again at once, and fails it over and
// reads its status at once.
func TestReadYourWritesMirrors(t *testing.T) {
	l := newLab(t)
	mirrors := apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors")
	for round := range 3 {
		src := fmt.Sprintf("ryw-%d", round)
		l.topic(t, src, 3)
		l.createMirror(t, src)
		if m := l.mirror(t, src); m["mirror_status"] != "ACTIVE" || m["num_partitions"] != float64(3) {
			t.Fatalf("round %d: mirror right after create: %v", round, m)
		}
		l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/topics/", src), nil)
		for range 2 { // delete the mirror, then create it again
			l.mustStatus(t, 204, http.MethodDelete, apitest.ClusterPath("lkc-west", "/topics/", src), nil)
			l.mustStatus(t, 404, http.MethodGet, mirrors+"/"+src, nil)
			l.mustStatus(t, 404, http.MethodGet, apitest.ClusterPath("lkc-west", "/topics/", src), nil)
			l.createMirror(t, src)
			l.mirror(t, src)
		}
		res := l.action(t, "failover", src)
		if len(res) != 1 || res[0]["error_code"] != nil {
			t.Fatalf("round %d: failover: %v", round, res)
		}
		if s := l.mirror(t, src)["mirror_status"]; s != "STOPPED" {
			t.Fatalf("round %d: mirror status %v right after failover", round, s)
		}
		// A stopped mirror's topic is writable at once.
		kafkatest.Produce(t, l.west, src, kafkatest.Plain(1, 1)...)
	}
}
