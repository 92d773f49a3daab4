package offsetsync_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/linkemu/linkemu/offsetsync"
)

const allGroups = `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`

// link is a source and a destination cluster with topic orders on both,
// holding the same 10 records in each of its two partitions.
type link struct {
	src, dst *kafkatest.Cluster
}

func newLink(t *testing.T, mirrorName string) link {
	t.Helper()
	l := link{src: newCluster(t, "orders"), dst: newCluster(t, mirrorName)}
	produce(t, l.src, "orders", 10, 0, 1)
	produce(t, l.dst, mirrorName, 10, 0, 1)
	return l
}

func (l link) syncer(t *testing.T, ms offsetsync.MirrorsFunc, cfg offsetsync.Config, translate offsetsync.TranslateFunc) *offsetsync.Syncer {
	t.Helper()
	s := offsetsync.New(offsetsync.Options{
		Source:      l.src.Client(),
		Destination: l.dst.Client(),
		Mirrors:     ms,
		Translate:   translate,
		Logger:      testLogger(t),
	}, cfg)
	t.Cleanup(s.Stop)
	return s
}

func enabled(t *testing.T, filters string) offsetsync.Config {
	return offsetsync.Config{Enabled: true, Interval: 50 * time.Millisecond, Filters: mustGroupFilters(t, filters)}
}

func TestSyncCopiesCommittedOffsets(t *testing.T) {
	l := newLink(t, "orders")
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 4, 1: 7})
	s := l.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), enabled(t, allGroups), nil)

	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int32]int64{"orders": {0: 4, 1: 7}}
	if got := committed(t, l.dst, "app"); !reflect.DeepEqual(got, want) {
		t.Errorf("destination offsets = %v, want %v", got, want)
	}
	if got := s.Task(); got.State != linkemu.TaskActive || len(got.Errors) != 0 {
		t.Errorf("task = %+v, want ACTIVE without errors", got)
	}
	if s.LastSync().IsZero() {
		t.Error("LastSync is zero after a clean pass")
	}
}

func TestSyncPrefixedGroupsAndExcludeFilters(t *testing.T) {
	l := newLink(t, "west.orders")
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 3, 1: 5})
	commitAsGroup(t, l.src, "tmp-job", "orders", map[int32]int64{0: 9, 1: 9})
	cfg := enabled(t, `{"groupFilters":[
		{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"},
		{"name":"tmp-","patternType":"PREFIXED","filterType":"EXCLUDE"}]}`)
	cfg.GroupPrefix = "west."
	s := l.syncer(t, mirrors(mirror("west.orders", "orders", linkemu.MirrorActive)), cfg, nil)

	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := committed(t, l.dst, "west.app"), map[string]map[int32]int64{"west.orders": {0: 3, 1: 5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("west.app offsets = %v, want %v", got, want)
	}
	for _, g := range []string{"app", "west.tmp-job", "tmp-job"} {
		if got := committed(t, l.dst, g); len(got) != 0 {
			t.Errorf("group %s on the destination has offsets %v, want none", g, got)
		}
	}
}

func TestSyncLeavesLiveGroupAlone(t *testing.T) {
	l := newLink(t, "orders")
	commitAsGroup(t, l.src, "live", "orders", map[int32]int64{0: 6, 1: 6})
	commitAsGroup(t, l.src, "idle", "orders", map[int32]int64{0: 2, 1: 8})
	joinGroup(t, l.dst, "live", "orders")
	s := l.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), enabled(t, allGroups), nil)

	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatalf("SyncNow = %v; a group in use must not fail the pass", err)
	}
	if got := committed(t, l.dst, "live"); len(got) != 0 {
		t.Errorf("live group offsets = %v, want untouched (none)", got)
	}
	if got, want := committed(t, l.dst, "idle"), map[string]map[int32]int64{"orders": {0: 2, 1: 8}}; !reflect.DeepEqual(got, want) {
		t.Errorf("idle group offsets = %v, want %v", got, want)
	}
	task := s.Task()
	if task.State != linkemu.TaskInError || len(task.Errors) != 1 || task.Errors[0].Code != linkemu.TaskErrConsumerGroupInUse ||
		!strings.Contains(task.Errors[0].Message, "'live'") {
		t.Errorf("task = %+v, want IN_ERROR with one CONSUMER_GROUP_IN_USE_ERROR naming 'live'", task)
	}
}

func TestSyncClampsToMirrorLogEnd(t *testing.T) {
	src, dst := newCluster(t, "orders"), newCluster(t, "orders")
	produce(t, src, "orders", 10, 0, 1)
	produce(t, dst, "orders", 3, 0, 1) // replication is behind
	commitAsGroup(t, src, "app", "orders", map[int32]int64{0: 8, 1: 2})
	s := link{src, dst}.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), enabled(t, allGroups), nil)

	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := committed(t, dst, "app"), map[string]map[int32]int64{"orders": {0: 3, 1: 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after first sync offsets = %v, want %v (clamped at the log end)", got, want)
	}

	produce(t, dst, "orders", 7, 0) // replication catches up
	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := committed(t, dst, "app"), map[string]map[int32]int64{"orders": {0: 8, 1: 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after catching up offsets = %v, want %v", got, want)
	}
}

func TestSyncSkipsUnchangedOffsets(t *testing.T) {
	l := newLink(t, "orders")
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 4, 1: 4})
	s := l.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), enabled(t, allGroups), nil)
	commits := l.dst.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.OffsetCommit}, Observe: true, Count: -1})
	defer commits.Remove()

	ctx := testContext(t)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	first := commits.Hits()
	if first == 0 {
		t.Fatal("first sync committed nothing")
	}
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := commits.Hits(); got != first {
		t.Errorf("second sync of unchanged offsets sent %d more OffsetCommit requests, want 0", got-first)
	}
}

func TestSyncTranslatesOffsets(t *testing.T) {
	l := newLink(t, "orders")
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 6, 1: 6})
	translate := func(topic string, p int32, off int64) (int64, bool) {
		if topic != "orders" {
			t.Errorf("Translate called with topic %q, want the mirror topic", topic)
		}
		return off - 2, p == 0 // partition 1 has no safe translation yet
	}
	s := l.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), enabled(t, allGroups), translate)
	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if got, want := committed(t, l.dst, "app"), map[string]map[int32]int64{"orders": {0: 4}}; !reflect.DeepEqual(got, want) {
		t.Errorf("offsets = %v, want %v", got, want)
	}
}

func TestSyncOnlyMirrorsThatAreSyncable(t *testing.T) {
	src, dst := newCluster(t, "orders", "payments"), newCluster(t, "orders", "payments")
	for _, c := range []*kafkatest.Cluster{src, dst} {
		produce(t, c, "orders", 5, 0, 1)
		produce(t, c, "payments", 5, 0, 1)
	}
	commitAsGroup(t, src, "app", "orders", map[int32]int64{0: 1, 1: 1})
	commitAsGroup(t, src, "pay", "payments", map[int32]int64{0: 2, 1: 2})
	ms := mirrors(mirror("orders", "orders", linkemu.MirrorActive), mirror("payments", "payments", linkemu.MirrorStopped))
	s := link{src, dst}.syncer(t, ms, enabled(t, allGroups), nil)

	ctx := testContext(t)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if got := committed(t, dst, "pay"); len(got) != 0 {
		t.Errorf("offsets on a STOPPED mirror = %v, want none", got)
	}
	if got := committed(t, dst, "app"); len(got) != 1 {
		t.Errorf("offsets on the ACTIVE mirror = %v, want them synced", got)
	}

	// Promote's final sync names the mirror it stops, whatever its status.
	if err := s.SyncNow(ctx, "payments"); err != nil {
		t.Fatal(err)
	}
	if got, want := committed(t, dst, "pay"), map[string]map[int32]int64{"payments": {0: 2, 1: 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a named sync offsets = %v, want %v", got, want)
	}
}

func TestSyncWithoutFiltersSyncsNothing(t *testing.T) {
	l := newLink(t, "orders")
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 4, 1: 4})
	s := l.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), enabled(t, ""), nil)
	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatal(err)
	}
	if got := committed(t, l.dst, "app"); len(got) != 0 {
		t.Errorf("offsets = %v, want none without filters", got)
	}
	if got := s.Task(); got.State != linkemu.TaskActive {
		t.Errorf("task = %+v, want ACTIVE", got)
	}
}

func TestWorkerTaskStates(t *testing.T) {
	l := newLink(t, "orders")
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 1, 1: 1})
	s := l.syncer(t, mirrors(mirror("orders", "orders", linkemu.MirrorActive)), offsetsync.Config{}, nil)
	state := func(want linkemu.TaskState, code string) func() string {
		return func() string {
			task := s.Task()
			if task.State != want || code != "" && (len(task.Errors) == 0 || task.Errors[0].Code != code) {
				return "task is " + string(task.State) + ", want " + string(want) + " " + code
			}
			return ""
		}
	}

	if got := s.Task(); got.Name != linkemu.TaskConsumerOffsetSync || got.State != linkemu.TaskNotConfigured || got.Errors == nil {
		t.Fatalf("task of a disabled syncer = %#v", got)
	}
	s.Start(context.Background())
	if err := s.SyncNow(testContext(t)); err != nil {
		t.Fatalf("SyncNow when disabled = %v, want nil", err)
	}
	if got := committed(t, l.dst, "app"); len(got) != 0 {
		t.Fatalf("a disabled syncer committed %v", got)
	}

	s.Reconfigure(enabled(t, allGroups))
	waitFor(t, func() string {
		if got := committed(t, l.dst, "app"); len(got) == 0 {
			return "no offsets synced yet"
		}
		return ""
	})
	waitFor(t, state(linkemu.TaskActive, ""))

	// The source refuses to list groups: a real error.
	denied := l.src.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.ListGroups}, TopLevel: true, Err: kerr.ClusterAuthorizationFailed, Count: -1})
	waitFor(t, state(linkemu.TaskInError, linkemu.TaskErrAuthorization))
	denied.Remove()
	waitFor(t, state(linkemu.TaskActive, ""))

	// Offsets committed later on the source follow.
	commitAsGroup(t, l.src, "app", "orders", map[int32]int64{0: 9, 1: 9})
	waitFor(t, func() string {
		if got := committed(t, l.dst, "app"); !reflect.DeepEqual(got, map[string]map[int32]int64{"orders": {0: 9, 1: 9}}) {
			return "destination offsets are " + fmtOffsets(got)
		}
		return ""
	})

	s.Reconfigure(offsetsync.Config{})
	waitFor(t, state(linkemu.TaskNotConfigured, ""))
	s.Stop()
	s.Stop() // idempotent
}

func TestSyncReportsMirrorListingErrors(t *testing.T) {
	l := newLink(t, "orders")
	boom := func(context.Context) ([]*linkemu.Mirror, error) { return nil, errors.New("store is closed") }
	s := l.syncer(t, boom, enabled(t, allGroups), nil)
	err := s.SyncNow(testContext(t))
	if err == nil || !strings.Contains(err.Error(), "store is closed") {
		t.Fatalf("SyncNow = %v, want the listing error", err)
	}
	if task := s.Task(); task.State != linkemu.TaskInError || task.Errors[0].Code != linkemu.TaskErrInternal {
		t.Errorf("task = %+v, want IN_ERROR INTERNAL_ERROR", task)
	}
}

func TestConfigFromLinkConfigs(t *testing.T) {
	tests := []struct {
		name    string
		configs map[string]string
		want    offsetsync.Config
		wantErr string
	}{
		{"defaults", nil, offsetsync.Config{Interval: offsetsync.DefaultInterval}, ""},
		{"enabled with prefix", map[string]string{
			linkemu.CfgOffsetSyncEnable: "true", linkemu.CfgOffsetSyncMs: "1000", linkemu.CfgOffsetGroupFilter: allGroups,
			linkemu.CfgClusterLinkPrefix: "west.", linkemu.CfgConsumerGroupPrefix: "true",
		}, offsetsync.Config{Enabled: true, Interval: time.Second, GroupPrefix: "west.", Filters: linkemu.GroupFilters{{
			NameFilter: linkemu.NameFilter{Name: "*", PatternType: "LITERAL", FilterType: "INCLUDE"}, TopicTypes: []string{"LOCAL_MIRROR"}}}}, ""},
		{"prefix without group prefixing", map[string]string{linkemu.CfgClusterLinkPrefix: "west."},
			offsetsync.Config{Interval: offsetsync.DefaultInterval}, ""},
		{"bad interval", map[string]string{linkemu.CfgOffsetSyncMs: "soon"}, offsetsync.Config{}, "consumer.offset.sync.ms"},
		{"bad enable", map[string]string{linkemu.CfgOffsetSyncEnable: "yes please"}, offsetsync.Config{}, "consumer.offset.sync.enable"},
		{"bad filters", map[string]string{linkemu.CfgOffsetGroupFilter: "{"}, offsetsync.Config{}, "consumer.offset.group.filters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := offsetsync.ConfigFromLinkConfigs(tt.configs)
			if tt.wantErr != "" {
				if linkemu.ErrorCode(err) != linkemu.EINVALID || !strings.Contains(linkemu.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("err = %v, want EINVALID naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
