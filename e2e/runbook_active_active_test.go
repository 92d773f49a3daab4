package e2e

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// syncInterval is consumer.offset.sync.ms of the active/active links.
const syncInterval = time.Second

// groupFilters returns consumer.offset.group.filters with one LITERAL filter
// of filterType per group, for both topic types.
func groupFilters(filterType string, groups ...string) string {
	var fs []string
	for _, g := range groups {
		fs = append(fs, fmt.Sprintf(`{"name":%q,"patternType":"LITERAL","filterType":%q,"topicTypes":["LOCAL_MIRROR","REMOTE_MIRROR"]}`, g, filterType))
	}
	return `{"groupFilters":[` + strings.Join(fs, ",") + `]}`
}

// setGroupFilters replaces consumer.offset.group.filters of the link dr on
// cluster.
func (b *bidiLab) setGroupFilters(t *testing.T, cluster, filters string) {
	t.Helper()
	b.mustStatus(t, 204, http.MethodPut, apitest.ClusterPath(cluster, "/links/dr/configs:alter"),
		map[string]any{"data": []map[string]string{{"name": "consumer.offset.group.filters", "value": filters}}})
}

// TestRunbookActiveActive runs section B of docs/dr-runbook.md: producers
// and consumers on both clusters, each side of the link dr mirroring the
// other's orders under its prefix; west fails, its producers and its group
// cg-west move to east, west comes back and cg-west moves home.
func TestRunbookActiveActive(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	b := &bidiLab{&lab{Env: env, east: client(t, env.Bootstrap("lkc-east")), west: client(t, env.Bootstrap("lkc-west"))}}
	east, west := b.Bootstrap("lkc-east"), b.Bootstrap("lkc-west")
	// How a group's positions on one cluster read on the other.
	westToEast := map[string]string{"orders": "west.orders", "east.orders": "orders"}
	eastToWest := map[string]string{"orders": "east.orders", "west.orders": "orders"}
	var (
		cgEast, cgWest positions          // last committed offsets, on the cluster each group ran on
		atOutage       map[int32][]string // east's west.orders when west fails
	)

	step(t, "B1 create both sides with their prefixes and offset filters", func(t *testing.T) {
		for _, side := range []struct{ cluster, remote, prefix, group string }{
			{"lkc-east", "lkc-west", "west.", "cg-west"},
			{"lkc-west", "lkc-east", "east.", "cg-east"},
		} {
			b.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath(side.cluster, "/links?link_name=dr"), map[string]any{
				"remote_cluster_id": side.remote,
				"configs": []map[string]string{
					{"name": "link.mode", "value": "BIDIRECTIONAL"},
					{"name": "cluster.link.prefix", "value": side.prefix},
					{"name": "consumer.offset.sync.enable", "value": "true"},
					{"name": "consumer.offset.sync.ms", "value": fmt.Sprint(syncInterval.Milliseconds())},
					{"name": "consumer.offset.group.filters", "value": groupFilters("INCLUDE", side.group)},
				},
			})
		}
		b.waitLink(t, "lkc-east", "ACTIVE", "NO_ERROR")
		b.waitLink(t, "lkc-west", "ACTIVE", "NO_ERROR")
	})

	step(t, "B2 create orders on both clusters and mirror each into the other", func(t *testing.T) {
		for _, c := range []string{"lkc-east", "lkc-west"} {
			b.mustStatus(t, 201, http.MethodPost, apitest.ClusterPath(c, "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 3})
		}
		for _, c := range []string{"lkc-east", "lkc-west"} {
			b.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath(c, "/links/dr/mirrors"), map[string]any{"source_topic_name": "orders"})
		}
		b.waitMirror(t, "lkc-east", "west.orders", "ACTIVE")
		b.waitMirror(t, "lkc-west", "east.orders", "ACTIVE")
	})

	step(t, "B3 produce and consume on both clusters", func(t *testing.T) {
		kafkatest.Produce(t, b.east, "orders", orderRecords("east-", 1, 61)...)
		kafkatest.Produce(t, b.west, "orders", orderRecords("west-", 1, 61)...)
		kafkatest.WaitExact(t, b.east, b.west, "orders", "east.orders", apitest.Timeout)
		resumeExactly(t, east, "cg-east", nil, "orders", "west.orders")
		readSome(t, west, "cg-west", 70, "orders", "east.orders")
		// Records cg-west has not read yet when west fails.
		kafkatest.Produce(t, b.west, "orders", orderRecords("west-", 61, 71)...)
		kafkatest.WaitExact(t, b.west, b.east, "orders", "west.orders", apitest.Timeout)
		cgEast, cgWest = committed(t, east, "cg-east"), committed(t, west, "cg-west")
		// LOCAL_MIRROR sync on each side brings the other side's group onto
		// its mirror; REMOTE_MIRROR sync brings it back onto its own topic.
		waitCommitted(t, east, "cg-west", cgWest.renamed(westToEast))
		waitCommitted(t, west, "cg-east", cgEast.renamed(eastToWest))
	})

	step(t, "B4 outage of west", func(t *testing.T) {
		atOutage = records(t, east, "west.orders")
		// Acknowledged on west, maybe not yet on east when west fails: they
		// reach east when west comes back.
		kafkatest.Produce(t, b.west, "orders", orderRecords("west-", 71, 76)...)
		b.outage(t, "lkc-west", "stop")
		b.waitLink(t, "lkc-east", "UNAVAILABLE", "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR")
		b.waitMirror(t, "lkc-east", "west.orders", "SOURCE_UNAVAILABLE")
	})

	step(t, "B5 stop syncing cg-west into east", func(t *testing.T) {
		b.setGroupFilters(t, "lkc-east", groupFilters("EXCLUDE", "cg-west"))
	})

	step(t, "B6 move west's producers and cg-west to east", func(t *testing.T) {
		kafkatest.Produce(t, b.east, "orders", orderRecords("west-", 76, 86)...)
		resumeExactly(t, east, "cg-west", cgWest.renamed(westToEast), "orders", "west.orders")
		cgWest = committed(t, east, "cg-west").renamed(eastToWest)
		// East's own consumers go on as before.
		resumeExactly(t, east, "cg-east", cgEast, "orders", "west.orders")
		cgEast = committed(t, east, "cg-east")
	})

	step(t, "B7 west comes back", func(t *testing.T) {
		b.outage(t, "lkc-west", "start")
		b.waitLink(t, "lkc-east", "ACTIVE", "NO_ERROR")
		b.waitMirror(t, "lkc-east", "west.orders", "ACTIVE")
		b.waitMirror(t, "lkc-west", "east.orders", "ACTIVE")
		kafkatest.WaitExact(t, b.east, client(t, west), "orders", "east.orders", apitest.Timeout)
		kafkatest.WaitExact(t, client(t, west), b.east, "orders", "west.orders", apitest.Timeout)
		assertKept(t, "east's west.orders", atOutage, records(t, east, "west.orders"))
		// Offset sync runs a few passes with west reachable again: cg-west's
		// stale offsets on west must not overwrite its progress on east.
		time.Sleep(3 * syncInterval)
		if got, want := committed(t, east, "cg-west"), cgWest.renamed(westToEast); !maps.Equal(got, want) {
			t.Errorf("cg-west's offsets on east moved from %v to %v after west came back", want, got)
		}
	})

	step(t, "B8 move cg-west back to west", func(t *testing.T) {
		b.setGroupFilters(t, "lkc-west", groupFilters("INCLUDE", "cg-east", "cg-west"))
		waitCommitted(t, west, "cg-west", cgWest)
		b.setGroupFilters(t, "lkc-west", groupFilters("INCLUDE", "cg-east"))
		b.setGroupFilters(t, "lkc-east", groupFilters("INCLUDE", "cg-west"))
		kafkatest.Produce(t, client(t, west), "orders", orderRecords("west-", 86, 96)...)
		resumeExactly(t, west, "cg-west", cgWest, "orders", "east.orders")
		cgWest = committed(t, west, "cg-west")
	})

	step(t, "B9 verify both sides", func(t *testing.T) {
		westCl := client(t, west)
		kafkatest.WaitExact(t, b.east, westCl, "orders", "east.orders", apitest.Timeout)
		kafkatest.WaitExact(t, westCl, b.east, "orders", "west.orders", apitest.Timeout)
		waitCommitted(t, east, "cg-west", cgWest.renamed(westToEast))
		waitCommitted(t, west, "cg-east", cgEast.renamed(eastToWest))
	})

	step(t, "B10 why reverse and truncate-and-restore need unprefixed names", func(t *testing.T) {
		res := b.act(t, "lkc-east", "reverse-and-start-mirror", "?validate_only=true", "west.orders")
		if res[0]["error_code"] != float64(400) || !strings.Contains(fmt.Sprint(res[0]["error_message"]), "would be named 'east.west.orders'") {
			t.Errorf("reverse of a prefixed mirror: %v", res[0])
		}
		res = b.act(t, "lkc-east", "truncate-and-restore", "?validate_only=true", "orders")
		if res[0]["error_code"] != float64(400) {
			t.Errorf("truncate-and-restore of a topic whose mirror still runs: %v", res[0])
		}
	})
}
