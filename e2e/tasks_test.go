package e2e

import (
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// taskNames are the tasks of a destination link, in the order Confluent
// lists them.
var taskNames = []string{"AclSync", "AutoCreateMirror", "ConsumerOffsetSync", "TopicConfigsSync"}

// TestTaskStatesFollowConfigsAndTheSource walks a link's tasks through
// NOT_CONFIGURED, IN_ERROR and ACTIVE as configs change, through
// LINK_UNAVAILABLE while the source cluster is down, and back.
func TestTaskStatesFollowConfigsAndTheSource(t *testing.T) {
	l := newLab(t)
	r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west?include_tasks=true"), nil)
	var body struct {
		Tasks []taskJSON `json:"tasks"`
	}
	r.JSON(t, &body)
	var names []string
	for _, tk := range body.Tasks {
		names = append(names, tk.TaskName)
	}
	if !slices.Equal(names, taskNames) {
		t.Fatalf("tasks %v, want %v", names, taskNames)
	}
	if r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil); r.Map(t)["tasks"] != nil {
		t.Errorf("tasks without include_tasks: %s", r.Body)
	}
	for _, name := range taskNames[:3] {
		l.waitTask(t, name, "NOT_CONFIGURED")
	}
	l.waitTask(t, "TopicConfigsSync", "ACTIVE")

	// Enabled without filters: Confluent's misconfiguration error.
	l.alter(t, map[string]string{"acl.sync.enable": "true", "acl.sync.ms": "1000"})
	tk := l.waitTask(t, "AclSync", "IN_ERROR", "MISCONFIGURATION_ERROR")
	if msg, want := tk.Errors[0].ErrorMessage, "ACL migration is enabled but acl.filters is not set. Please set acl.filters to migrate ACLs."; msg != want {
		t.Errorf("AclSync error message %q, want %q", msg, want)
	}
	l.alter(t, map[string]string{"acl.filters": allACLs})
	l.waitTask(t, "AclSync", "ACTIVE")
	l.alter(t, merge(offsetSync(allGroups), autoCreate(nameFilters("topicFilters", "orders PREFIXED INCLUDE"))))
	for _, name := range taskNames {
		l.waitTask(t, name, "ACTIVE")
	}

	// While the source is down every task reports the link's state.
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:stop", nil)
	for _, name := range taskNames {
		l.waitTask(t, name, "LINK_UNAVAILABLE")
	}
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:start", nil)
	for _, name := range taskNames {
		l.waitTask(t, name, "ACTIVE")
	}

	// Turning a feature off clears its filters.
	features := []struct{ task, enable, filters string }{
		{"AclSync", "acl.sync.enable", "acl.filters"},
		{"AutoCreateMirror", "auto.create.mirror.topics.enable", "auto.create.mirror.topics.filters"},
		{"ConsumerOffsetSync", "consumer.offset.sync.enable", "consumer.offset.group.filters"},
	}
	for _, f := range features {
		t.Run(f.task, func(t *testing.T) {
			if v, isDefault := l.linkConfig(t, f.filters); v == "" || isDefault {
				t.Fatalf("%s before disabling: %q (default %v)", f.filters, v, isDefault)
			}
			l.alter(t, map[string]string{f.enable: "false"})
			l.waitTask(t, f.task, "NOT_CONFIGURED")
			if v, isDefault := l.linkConfig(t, f.filters); v != "" || !isDefault {
				t.Errorf("%s after %s=false: %q (default %v), want the default", f.filters, f.enable, v, isDefault)
			}
		})
	}
	l.waitTask(t, "TopicConfigsSync", "ACTIVE")
}

// TestTasksResumeWhenTheSourceReturns configures the tasks while the
// source is down, so their first passes fail and back off, brings the
// source back and checks that the tasks recover with the link instead of
// reporting the outage until their next pass, a long interval away.
func TestTasksResumeWhenTheSourceReturns(t *testing.T) {
	logs := &logWatch{}
	l := newLabWith(t, emulator.Options{Logger: slog.New(logs)})
	l.topic(t, "orders", 1)
	l.createMirror(t, "orders")
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:stop", nil)
	l.alter(t, merge(aclSync(allACLs), offsetSync(allGroups), map[string]string{"acl.sync.ms": "60000", "consumer.offset.sync.ms": "60000"}))
	for _, name := range []string{"AclSync", "ConsumerOffsetSync"} {
		l.waitTask(t, name, "LINK_UNAVAILABLE")
	}
	// The link's state hides the tasks' own; the logs say their first
	// passes failed.
	for _, msg := range []string{"ACL sync failed", "consumer offset sync failed"} {
		apitest.Eventually(t, apitest.Timeout, "log "+msg, func() bool { return logs.logged(msg) })
	}
	l.mustStatus(t, 200, http.MethodPost, "/emulator/v1/clusters/lkc-east:start", nil)
	for _, name := range []string{"AclSync", "ConsumerOffsetSync", "TopicConfigsSync"} {
		l.waitTask(t, name, "ACTIVE")
	}
}
