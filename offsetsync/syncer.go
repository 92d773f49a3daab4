package offsetsync

import (
	"context"
	"log/slog"
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

	runner  *linktask.Runner[Config]
	lastLog logState // used by passes alone, which never overlap
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
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.runner = linktask.New(linktask.Spec[Config]{
		Task:            linkemu.TaskConsumerOffsetSync,
		Runs:            func(c Config) bool { return c.Enabled },
		Initial:         initialTask,
		Interval:        func(c Config) time.Duration { return c.Interval },
		DefaultInterval: DefaultInterval,
		Pass: func(ctx context.Context, c Config) bool {
			failedPass, _ := s.pass(ctx, c, nil)
			return failedPass
		},
		Now: s.now,
	}, cfg)
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
func (s *Syncer) Start(ctx context.Context) { s.runner.Start(ctx) }

// Stop stops the loop and waits for it to return. It is idempotent.
func (s *Syncer) Stop() { s.runner.Stop() }

// Notify asks for a sync pass soon, e.g. because a mirror topic was created.
func (s *Syncer) Notify() { s.runner.Notify() }

// Reconfigure replaces the config and runs a pass soon.
func (s *Syncer) Reconfigure(cfg Config) { s.runner.Reconfigure(cfg) }

// Config returns the current config.
func (s *Syncer) Config() Config { return s.runner.Config() }

// Task returns the ConsumerOffsetSync task as of the last pass:
// NOT_CONFIGURED when offset sync is disabled, IN_ERROR with the errors of
// the last pass, or ACTIVE. Pass it through linkemu.TaskStatus to apply the
// link's state.
func (s *Syncer) Task() linkemu.Task { return s.runner.Task() }

// LastSync returns when the last pass without errors finished, or the zero
// time.
func (s *Syncer) LastSync() time.Time { return s.runner.LastSync() }

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
	var err error
	s.runner.Exclusive(func() { _, err = s.pass(ctx, cfg, mirrors) })
	return err
}

// pass runs one sync pass and records its outcome in the task; it runs
// inside s.runner.Exclusive. failedPass tells whether the pass as a whole
// failed, which backs the loop off; groups that failed alone are retried at
// the normal interval.
func (s *Syncer) pass(ctx context.Context, cfg Config, only []string) (failedPass bool, err error) {
	res, err := s.syncOnce(ctx, cfg, only)
	if ctx.Err() != nil {
		return false, err // stopping, or the caller gave up: keep the last real status
	}
	failedPass = err != nil
	errs := res.taskErrors()
	if err != nil {
		errs = append([]linkemu.TaskError{linktask.TaskError(err)}, errs...)
	}

	// A pass over named mirrors says nothing about the others: only full
	// passes set the task.
	if len(only) == 0 {
		s.runner.Record(errs, err == nil && len(res.failed) == 0)
	}

	s.logOutcome(cfg, res, err)
	if err == nil && len(res.failed) > 0 {
		err = res.failedErr()
	}
	return failedPass, err
}
