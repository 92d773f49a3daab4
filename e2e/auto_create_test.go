package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// autoCreate returns the configs of a link that mirrors the source topics
// that filters selects.
func autoCreate(filters string) map[string]string {
	return map[string]string{"auto.create.mirror.topics.enable": "true", "auto.create.mirror.topics.filters": filters}
}

// TestAutoCreateMirrorsMatchingTopics creates topics on the source, before
// and after auto-create starts, and checks that exactly the matching ones
// become mirror topics, named with the link's prefix, holding exact copies
// of their data.
func TestAutoCreateMirrorsMatchingTopics(t *testing.T) {
	t.Parallel()
	// Every source topic that must not be mirrored sorts before the late
	// matching topic, so once that one is mirrored a pass has considered
	// them all.
	const late = "orders.late"
	tests := []struct {
		name    string
		configs map[string]string // at link creation
		alter   map[string]string // with configs:alter, once the first topics exist
		prefix  string
		want    []string // source topics mirrored
	}{
		{
			name:    "prefixed include, configured at create",
			configs: autoCreate(nameFilters("topicFilters", "orders PREFIXED INCLUDE")),
			want:    []string{"orders", "orders.eu", late},
		},
		{
			name:  "everything but an exclude, enabled later",
			alter: autoCreate(nameFilters("topicFilters", "* LITERAL INCLUDE", "billing PREFIXED EXCLUDE")),
			want:  []string{"audit", "orders", "orders.eu", late},
		},
		{
			name:    "with cluster.link.prefix",
			configs: merge(autoCreate(nameFilters("topicFilters", "orders PREFIXED INCLUDE")), map[string]string{"cluster.link.prefix": "east."}),
			prefix:  "east.",
			want:    []string{"orders", "orders.eu", late},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLab(t, tt.configs)
			adm := admin(t, l.Bootstrap("lkc-east"))
			for _, topic := range []string{"orders", "orders.eu", "audit", "billing", "_schemas"} {
				l.topic(t, topic, 2)
				kafkatest.Produce(t, l.east, topic, kafkatest.Plain(20, 10)...)
			}
			// A topic the broker itself marks internal, whatever its name.
			internal := "kfake.is_internal"
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := adm.CreateTopic(ctx, 1, 1, map[string]*string{internal: ptr("true")}, "orders.internal"); err != nil {
				t.Fatalf("create internal topic: %v", err)
			}
			if tt.alter != nil {
				l.alter(t, tt.alter)
			}
			var early []string
			for _, s := range tt.want {
				if s != late {
					early = append(early, tt.prefix+s)
				}
			}
			apitest.Eventually(t, apitest.Timeout, fmt.Sprintf("mirrors %v", early), func() bool {
				return isSubset(early, l.mirrorNames(t))
			})

			// Topics created later are mirrored too.
			for _, topic := range []string{"billing.late", late} {
				l.topic(t, topic, 1)
				kafkatest.Produce(t, l.east, topic, kafkatest.Plain(5, 10)...)
			}
			apitest.Eventually(t, apitest.Timeout, "the mirror of "+late, func() bool {
				return slices.Contains(l.mirrorNames(t), tt.prefix+late)
			})
			var want []string
			for _, s := range tt.want {
				want = append(want, tt.prefix+s)
			}
			slices.Sort(want)
			if got := l.mirrorNames(t); !slices.Equal(got, want) {
				t.Errorf("mirror topics %v, want %v", got, want)
			}
			for _, s := range tt.want {
				m := l.mirror(t, tt.prefix+s)
				if m["source_topic_name"] != s || m["link_name"] != "east-to-west" {
					t.Errorf("mirror %s%s: %v", tt.prefix, s, m)
				}
			}
			kafkatest.Produce(t, l.east, "orders", kafkatest.Plain(10, 10)...)
			for _, s := range tt.want {
				kafkatest.WaitExact(t, l.east, l.west, s, tt.prefix+s, apitest.Timeout)
			}
			if tk := l.tasks(t)["AutoCreateMirror"]; tk.State != "ACTIVE" || len(tk.Errors) != 0 {
				t.Errorf("AutoCreateMirror task %s, want ACTIVE", tk)
			}
		})
	}
}

// TestAutoCreateReportsTopicsItCannotMirror puts a regular topic on the
// destination under the name a mirror needs: the task reports it, mirrors
// the other topics, and mirrors that one too once the name is free. Once
// promoted, that mirror is not mirrored again.
func TestAutoCreateReportsTopicsItCannotMirror(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.topic(t, "orders", 1)
	l.topic(t, "orders.eu", 1)
	kafkatest.Produce(t, l.east, "orders", kafkatest.Plain(10, 10)...)
	l.mustStatus(t, 201, http.MethodPost, apitest.ClusterPath("lkc-west", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 1})
	l.alter(t, autoCreate(nameFilters("topicFilters", "orders PREFIXED INCLUDE")))

	tk := l.waitTask(t, "AutoCreateMirror", "IN_ERROR", "TOPIC_EXISTS_ERROR")
	if msg := tk.Errors[0].ErrorMessage; !strings.Contains(msg, "'orders'") {
		t.Errorf("TOPIC_EXISTS_ERROR message does not name the topic: %q", msg)
	}
	apitest.Eventually(t, apitest.Timeout, "mirror orders.eu", func() bool { return slices.Contains(l.mirrorNames(t), "orders.eu") })

	l.mustStatus(t, 204, http.MethodDelete, apitest.ClusterPath("lkc-west", "/topics/orders"), nil)
	l.waitTask(t, "AutoCreateMirror", "ACTIVE")
	kafkatest.WaitExact(t, l.east, l.west, "orders", "orders", apitest.Timeout)

	// A promoted mirror is a regular topic now: auto-create leaves it be.
	if res := l.action(t, "promote", "orders"); res[0]["error_code"] != nil {
		t.Fatalf("promote: %v", res[0])
	}
	l.waitStatus(t, "orders", "STOPPED")
	l.topic(t, "orders.us", 1)
	apitest.Eventually(t, apitest.Timeout, "mirror orders.us", func() bool { return slices.Contains(l.mirrorNames(t), "orders.us") })
	if tk := l.tasks(t)["AutoCreateMirror"]; tk.State != "ACTIVE" {
		t.Errorf("AutoCreateMirror task after a promote: %s, want ACTIVE", tk)
	}
	if st := l.mirror(t, "orders")["mirror_status"]; st != "STOPPED" {
		t.Errorf("promoted mirror is %v, want STOPPED", st)
	}
}

// isSubset reports whether every string of a is in b.
func isSubset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}

// TestAutoCreateSkipsMirrorTopicsOfTheSource runs links both ways: a topic
// that the source cluster itself mirrors from the destination is not
// mirrored back.
func TestAutoCreateSkipsMirrorTopicsOfTheSource(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-east", "/links?link_name=west-to-east"), map[string]any{"source_cluster_id": "lkc-west"})
	l.mustStatus(t, 201, http.MethodPost, apitest.ClusterPath("lkc-west", "/topics"), map[string]any{"topic_name": "audit", "partitions_count": 1})
	kafkatest.Produce(t, l.west, "audit", kafkatest.Plain(5, 10)...)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-east", "/links/west-to-east/mirrors"), map[string]any{"source_topic_name": "audit"})
	kafkatest.WaitExact(t, l.west, l.east, "audit", "audit", apitest.Timeout)
	l.topic(t, "orders", 1)

	l.alter(t, autoCreate(nameFilters("topicFilters", "* LITERAL INCLUDE")))
	// "audit" sorts before "orders": the pass that mirrors orders has
	// considered it.
	apitest.Eventually(t, apitest.Timeout, "mirror orders", func() bool { return slices.Contains(l.mirrorNames(t), "orders") })
	if got := l.mirrorNames(t); !slices.Equal(got, []string{"orders"}) {
		t.Errorf("mirror topics %v, want [orders]", got)
	}
	if tk := l.tasks(t)["AutoCreateMirror"]; tk.State != "ACTIVE" {
		t.Errorf("AutoCreateMirror task %s, want ACTIVE", tk)
	}
}
