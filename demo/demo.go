package demo

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Bounds of a run.
const (
	MaxRate        = 5000
	MaxRecords     = 10_000_000
	MaxDuration    = time.Hour
	MaxRuns        = 8
	MaxPartitions  = 64
	defaultRate    = 10
	defaultRecords = 100_000
	defaultDur     = 10 * time.Minute
	keepEnded      = 20
)

// Run states.
const (
	Running  = "RUNNING"
	Stopped  = "STOPPED"
	Finished = "FINISHED"
	Failed   = "FAILED"
)

// Header keys that mark demo data.
const (
	HeaderDemo = "linkemu-demo"
	HeaderRun  = "linkemu-demo-run"
)

// Dialer returns a new client of a served cluster, with opts added.
type Dialer func(cluster string, opts ...kgo.Opt) (*kgo.Client, error)

// Config configures a Runner.
type Config struct {
	Dial   Dialer
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Spec is what to run.
type Spec struct {
	ClusterID        string `json:"cluster_id"`
	Topic            string `json:"topic"`
	RecordsPerSecond int    `json:"records_per_second"`
	MaxRecords       int64  `json:"max_records"`
	DurationSeconds  int    `json:"duration_seconds"`
	// Partitions is the partition count of the topic if the run creates
	// it; 3 when zero.
	Partitions int32 `json:"partitions"`
	// ConsumerGroup names the consumer's group; linkemu-demo-<topic> when empty.
	ConsumerGroup string `json:"consumer_group"`
	NoConsumer    bool   `json:"no_consumer"`
}

// Status is a run as the API reports it.
type Status struct {
	ID string `json:"id"`
	Spec
	State         string     `json:"state"`
	Reason        string     `json:"reason,omitempty"`
	Produced      int64      `json:"produced"`
	Consumed      int64      `json:"consumed"`
	TopicCreated  bool       `json:"topic_created"`
	StartedAt     time.Time  `json:"started_at"`
	EndedAt       *time.Time `json:"ended_at"`
	ConsumerError string     `json:"consumer_error,omitempty"`
}

// Runner owns the demo runs.
type Runner struct {
	cfg Config
	log *slog.Logger

	mu     sync.Mutex
	seq    int
	runs   []*run // in start order
	closed bool
}

// NewRunner returns a Runner with no runs.
func NewRunner(cfg Config) *Runner {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Runner{cfg: cfg, log: cfg.Logger}
}

func (sp *Spec) normalize() error {
	sp.Topic = strings.TrimSpace(sp.Topic)
	switch {
	case sp.ClusterID == "":
		return linkemu.Errorf(linkemu.EINVALID, "cluster_id is required: the served cluster to produce to.")
	case sp.Topic == "":
		return linkemu.Errorf(linkemu.EINVALID, "topic is required: the topic to produce demo records to.")
	case sp.RecordsPerSecond < 0 || sp.RecordsPerSecond > MaxRate:
		return linkemu.Errorf(linkemu.EINVALID, "records_per_second must be between 1 and %d, not %d.", MaxRate, sp.RecordsPerSecond)
	case sp.MaxRecords < 0 || sp.MaxRecords > MaxRecords:
		return linkemu.Errorf(linkemu.EINVALID, "max_records must be between 1 and %d, not %d.", MaxRecords, sp.MaxRecords)
	case sp.DurationSeconds < 0 || time.Duration(sp.DurationSeconds)*time.Second > MaxDuration:
		return linkemu.Errorf(linkemu.EINVALID, "duration_seconds must be between 1 and %d, not %d.", int(MaxDuration.Seconds()), sp.DurationSeconds)
	case sp.Partitions < 0 || sp.Partitions > MaxPartitions:
		return linkemu.Errorf(linkemu.EINVALID, "partitions must be between 1 and %d, not %d.", MaxPartitions, sp.Partitions)
	}
	if sp.RecordsPerSecond == 0 {
		sp.RecordsPerSecond = defaultRate
	}
	if sp.MaxRecords == 0 {
		sp.MaxRecords = defaultRecords
	}
	if sp.DurationSeconds == 0 {
		sp.DurationSeconds = int(defaultDur.Seconds())
	}
	if sp.Partitions == 0 {
		sp.Partitions = 3
	}
	if sp.ConsumerGroup == "" && !sp.NoConsumer {
		sp.ConsumerGroup = "linkemu-demo-" + sp.Topic
	}
	if sp.NoConsumer {
		sp.ConsumerGroup = ""
	}
	return nil
}

// Start checks spec and starts a run.
func (r *Runner) Start(ctx context.Context, spec Spec) (Status, error) {
	if err := spec.normalize(); err != nil {
		return Status{}, err
	}
	r.mu.Lock()
	running := 0
	for _, x := range r.runs {
		if !x.ended() {
			running++
			if x.spec.ClusterID == spec.ClusterID && x.spec.Topic == spec.Topic {
				r.mu.Unlock()
				return Status{}, linkemu.Errorf(linkemu.ECONFLICT, "Demo run %s already produces to topic '%s' on cluster %s; stop it first.", x.id, spec.Topic, spec.ClusterID)
			}
		}
	}
	closed := r.closed
	r.seq++
	id := fmt.Sprintf("demo-%d", r.seq)
	r.mu.Unlock()
	switch {
	case closed:
		return Status{}, linkemu.Errorf(linkemu.EUNAVAILABLE, "The emulator is shutting down.")
	case running >= MaxRuns:
		return Status{}, linkemu.Errorf(linkemu.EQUOTA, "%d demo runs are running, the most there may be; stop one first.", running)
	}

	x, err := r.newRun(ctx, id, spec)
	if err != nil {
		return Status{}, err
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		x.close()
		return Status{}, linkemu.Errorf(linkemu.EUNAVAILABLE, "The emulator is shutting down.")
	}
	r.runs = append(r.runs, x)
	r.prune()
	r.mu.Unlock()
	x.start()
	r.log.Info("demo traffic started", "run", id, "cluster", spec.ClusterID, "topic", spec.Topic, "rate", spec.RecordsPerSecond)
	return x.status(), nil
}

// prune forgets the oldest ended runs beyond keepEnded; r.mu must be held.
func (r *Runner) prune() {
	ended := 0
	for _, x := range r.runs {
		if x.ended() {
			ended++
		}
	}
	r.runs = slices.DeleteFunc(r.runs, func(x *run) bool {
		if ended > keepEnded && x.ended() {
			ended--
			return true
		}
		return false
	})
}

func (r *Runner) find(id string) (*run, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range r.runs {
		if x.id == id {
			return x, nil
		}
	}
	return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Demo run %s cannot be found.", id)
}

// Get returns one run.
func (r *Runner) Get(id string) (Status, error) {
	x, err := r.find(id)
	if err != nil {
		return Status{}, err
	}
	return x.status(), nil
}

// Stop stops a run and waits for its worker; stopping an ended run is a
// no-op that returns its status.
func (r *Runner) Stop(id string) (Status, error) {
	x, err := r.find(id)
	if err != nil {
		return Status{}, err
	}
	x.stop(Stopped, "stopped on request")
	return x.status(), nil
}

// List returns every run, the newest first.
func (r *Runner) List() []Status {
	r.mu.Lock()
	runs := slices.Clone(r.runs)
	r.mu.Unlock()
	out := make([]Status, 0, len(runs))
	for i := len(runs) - 1; i >= 0; i-- {
		out = append(out, runs[i].status())
	}
	return out
}

// Close stops every run and waits for them.
func (r *Runner) Close() {
	r.mu.Lock()
	r.closed = true
	runs := slices.Clone(r.runs)
	r.mu.Unlock()
	for _, x := range runs {
		x.stop(Stopped, "the emulator shut down")
	}
}
