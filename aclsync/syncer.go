package aclsync

import (
	"context"
	"errors"
	"log/slog"
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

	runner  *linktask.Runner[Config]
	lastLog linktask.ErrorLog // used by passes alone, which never overlap
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
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.runner = linktask.New(linktask.Spec[Config]{
		Task:            linkemu.TaskAclSync,
		Runs:            func(c Config) bool { return c.Enabled && len(c.Filters) > 0 },
		Initial:         initialTask,
		Interval:        func(c Config) time.Duration { return c.Interval },
		DefaultInterval: DefaultInterval,
		Pass: func(ctx context.Context, c Config) bool {
			failedPass, _ := s.pass(ctx, c)
			return failedPass
		},
		Now: s.now,
	}, cfg)
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
func (s *Syncer) Start(ctx context.Context) { s.runner.Start(ctx) }

// Stop stops the loop and waits for it to return. It is idempotent.
func (s *Syncer) Stop() { s.runner.Stop() }

// Notify asks for a sync pass soon.
func (s *Syncer) Notify() { s.runner.Notify() }

// Reconfigure replaces the config and runs a pass soon.
func (s *Syncer) Reconfigure(cfg Config) { s.runner.Reconfigure(cfg) }

// Config returns the current config.
func (s *Syncer) Config() Config { return s.runner.Config() }

// Task returns the AclSync task as of the last pass: NOT_CONFIGURED when
// ACL sync is disabled, IN_ERROR with MISCONFIGURATION_ERROR when it is
// enabled without filters, IN_ERROR with the errors of the last pass, or
// ACTIVE. Pass it through linkemu.TaskStatus to apply the link's state.
func (s *Syncer) Task() linkemu.Task { return s.runner.Task() }

// LastSync returns when the last pass without errors finished, or the zero
// time.
func (s *Syncer) LastSync() time.Time { return s.runner.LastSync() }

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
	var err error
	s.runner.Exclusive(func() { _, err = s.pass(ctx, cfg) })
	return err
}

// pass runs one sync pass and records its outcome in the task; it runs
// inside s.runner.Exclusive. failedPass tells whether the pass as a whole
// failed, which backs the loop off; ACLs that the destination refused are
// retried at the normal interval.
func (s *Syncer) pass(ctx context.Context, cfg Config) (failedPass bool, err error) {
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
	s.runner.Record(errs, err == nil && len(res.failed) == 0)

	if err == nil && len(res.failed) > 0 {
		err = errors.Join(res.failed...)
	}
	s.logOutcome(cfg, res, err)
	return failedPass, err
}
