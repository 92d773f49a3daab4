package kafkatest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// These tests cover linkemu's kfake change "topics.log"
// (third_party/kfake/topicslog.go): a topic change appends the changed
// topics to topics.log instead of rewriting topics.json; a start replays the
// log over topics.json; compaction and a clean shutdown fold the log into
// topics.json. A crash is a copy of the running cluster's data dir.

// topicsState is what a client sees of the cluster's topics: per topic its
// ID, partition count and the configs set on it.
func topicsState(t *testing.T, c *Cluster) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	adm := c.Admin()
	topics, err := adm.ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := topics.Names()
	slices.Sort(names)
	var cfgs kadm.ResourceConfigs
	if len(names) > 0 {
		if cfgs, err = adm.DescribeTopicConfigs(ctx, names...); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	for _, name := range names {
		td := topics[name]
		fmt.Fprintf(&b, "%s id=%s partitions=%d", name, td.ID, len(td.Partitions))
		rc, err := cfgs.On(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		var set []string
		for _, cfg := range rc.Configs {
			if cfg.Source == kmsg.ConfigSourceDynamicTopicConfig {
				set = append(set, cfg.Key+"="+cfg.MaybeValue())
			}
		}
		slices.Sort(set)
		for _, kv := range set {
			b.WriteString(" " + kv)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// topicChanges makes every kind of topic change: creates (one with
// configs, two in one request), config alters (AlterConfigs, incremental
// set and delete), partitions added, deletes, and a topic deleted and
// created again under its name, whose new ID it returns with the old one.
func topicChanges(t *testing.T, c *Cluster, round int) (oldID, newID [16]byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	adm := c.Admin()
	name := func(s string) string { return fmt.Sprintf("r%d-%s", round, s) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	altered := func(alts kadm.AlterConfigsResponses, topic string) {
		t.Helper()
		r, err := alts.On(topic, nil)
		must(err)
		must(r.Err)
	}

	c.CreateTopic(name("plain"), 2, nil)
	c.CreateTopic(name("compacted"), 1, map[string]*string{"cleanup.policy": kadm.StringPtr("compact"), "retention.ms": kadm.StringPtr("1000")})
	res, err := adm.CreateTopics(ctx, 3, 1, map[string]*string{"max.message.bytes": kadm.StringPtr("2000")}, name("batch-a"), name("batch-b"))
	must(err)
	must(res.Error())
	oldID = c.CreateTopic(name("again"), 1, map[string]*string{"retention.ms": kadm.StringPtr("5000")})
	c.CreateTopic(name("gone"), 1, nil)

	alts, err := adm.AlterTopicConfigs(ctx, []kadm.AlterConfig{
		{Op: kadm.SetConfig, Name: "retention.ms", Value: kadm.StringPtr("86400000")},
		{Op: kadm.SetConfig, Name: "segment.bytes", Value: kadm.StringPtr("1048576")},
	}, name("plain"))
	must(err)
	altered(alts, name("plain"))
	alts, err = adm.AlterTopicConfigs(ctx, []kadm.AlterConfig{{Op: kadm.DeleteConfig, Name: "retention.ms"}}, name("compacted"))
	must(err)
	altered(alts, name("compacted"))
	// AlterConfigs (not incremental) replaces every config of the topic.
	alts, err = adm.AlterTopicConfigsState(ctx, []kadm.AlterConfig{{Name: "retention.bytes", Value: kadm.StringPtr("123456")}}, name("batch-b"))
	must(err)
	altered(alts, name("batch-b"))

	grown, err := adm.UpdatePartitions(ctx, 5, name("plain"), name("batch-a"))
	must(err)
	must(grown.Error())

	c.DeleteTopic(name("gone"))
	c.DeleteTopic(name("again"))
	newID = c.CreateTopic(name("again"), 4, nil)
	if newID == oldID {
		t.Fatalf("topic %s created again with its old ID %x", name("again"), oldID)
	}
	return oldID, newID
}

func TestKfakeTopicsSurviveCrashAndCleanRestart(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	jsonAtStart, err := os.ReadFile(filepath.Join(dir, "topics.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, newID := topicChanges(t, c, 0)
	want := topicsState(t, c)
	if !strings.Contains(want, fmt.Sprintf("r0-again id=%s partitions=4\n", kadm.TopicID(newID))) {
		t.Fatalf("the re-created topic is not as created:\n%s", want)
	}
	if json, _ := os.ReadFile(filepath.Join(dir, "topics.json")); string(json) != string(jsonAtStart) {
		t.Fatalf("topics.json was rewritten by a topic change:\n%s", json)
	}
	if _, err := os.Stat(filepath.Join(dir, "topics.log")); err != nil {
		t.Fatal(err)
	}

	crashed, _ := CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash:\n%s\nwant:\n%s", got, want)
	}

	c.Restart()
	if got := topicsState(t, c); got != want {
		t.Fatalf("after a clean restart:\n%s\nwant:\n%s", got, want)
	}

	// After the clean restart topics.json holds everything and the log
	// starts again; a crash then finds both.
	topicChanges(t, c, 1)
	want = topicsState(t, c)
	crashed, _ = CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash that followed a clean restart:\n%s\nwant:\n%s", got, want)
	}
	c.Close()
	if _, err := os.Stat(filepath.Join(dir, "topics.log")); !os.IsNotExist(err) {
		t.Fatalf("topics.log after a clean shutdown: %v", err)
	}
	c.start()
	if got := topicsState(t, c); got != want {
		t.Fatalf("after the second clean restart:\n%s\nwant:\n%s", got, want)
	}
}

// topicsLogGen reads the generation topics.json was written with.
func topicsLogGen(t *testing.T, dir string) int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "topics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pt struct {
		LogGen int `json:"log_gen"`
	}
	if err := json.Unmarshal(raw, &pt); err != nil {
		t.Fatal(err)
	}
	return pt.LogGen
}

func TestKfakeTopicsSurviveCrashAfterCompaction(t *testing.T) {
	dir := t.TempDir()
	small := WithKfake(kfake.BrokerConfigs(map[string]string{"state.log.compact.bytes": "1500"}))
	c := NewCluster(t, WithDataDir(dir), small)
	gen := topicsLogGen(t, dir)
	for round := range 3 {
		topicChanges(t, c, round)
	}
	if got := topicsLogGen(t, dir); got <= gen+1 {
		t.Fatalf("topics.json generation %d after the changes, was %d: the log was not compacted more than once", got, gen)
	}
	if info, err := os.Stat(filepath.Join(dir, "topics.log")); err == nil && info.Size() >= 1500+1000 {
		t.Fatalf("topics.log has %d bytes after compactions at 1,500", info.Size())
	}
	want := topicsState(t, c)
	crashed, _ := CrashCopy(t, dir, nil, small)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash:\n%s\nwant:\n%s", got, want)
	}
	c.Restart()
	if got := topicsState(t, c); got != want {
		t.Fatalf("after a clean restart:\n%s\nwant:\n%s", got, want)
	}
}

// TestKfakeSkipsATopicsLogOlderThanTopicsJSON puts back a topics.log that
// topics.json has since folded in, as a crash between the two steps of a
// compaction or clean shutdown leaves it: the log is not replayed, so a
// topic deleted after it was written stays deleted and later changes stay.
func TestKfakeSkipsATopicsLogOlderThanTopicsJSON(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	topicChanges(t, c, 0)
	staleLog, err := os.ReadFile(filepath.Join(dir, "topics.log"))
	if err != nil {
		t.Fatal(err)
	}
	c.DeleteTopic("r0-plain")
	c.DeleteTopic("r0-again")
	c.CreateTopic("r0-again", 2, map[string]*string{"retention.ms": kadm.StringPtr("7000")})
	want := topicsState(t, c)
	c.Close()
	if err := os.WriteFile(filepath.Join(dir, "topics.log"), staleLog, 0o644); err != nil {
		t.Fatal(err)
	}
	c.start()
	if got := topicsState(t, c); got != want {
		t.Fatalf("after a start with an older topics.log:\n%s\nwant:\n%s", got, want)
	}
	// The next change starts the log again: nothing of the older one
	// comes back at a crash.
	c.CreateTopic("after", 1, nil)
	want = topicsState(t, c)
	crashed, _ := CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash:\n%s\nwant:\n%s", got, want)
	}
}

func TestKfakeDiscardsATornTopicsLogEntry(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	topicChanges(t, c, 0)
	want := topicsState(t, c)
	logPath := filepath.Join(dir, "topics.log")
	info, err := os.Stat(logPath)
	if err != nil {
		t.Fatal(err)
	}
	before := info.Size()
	c.CreateTopic("last", 3, map[string]*string{"retention.ms": kadm.StringPtr("9000")})
	if info, err = os.Stat(logPath); err != nil || info.Size() <= before {
		t.Fatalf("topics.log did not grow: %v", err)
	}
	torn := before + (info.Size()-before)/2

	crashed, cp := CrashCopy(t, dir, func(dir string) {
		if err := os.Truncate(filepath.Join(dir, "topics.log"), torn); err != nil {
			t.Fatal(err)
		}
	})
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash that tore the last entry:\n%s\nwant (without topic last):\n%s", got, want)
	}
	// The torn bytes are cut off before the next entry, which a later
	// crash finds.
	crashed.CreateTopic("next", 1, nil)
	want = topicsState(t, crashed)
	again, _ := CrashCopy(t, cp, nil)
	if got := topicsState(t, again); got != want {
		t.Fatalf("after a second crash:\n%s\nwant:\n%s", got, want)
	}
}

// TestKfakeLoadsTopicsJSONOfOlderVersions starts on a data dir as the kfake
// before topics.log left it: topics.json without a generation and no log.
func TestKfakeLoadsTopicsJSONOfOlderVersions(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir))
	topicChanges(t, c, 0)
	want := topicsState(t, c)
	c.Close()

	path := filepath.Join(dir, "topics.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var old map[string]json.RawMessage
	if err := json.Unmarshal(raw, &old); err != nil {
		t.Fatal(err)
	}
	if _, ok := old["log_gen"]; !ok {
		t.Fatalf("topics.json has no log_gen: %s", raw)
	}
	delete(old, "log_gen")
	if raw, err = json.Marshal(old); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "topics.log")); !os.IsNotExist(err) {
		t.Fatalf("topics.log after a clean shutdown: %v", err)
	}

	c.start()
	if got := topicsState(t, c); got != want {
		t.Fatalf("from an older topics.json:\n%s\nwant:\n%s", got, want)
	}
	topicChanges(t, c, 1)
	want = topicsState(t, c)
	crashed, _ := CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash that followed the upgrade:\n%s\nwant:\n%s", got, want)
	}
}

// TestKfakeStoresTopicChangesWhenTheLogCannotBeWritten fails writes to
// topics.log, then to every state file: a change that cannot be appended
// rewrites topics.json as before, and one that cannot be stored at all is
// stored with the next change.
func TestKfakeStoresTopicChangesWhenTheLogCannotBeWritten(t *testing.T) {
	dir := t.TempDir()
	var failing atomic.Value // the file name suffix whose writes fail
	failing.Store("none")
	fault := WithKfake(kfake.StorageFault(func(op, path string) error {
		if strings.HasSuffix(path, failing.Load().(string)) {
			return syscall.ENOSPC
		}
		return nil
	}))
	c := NewCluster(t, WithDataDir(dir), fault)
	c.CreateTopic("before", 1, nil)

	failing.Store("topics.log")
	c.CreateTopic("json", 2, nil)
	want := topicsState(t, c)
	crashed, _ := CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash, the log failing:\n%s\nwant:\n%s", got, want)
	}

	failing.Store("") // every write fails
	c.CreateTopic("lost", 1, nil)
	c.DeleteTopic("before")
	failing.Store("none")
	c.CreateTopic("next", 1, nil)
	want = topicsState(t, c)
	crashed, _ = CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash, every write failing for a while:\n%s\nwant:\n%s", got, want)
	}
}

// TestKfakeStoresAutoCreatedTopics: a topic a Metadata request creates is
// stored like one CreateTopics creates (upstream stored it with the next
// other change).
func TestKfakeStoresAutoCreatedTopics(t *testing.T) {
	dir := t.TempDir()
	c := NewCluster(t, WithDataDir(dir), WithKfake(kfake.AllowAutoTopicCreation()))
	req := kmsg.NewPtrMetadataRequest()
	req.AllowAutoTopicCreation = true
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr("auto")
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(context.Background(), c.Client())
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Topics) != 1 || resp.Topics[0].ErrorCode != 0 {
		t.Fatalf("metadata: %+v", resp.Topics)
	}
	want := topicsState(t, c)
	if !strings.Contains(want, "auto id=") {
		t.Fatalf("no auto-created topic:\n%s", want)
	}
	crashed, _ := CrashCopy(t, dir, nil)
	if got := topicsState(t, crashed); got != want {
		t.Fatalf("after a crash:\n%s\nwant:\n%s", got, want)
	}
}
