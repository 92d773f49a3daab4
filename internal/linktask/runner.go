package linktask

import (
	"context"
	"sync"
	"time"

	"github.com/linkemu/linkemu"
)

// Spec is what sets one worker's Runner apart. C is the worker's Config.
type Spec[C any] struct {
	// Task is the name of the task, e.g. linkemu.TaskAclSync.
	Task string
	// Runs reports whether passes run under cfg; the loop is idle while
	// they do not.
	Runs func(cfg C) bool
	// Initial returns the task under cfg before its first pass.
	Initial func(cfg C) linkemu.Task
	// Interval returns the wait between passes that cfg asks for;
	// DefaultInterval applies when it is not positive.
	Interval        func(cfg C) time.Duration
	DefaultInterval time.Duration
	// Pass runs one pass of the loop under cfg and reports whether it
	// failed as a whole, which backs the loop off. It records its outcome
	// itself (Record).
	Pass func(ctx context.Context, cfg C) (failed bool)
	// Now is the clock of LastSync; nil means time.Now.
	Now func() time.Time
}

// Runner runs one worker's loop and keeps its config and task. Its methods
// are safe for concurrent use.
type Runner[C any] struct {
	spec Spec[C]
	wake chan struct{}

	mu       sync.Mutex
	cfg      C
	task     linkemu.Task
	lastSync time.Time
	cancel   context.CancelFunc
	done     chan struct{}
	// passCancel cancels the loop's pass in flight: a Reconfigure ends it,
	// so that no pass finishes under a config that was replaced (e.g. one
	// stuck on an unreachable cluster that would sync a group the new
	// filters exclude once the cluster returns).
	passCancel context.CancelFunc

	passMu sync.Mutex // serializes passes: the loop's and the worker's own
}

// New returns a Runner with the initial config cfg. It runs nothing until
// Start.
func New[C any](spec Spec[C], cfg C) *Runner[C] {
	if spec.Now == nil {
		spec.Now = time.Now
	}
	return &Runner[C]{spec: spec, wake: make(chan struct{}, 1), cfg: cfg, task: spec.Initial(cfg)}
}

// Start starts the loop; it runs until ctx is done or Stop is called.
// Starting a running Runner does nothing; a stopped one can start again.
func (r *Runner[C]) Start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		return
	}
	ctx, r.cancel = context.WithCancel(ctx)
	r.done = make(chan struct{})
	go r.run(ctx, r.done)
}

// Stop stops the loop and waits for it to return. It is idempotent.
func (r *Runner[C]) Stop() {
	r.mu.Lock()
	cancel, done := r.cancel, r.done
	r.cancel, r.done = nil, nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Notify asks for a pass soon.
func (r *Runner[C]) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Reconfigure replaces the config, cancels the loop's pass in flight (it
// ran under the old config) and asks for a pass soon. When passes start or
// stop running, the task becomes the new config's initial task.
func (r *Runner[C]) Reconfigure(cfg C) {
	r.mu.Lock()
	old := r.cfg
	r.cfg = cfg
	if !r.spec.Runs(cfg) || !r.spec.Runs(old) {
		r.task = r.spec.Initial(cfg)
	}
	if r.passCancel != nil {
		r.passCancel()
	}
	r.mu.Unlock()
	r.Notify()
}

// Config returns the current config.
func (r *Runner[C]) Config() C {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// Task returns the task as of the last recorded pass, or the initial task.
func (r *Runner[C]) Task() linkemu.Task {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.task
	t.Errors = append([]linkemu.TaskError{}, t.Errors...)
	return t
}

// LastSync returns when the last clean pass was recorded, or the zero time.
func (r *Runner[C]) LastSync() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastSync
}

// Exclusive runs fn while no other pass runs. A worker runs its passes on
// demand (SyncNow) through it; the loop's passes go through it too.
func (r *Runner[C]) Exclusive(fn func()) {
	r.passMu.Lock()
	defer r.passMu.Unlock()
	fn()
}

// Record sets the task after a pass with errs (passTask), unless passes no
// longer run because a Reconfigure came meanwhile; a clean pass also sets
// LastSync.
func (r *Runner[C]) Record(errs []linkemu.TaskError, clean bool) {
	task := passTask(r.spec.Task, errs)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.spec.Runs(r.cfg) {
		r.task = task
	}
	if clean {
		r.lastSync = r.spec.Now()
	}
}

func (r *Runner[C]) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-timer.C:
		}
		var cfg C
		var failed, ran bool
		r.Exclusive(func() {
			// Read the config and arm the pass's cancel in one step: a
			// Reconfigure either comes before (this pass runs under its
			// config) or cancels this pass.
			passCtx, cancel := context.WithCancel(ctx)
			defer cancel()
			r.mu.Lock()
			cfg = r.cfg
			if ran = r.spec.Runs(cfg); ran {
				r.passCancel = cancel
			}
			r.mu.Unlock()
			if !ran {
				return
			}
			failed = r.spec.Pass(passCtx, cfg)
			r.mu.Lock()
			r.passCancel = nil
			r.mu.Unlock()
			if passCtx.Err() != nil {
				failed = false // replaced by a Reconfigure, which asked for the next pass
			}
		})
		if ctx.Err() != nil {
			return
		}
		if !ran {
			timer.Stop() // wait for Reconfigure
			failures = 0
			continue
		}
		interval := r.spec.Interval(cfg)
		if interval <= 0 {
			interval = r.spec.DefaultInterval
		}
		if failed {
			failures++
		} else {
			failures = 0
		}
		timer.Reset(backoff(interval, failures))
	}
}

// backoff returns the wait before the next pass: the interval after a
// success, doubling with each consecutive failure up to maxBackoff (or the
// interval, if longer).
func backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for i := 0; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, max(maxBackoff, interval))
}

const maxBackoff = 5 * time.Minute
