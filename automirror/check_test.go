package automirror_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/automirror"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestCheckSkipsTopicsThatCanNeverBeMirrored gives the worker a Check that
// refuses a source topic over the partition limit and one whose prefixed
// mirror name would be too long: neither reaches CreateMirror, in any pass,
// and both stay in the task's errors with the codes the manager's errors
// map to, while the other selected topic is mirrored.
func TestCheckSkipsTopicsThatCanNeverBeMirrored(t *testing.T) {
	long := strings.Repeat("l", linkemu.TopicNameMaxLen-2)
	src := kafkatest.NewCluster(t, kafkatest.WithKfake(kfake.SeedTopics(3, "orders", "wide", long)))
	l := &fakeLink{prefix: "dr."}
	var mu sync.Mutex
	checked := map[string]int{}
	limits := linkemu.Limits{PartitionsPerTopic: 2}
	w := automirror.New(automirror.Options{
		Source:       src.Client(),
		Mirrors:      l.Mirrors,
		CreateMirror: l.CreateMirror,
		Check: func(topic string, partitions int) error {
			mu.Lock()
			checked[topic] = partitions
			mu.Unlock()
			if err := linkemu.CheckMirrorName(l.prefix, topic); err != nil {
				return err
			}
			if topic == "wide" { // the only one checked against the limit, so "orders" passes
				return limits.CheckMirrorPartitions("lkc-west", topic, partitions)
			}
			return nil
		},
	}, enabled(t, allTopics))
	t.Cleanup(w.Stop)

	for pass := range 2 {
		created, err := w.SyncNow(context.Background())
		if err == nil {
			t.Fatalf("pass %d: no error, want the two refused topics", pass)
		}
		if want := []string{"orders"}; pass == 0 && !reflect.DeepEqual(created, want) {
			t.Errorf("pass %d created %v, want %v", pass, created, want)
		}
		task := w.Task()
		var codes []string
		for _, e := range task.Errors {
			codes = append(codes, e.Code)
		}
		slices.Sort(codes)
		if task.State != linkemu.TaskInError || !reflect.DeepEqual(codes, []string{linkemu.TaskErrInvalidTopic, linkemu.TaskErrPolicyViolation}) {
			t.Fatalf("pass %d: task %+v, want IN_ERROR with INVALID_TOPIC and POLICY_VIOLATION_ERROR", pass, task)
		}
		for _, e := range task.Errors {
			want := []string{"'wide'", "3 partitions", "more than the 2", "--max-partitions-per-topic"}
			if e.Code == linkemu.TaskErrInvalidTopic {
				want = []string{"'" + long + "'", "250 characters", "at most 249"}
			}
			for _, s := range want {
				if !strings.Contains(e.Message, s) {
					t.Errorf("pass %d: %s message %q lacks %q", pass, e.Code, e.Message, s)
				}
			}
		}
	}
	l.mu.Lock()
	calls := slices.Clone(l.calls)
	l.mu.Unlock()
	if want := []string{"orders"}; !reflect.DeepEqual(calls, want) {
		t.Errorf("CreateMirror called for %v, want only %v", calls, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if checked["wide"] != 3 {
		t.Errorf("Check saw %d partitions of wide, want 3", checked["wide"])
	}
}
