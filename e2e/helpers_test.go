package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Helpers of the link task tests (offset sync, ACL sync, auto-create and
// task status). They build on lab (mirrors_test.go).

// logWatch is a slog.Handler that remembers the messages of the error
// records the emulator logs.
type logWatch struct {
	mu     sync.Mutex
	errors map[string]bool
}

func (w *logWatch) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (w *logWatch) WithAttrs([]slog.Attr) slog.Handler           { return w }
func (w *logWatch) WithGroup(string) slog.Handler                { return w }
func (w *logWatch) Handle(_ context.Context, r slog.Record) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.errors == nil {
		w.errors = map[string]bool{}
	}
	w.errors[r.Message] = true
	return nil
}

// logged reports whether an error with the message was logged.
func (w *logWatch) logged(msg string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.errors[msg]
}

// Filter documents as users write them.
const (
	allGroups = `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`
	allACLs   = `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`
)

// nameFilters returns a groupFilters or topicFilters document (key) with one
// filter per "name PATTERN TYPE" triple, e.g. "orders PREFIXED INCLUDE".
func nameFilters(key string, filters ...string) string {
	var parts []string
	for _, f := range filters {
		name, rest, _ := strings.Cut(f, " ")
		pattern, typ, _ := strings.Cut(rest, " ")
		parts = append(parts, fmt.Sprintf(`{"name":%q,"patternType":%q,"filterType":%q}`, name, pattern, typ))
	}
	return `{"` + key + `":[` + strings.Join(parts, ",") + `]}`
}

// offsetSync returns the configs of a link that syncs the offsets of the
// groups that filters selects every second.
func offsetSync(filters string) map[string]string {
	return map[string]string{"consumer.offset.sync.enable": "true", "consumer.offset.sync.ms": "1000", "consumer.offset.group.filters": filters}
}

// taskJSON is one entry of a link's tasks.
type taskJSON struct {
	TaskName string `json:"task_name"`
	State    string `json:"state"`
	Errors   []struct {
		ErrorCode    string `json:"error_code"`
		ErrorMessage string `json:"error_message"`
	} `json:"errors"`
}

func (tk taskJSON) String() string {
	s := tk.State
	for _, e := range tk.Errors {
		s += fmt.Sprintf(" [%s: %s]", e.ErrorCode, e.ErrorMessage)
	}
	return s
}

// codes returns the task's error codes.
func (tk taskJSON) codes() []string {
	var out []string
	for _, e := range tk.Errors {
		out = append(out, e.ErrorCode)
	}
	return out
}

// tasks describes the link with include_tasks=true, checks the answer
// against the spec and returns its tasks by name.
func (l *lab) tasks(t *testing.T) map[string]taskJSON {
	t.Helper()
	r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west?include_tasks=true"), nil)
	apitest.ValidateSpec(t, r)
	var body struct {
		Tasks []taskJSON `json:"tasks"`
	}
	r.JSON(t, &body)
	out := make(map[string]taskJSON, len(body.Tasks))
	for _, tk := range body.Tasks {
		if tk.Errors == nil {
			t.Errorf("task %s has errors null, want []: %s", tk.TaskName, r.Body)
		}
		out[tk.TaskName] = tk
	}
	return out
}

// waitTask waits until the named task is in state with exactly the given
// error codes, and returns it.
func (l *lab) waitTask(t *testing.T, name, state string, codes ...string) taskJSON {
	t.Helper()
	var last taskJSON
	deadline := time.Now().Add(apitest.Timeout)
	for {
		last = l.tasks(t)[name]
		if last.State == state && slices.Equal(last.codes(), codes) {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("task %s is %s after %s, want %s %v", name, last, apitest.Timeout, state, codes)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// alter sets link configs with configs:alter.
func (l *lab) alter(t *testing.T, configs map[string]string) {
	t.Helper()
	var data []map[string]string
	for k, v := range configs {
		data = append(data, map[string]string{"name": k, "value": v})
	}
	l.mustStatus(t, 204, http.MethodPut, apitest.ClusterPath("lkc-west", "/links/east-to-west/configs:alter"), map[string]any{"data": data})
}

// linkConfig reads one link config, checked against the spec.
func (l *lab) linkConfig(t *testing.T, name string) (value string, isDefault bool) {
	t.Helper()
	r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/configs/", name), nil)
	apitest.ValidateSpec(t, r)
	var c struct {
		Value     *string `json:"value"`
		IsDefault bool    `json:"is_default"`
	}
	r.JSON(t, &c)
	if c.Value != nil {
		value = *c.Value
	}
	return value, c.IsDefault
}

// createMirror mirrors a source topic on the link.
func (l *lab) createMirror(t *testing.T, source string) {
	t.Helper()
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": source})
}

// mirrorNames lists the link's mirror topics, sorted.
func (l *lab) mirrorNames(t *testing.T) []string {
	t.Helper()
	r := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), nil)
	apitest.ValidateSpec(t, r)
	var body struct {
		Data []struct {
			MirrorTopicName string `json:"mirror_topic_name"`
		} `json:"data"`
	}
	r.JSON(t, &body)
	var out []string
	for _, m := range body.Data {
		out = append(out, m.MirrorTopicName)
	}
	slices.Sort(out)
	return out
}

// offsets are a group's committed offsets by "topic/partition".
type offsets map[string]int64

func tp(topic string, p int32) string { return fmt.Sprintf("%s/%d", topic, p) }

// groupOffsets returns a group's committed offsets on a cluster as the REST
// lags route reports them; nil when the cluster has no offsets for the group.
func groupOffsets(t *testing.T, env *apitest.Env, cluster, group string) offsets {
	t.Helper()
	r := env.Do(http.MethodGet, apitest.ClusterPath(cluster, "/consumer-groups/", group, "/lags"), nil)
	if r.Status == http.StatusNotFound {
		return nil
	}
	if r.Status != http.StatusOK {
		t.Fatalf("lags of %s on %s: %d %s", group, cluster, r.Status, r.Body)
	}
	apitest.ValidateSpec(t, r)
	var body struct {
		Data []lagJSON `json:"data"`
	}
	r.JSON(t, &body)
	out := offsets{}
	for _, l := range body.Data {
		out[tp(l.TopicName, l.PartitionID)] = l.CurrentOffset
	}
	return out
}

// renamed returns the offsets with each topic name prefixed.
func (o offsets) renamed(prefix string) offsets {
	out := make(offsets, len(o))
	for k, v := range o {
		out[prefix+k] = v
	}
	return out
}

// waitGroupOffsets waits until a group has exactly want on a cluster.
func waitGroupOffsets(t *testing.T, env *apitest.Env, cluster, group string, want offsets) {
	t.Helper()
	var got offsets
	deadline := time.Now().Add(apitest.Timeout)
	for {
		got = groupOffsets(t, env, cluster, group)
		if fmt.Sprint(got) == fmt.Sprint(want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("group %s on %s has offsets %v after %s, want %v", group, cluster, got, apitest.Timeout, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// member is a live consumer group member: a franz-go group consumer that
// has joined its group and been assigned partitions. It stays in the group
// until Leave or the end of the test.
type member struct {
	cl *kgo.Client
}

// join starts a group consumer of topics on a cluster and waits until it
// has fetched at least one record, so it is a member with an assignment.
// Without committed offsets it starts from the beginning of the partitions.
func join(t *testing.T, bootstrap, group string, topics ...string) (*member, []*kgo.Record) {
	t.Helper()
	cl := client(t, bootstrap, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topics...), kgo.DisableAutoCommit(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.ClientID("consumer-"+group))
	m := &member{cl: cl}
	return m, m.poll(t)
}

// poll returns the next non-empty batch of records the member fetches.
func (m *member) poll(t *testing.T) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	for {
		fs := m.cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consumer fetched nothing: %v", ctx.Err())
		}
		for _, e := range fs.Errors() {
			t.Logf("consumer: fetch error on %s/%d: %v", e.Topic, e.Partition, e.Err)
		}
		if recs := fs.Records(); len(recs) > 0 {
			return recs
		}
	}
}

// commit commits offsets as the member of its group.
func (m *member) commit(t *testing.T, o offsets) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	req := map[string]map[int32]kgo.EpochOffset{}
	for k, at := range o {
		var topic string
		var p int32
		i := strings.LastIndexByte(k, '/')
		topic = k[:i]
		fmt.Sscan(k[i+1:], &p)
		if req[topic] == nil {
			req[topic] = map[int32]kgo.EpochOffset{}
		}
		req[topic][p] = kgo.EpochOffset{Epoch: -1, Offset: at}
	}
	var commitErr error
	m.cl.CommitOffsetsSync(ctx, req, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		commitErr = err
		if err == nil {
			for _, rt := range resp.Topics {
				for _, rp := range rt.Partitions {
					if rp.ErrorCode != 0 && commitErr == nil {
						commitErr = fmt.Errorf("%s/%d: error code %d", rt.Topic, rp.Partition, rp.ErrorCode)
					}
				}
			}
		}
	})
	if commitErr != nil {
		t.Fatalf("commit %v: %v", o, commitErr)
	}
}

// leave makes the member leave its group.
func (m *member) leave() { m.cl.Close() }

// commitAs joins group on a cluster as a real consumer of the topics of o,
// commits o and leaves the group.
func commitAs(t *testing.T, bootstrap, group string, o offsets) {
	t.Helper()
	var topics []string
	for k := range o {
		topic := k[:strings.LastIndexByte(k, '/')]
		if !slices.Contains(topics, topic) {
			topics = append(topics, topic)
		}
	}
	m, _ := join(t, bootstrap, group, topics...)
	m.commit(t, o)
	m.leave()
}
