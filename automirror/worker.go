package automirror

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// CreateMirrorFunc creates a mirror topic of sourceTopic on the link, named
// with the link's prefix, as a create-mirror request would.
type CreateMirrorFunc func(ctx context.Context, sourceTopic string) error

// MirrorsFunc returns the link's mirror topics, whatever their status.
type MirrorsFunc func(ctx context.Context) ([]*linkemu.Mirror, error)

// SourceMirrorsFunc returns the names of the topics on the link's source
// cluster that are mirror topics of any link there.
type SourceMirrorsFunc func(ctx context.Context) ([]string, error)

// CheckFunc refuses a source topic whose mirror could never be created on
// the link, whatever the destination holds: its name would be longer than
// Kafka allows, or it has more partitions than the destination allows.
type CheckFunc func(sourceTopic string, partitions int) error

// Options holds what a Worker needs besides its Config. Source, Mirrors and
// CreateMirror are required.
type Options struct {
	Source        *kgo.Client // a client of the link's source cluster; its MetadataMinAge delays new topics
	Mirrors       MirrorsFunc
	SourceMirrors SourceMirrorsFunc // nil means the source has no mirror topics (e.g. it is not an emulated cluster)
	CreateMirror  CreateMirrorFunc
	Check         CheckFunc        // nil checks nothing before CreateMirror
	Logger        *slog.Logger     // nil means slog.Default(); give it the link's attributes
	Now           func() time.Time // nil means time.Now
}

// Worker is the auto-create mirror topics worker of one link. Its methods
// are safe for concurrent use.
type Worker struct {
	src           *kadm.Client
	mirrors       MirrorsFunc
	sourceMirrors SourceMirrorsFunc
	create        CreateMirrorFunc
	check         CheckFunc
	log           *slog.Logger
	now           func() time.Time

	runner  *linktask.Runner[Config]
	lastLog linktask.ErrorLog // used by passes alone, which never overlap
}

// New returns a Worker with the given options and initial config. It does
// nothing until Start.
func New(opts Options, cfg Config) *Worker {
	w := &Worker{
		src:           kadm.NewClient(opts.Source),
		mirrors:       opts.Mirrors,
		sourceMirrors: opts.SourceMirrors,
		create:        opts.CreateMirror,
		check:         opts.Check,
		log:           opts.Logger,
		now:           opts.Now,
	}
	if w.log == nil {
		w.log = slog.Default()
	}
	if w.now == nil {
		w.now = time.Now
	}
	w.runner = linktask.New(linktask.Spec[Config]{
		Task:            linkemu.TaskAutoCreateMirror,
		Runs:            func(c Config) bool { return c.Enabled },
		Initial:         initialTask,
		Interval:        func(c Config) time.Duration { return c.Interval },
		DefaultInterval: DefaultInterval,
		Pass: func(ctx context.Context, c Config) bool {
			_, failedPass, _ := w.pass(ctx, c)
			return failedPass
		},
		Now: w.now,
	}, cfg)
	return w
}

func initialTask(cfg Config) linkemu.Task {
	if !cfg.Enabled {
		return linktask.NewTask(linkemu.TaskAutoCreateMirror, linkemu.TaskNotConfigured)
	}
	return linktask.NewTask(linkemu.TaskAutoCreateMirror, linkemu.TaskActive)
}

// Start starts the loop; it runs until ctx is done or Stop is called.
// Starting a running Worker does nothing; a stopped one can start again.
func (w *Worker) Start(ctx context.Context) { w.runner.Start(ctx) }

// Stop stops the loop and waits for it to return. It is idempotent.
func (w *Worker) Stop() { w.runner.Stop() }

// Notify asks for a pass soon, e.g. because a mirror was deleted.
func (w *Worker) Notify() { w.runner.Notify() }

// Reconfigure replaces the config and runs a pass soon.
func (w *Worker) Reconfigure(cfg Config) { w.runner.Reconfigure(cfg) }

// Config returns the current config.
func (w *Worker) Config() Config { return w.runner.Config() }

// Task returns the AutoCreateMirror task as of the last pass:
// NOT_CONFIGURED when auto-create is disabled, IN_ERROR with the errors of
// the last pass, or ACTIVE. Pass it through linkemu.TaskStatus to apply the
// link's state.
func (w *Worker) Task() linkemu.Task { return w.runner.Task() }

// SyncNow runs one pass now and returns the source topics it mirrored. It
// does nothing when auto-create is disabled.
func (w *Worker) SyncNow(ctx context.Context) ([]string, error) {
	cfg := w.Config()
	if !cfg.Enabled {
		return nil, nil
	}
	var created []string
	var err error
	w.runner.Exclusive(func() { created, _, err = w.pass(ctx, cfg) })
	return created, err
}

// pass runs one pass and records its outcome in the task; it runs inside
// w.runner.Exclusive. failedPass tells whether the pass as a whole failed,
// which backs the loop off; topics that could not be mirrored are retried
// at the normal interval.
func (w *Worker) pass(ctx context.Context, cfg Config) (created []string, failedPass bool, err error) {
	created, failed, err := w.once(ctx, cfg)
	if ctx.Err() != nil {
		return created, false, err // stopping, or the caller gave up: keep the last real status
	}
	failedPass = err != nil
	var errs []linkemu.TaskError
	if err != nil {
		errs = append(errs, taskError(err))
	}
	for _, f := range failed {
		errs = append(errs, taskError(f))
	}
	w.runner.Record(errs, err == nil && len(failed) == 0)

	if err == nil && len(failed) > 0 {
		err = errors.Join(failed...)
	}
	w.logOutcome(cfg, created, err)
	return created, failedPass, err
}

// once lists and selects source topics and creates their mirrors. It
// returns the source topics mirrored, the per-topic failures, and an error
// when the pass as a whole failed.
func (w *Worker) once(ctx context.Context, cfg Config) (created []string, failed []error, err error) {
	if len(cfg.Filters) == 0 {
		return nil, nil, nil
	}
	details, err := w.src.ListTopics(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("listing topics on the source cluster: %w", err)
	}
	var topics []string
	partitions := make(map[string]int, len(details))
	for _, td := range details {
		if td.Err == nil && !td.IsInternal {
			topics = append(topics, td.Topic)
			partitions[td.Topic] = len(td.Partitions)
		}
	}
	skip := make(map[string]bool)
	mirrors, err := w.mirrors(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("listing the link's mirror topics: %w", err)
	}
	for _, m := range mirrors {
		skip[m.SourceTopic] = true
	}
	if w.sourceMirrors != nil {
		names, err := w.sourceMirrors(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("listing mirror topics on the source cluster: %w", err)
		}
		for _, n := range names {
			skip[n] = true
		}
	}
	for _, t := range Select(cfg.Filters, topics, skip) {
		if err := ctx.Err(); err != nil {
			return created, failed, err
		}
		if w.check != nil {
			if err := w.check(t, partitions[t]); err != nil {
				failed = append(failed, &createError{topic: t, err: err})
				continue
			}
		}
		if err := w.create(ctx, t); err != nil {
			if ctx.Err() != nil {
				return created, failed, ctx.Err()
			}
			failed = append(failed, &createError{topic: t, err: err})
			continue
		}
		created = append(created, t)
	}
	return created, failed, nil
}

// createError is the failure to mirror one source topic.
type createError struct {
	topic string
	err   error
}

func (e *createError) Error() string {
	msg := e.err.Error()
	if linkemu.ErrorCode(e.err) != linkemu.EINTERNAL {
		msg = linkemu.ErrorMessage(e.err) // written for the user
	}
	return fmt.Sprintf("Could not create a mirror topic for source topic '%s': %s", e.topic, msg)
}

func (e *createError) Unwrap() error { return e.err }
