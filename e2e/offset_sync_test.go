package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestOffsetSyncCopiesCommittedOffsets commits offsets on the source with a
// real group consumer and checks that the destination group gets the same
// offsets on the mirror topic, and follows when the group commits again.
func TestOffsetSyncCopiesCommittedOffsets(t *testing.T) {
	l := newLab(t, offsetSync(allGroups))
	l.topic(t, "orders", 3)
	l.topic(t, "unmirrored", 1)
	produceTo(t, l.Bootstrap("lkc-east"), "orders", map[int32]int{0: 10, 1: 10, 2: 10})
	produceTo(t, l.Bootstrap("lkc-east"), "unmirrored", map[int32]int{0: 5})
	l.createMirror(t, "orders")
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

	commitAs(t, l.Bootstrap("lkc-east"), "billing", offsets{tp("orders", 0): 4, tp("orders", 1): 10, tp("orders", 2): 0, tp("unmirrored", 0): 3})
	// Only the mirror topic's offsets sync: the other topic is not mirrored.
	waitGroupOffsets(t, l.Env, "lkc-west", "billing", offsets{tp("orders", 0): 4, tp("orders", 1): 10, tp("orders", 2): 0})

	commitAs(t, l.Bootstrap("lkc-east"), "billing", offsets{tp("orders", 0): 9, tp("orders", 2): 6})
	waitGroupOffsets(t, l.Env, "lkc-west", "billing", offsets{tp("orders", 0): 9, tp("orders", 1): 10, tp("orders", 2): 6})
	if tk := l.tasks(t)["ConsumerOffsetSync"]; tk.State != "ACTIVE" || len(tk.Errors) != 0 {
		t.Errorf("ConsumerOffsetSync task %s, want ACTIVE", tk)
	}
}

// TestOffsetSyncLeavesGroupsInUseAlone keeps a consumer in a group on the
// destination: the link must not overwrite that group's offsets, must say
// so in the task, and must keep syncing the other groups; once the consumer
// leaves, the group syncs again.
func TestOffsetSyncLeavesGroupsInUseAlone(t *testing.T) {
	l := newLab(t, offsetSync(allGroups))
	l.topic(t, "orders", 1)
	produceTo(t, l.Bootstrap("lkc-east"), "orders", map[int32]int{0: 20})
	l.createMirror(t, "orders")
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

	live, _ := join(t, l.Bootstrap("lkc-west"), "live", "orders")
	live.commit(t, offsets{tp("orders", 0): 2})
	commitAs(t, l.Bootstrap("lkc-east"), "live", offsets{tp("orders", 0): 15})
	commitAs(t, l.Bootstrap("lkc-east"), "billing", offsets{tp("orders", 0): 7})

	waitGroupOffsets(t, l.Env, "lkc-west", "billing", offsets{tp("orders", 0): 7})
	tk := l.waitTask(t, "ConsumerOffsetSync", "IN_ERROR", "CONSUMER_GROUP_IN_USE_ERROR")
	if msg := tk.Errors[0].ErrorMessage; !strings.Contains(msg, "'live'") {
		t.Errorf("in-use error does not name the group: %q", msg)
	}
	if got := groupOffsets(t, l.Env, "lkc-west", "live"); got[tp("orders", 0)] != 2 {
		t.Errorf("offsets of the group in use on the destination: %v, want the consumer's own 2", got)
	}

	live.leave()
	waitGroupOffsets(t, l.Env, "lkc-west", "live", offsets{tp("orders", 0): 15})
	l.waitTask(t, "ConsumerOffsetSync", "ACTIVE")
}

// TestOffsetSyncGroupSelection checks which groups sync, under which name
// and on which topic, for filters and prefixes.
func TestOffsetSyncGroupSelection(t *testing.T) {
	tests := []struct {
		name    string
		configs map[string]string
		mirror  string            // the mirror topic of "orders"
		synced  map[string]string // source group -> destination group
		skipped []string          // source groups that must not sync
		absent  []string          // groups that must not exist on the destination
	}{
		{
			name:    "exclude wins over include",
			configs: offsetSync(nameFilters("groupFilters", "* LITERAL INCLUDE", "test- PREFIXED EXCLUDE")),
			mirror:  "orders",
			synced:  map[string]string{"app": "app"},
			skipped: []string{"test-app"},
			absent:  []string{"test-app"},
		},
		{
			name:    "prefixed include with a literal exclude",
			configs: offsetSync(nameFilters("groupFilters", "team. PREFIXED INCLUDE", "team.secret LITERAL EXCLUDE")),
			mirror:  "orders",
			synced:  map[string]string{"team.a": "team.a"},
			skipped: []string{"team.secret", "other"},
			absent:  []string{"team.secret", "other"},
		},
		{
			name:    "cluster.link.prefix alone renames the topic, not the group",
			configs: merge(offsetSync(allGroups), map[string]string{"cluster.link.prefix": "east."}),
			mirror:  "east.orders",
			synced:  map[string]string{"app": "app"},
		},
		{
			name:    "consumer.group.prefix.enable prefixes the group too",
			configs: merge(offsetSync(allGroups), map[string]string{"cluster.link.prefix": "east.", "consumer.group.prefix.enable": "true"}),
			mirror:  "east.orders",
			synced:  map[string]string{"app": "east.app"},
			absent:  []string{"app"}, // no unprefixed copy
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t, tt.configs)
			l.topic(t, "orders", 2)
			produceTo(t, l.Bootstrap("lkc-east"), "orders", map[int32]int{0: 10, 1: 10})
			l.createMirror(t, "orders")
			kafkatest.WaitExact(t, l.east, l.west, "orders", tt.mirror, apitest.Timeout)

			committed := offsets{tp("orders", 0): 3, tp("orders", 1): 8}
			// The skipped groups commit first: a pass that syncs the
			// others has seen them too.
			for _, g := range tt.skipped {
				commitAs(t, l.Bootstrap("lkc-east"), g, committed)
			}
			for g := range tt.synced {
				commitAs(t, l.Bootstrap("lkc-east"), g, committed)
			}
			prefix := strings.TrimSuffix(tt.mirror, "orders")
			for _, dest := range tt.synced {
				waitGroupOffsets(t, l.Env, "lkc-west", dest, committed.renamed(prefix))
			}
			for _, g := range tt.absent {
				if got := groupOffsets(t, l.Env, "lkc-west", g); got != nil {
					t.Errorf("group %s exists on the destination with offsets %v", g, got)
				}
			}
			if tk := l.tasks(t)["ConsumerOffsetSync"]; tk.State != "ACTIVE" {
				t.Errorf("ConsumerOffsetSync task %s, want ACTIVE", tk)
			}
		})
	}
}

// TestConsumersResumeAfterStop commits offsets on the source, stops the
// mirror at once (before any periodic sync), and checks that a new consumer
// of the group on the destination reads exactly the next unread record;
// afterwards offset sync leaves the stopped topic alone.
func TestConsumersResumeAfterStop(t *testing.T) {
	for _, action := range []string{"promote", "failover"} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			// A long interval: only the final sync of the action can copy
			// the offsets in time.
			l := newLab(t, merge(offsetSync(allGroups), map[string]string{"consumer.offset.sync.ms": "600000"}))
			east, west := l.Bootstrap("lkc-east"), l.Bootstrap("lkc-west")
			l.topic(t, "orders", 2)
			l.topic(t, "marker", 1)
			produceTo(t, east, "orders", map[int32]int{0: 10, 1: 10})
			produceTo(t, east, "marker", map[int32]int{0: 10})
			l.createMirror(t, "orders")
			l.createMirror(t, "marker")
			kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

			commitAs(t, east, "billing", offsets{tp("orders", 0): 3, tp("orders", 1): 7, tp("marker", 0): 1})
			if res := l.action(t, action, "orders"); res[0]["error_code"] != nil {
				t.Fatalf("%s: %v", action, res[0])
			}
			l.waitStatus(t, "orders", "STOPPED")
			if got, want := groupOffsets(t, l.Env, "lkc-west", "billing")[tp("orders", 0)], int64(3); got != want {
				t.Errorf("right after %s the destination group is at %d on orders/0, want %d", action, got, want)
			}

			// With periodic sync on, the stopped topic no longer follows
			// the source group; the mirror topic still does.
			l.alter(t, map[string]string{"consumer.offset.sync.ms": "1000"})
			commitAs(t, east, "billing", offsets{tp("orders", 0): 9, tp("orders", 1): 9, tp("marker", 0): 4})
			waitGroupOffsets(t, l.Env, "lkc-west", "billing", offsets{tp("orders", 0): 3, tp("orders", 1): 7, tp("marker", 0): 4})

			consumer, recs := join(t, west, "billing", "orders")
			defer consumer.leave()
			first := map[int32]int64{}
			for {
				for _, r := range recs {
					if _, seen := first[r.Partition]; !seen {
						first[r.Partition] = r.Offset
					}
				}
				if len(first) == 2 {
					break
				}
				recs = consumer.poll(t)
			}
			if want := map[int32]int64{0: 3, 1: 7}; fmt.Sprint(first) != fmt.Sprint(want) {
				t.Errorf("the new consumer's first records are at offsets %v by partition, want %v", first, want)
			}
		})
	}
}

// merge returns the union of config maps; later maps win.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
