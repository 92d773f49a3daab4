package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	linksPath   = "/kafka/v3/clusters/lkc-west/links"
	linkPath    = linksPath + "/east-to-west"
	mirrorsPath = linkPath + "/mirrors"
)

// TestLibraryLifecycle is what a user's integration test does: start
// linkemu in-process, link two clusters, create a mirror topic, produce to
// the source and read the record from the mirror through the clusters'
// bootstrap addresses, close it, and find nothing left running.
func TestLibraryLifecycle(t *testing.T) {
	noLeaks(t)

	ctx := context.Background()
	emu := start(t, emulator.Options{})
	rest := newREST(t, emu.RESTURL)
	east, ok := emu.Cluster("lkc-east")
	if !ok || !east.Embedded || east.Bootstrap == "" {
		t.Fatalf("Cluster(lkc-east) = %+v, %v", east, ok)
	}
	west, _ := emu.Cluster("lkc-west")
	if _, ok := emu.Cluster("lkc-nope"); ok {
		t.Error("Cluster(lkc-nope) found a cluster")
	}

	rest.must(http.StatusNoContent, http.MethodPost, linksPath+"?link_name=east-to-west", map[string]any{"source_cluster_id": "lkc-east"})
	eventually(t, "link ACTIVE", func() bool { return rest.linkState("lkc-west", "east-to-west") == "ACTIVE" })

	rest.must(http.StatusCreated, http.MethodPost, "/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "orders", "partitions_count": 1})
	want := make([]string, 10)
	for i := range want {
		want[i] = fmt.Sprintf("order-%d", i)
	}
	produce(ctx, t, east.Bootstrap, "orders", want...)
	if got := consume(ctx, t, east.Bootstrap, "orders", len(want)); !slices.Equal(got, want) {
		t.Errorf("consumed %q from lkc-east, want %q", got, want)
	}

	rest.must(http.StatusNoContent, http.MethodPost, mirrorsPath, map[string]any{"source_topic_name": "orders"})
	eventually(t, "mirror ACTIVE", func() bool {
		_, m := rest.do(http.MethodGet, mirrorsPath+"/orders", nil)
		return m["mirror_status"] == "ACTIVE"
	})
	if got := consume(ctx, t, west.Bootstrap, "orders", len(want)); !slices.Equal(got, want) {
		t.Errorf("consumed %q from the mirror on lkc-west, want %q", got, want)
	}

	open := addrs(t, emu)
	dataDir := emu.DataDir
	if err := emu.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	rest.http.CloseIdleConnections()
	for _, a := range open {
		assertClosed(t, a)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Errorf("temporary data dir %s is still there: %v", dataDir, err)
	}
}

// TestTwoInstances runs two emulators side by side in one process: their
// ports differ, each serves its own links, and closing one leaves the other
// working.
func TestTwoInstances(t *testing.T) {
	noLeaks(t)

	emus := make([]*emulator.Emulator, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range emus {
		wg.Go(func() {
			emus[i], errs[i] = emulator.Start(context.Background(), emulator.Options{HealthInterval: 200 * time.Millisecond})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("start emulator %d: %v", i, err)
		}
		t.Cleanup(func() { _ = emus[i].Close() })
	}
	a, b := emus[0], emus[1]
	if seen := append(addrs(t, a), addrs(t, b)...); len(slices.Compact(slices.Sorted(slices.Values(seen)))) != len(seen) {
		t.Fatalf("the two emulators share an address: %v", seen)
	}
	if a.DataDir == b.DataDir {
		t.Fatalf("the two emulators share data dir %s", a.DataDir)
	}

	ra, rb := newREST(t, a.RESTURL), newREST(t, b.RESTURL)
	ra.must(http.StatusNoContent, http.MethodPost, linksPath+"?link_name=east-to-west", map[string]any{"source_cluster_id": "lkc-east"})
	if status, _ := rb.do(http.MethodGet, linkPath, nil); status != http.StatusNotFound {
		t.Errorf("the second emulator sees the first one's link: status %d", status)
	}
	eventually(t, "link ACTIVE", func() bool { return ra.linkState("lkc-west", "east-to-west") == "ACTIVE" })

	ctx := context.Background()
	ra.must(http.StatusCreated, http.MethodPost, "/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "only-in-a"})
	rb.must(http.StatusCreated, http.MethodPost, "/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "only-in-b"})
	eastA, _ := a.Cluster("lkc-east")
	eastB, _ := b.Cluster("lkc-east")
	produce(ctx, t, eastA.Bootstrap, "only-in-a", "a")
	produce(ctx, t, eastB.Bootstrap, "only-in-b", "b")
	if got := consume(ctx, t, eastB.Bootstrap, "only-in-b", 1); !slices.Equal(got, []string{"b"}) {
		t.Errorf("consumed %q from b", got)
	}

	openA := addrs(t, a)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	for _, addr := range openA {
		assertClosed(t, addr)
	}
	rb.must(http.StatusOK, http.MethodGet, "/kafka/v3/clusters/lkc-east", nil)
	if got := consume(ctx, t, eastB.Bootstrap, "only-in-b", 1); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after closing a, consumed %q from b", got)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	ra.http.CloseIdleConnections()
	rb.http.CloseIdleConnections()
}

// TestStartFailsCleanly checks that a Start that fails half-way (the second
// cluster's ID is taken) stops what it started and says why.
func TestStartFailsCleanly(t *testing.T) {
	noLeaks(t)
	_, err := emulator.Start(context.Background(), emulator.Options{Embedded: emulator.EmbeddedClusters("lkc-a", "lkc-a")})
	if err == nil || !strings.Contains(err.Error(), "lkc-a") {
		t.Fatalf("Start with a duplicate cluster ID: %v", err)
	}
}

// noLeaks fails t if, once it and its cleanups are done, goroutines run
// that did not run when it started. Call it first: cleanups run last-in
// first-out, so this check runs after every Close.
func noLeaks(t *testing.T) {
	t.Helper()
	running := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, running) })
}

// produce writes values to topic, one record each, and waits for the acks.
func produce(ctx context.Context, t *testing.T, bootstrap, topic string, values ...string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(bootstrap, ",")...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	recs := make([]*kgo.Record, len(values))
	for i, v := range values {
		recs[i] = &kgo.Record{Topic: topic, Value: []byte(v)}
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce to %s on %s: %v", topic, bootstrap, err)
	}
}

// consume reads n records of topic from its start and returns their values.
func consume(ctx context.Context, t *testing.T, bootstrap, topic string, n int) []string {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(bootstrap, ",")...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var got []string
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consume %s on %s: got %d of %d records before the deadline", topic, bootstrap, len(got), n)
		}
		fs.EachRecord(func(r *kgo.Record) { got = append(got, string(r.Value)) })
	}
	return got
}
