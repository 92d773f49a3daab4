package replication

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	linkemu "github.com/linkemu/linkemu"
)

// partition replicates one partition of a mirror. The fetcher of its source
// leader appends fetched batches to its queue; its own goroutine (run)
// writes them to the destination one operation at a time, so at most one
// write per partition is ever in flight.
type partition struct {
	m    *mirror
	w    *Worker
	id   int32
	log  *slog.Logger
	wake chan struct{}

	// Guarded by mu: shared with the fetcher and with status readers.
	mu          sync.Mutex
	srcLeader   int32
	dstLeader   int32
	srcTopicID  [16]byte
	dstTopicID  [16]byte
	ready       bool   // init succeeded; the offsets below are valid
	starting    bool   // init is running: the partition is about to be fetchable
	gen         uint64 // bumped whenever queued data becomes stale
	fetchOffset int64  // next source offset to fetch
	hold        bool   // stop fetching until the writer handles an out-of-range answer
	queue       []chunk
	queued      int64 // bytes in queue and in the chunk being written
	fetchMax    int32
	retryAt     time.Time // no fetching before this, after a partition error
	fetchBo     backoff
	srcHWM      int64 // -1 until known
	lastFetch   int64 // offset of the last successful fetch, -1 before
	destLEO     int64 // destination log end offset, -1 until known
	records     int64 // source records this worker wrote to the mirror
	bytes       int64 // bytes of the batches it wrote
	next        int64 // next source offset to write
	err         error // last error, cleared by progress

	// Owned by the partition goroutine.
	idem      txnProducer // idempotent producer for non-transactional batches
	pending   *pendingWrite
	txns      map[int64]*txnProducer // replaying source transactions, by source producer ID
	fillers   []*txnProducer
	fillDirty bool // a gap fill was interrupted: settle the fillers at init
	logged    string
}

// chunk is one fetch response's batches for a partition.
type chunk struct {
	batches []rawBatch
	bytes   int64
	oor     bool // the fetch offset was out of range
}

// pendingWrite is the idempotent write in flight, to settle its sequence
// after an unknown outcome.
type pendingWrite struct {
	dest int64
	n    int32
	seq  int32
}

func newPartition(m *mirror, id int32) *partition {
	start := m.doc.Partitions[id].StartOffset
	return &partition{
		m:         m,
		w:         m.w,
		id:        id,
		log:       m.log.With("partition", id),
		wake:      make(chan struct{}, 1),
		fetchMax:  m.w.cfg.PartitionFetchMaxBytes,
		fetchBo:   backoff{min: m.w.cfg.RetryBackoff, max: m.w.cfg.RetryBackoffMax},
		srcHWM:    -1,
		lastFetch: -1,
		destLEO:   -1,
		next:      start,
		idem:      txnProducer{pid: -1},
		fillDirty: true, // a previous run may have left a fill open
		starting:  true,
	}
}

func (p *partition) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *partition) run() {
	ctx := p.m.ctx
	bo := backoff{min: p.w.cfg.RetryBackoff, max: p.w.cfg.RetryBackoffMax}
	for ctx.Err() == nil {
		if p.m.topicError() != nil {
			select { // failed: idle until stopped
			case <-ctx.Done():
			case <-p.wake:
			}
			continue
		}
		var err error
		if !p.isReady() {
			p.setStarting(true)
			err = p.init(ctx)
			p.setStarting(false)
		} else if ch, ok := p.take(ctx); ok {
			err = p.write(ctx, ch)
		} else {
			continue
		}
		if err == nil {
			bo.reset()
			continue
		}
		if !p.failed(ctx, err, &bo) {
			return
		}
	}
}

// failed handles a failed operation: the partition forgets its queue and
// re-reads the destination before going on. It reports false when the
// partition is stopping.
func (p *partition) failed(ctx context.Context, err error, bo *backoff) bool {
	p.reset(err)
	if ctx.Err() != nil || errors.Is(err, errStopping) {
		return false
	}
	var te *topicError
	if errors.As(err, &te) {
		p.m.fail(te)
		return true
	}
	if msg := err.Error(); msg != p.logged {
		p.logged = msg
		p.log.Warn("replication error; retrying", "err", err)
	}
	if isLeaderError(err) {
		p.w.kick()
	}
	return sleep(ctx, bo.next())
}

func isLeaderError(err error) bool {
	for _, e := range []error{kerr.NotLeaderForPartition, kerr.LeaderNotAvailable, kerr.UnknownTopicOrPartition,
		kerr.UnknownTopicID, kerr.FencedLeaderEpoch, kerr.UnknownLeaderEpoch, kerr.NotCoordinator} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func (p *partition) setStarting(v bool) {
	p.mu.Lock()
	p.starting = v
	p.mu.Unlock()
}

func (p *partition) isReady() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ready
}

// take returns the next chunk to write, waiting for one. It returns false
// when woken for another reason (stop, pause, reset).
func (p *partition) take(ctx context.Context) (chunk, bool) {
	p.mu.Lock()
	if p.ready && len(p.queue) > 0 {
		ch := p.queue[0]
		p.queue[0] = chunk{}
		p.queue = p.queue[1:]
		p.mu.Unlock()
		return ch, true
	}
	p.mu.Unlock()
	select {
	case <-ctx.Done():
	case <-p.wake:
	}
	return chunk{}, false
}

// write writes one chunk, batch by batch.
func (p *partition) write(ctx context.Context, ch chunk) error {
	defer p.release(ch.bytes)
	if ch.oor {
		return p.outOfRange(ctx)
	}
	for i := range ch.batches {
		if ctx.Err() != nil {
			return errStopping
		}
		if err := p.writeBatch(ctx, &ch.batches[i]); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.err = nil
	p.mu.Unlock()
	p.logged = ""
	return nil
}

// release returns written (or dropped) bytes to the fetch budget.
func (p *partition) release(n int64) {
	if n == 0 {
		return
	}
	p.mu.Lock()
	p.queued -= n
	p.mu.Unlock()
	p.w.bufBytes.Add(-n)
	p.w.wakeFetchers()
}

// reset forgets queued data and in-memory producer state after an error;
// the next init re-reads the destination.
func (p *partition) reset(err error) {
	p.mu.Lock()
	p.ready = false
	p.gen++
	dropped := p.dropLocked()
	p.err = err
	p.mu.Unlock()
	p.txns = nil
	p.release(dropped)
}

// dropQueue forgets queued data, for pause and failure; the fetcher starts
// again from the write position.
func (p *partition) dropQueue() {
	p.mu.Lock()
	p.gen++
	dropped := p.dropLocked()
	p.hold = false
	p.fetchOffset = p.next
	p.mu.Unlock()
	p.release(dropped)
	p.poke()
}

func (p *partition) dropLocked() int64 {
	var n int64
	for _, ch := range p.queue {
		n += ch.bytes
	}
	p.queue = nil
	return n
}

// setLeaders takes the partition's leaders and topic IDs from metadata.
func (p *partition) setLeaders(src, dst *topicMeta) {
	p.mu.Lock()
	moved := false
	if src != nil && int(p.id) < len(src.leaders) {
		moved = p.srcLeader != src.leaders[p.id]
		p.srcLeader, p.srcTopicID = src.leaders[p.id], src.id
	}
	if dst != nil && int(p.id) < len(dst.leaders) {
		p.dstLeader, p.dstTopicID = dst.leaders[p.id], dst.id
	}
	if moved {
		p.retryAt = time.Time{}
	}
	p.mu.Unlock()
	if moved {
		p.w.wakeFetchers()
	}
}

// fetchPart is a partition's place in one fetch request.
type fetchPart struct {
	p        *partition
	gen      uint64
	offset   int64
	maxBytes int32
	topicID  [16]byte
}

// fetchState is whether and how a fetcher should fetch a partition now.
type fetchState int

const (
	fetchNo   fetchState = iota // not now: not ready, not ours, or waiting for the writer
	fetchSoon                   // not now, but soon: starting, or its writer is draining a full queue
	fetchYes
)

// fetchable reports whether the fetcher of broker should fetch the
// partition now, and from where; or else when to look again (zero: when
// woken).
func (p *partition) fetchable(broker int32, now time.Time) (fetchPart, time.Time, fetchState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.srcLeader != broker:
		return fetchPart{}, time.Time{}, fetchNo
	case p.starting || (p.ready && !p.hold && p.queued >= int64(p.fetchMax)):
		return fetchPart{}, time.Time{}, fetchSoon
	case !p.ready, p.hold:
		return fetchPart{}, time.Time{}, fetchNo
	case now.Before(p.retryAt):
		return fetchPart{}, p.retryAt, fetchNo
	}
	return fetchPart{p: p, gen: p.gen, offset: p.fetchOffset, maxBytes: p.fetchMax, topicID: p.srcTopicID}, time.Time{}, fetchYes
}

// maxPartitionFetch bounds how far a partition's fetch size grows to take a
// batch larger than PartitionFetchMaxBytes.
const maxPartitionFetch = 64 << 20

// deliver takes a fetch response for the partition; gen and offset are what
// the request was built from, so stale answers are dropped.
func (p *partition) deliver(gen uint64, offset int64, rp *kmsg.FetchResponseTopicPartition) {
	var fail *topicError
	var kick bool
	p.mu.Lock()
	if gen != p.gen || offset != p.fetchOffset || !p.ready {
		p.mu.Unlock()
		return
	}
	switch err := kerr.ErrorForCode(rp.ErrorCode); {
	case err == nil:
		p.lastFetch = offset
		p.srcHWM = rp.HighWatermark
		p.fetchBo.reset()
		batches, berr := splitBatches(rp.RecordBatches)
		if berr != nil && len(batches) == 0 {
			if errors.Is(berr, errOldMagic) {
				fail = &topicError{Code: linkemu.MirrorErrUnsupportedFormat,
					Err: errors.New("the source partition holds records in message format v0 or v1; set mirror.start.offset.spec past them")}
			} else {
				p.err = berr
				p.retryAt = time.Now().Add(p.fetchBo.next())
			}
			break
		}
		if len(batches) == 0 {
			if len(rp.RecordBatches) > 0 { // a batch larger than our limit
				p.fetchMax = min(p.fetchMax*2, maxPartitionFetch)
			}
			break
		}
		var size int64
		for _, b := range batches {
			size += int64(len(b.b))
		}
		p.queue = append(p.queue, chunk{batches: batches, bytes: size})
		p.queued += size
		p.w.bufBytes.Add(size)
		p.fetchOffset = batches[len(batches)-1].last() + 1
		p.poke()
	case errors.Is(err, kerr.OffsetOutOfRange):
		p.lastFetch = offset
		p.hold = true
		p.queue = append(p.queue, chunk{oor: true})
		p.poke()
	default:
		p.err = err
		p.retryAt = time.Now().Add(p.fetchBo.next())
		kick = isLeaderError(err) || errors.Is(err, kerr.InconsistentTopicID)
	}
	p.mu.Unlock()
	if fail != nil {
		p.m.fail(fail)
	}
	if kick {
		p.w.kick()
	}
}

// advance records a write: the next source offset to write, and how many
// destination offsets it took.
func (p *partition) advance(next int64, destN int64) {
	p.mu.Lock()
	p.next = next
	p.destLEO += destN
	p.mu.Unlock()
}

// PartitionStatus is the runtime status of one mirror partition.
type PartitionStatus struct {
	Partition int32
	// Lag is the source high watermark minus the position replication has
	// reached, in source offsets.
	Lag int64
	// LastSourceFetchOffset is the offset of the last fetch from the source:
	// before the first, the source offset the mirror already holds data up
	// to (after a restart), or -1 if it holds none.
	LastSourceFetchOffset int64
	// LogEndOffset is the mirror partition's log end offset (-1 until read).
	LogEndOffset int64
	// SourceHighWatermark is the last known source high watermark (-1
	// until known).
	SourceHighWatermark int64
	// RecordsReplicated and BytesReplicated count the source records, and
	// the bytes of their batches, this worker wrote to the mirror partition
	// since it started.
	RecordsReplicated int64
	BytesReplicated   int64
	// Err is the partition's last error, nil once it makes progress.
	Err error
}

func (p *partition) status() PartitionStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lag int64
	if p.srcHWM >= 0 {
		lag = max(0, p.srcHWM-p.next)
	}
	return PartitionStatus{
		Partition:             p.id,
		Lag:                   lag,
		LastSourceFetchOffset: p.lastFetch,
		LogEndOffset:          p.destLEO,
		RecordsReplicated:     p.records,
		BytesReplicated:       p.bytes,
		SourceHighWatermark:   p.srcHWM,
		Err:                   p.err,
	}
}

// fetchFailed records a failed fetch request that included the partition.
func (p *partition) fetchFailed(err error) {
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
}
