package offsetsync

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// TranslateFunc maps a committed source offset to the destination offset of
// the same record on a mirror topic. It returns false when no safe
// translation is known yet; that partition is then skipped this round.
type TranslateFunc func(mirrorTopic string, partition int32, sourceOffset int64) (int64, bool)

// MirrorsFunc returns the link's mirror topics on the destination cluster.
type MirrorsFunc func(ctx context.Context) ([]*linkemu.Mirror, error)

// Options holds what a Syncer needs besides its Config. Source, Destination
// and Mirrors are required.
type Options struct {
	Source      *kgo.Client // a client of the link's source cluster
	Destination *kgo.Client // a client of the destination cluster, where the mirrors are
	Mirrors     MirrorsFunc
	Translate   TranslateFunc    // nil means offsets are the same on both sides
	Logger      *slog.Logger     // nil means slog.Default(); give it the link's attributes
	Now         func() time.Time // nil means time.Now
}

// Syncer is the consumer offset sync worker of one link. Its methods are
// safe for concurrent use.
type Syncer struct {
	src, dst  *kadm.Client
	mirrors   MirrorsFunc
	translate TranslateFunc
	log       *slog.Logger
	now       func() time.Time

	wake chan struct{}

	mu       sync.Mutex
	cfg      Config
	task     linkemu.Task
	lastSync time.Time
	cancel   context.CancelFunc
	done     chan struct{}

	syncMu  sync.Mutex // serializes passes: the loop's and SyncNow's
	lastLog logState
}

// New returns a Syncer with the given options and initial config. It does
// nothing until Start.
func New(opts Options, cfg Config) *Syncer {
	s := &Syncer{
		src:       kadm.NewClient(opts.Source),
		dst:       kadm.NewClient(opts.Destination),
		mirrors:   opts.Mirrors,
		translate: opts.Translate,
		log:       opts.Logger,
		now:       opts.Now,
		wake:      make(chan struct{}, 1),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.cfg = cfg
	s.task = initialTask(cfg)
	return s
}

func initialTask(cfg Config) linkemu.Task {
	if !cfg.Enabled {
		return linktask.NewTask(linkemu.TaskConsumerOffsetSync, linkemu.TaskNotConfigured)
	}
	return linktask.NewTask(linkemu.TaskConsumerOffsetSync, linkemu.TaskActive)
}

// Start starts the sync loop; it runs until ctx is done or Stop is called.
// Starting a running Syncer does nothing; a stopped one can start again.
func (s *Syncer) Start(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan struct{})
	go s.run(ctx, s.done)
}

// Stop stops the loop and waits for it to return. It is idempotent.
func (s *Syncer) Stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel, s.done = nil, nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Notify asks for a sync pass soon, e.g. because a mirror topic was created.
func (s *Syncer) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Reconfigure replaces the config and runs a pass soon.
func (s *Syncer) Reconfigure(cfg Config) {
	s.mu.Lock()
	wasEnabled := s.cfg.Enabled
	s.cfg = cfg
	if !cfg.Enabled || !wasEnabled {
		s.task = initialTask(cfg)
	}
	s.mu.Unlock()
	s.Notify()
}

// Config returns the current config.
func (s *Syncer) Config() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// Task returns the ConsumerOffsetSync task as of the last pass:
// NOT_CONFIGURED when offset sync is disabled, IN_ERROR with the errors of
// the last pass, or ACTIVE. Pass it through linkemu.TaskStatus to apply the
// link's state.
func (s *Syncer) Task() linkemu.Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.task
	t.Errors = append([]linkemu.TaskError{}, t.Errors...)
	return t
}

// LastSync returns when the last pass without errors finished, or the zero
// time.
func (s *Syncer) LastSync() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSync
}

// SyncNow runs one pass now and returns when it is done. With mirror topic
// names, it syncs only those mirrors, whatever their status, which lets
// promote and failover do a final sync of mirrors they are stopping; such a
// pass does not change Task. It does nothing when offset sync is disabled.
// Groups in use on the destination are not errors; failures to read or
// commit offsets are.
func (s *Syncer) SyncNow(ctx context.Context, mirrors ...string) error {
	cfg := s.Config()
	if !cfg.Enabled {
		return nil
	}
	_, err := s.pass(ctx, cfg, mirrors)
	return err
}

func (s *Syncer) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	timer := time.NewTimer(0)
	defer timer.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-timer.C:
		}
		cfg := s.Config()
		if !cfg.Enabled {
			timer.Stop() // wait for Reconfigure
			failures = 0
			continue
		}
		failedPass, _ := s.pass(ctx, cfg, nil)
		if ctx.Err() != nil {
			return
		}
		interval := cfg.Interval
		if interval <= 0 {
			interval = DefaultInterval
		}
		if failedPass {
			failures++
		} else {
			failures = 0
		}
		timer.Reset(backoff(interval, failures))
	}
}

// pass runs one sync pass and records its outcome in the task. failedPass
// tells whether the pass as a whole failed, which backs the loop off; groups
// that failed alone are retried at the normal interval.
func (s *Syncer) pass(ctx context.Context, cfg Config, only []string) (failedPass bool, err error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()

	res, err := s.syncOnce(ctx, cfg, only)
	if ctx.Err() != nil {
		return false, err // stopping, or the caller gave up: keep the last real status
	}
	failedPass = err != nil
	errs := res.taskErrors()
	if err != nil {
		errs = append([]linkemu.TaskError{linktask.TaskError(err)}, errs...)
	}
	task := linktask.PassTask(linkemu.TaskConsumerOffsetSync, errs)

	// A pass over named mirrors says nothing about the others: only full
	// passes set the task.
	if len(only) == 0 {
		s.mu.Lock()
		if s.cfg.Enabled { // a concurrent Reconfigure may have disabled sync
			s.task = task
		}
		if err == nil && len(res.failed) == 0 {
			s.lastSync = s.now()
		}
		s.mu.Unlock()
	}

	s.logOutcome(cfg, res, err)
	if err == nil && len(res.failed) > 0 {
		err = res.failedErr()
	}
	return failedPass, err
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
