package automirror_test

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/automirror"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// fakeLink stands in for the manager: it keeps the link's mirrors and
// creates them when asked, refusing the names in exists.
type fakeLink struct {
	prefix string
	exists map[string]bool // destination topics that are not mirrors

	mu      sync.Mutex
	mirrors []*linkemu.Mirror
	calls   []string
}

func (l *fakeLink) Mirrors(context.Context) ([]*linkemu.Mirror, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.mirrors), nil
}

func (l *fakeLink) CreateMirror(_ context.Context, source string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, source)
	name := linkemu.MirrorName(l.prefix, source)
	if l.exists[name] {
		return linkemu.Errorf(linkemu.ECONFLICT, "Topic '%s' already exists.", name)
	}
	l.mirrors = append(l.mirrors, &linkemu.Mirror{Name: name, SourceTopic: source, Status: linkemu.MirrorActive})
	return nil
}

func (l *fakeLink) mirrored() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.mirrors {
		out = append(out, m.Name)
	}
	slices.Sort(out)
	return out
}

func (l *fakeLink) deleteMirror(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.mirrors = slices.DeleteFunc(l.mirrors, func(m *linkemu.Mirror) bool { return m.Name == name })
}

func newSource(t *testing.T, topics ...string) *kafkatest.Cluster {
	t.Helper()
	return kafkatest.NewCluster(t, kafkatest.WithKfake(kfake.SeedTopics(1, topics...)))
}

func newWorker(t *testing.T, src *kafkatest.Cluster, l *fakeLink, sourceMirrors []string, cfg automirror.Config) *automirror.Worker {
	t.Helper()
	w := automirror.New(automirror.Options{
		// kgo answers metadata requests from a cache younger than
		// MetadataMinAge (5s by default); new topics should show up at once.
		Source:        src.Client(kgo.MetadataMinAge(10 * time.Millisecond)),
		Mirrors:       l.Mirrors,
		SourceMirrors: func(context.Context) ([]string, error) { return sourceMirrors, nil },
		CreateMirror:  l.CreateMirror,
		Logger:        slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	}, cfg)
	t.Cleanup(w.Stop)
	return w
}

func enabled(t *testing.T, filters string) automirror.Config {
	t.Helper()
	fs, err := linkemu.ParseTopicFilters(filters)
	if err != nil {
		t.Fatal(err)
	}
	return automirror.Config{Enabled: true, Filters: fs, Interval: 50 * time.Millisecond}
}

const allTopics = `{"topicFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`

func TestSyncNowCreatesMatchingMirrors(t *testing.T) {
	src := newSource(t, "orders.eu", "orders.us", "orders.tmp", "inventory", "_schemas", "east.orders")
	l := &fakeLink{prefix: "dr."}
	w := newWorker(t, src, l, []string{"east.orders"}, enabled(t, `{"topicFilters":[
		{"name":"orders.","patternType":"PREFIXED","filterType":"INCLUDE"},
		{"name":"east.","patternType":"PREFIXED","filterType":"INCLUDE"},
		{"name":"_","patternType":"PREFIXED","filterType":"INCLUDE"},
		{"name":"orders.tmp","patternType":"LITERAL","filterType":"EXCLUDE"}]}`))

	ctx := context.Background()
	created, err := w.SyncNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"orders.eu", "orders.us"}; !reflect.DeepEqual(created, want) {
		t.Errorf("created %v, want %v", created, want)
	}
	if got, want := l.mirrored(), []string{"dr.orders.eu", "dr.orders.us"}; !reflect.DeepEqual(got, want) {
		t.Errorf("mirrors %v, want %v", got, want)
	}
	// A second pass finds nothing new.
	if created, err := w.SyncNow(ctx); err != nil || len(created) != 0 {
		t.Errorf("second pass created %v, %v; want nothing", created, err)
	}
	if task := w.Task(); task.State != linkemu.TaskActive || len(task.Errors) != 0 {
		t.Errorf("task = %+v, want ACTIVE", task)
	}
}

func TestWorkerPicksUpNewTopicsAndReportsErrors(t *testing.T) {
	src := newSource(t, "orders")
	l := &fakeLink{exists: map[string]bool{"payments": true}}
	w := newWorker(t, src, l, nil, automirror.Config{})
	state := func(want linkemu.TaskState) func() string {
		return func() string {
			if got := w.Task(); got.State != want {
				return fmt.Sprintf("task is %+v, want %s", got, want)
			}
			return ""
		}
	}

	if got := w.Task(); got.Name != linkemu.TaskAutoCreateMirror || got.State != linkemu.TaskNotConfigured || got.Errors == nil {
		t.Fatalf("task of a disabled worker = %#v", got)
	}
	w.Start(context.Background())
	if created, err := w.SyncNow(context.Background()); err != nil || created != nil {
		t.Fatalf("SyncNow when disabled = %v, %v", created, err)
	}
	if len(l.mirrored()) != 0 {
		t.Fatal("a disabled worker created mirrors")
	}

	w.Reconfigure(enabled(t, allTopics))
	waitFor(t, func() string {
		if got := l.mirrored(); !reflect.DeepEqual(got, []string{"orders"}) {
			return fmt.Sprintf("mirrors are %v", got)
		}
		return ""
	})
	waitFor(t, state(linkemu.TaskActive))

	// Topics created later on the source follow; one clashes with a
	// regular topic on the destination.
	for _, topic := range []string{"payments", "refunds"} {
		src.CreateTopic(topic, 1, nil)
	}
	waitFor(t, func() string {
		if got := l.mirrored(); !reflect.DeepEqual(got, []string{"orders", "refunds"}) {
			return fmt.Sprintf("mirrors are %v", got)
		}
		return ""
	})
	waitFor(t, state(linkemu.TaskInError))
	task := w.Task()
	if len(task.Errors) != 1 || task.Errors[0].Code != linkemu.TaskErrTopicExists ||
		task.Errors[0].Message != "Could not create a mirror topic for source topic 'payments': Topic 'payments' already exists." {
		t.Errorf("task errors = %+v, want one TOPIC_EXISTS_ERROR for payments", task.Errors)
	}

	// The source refuses metadata: the pass fails as a whole.
	denied := src.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Metadata}, Err: kerr.ClusterAuthorizationFailed, TopLevel: true, Count: -1})
	waitFor(t, func() string {
		if errs := w.Task().Errors; len(errs) == 0 || !strings.Contains(errs[0].Message, "listing topics on the source cluster") {
			return fmt.Sprintf("task errors are %+v", errs)
		}
		return ""
	})
	denied.Remove()

	// The clash is resolved; a deleted mirror comes back while its source
	// topic matches.
	l.mu.Lock()
	l.exists = nil
	l.mu.Unlock()
	l.deleteMirror("orders")
	w.Notify()
	waitFor(t, func() string {
		if got := l.mirrored(); !reflect.DeepEqual(got, []string{"orders", "payments", "refunds"}) {
			return fmt.Sprintf("mirrors are %v", got)
		}
		return ""
	})
	waitFor(t, state(linkemu.TaskActive))

	w.Reconfigure(automirror.Config{})
	waitFor(t, state(linkemu.TaskNotConfigured))
	w.Stop()
	w.Stop()
}

func TestConfigFromLinkConfigs(t *testing.T) {
	got, err := automirror.ConfigFromLinkConfigs(map[string]string{
		linkemu.CfgAutoCreateEnable: "true", linkemu.CfgAutoCreateFilters: allTopics,
	})
	want := automirror.Config{Enabled: true, Interval: automirror.DefaultInterval, Filters: linkemu.TopicFilters{
		{Name: "*", PatternType: "LITERAL", FilterType: "INCLUDE"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	for name, configs := range map[string]map[string]string{
		"auto.create.mirror.topics.enable":  {linkemu.CfgAutoCreateEnable: "maybe"},
		"auto.create.mirror.topics.filters": {linkemu.CfgAutoCreateFilters: `{"topicFilters":{}}`},
	} {
		if _, err := automirror.ConfigFromLinkConfigs(configs); linkemu.ErrorCode(err) != linkemu.EINVALID || !strings.Contains(linkemu.ErrorMessage(err), name) {
			t.Errorf("ConfigFromLinkConfigs(%v) = %v, want EINVALID naming %s", configs, err, name)
		}
	}
}

func waitFor(t *testing.T, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
