package linktask

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkemu/linkemu"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		interval time.Duration
		failures int
		want     time.Duration
	}{
		{5 * time.Second, 0, 5 * time.Second},
		{5 * time.Second, 1, 10 * time.Second},
		{5 * time.Second, 3, 40 * time.Second},
		{5 * time.Second, 6, 5 * time.Minute},
		{5 * time.Second, 100, 5 * time.Minute},
		{10 * time.Minute, 0, 10 * time.Minute},
		{10 * time.Minute, 3, 10 * time.Minute},
	}
	for _, tt := range tests {
		if got := backoff(tt.interval, tt.failures); got != tt.want {
			t.Errorf("backoff(%s, %d) = %s, want %s", tt.interval, tt.failures, got, tt.want)
		}
	}
}

type testConfig struct {
	on       bool
	interval time.Duration
}

// counter is a worker whose passes count themselves and fail while fail is
// set.
type counter struct {
	passes  atomic.Int32
	fail    atomic.Bool
	running atomic.Int32 // passes under way, to catch overlaps
	overlap atomic.Bool
	r       *Runner[testConfig]
}

func newCounter(cfg testConfig) *counter {
	c := &counter{}
	c.r = New(Spec[testConfig]{
		Task: linkemu.TaskAclSync,
		Runs: func(cfg testConfig) bool { return cfg.on },
		Initial: func(cfg testConfig) linkemu.Task {
			if !cfg.on {
				return NewTask(linkemu.TaskAclSync, linkemu.TaskNotConfigured)
			}
			return NewTask(linkemu.TaskAclSync, linkemu.TaskActive)
		},
		Interval:        func(cfg testConfig) time.Duration { return cfg.interval },
		DefaultInterval: time.Hour,
		Pass: func(context.Context, testConfig) bool {
			c.pass()
			return c.fail.Load()
		},
	}, cfg)
	return c
}

func (c *counter) pass() {
	if c.running.Add(1) > 1 {
		c.overlap.Store(true)
	}
	time.Sleep(time.Millisecond)
	c.passes.Add(1)
	var errs []linkemu.TaskError
	if c.fail.Load() {
		errs = append(errs, linkemu.TaskError{Code: linkemu.TaskErrInternal, Message: "failed"})
	}
	c.r.Record(errs, len(errs) == 0)
	c.running.Add(-1)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunnerPassesNowThenOnNotify(t *testing.T) {
	c := newCounter(testConfig{on: true}) // the default interval, an hour
	c.r.Start(context.Background())
	t.Cleanup(c.r.Stop)
	waitFor(t, "the first pass", func() bool { return c.passes.Load() == 1 })
	if c.r.LastSync().IsZero() {
		t.Error("LastSync is zero after a clean pass")
	}
	c.r.Notify()
	waitFor(t, "a pass after Notify", func() bool { return c.passes.Load() == 2 })
}

func TestRunnerIdlesWhileDisabled(t *testing.T) {
	c := newCounter(testConfig{})
	c.r.Start(context.Background())
	t.Cleanup(c.r.Stop)
	c.r.Notify()
	time.Sleep(50 * time.Millisecond)
	if n := c.passes.Load(); n != 0 {
		t.Fatalf("%d passes while disabled, want none", n)
	}
	if got := c.r.Task(); got.State != linkemu.TaskNotConfigured || got.Errors == nil {
		t.Errorf("task while disabled = %#v, want NOT_CONFIGURED with empty errors", got)
	}

	c.fail.Store(true)
	c.r.Reconfigure(testConfig{on: true, interval: 10 * time.Millisecond})
	waitFor(t, "a failed pass", func() bool { return c.r.Task().State == linkemu.TaskInError })

	c.r.Reconfigure(testConfig{})
	if got := c.r.Task().State; got != linkemu.TaskNotConfigured {
		t.Errorf("task after disabling = %s, want NOT_CONFIGURED", got)
	}
	c.r.Record([]linkemu.TaskError{{Code: linkemu.TaskErrInternal}}, false) // a pass that was under way
	if got := c.r.Task().State; got != linkemu.TaskNotConfigured {
		t.Errorf("task after a pass that ended after disabling = %s, want NOT_CONFIGURED", got)
	}
}

func TestRunnerBacksOffAfterFailedPasses(t *testing.T) {
	c := newCounter(testConfig{on: true, interval: 20 * time.Millisecond})
	c.fail.Store(true)
	c.r.Start(context.Background())
	t.Cleanup(c.r.Stop)
	// Waits of 40, 80, 160, 320ms after the first pass: about 5 passes in
	// 700ms, where 35 would run without backing off.
	time.Sleep(700 * time.Millisecond)
	if n := c.passes.Load(); n < 2 || n > 8 {
		t.Errorf("%d failed passes in 700ms at a 20ms interval, want about 5", n)
	}
}

func TestRunnerPassesNeverOverlap(t *testing.T) {
	c := newCounter(testConfig{on: true, interval: time.Millisecond})
	c.r.Start(context.Background())
	t.Cleanup(c.r.Stop)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 20 {
				c.r.Exclusive(c.pass)
			}
		})
	}
	wg.Wait()
	if c.overlap.Load() {
		t.Error("passes overlapped")
	}
}

func TestRunnerStartStop(t *testing.T) {
	c := newCounter(testConfig{on: true})
	ctx := context.Background()
	c.r.Start(ctx)
	c.r.Start(ctx) // already running: no second loop
	waitFor(t, "the first pass", func() bool { return c.passes.Load() == 1 })
	c.r.Stop()
	c.r.Stop() // idempotent
	c.r.Start(ctx)
	waitFor(t, "the first pass after a restart", func() bool { return c.passes.Load() == 2 })
	c.r.Stop()
}

// TestReconfigureEndsThePassInFlight starts a pass that blocks until its
// context ends (as one waiting on an unreachable cluster does) and
// reconfigures the runner: the pass must end, not finish later under the
// replaced config, and the next pass must run under the new one.
func TestReconfigureEndsThePassInFlight(t *testing.T) {
	var mu sync.Mutex
	var ran []time.Duration // the interval of each pass's config, as a tag
	ended := make(chan error, 1)
	r := New(Spec[testConfig]{
		Task:            linkemu.TaskAclSync,
		Runs:            func(cfg testConfig) bool { return cfg.on },
		Initial:         func(testConfig) linkemu.Task { return NewTask(linkemu.TaskAclSync, linkemu.TaskActive) },
		Interval:        func(cfg testConfig) time.Duration { return cfg.interval },
		DefaultInterval: time.Hour,
		Pass: func(ctx context.Context, cfg testConfig) bool {
			mu.Lock()
			ran = append(ran, cfg.interval)
			mu.Unlock()
			if cfg.interval == time.Hour { // the old config's pass blocks
				<-ctx.Done()
				ended <- ctx.Err()
				return true
			}
			return false
		},
	}, testConfig{on: true, interval: time.Hour})
	r.Start(context.Background())
	t.Cleanup(r.Stop)
	waitFor(t, "the first pass", func() bool { mu.Lock(); defer mu.Unlock(); return len(ran) == 1 })
	r.Reconfigure(testConfig{on: true, interval: 2 * time.Hour})
	select {
	case err := <-ended:
		if err == nil {
			t.Fatal("the pass ended with no context error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the pass under the old config did not end on Reconfigure")
	}
	waitFor(t, "a pass under the new config", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(ran) == 2 && ran[1] == 2*time.Hour
	})
}
