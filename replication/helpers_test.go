package replication

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu/internal/kafkatest"
)

// env is a source and a destination cluster, each with a client, and a
// state store the workers of a test share.
type env struct {
	t        *testing.T
	src, dst *kafkatest.Cluster
	srcCl    *kgo.Client
	dstCl    *kgo.Client
	store    *MemoryStore
}

type envOption func(*envOpts)

type envOpts struct {
	srcDataDir bool
	dstOpts    []kafkatest.Option
}

// withDest passes options to the destination cluster.
func withDest(opts ...kafkatest.Option) envOption {
	return func(o *envOpts) { o.dstOpts = append(o.dstOpts, opts...) }
}

// withSourceDataDir persists the source cluster so that it can restart.
func withSourceDataDir() envOption { return func(o *envOpts) { o.srcDataDir = true } }

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	var o envOpts
	for _, opt := range opts {
		opt(&o)
	}
	var srcOpts []kafkatest.Option
	if o.srcDataDir {
		srcOpts = append(srcOpts, kafkatest.WithDataDir(t.TempDir()))
	}
	e := &env{t: t, src: kafkatest.NewCluster(t, srcOpts...), dst: kafkatest.NewCluster(t, o.dstOpts...), store: NewMemoryStore()}
	e.srcCl = e.src.Client(kafkatest.Partitioned())
	e.dstCl = e.dst.Client()
	return e
}

// topic creates a source topic and its mirror topic (same partitions, the
// source's synced configs), as the manager does.
func (e *env) topic(name string, partitions int32, configs map[string]*string) {
	e.t.Helper()
	e.src.CreateTopic(name, partitions, configs)
	dstConfigs := make(map[string]*string)
	for k, v := range configs {
		if v != nil {
			if _, ok := SyncedConfigs(map[string]string{k: *v}, nil)[k]; ok {
				dstConfigs[k] = v
			}
		}
	}
	e.dst.CreateTopic(name, partitions, dstConfigs)
}

// worker starts a worker on new clients of both clusters (so a test can
// close them to simulate a crash) and stops it when the test ends.
func (e *env) worker(mirrors []Mirror, tune ...func(*Config)) (*Worker, *kgo.Client, *kgo.Client) {
	e.t.Helper()
	src, dst := e.src.Client(), e.dst.Client()
	cfg := Config{
		LinkName:           "link",
		ClusterLinkID:      "Y2x1c3Rlci1saW5rLWlk00",
		Source:             src,
		Dest:               dst,
		Store:              e.store,
		Logger:             testLogger(),
		MetadataInterval:   200 * time.Millisecond,
		ConfigSyncInterval: 200 * time.Millisecond,
		FetchMaxWait:       100 * time.Millisecond,
		RetryBackoff:       20 * time.Millisecond,
		RetryBackoffMax:    300 * time.Millisecond,
		RequestTimeout:     10 * time.Second,
	}
	for _, f := range tune {
		f(&cfg)
	}
	w := New(cfg)
	w.SetMirrors(mirrors)
	if err := w.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(w.Stop)
	return w, src, dst
}

func testLogger() *slog.Logger {
	level := slog.Level(100) // quiet: tests provoke errors on purpose
	if os.Getenv("LINKEMU_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// eventually polls cond until it returns nil, failing the test with its
// last error after timeout. Deadlines are generous: the test machines are
// small and busy.
func eventually(t *testing.T, timeout time.Duration, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v: %v", timeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lagZero is a condition: every partition of the mirror is running, with
// lag 0.
func lagZero(w *Worker, mirror string, partitions int) func() error {
	return func() error {
		_, err := lagZeroStatus(w, mirror, partitions)
		return err
	}
}

// lagZeroStatus takes one status of the mirror and checks that every
// partition is running with lag 0; it returns that status.
func lagZeroStatus(w *Worker, mirror string, partitions int) (MirrorStatus, error) {
	st, ok := w.Status(mirror)
	if !ok {
		return st, fmt.Errorf("mirror %q not running", mirror)
	}
	if st.TopicError != "" {
		return st, fmt.Errorf("mirror failed: %s: %v", st.TopicError, st.Err)
	}
	if len(st.Partitions) != partitions {
		return st, fmt.Errorf("%d partitions running, want %d (err %v)", len(st.Partitions), partitions, st.Err)
	}
	for _, p := range st.Partitions {
		if p.Lag != 0 || p.SourceHighWatermark < 0 || p.LogEndOffset < 0 {
			return st, fmt.Errorf("partition %d: lag %d, hwm %d, leo %d, err %v", p.Partition, p.Lag, p.SourceHighWatermark, p.LogEndOffset, p.Err)
		}
	}
	return st, nil
}

// synced is lagZero against the source's current high watermarks, for
// tests where the status could still hold an older one. Lag and high
// watermark come from one status, taken after the source's end offsets were
// read: a second status could hold a newer high watermark than the one the
// lag was measured against, with the mirror still behind it.
func (e *env) synced(w *Worker, mirror string, partitions int) func() error {
	return func() error {
		ends, err := e.src.Admin().ListEndOffsets(context.Background(), mirror)
		if err != nil {
			return err
		}
		st, err := lagZeroStatus(w, mirror, partitions)
		if err != nil {
			return err
		}
		for _, p := range st.Partitions {
			if end, _ := ends.Lookup(mirror, p.Partition); end.Offset != p.SourceHighWatermark {
				return fmt.Errorf("partition %d: status high watermark %d, source %d", p.Partition, p.SourceHighWatermark, end.Offset)
			}
		}
		return nil
	}
}

// running is a condition: the mirror runs partitions partitions, each of
// which has read its destination log end offset.
func running(w *Worker, mirror string, partitions int) func() error {
	return func() error {
		st, ok := w.Status(mirror)
		if !ok {
			return fmt.Errorf("mirror %q not running", mirror)
		}
		if len(st.Partitions) != partitions {
			return fmt.Errorf("%d partitions running, want %d (err %v)", len(st.Partitions), partitions, st.Err)
		}
		for _, p := range st.Partitions {
			if p.LogEndOffset < 0 {
				return fmt.Errorf("partition %d not started (err %v)", p.Partition, p.Err)
			}
		}
		return nil
	}
}

// pause pauses or resumes the worker's only mirror, t, and waits until the
// status shows it.
func pause(t *testing.T, w *Worker, paused bool) {
	t.Helper()
	w.SetMirrors([]Mirror{{Name: "t", SourceTopic: "t", Paused: paused}})
	eventually(t, waitLong, func() error {
		if st, _ := w.Status("t"); st.Paused != paused {
			return fmt.Errorf("paused is %v, want %v", st.Paused, paused)
		}
		return nil
	})
}

const waitLong = 60 * time.Second
