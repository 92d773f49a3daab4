package aclsync

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// LinkACLsFunc returns the ACLs on the link's source cluster that cluster
// links created there, each with the cluster_link_id of the link that
// created it. The manager builds it from the Store of every link whose
// destination is this link's source cluster.
type LinkACLsFunc func(ctx context.Context) (map[linkemu.ACLBinding]string, error)

// Options holds what a Syncer needs besides its Config. Source,
// Destination, Link and Store are required.
type Options struct {
	Source      *kgo.Client // a client of the link's source cluster
	Destination *kgo.Client // a client of the destination cluster
	Link        string      // the link's key in Store, unique per link and side
	Store       Store
	LinkACLs    LinkACLsFunc     // nil means no link created ACLs on the source
	Logger      *slog.Logger     // nil means slog.Default(); give it the link's attributes
	Now         func() time.Time // nil means time.Now
}

// Syncer is the ACL sync worker of one link. Its methods are safe for
// concurrent use.
type Syncer struct {
	src, dst *kgo.Client
	link     string
	store    Store
	linkACLs LinkACLsFunc
	log      *slog.Logger
	now      func() time.Time

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
		src:      opts.Source,
		dst:      opts.Destination,
		link:     opts.Link,
		store:    opts.Store,
		linkACLs: opts.LinkACLs,
		log:      opts.Logger,
		now:      opts.Now,
		wake:     make(chan struct{}, 1),
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
	switch {
	case !cfg.Enabled:
		return linktask.NewTask(linkemu.TaskAclSync, linkemu.TaskNotConfigured)
	case len(cfg.Filters) == 0:
		return linktask.NewTask(linkemu.TaskAclSync, linkemu.TaskInError, linkemu.TaskError{Code: linkemu.TaskErrMisconfiguration, Message: MisconfiguredMessage})
	default:
		return linktask.NewTask(linkemu.TaskAclSync, linkemu.TaskActive)
	}
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

// Notify asks for a sync pass soon.
func (s *Syncer) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Reconfigure replaces the config and runs a pass soon.
func (s *Syncer) Reconfigure(cfg Config) {
	s.mu.Lock()
	old := s.cfg
	s.cfg = cfg
	if !cfg.Enabled || len(cfg.Filters) == 0 || !old.Enabled || len(old.Filters) == 0 {
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

// Task returns the AclSync task as of the last pass: NOT_CONFIGURED when
// ACL sync is disabled, IN_ERROR with MISCONFIGURATION_ERROR when it is
// enabled without filters, IN_ERROR with the errors of the last pass, or
// ACTIVE. Pass it through linkemu.TaskStatus to apply the link's state.
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

// SyncNow runs one pass now and returns when it is done. It does nothing
// when ACL sync is disabled, and returns an EINVALID error when it is
// enabled without filters.
func (s *Syncer) SyncNow(ctx context.Context) error {
	cfg := s.Config()
	switch {
	case !cfg.Enabled:
		return nil
	case len(cfg.Filters) == 0:
		return linkemu.Errorf(linkemu.EINVALID, "%s", MisconfiguredMessage)
	}
	_, err := s.pass(ctx, cfg)
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
		if !cfg.Enabled || len(cfg.Filters) == 0 {
			timer.Stop() // nothing to do until Reconfigure
			failures = 0
			continue
		}
		failedPass, _ := s.pass(ctx, cfg)
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
// tells whether the pass as a whole failed, which backs the loop off; ACLs
// that the destination refused are retried at the normal interval.
func (s *Syncer) pass(ctx context.Context, cfg Config) (failedPass bool, err error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()

	res, err := s.syncOnce(ctx, cfg)
	if ctx.Err() != nil {
		return false, err // stopping, or the caller gave up: keep the last real status
	}
	failedPass = err != nil
	var errs []linkemu.TaskError
	if err != nil {
		errs = append(errs, linktask.TaskError(err))
	}
	for _, f := range res.failed {
		errs = append(errs, linktask.TaskError(f))
	}
	task := linktask.PassTask(linkemu.TaskAclSync, errs)

	s.mu.Lock()
	if s.cfg.Enabled && len(s.cfg.Filters) > 0 { // a concurrent Reconfigure may have changed that
		s.task = task
	}
	if err == nil && len(res.failed) == 0 {
		s.lastSync = s.now()
	}
	s.mu.Unlock()

	if err == nil && len(res.failed) > 0 {
		err = errors.Join(res.failed...)
	}
	s.logOutcome(cfg, res, err)
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
