package replication

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	linkemu "github.com/linkemu/linkemu"
)

// Config configures a Worker. Source, Dest, Store and ClusterLinkID are
// required; zero values elsewhere take the defaults named below.
type Config struct {
	LinkName      string // key of the worker's documents in Store
	ClusterLinkID string // names the worker's transactional IDs; unique per link

	Source *kgo.Client // reaches the source cluster with the link's credentials
	Dest   *kgo.Client // reaches the destination (local) cluster
	Store  StateStore
	Logger *slog.Logger // default slog.Default()

	// ConfigSyncInterval is topic.config.sync.ms (default 5s); negative
	// disables config sync. ConfigSyncInclude is topic.config.sync.include.
	ConfigSyncInterval time.Duration
	ConfigSyncInclude  []string

	// MetadataInterval is how often the worker looks for source partition
	// growth, deleted or recreated source topics and leader moves
	// (default 5s). Paused mirrors' source high watermarks are refreshed
	// every FetchMaxWait.
	MetadataInterval time.Duration

	// FetchMaxWait is the longest a fetch waits for data (default 500ms).
	FetchMaxWait time.Duration
	// FetchMaxBytes caps one fetch response (default 8 MiB) and
	// PartitionFetchMaxBytes one partition's share of it (default 2 MiB,
	// above Kafka's default max.message.bytes; a partition whose batches
	// are larger grows its share). Smaller fetches interleave better with
	// the writes on a broker; larger ones gain nothing measurable.
	FetchMaxBytes          int32
	PartitionFetchMaxBytes int32
	// BufferBytes caps the bytes fetched but not yet written, over all
	// partitions of the worker (default 128 MiB).
	BufferBytes int64

	// MaxFillGap is the longest run of missing source offsets (compaction
	// holes, or records the source deleted before they were copied) that
	// the worker fills with invisible transaction markers to keep offsets
	// equal (default 10000). A longer run is skipped and recorded in the
	// partition's offset map. FillParallelism is how many transactional
	// producers fill one gap at once (default 4).
	MaxFillGap      int64
	FillParallelism int

	// RetryBackoff and RetryBackoffMax bound the capped exponential
	// backoff after errors (defaults 100ms and 5s).
	RetryBackoff    time.Duration
	RetryBackoffMax time.Duration

	// RequestTimeout bounds each write-side request (default 30s). A write
	// in flight when the worker stops finishes or times out first, so the
	// destination log end offset is settled when Stop returns.
	RequestTimeout time.Duration

	// TransactionTimeout is asked for destination transactions that replay
	// source transactions (default 15m, lowered if the broker refuses it).
	TransactionTimeout time.Duration

	// MaxPartitions is the most partitions a mirror topic may have on the
	// destination (the destination's partitions-per-topic limit); 0 means
	// no limit. When a source topic grows past it, the mirror is not grown
	// and stops copying with ILLEGAL_STATE and a *PartitionLimitError:
	// copying only some of the source's partitions would leave a mirror
	// that looks healthy and silently lacks records.
	MaxPartitions int

	// OnChange, if set, is called (never under a lock, possibly from any
	// goroutine) when a mirror's status changes in a way the manager
	// shows: source availability, a mirror topic error, a partition count.
	// Lags change all the time and do not trigger it.
	OnChange func()
}

func (c *Config) setDefaults() {
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.ConfigSyncInterval, 5*time.Second)
	def(&c.MetadataInterval, 5*time.Second)
	def(&c.FetchMaxWait, 500*time.Millisecond)
	def(&c.RetryBackoff, 100*time.Millisecond)
	def(&c.RetryBackoffMax, 5*time.Second)
	def(&c.RequestTimeout, 30*time.Second)
	def(&c.TransactionTimeout, 15*time.Minute)
	if c.FetchMaxBytes <= 0 {
		c.FetchMaxBytes = 8 << 20
	}
	if c.PartitionFetchMaxBytes <= 0 {
		c.PartitionFetchMaxBytes = 2 << 20
	}
	if c.BufferBytes <= 0 {
		c.BufferBytes = 128 << 20
	}
	if c.MaxFillGap <= 0 {
		c.MaxFillGap = 10000
	}
	if c.FillParallelism <= 0 {
		c.FillParallelism = 4
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Mirror is one mirror topic the worker should replicate, as the manager
// wants it. The manager passes only ACTIVE and PAUSED mirrors.
type Mirror struct {
	Name        string // the mirror topic on the destination
	SourceTopic string
	// StartSpec is mirror.start.offset.spec: "earliest" (or ""), "latest",
	// or an ISO-8601 timestamp. It applies once, when the worker first
	// sees the mirror; partitions added later start at the earliest offset.
	StartSpec string
	// StartOffsets, if set, are StartSpec resolved when the mirror was
	// created (see ResolveStartOffsets), one per partition; the worker
	// starts there instead of resolving StartSpec when it first sees the
	// mirror, which would skip records produced in between.
	StartOffsets []int64
	// Paused stops fetching; the mirror keeps its state and its lag grows.
	Paused bool
}

// Worker replicates the mirror topics of one cluster link. Start it once,
// tell it what to copy with SetMirrors, and Stop it once.
type Worker struct {
	cfg            Config
	log            *slog.Logger
	srcAdm, dstAdm *kadm.Client
	compressor     kgo.Compressor
	decompressor   kgo.Decompressor

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	started  bool
	desired  map[string]Mirror
	mirrors  map[string]*mirror
	fetchers map[int32]*fetcher
	src      sourceHealth

	changed      chan struct{} // the desired set changed or a refresh is wanted
	bufBytes     atomic.Int64  // bytes fetched and not yet written
	txnTimeoutMs atomic.Int32
	cfgSyncedAt  atomic.Int64 // unix nanos of the last config sync pass without errors

	// Lookups many partitions make at once, merged (see batcher).
	destOffs  batcher[topicPart, logOffsets]
	txnStates batcher[string, kmsg.DescribeTransactionsResponseTransactionState]
}

type sourceHealth struct {
	down  bool
	since time.Time
	err   error
}

// New returns a worker for one link. It does nothing until Start.
func New(cfg Config) *Worker {
	cfg.setDefaults()
	comp, _ := kgo.DefaultCompressor(kgo.ZstdCompression())
	w := &Worker{
		cfg:          cfg,
		log:          cfg.Logger.With("link", cfg.LinkName),
		srcAdm:       kadm.NewClient(cfg.Source),
		dstAdm:       kadm.NewClient(cfg.Dest),
		compressor:   comp,
		decompressor: kgo.DefaultDecompressor(),
		desired:      make(map[string]Mirror),
		mirrors:      make(map[string]*mirror),
		fetchers:     make(map[int32]*fetcher),
		changed:      make(chan struct{}, 1),
	}
	w.txnTimeoutMs.Store(int32(cfg.TransactionTimeout.Milliseconds()))
	w.destOffs.do = w.destLogOffsets
	w.txnStates.do = w.describeTxnsEach
	return w
}

// Start starts the worker's loop. It returns at once; the loop runs until
// Stop or until ctx is done.
func (w *Worker) Start(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started {
		return errors.New("replication worker already started")
	}
	w.started = true
	w.ctx, w.cancel = context.WithCancel(ctx)
	w.wg.Go(w.run)
	return nil
}

// Stop stops every goroutine of the worker and waits for them. Writes in
// flight complete (or time out) first. It is idempotent; the clients stay
// open, they belong to the caller.
func (w *Worker) Stop() {
	w.mu.Lock()
	cancel := w.cancel
	w.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	w.wg.Wait()
}

// SetMirrors sets the mirrors to replicate. Mirrors not in ms stop copying
// (their stored state stays; RemoveMirror deletes it); new ones start;
// Paused takes effect at once.
func (w *Worker) SetMirrors(ms []Mirror) {
	w.mu.Lock()
	w.desired = make(map[string]Mirror, len(ms))
	paused := make(map[*mirror]bool)
	for _, spec := range ms {
		w.desired[spec.Name] = spec
		if m, ok := w.mirrors[spec.Name]; ok {
			paused[m] = spec.Paused
		}
	}
	w.mu.Unlock()
	// Pausing takes effect before SetMirrors returns: nothing fetched after
	// it is written, so a caller can rely on the pause at once.
	for m, p := range paused {
		m.setPaused(p)
	}
	w.kick()
}

// kick asks the loop to reconcile mirrors and refresh metadata soon.
func (w *Worker) kick() {
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

// minRefreshGap keeps error-driven metadata refreshes from hammering a
// cluster that is down.
const minRefreshGap = 200 * time.Millisecond

func (w *Worker) run() {
	ctx := w.ctx
	defer w.shutdown()

	meta := time.NewTicker(w.cfg.MetadataInterval)
	defer meta.Stop()
	// Paused mirrors' lags follow the source about as closely as running
	// mirrors' do, which learn the high watermark from every fetch.
	pausedTick := time.NewTicker(w.cfg.FetchMaxWait)
	defer pausedTick.Stop()
	var cfgTick <-chan time.Time
	if w.cfg.ConfigSyncInterval > 0 {
		t := time.NewTicker(w.cfg.ConfigSyncInterval)
		defer t.Stop()
		cfgTick = t.C
	}
	var last time.Time
	refresh := func() {
		w.reconcile()
		w.refreshMetadata(ctx)
		last = time.Now()
	}
	refresh()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.changed:
			if wait := minRefreshGap - time.Since(last); wait > 0 && !sleep(ctx, wait) {
				return
			}
			refresh()
		case <-meta.C:
			refresh()
		case <-pausedTick.C:
			w.refreshPausedMarks(ctx)
		case <-cfgTick:
			w.syncAllConfigs(ctx)
		}
	}
}

// reconcile starts mirrors that are wanted and stops those that are not.
func (w *Worker) reconcile() {
	w.mu.Lock()
	var stop []*mirror
	paused := make(map[*mirror]bool)
	for name, m := range w.mirrors {
		if _, ok := w.desired[name]; !ok {
			stop = append(stop, m)
			delete(w.mirrors, name)
		}
	}
	for name, spec := range w.desired {
		if m, ok := w.mirrors[name]; ok {
			paused[m] = spec.Paused
			continue
		}
		m := newMirror(w, spec)
		w.mirrors[name] = m
		m.start(w.ctx)
	}
	w.mu.Unlock()
	for _, m := range stop {
		m.stop()
	}
	for m, p := range paused {
		m.setPaused(p)
	}
	w.wakeFetchers()
}

// shutdown runs when the loop ends: it stops mirrors and fetchers.
func (w *Worker) shutdown() {
	for _, m := range w.mirrorList() {
		m.stop()
	}
}

// noteSource records whether the last request to the source reached it.
func (w *Worker) noteSource(err error) {
	down := isSourceDown(err)
	if err != nil && !down {
		return // the source answered, with an error code
	}
	w.mu.Lock()
	changed := w.src.down != down
	if down {
		if !w.src.down {
			w.src.since = time.Now()
		}
		w.src.err = err
	} else {
		w.src.err = nil
	}
	w.src.down = down
	w.mu.Unlock()
	if changed {
		if down {
			w.log.Warn("source cluster unreachable", "err", err)
		} else {
			w.log.Info("source cluster reachable again")
		}
		w.changedStatus()
	}
}

func (w *Worker) changedStatus() {
	if w.cfg.OnChange != nil {
		w.cfg.OnChange()
	}
}

// SourceStatus reports whether the source cluster is unreachable, since
// when, and the last error; the manager turns a long outage into link state
// UNAVAILABLE and mirror status SOURCE_UNAVAILABLE.
func (w *Worker) SourceStatus() (down bool, since time.Time, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.src.down, w.src.since, w.src.err
}

// linkTxnID is the transactional ID on produce requests that carry no
// transaction; the destination's read-only guard recognizes the prefix.
func (w *Worker) linkTxnID() string {
	return linkemu.LinkWriterPrefix + w.cfg.ClusterLinkID
}
