package replication

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	linkemu "github.com/linkemu/linkemu"
)

// mirror is the runtime of one mirror topic: its partitions, the metadata
// of its two topics, and its persisted document. Its goroutine (run) loads
// the document, settles partition start offsets, grows partitions, and
// starts a goroutine per partition.
type mirror struct {
	w    *Worker
	name string
	spec Mirror // Paused is kept in paused below
	log  *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{}

	// saveMu orders saves of doc: held across the store call, it is never
	// taken by status readers. mu is never held across I/O or the store.
	saveMu sync.Mutex

	mu       sync.Mutex
	isPaused bool
	doc      *mirrorDoc // nil until loaded; changed only under mu
	src, dst *topicMeta
	missing  int // metadata refreshes in a row without the source topic
	terr     *topicError
	err      error // last transient mirror-level error
	cfgErr   error
	parts    []*partition
}

func newMirror(w *Worker, spec Mirror) *mirror {
	return &mirror{
		w:        w,
		name:     spec.Name,
		spec:     spec,
		isPaused: spec.Paused,
		log:      w.log.With("mirror", spec.Name),
		wake:     make(chan struct{}, 1),
	}
}

func (m *mirror) start(ctx context.Context) {
	m.ctx, m.cancel = context.WithCancel(ctx)
	m.wg.Go(m.run)
	m.poke()
}

// stop stops the mirror's goroutines and waits for them.
func (m *mirror) stop() {
	m.cancel()
	m.wg.Wait()
}

func (m *mirror) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *mirror) run() {
	bo := backoff{min: m.w.cfg.RetryBackoff, max: m.w.cfg.RetryBackoffMax}
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-m.wake:
		}
		err := m.step(m.ctx)
		var te *topicError
		switch {
		case err == nil:
			bo.reset()
			m.setErr(nil)
		case errors.As(err, &te):
			m.fail(te)
		case m.ctx.Err() != nil:
			return
		default:
			m.setErr(err)
			m.log.Warn("mirror setup", "err", err)
			if !sleep(m.ctx, bo.next()) {
				return
			}
			m.poke()
		}
	}
}

// step moves the mirror towards running one partition goroutine per source
// partition: it loads the document, records the source topic ID, creates
// missing destination partitions and settles new partitions' start offsets.
func (m *mirror) step(ctx context.Context) error {
	if m.doc == nil {
		doc, err := loadDoc(m.w.cfg.Store, m.w.cfg.LinkName, m.name)
		if err != nil {
			return err
		}
		m.mu.Lock()
		m.doc = doc
		m.mu.Unlock()
	}
	m.mu.Lock()
	src, dst, terr, have := m.src, m.dst, m.terr, len(m.parts)
	m.mu.Unlock()
	switch {
	case terr != nil, src == nil, dst == nil, src.err != nil:
		return nil // failed, or waiting for metadata; applyMeta pokes us
	case dst.err != nil:
		return fmt.Errorf("destination topic %q: %w", m.name, dst.err)
	}
	if m.doc.SourceTopicID == "" && src.id != [16]byte{} {
		m.mu.Lock()
		m.doc.SourceTopicID = hex.EncodeToString(src.id[:])
		m.mu.Unlock()
		if err := m.save(); err != nil {
			return err
		}
	}
	nsrc, ndst := len(src.leaders), len(dst.leaders)
	if nsrc < have {
		return topicErrorf(linkemu.MirrorErrPartitionsDecreased,
			"source topic %q has %d partitions, fewer than the %d the mirror has", m.spec.SourceTopic, nsrc, have)
	}
	if ndst < nsrc {
		if limit := m.w.cfg.MaxPartitions; limit > 0 && nsrc > limit {
			return &topicError{Code: linkemu.MirrorErrIllegalState,
				Err: &PartitionLimitError{SourceTopic: m.spec.SourceTopic, Source: nsrc, Mirror: ndst, Limit: limit}}
		}
		rctx, cancel := context.WithTimeout(ctx, m.w.cfg.RequestTimeout)
		defer cancel()
		resp, err := m.w.dstAdm.UpdatePartitions(rctx, nsrc, m.name)
		if err == nil {
			err = resp.Error()
		}
		if err != nil {
			return fmt.Errorf("growing mirror topic to %d partitions like its source: %w", nsrc, err)
		}
		m.log.Info("source partitions grew; grew the mirror", "partitions", nsrc)
		m.w.kick() // the next refresh shows the new partitions
		return nil
	}
	if have == nsrc {
		return nil
	}
	return m.addPartitions(ctx, src, dst, have, nsrc)
}

// addPartitions starts partitions [from, to), settling their start offsets
// first: the StartSpec for a new mirror, the earliest offset for partitions
// the source grew later. src and dst are the metadata step checked, which
// have at least to partitions; the new partitions take their leaders from
// the mirror's latest metadata when it still has them all (a refresh that
// found the destination topic deleted has none), else from the checked.
func (m *mirror) addPartitions(ctx context.Context, src, dst *topicMeta, from, to int) error {
	spec := m.spec.StartSpec
	if from > 0 || len(m.doc.Partitions) > 0 {
		spec = "earliest"
	}
	var unset []int32
	for i := from; i < to; i++ {
		if m.doc.Partitions[int32(i)] == nil {
			unset = append(unset, int32(i))
		}
	}
	if len(unset) > 0 {
		var starts map[int32]int64
		var err error
		if spec != "earliest" && len(m.spec.StartOffsets) > 0 {
			starts, err = pinnedStarts(m.spec.StartOffsets, unset)
		} else {
			starts, err = m.w.startOffsets(ctx, m.spec.SourceTopic, unset, spec)
			m.w.noteSource(err)
		}
		if err != nil {
			return fmt.Errorf("resolving mirror.start.offset.spec %q: %w", spec, err)
		}
		m.mu.Lock()
		for _, p := range unset {
			m.doc.Partitions[p] = &partitionDoc{StartOffset: starts[p]}
		}
		m.mu.Unlock()
		if err := m.save(); err != nil {
			return err
		}
	}
	m.mu.Lock()
	src, dst = covering(m.src, src, to), covering(m.dst, dst, to)
	for i := from; i < to; i++ {
		p := newPartition(m, int32(i))
		p.srcLeader, p.srcTopicID = src.leaders[i], src.id
		p.dstLeader, p.dstTopicID = dst.leaders[i], dst.id
		m.parts = append(m.parts, p)
		m.wg.Go(p.run)
	}
	m.mu.Unlock()
	if from > 0 {
		m.w.changedStatus()
	}
	return nil
}

// covering returns latest when it has at least n partitions, else checked.
func covering(latest, checked *topicMeta, n int) *topicMeta {
	if latest != nil && len(latest.leaders) >= n {
		return latest
	}
	return checked
}

// pinnedStarts returns the start offsets the manager resolved when it
// created the mirror, for partitions parts.
func pinnedStarts(pinned []int64, parts []int32) (map[int32]int64, error) {
	out := make(map[int32]int64, len(parts))
	for _, p := range parts {
		if int(p) >= len(pinned) {
			return nil, fmt.Errorf("no start offset was pinned for partition %d", p)
		}
		out[p] = pinned[p]
	}
	return out, nil
}

// startOffsets resolves a mirror.start.offset.spec for partitions of a
// source topic.
func (w *Worker) startOffsets(ctx context.Context, topic string, parts []int32, spec string) (map[int32]int64, error) {
	return ResolveStartOffsets(ctx, w.cfg.Source, topic, parts, spec, w.cfg.RequestTimeout)
}

// ResolveStartOffsets resolves a mirror.start.offset.spec for partitions of
// a source topic: the manager pins latest and timestamp specs this way when
// it creates a mirror (Mirror.StartOffsets).
func ResolveStartOffsets(ctx context.Context, source *kgo.Client, topic string, parts []int32, spec string, timeout time.Duration) (map[int32]int64, error) {
	ts, err := parseStartSpec(spec)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	offs, err := listOffsets(rctx, source, topic, parts, ts)
	if err != nil || ts < 0 {
		return offs, err
	}
	// No record at or after the timestamp: start at the end.
	var late []int32
	for _, p := range parts {
		if offs[p] < 0 {
			late = append(late, p)
		}
	}
	if len(late) > 0 {
		ends, err := listOffsets(rctx, source, topic, late, -1)
		if err != nil {
			return nil, err
		}
		for p, o := range ends {
			offs[p] = o
		}
	}
	return offs, nil
}

// ValidateStartSpec checks a mirror.start.offset.spec value: "earliest",
// "latest", or an ISO-8601 timestamp such as 2026-01-02T15:04:05Z.
func ValidateStartSpec(spec string) error {
	_, err := parseStartSpec(spec)
	return err
}

var startSpecLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02"}

// parseStartSpec returns the ListOffsets timestamp for a spec: -2 earliest,
// -1 latest, or milliseconds since the epoch.
func parseStartSpec(spec string) (int64, error) {
	switch strings.ToLower(strings.TrimSpace(spec)) {
	case "", "earliest":
		return -2, nil
	case "latest":
		return -1, nil
	}
	for _, layout := range startSpecLayouts {
		if t, err := time.Parse(layout, strings.TrimSpace(spec)); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, linkemu.Errorf(linkemu.EINVALID,
		"mirror.start.offset.spec %q is not valid: use earliest, latest, or an ISO-8601 timestamp such as 2026-01-02T15:04:05Z.", spec)
}

// save persists the mirror's document. It encodes the document under mu
// and writes it under saveMu only: a store write that waits (bbolt growing
// its file waits for open read transactions) never holds up Status, whose
// callers may hold such a transaction. Saves are ordered, and each encodes
// the document after the previous one was written, so the last save stores
// the latest document.
func (m *mirror) save() error {
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	m.mu.Lock()
	raw, err := encodeDoc(m.doc)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	return saveRaw(m.w.cfg.Store, m.w.cfg.LinkName, m.name, raw)
}

// applyMeta takes the latest metadata of the mirror's source topic (nil if
// the source could not be asked) and destination topic (nil likewise). It
// detects deleted and recreated source topics.
func (m *mirror) applyMeta(src, dst *topicMeta) {
	m.mu.Lock()
	before := m.terr
	if src != nil {
		switch {
		case errors.Is(src.err, kerr.UnknownTopicOrPartition), errors.Is(src.err, kerr.UnknownTopicID):
			m.missing++
			if m.missing >= 2 && m.terr == nil {
				m.terr = topicErrorf(linkemu.MirrorErrSourceTopicMayBeDeleted,
					"source topic %q no longer exists", m.spec.SourceTopic)
			}
		case src.err != nil:
			m.err = fmt.Errorf("source topic %q: %w", m.spec.SourceTopic, src.err)
		default:
			m.missing = 0
			recorded := ""
			if m.doc != nil {
				recorded = m.doc.SourceTopicID
			}
			id := hex.EncodeToString(src.id[:])
			switch {
			case recorded != "" && src.id != [16]byte{} && id != recorded:
				if m.terr == nil || m.terr.Code == linkemu.MirrorErrSourceTopicMayBeDeleted {
					m.terr = topicErrorf(linkemu.MirrorErrSourceTopicIDChanged,
						"source topic %q was recreated: its topic ID changed from %s to %s", m.spec.SourceTopic, recorded, id)
				}
			case m.terr != nil && m.terr.Code == linkemu.MirrorErrSourceTopicMayBeDeleted:
				m.terr = nil // a metadata glitch: the same topic is back
			}
			m.src = src
		}
	}
	if dst != nil {
		m.dst = dst
	}
	after, parts := m.terr, slices.Clone(m.parts)
	srcMeta, dstMeta := m.src, m.dst
	m.mu.Unlock()

	for _, p := range parts {
		p.setLeaders(srcMeta, dstMeta)
	}
	if before != after {
		if after != nil {
			m.log.Error("mirror stopped copying", "err", after)
		} else {
			m.log.Info("mirror copying again: the source topic is back")
		}
		for _, p := range parts {
			p.dropQueue() // and wakes the partition
		}
		m.w.wakeFetchers()
		m.w.changedStatus()
	}
	m.poke()
}

// fail records a condition that stops the mirror from copying.
func (m *mirror) fail(te *topicError) {
	m.mu.Lock()
	first := m.terr == nil
	if first {
		te.at = time.Now()
		m.terr = te
	}
	parts := slices.Clone(m.parts)
	m.mu.Unlock()
	if first {
		m.log.Error("mirror stopped copying", "err", te)
		for _, p := range parts {
			p.dropQueue()
		}
		m.w.changedStatus()
	}
}

func (m *mirror) topicError() *topicError {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.terr
}

func (m *mirror) setErr(err error) {
	m.mu.Lock()
	m.err = err
	m.mu.Unlock()
}

// setConfigErr records a config sync's outcome and logs a change of it
// once: the first failure, a different failure, the recovery.
func (m *mirror) setConfigErr(err error) {
	m.mu.Lock()
	prev := m.cfgErr
	m.cfgErr = err
	m.mu.Unlock()
	switch {
	case err != nil && (prev == nil || prev.Error() != err.Error()):
		m.log.Warn("topic config sync failed", "err", err)
	case err == nil && prev != nil:
		m.log.Info("topic config sync recovered")
	}
}

func (m *mirror) paused() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.isPaused
}

// copying reports whether the mirror's partitions should fetch and write.
func (m *mirror) copying() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return !m.isPaused && m.terr == nil && m.ctx.Err() == nil
}

func (m *mirror) setPaused(paused bool) {
	m.mu.Lock()
	changed := m.isPaused != paused
	m.isPaused = paused
	parts := slices.Clone(m.parts)
	m.mu.Unlock()
	if !changed {
		return
	}
	m.log.Info("mirror copying changed", "paused", paused)
	for _, p := range parts {
		p.dropQueue()
	}
	m.w.wakeFetchers()
}

func (m *mirror) partitions() []*partition {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.parts)
}

// partitionDoc returns partition p's persisted state.
func (m *mirror) partitionDoc(p int32) partitionDoc {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := *m.doc.Partitions[p]
	d.Map = slices.Clone(d.Map)
	return d
}

// updatePartitionDoc changes partition p's persisted state and saves it.
func (m *mirror) updatePartitionDoc(p int32, fn func(*partitionDoc)) error {
	m.mu.Lock()
	fn(m.doc.Partitions[p])
	m.mu.Unlock()
	return m.save()
}
