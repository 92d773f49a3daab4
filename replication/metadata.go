package replication

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// topicMeta is what the worker needs from a metadata response for a topic.
type topicMeta struct {
	id      [16]byte
	leaders []int32 // by partition; -1 when leaderless
	err     error   // topic-level error, e.g. UNKNOWN_TOPIC_OR_PARTITION
}

// metadata fetches fresh metadata for topics.
func metadata(ctx context.Context, cl *kgo.Client, topics []string) (map[string]*topicMeta, error) {
	req := kmsg.NewPtrMetadataRequest()
	for _, t := range topics {
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(t)
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*topicMeta, len(resp.Topics))
	for _, t := range resp.Topics {
		if t.Topic == nil {
			continue
		}
		tm := &topicMeta{id: t.TopicID, err: kerr.ErrorForCode(t.ErrorCode)}
		if tm.err == nil {
			tm.leaders = make([]int32, len(t.Partitions))
			for i := range tm.leaders {
				tm.leaders[i] = -1
			}
			for _, p := range t.Partitions {
				if p.Partition >= 0 && int(p.Partition) < len(tm.leaders) {
					tm.leaders[p.Partition] = p.Leader
				}
			}
		}
		out[*t.Topic] = tm
	}
	return out, nil
}

// refreshMetadata fetches source and destination metadata for every mirror
// and hands each mirror its topics' metadata.
func (w *Worker) refreshMetadata(ctx context.Context) {
	ms := w.mirrorList()
	if len(ms) == 0 {
		return
	}
	var srcTopics, dstTopics []string
	for _, m := range ms {
		srcTopics = append(srcTopics, m.spec.SourceTopic)
		dstTopics = append(dstTopics, m.name)
	}
	rctx, cancel := context.WithTimeout(ctx, w.cfg.RequestTimeout)
	defer cancel()
	src, srcErr := metadata(rctx, w.cfg.Source, srcTopics)
	w.noteSource(srcErr)
	dst, dstErr := metadata(rctx, w.cfg.Dest, dstTopics)
	if ctx.Err() != nil {
		return
	}
	if srcErr != nil {
		w.log.Debug("source metadata", "err", srcErr)
	}
	if dstErr != nil {
		w.log.Warn("destination metadata", "err", dstErr)
	}
	leaders := make(map[int32]bool)
	for _, m := range ms {
		var s, d *topicMeta
		if srcErr == nil {
			s = src[m.spec.SourceTopic]
			if s == nil {
				s = &topicMeta{err: kerr.UnknownTopicOrPartition}
			}
			for _, l := range s.leaders {
				leaders[l] = true
			}
		}
		if dstErr == nil {
			d = dst[m.name]
		}
		m.applyMeta(s, d)
	}
	for l := range leaders {
		if l >= 0 {
			w.ensureFetcher(l)
		}
	}
}

// listOffsets lists, for each partition of one topic, the offset at
// timestamp ts (-1 latest, -2 earliest, or milliseconds: the first offset
// whose timestamp is at or after ts, -1 if none).
func listOffsets(ctx context.Context, cl *kgo.Client, topic string, parts []int32, ts int64) (map[int32]int64, error) {
	offs, err := listTopicsOffsets(ctx, cl, map[string][]int32{topic: parts}, ts)
	return offs[topic], err
}

// endOffsets returns the end offset (high watermark) of every partition of
// topic.
func endOffsets(ctx context.Context, cl *kgo.Client, topic string) (map[int32]int64, error) {
	md, err := metadata(ctx, cl, []string{topic})
	if err != nil {
		return nil, err
	}
	tm := md[topic]
	if tm == nil {
		return nil, fmt.Errorf("topic %q: %w", topic, kerr.UnknownTopicOrPartition)
	}
	if tm.err != nil {
		return nil, fmt.Errorf("topic %q: %w", topic, tm.err)
	}
	parts := make([]int32, len(tm.leaders))
	for i := range parts {
		parts[i] = int32(i)
	}
	return listOffsets(ctx, cl, topic, parts, -1)
}

// listTopicsOffsets is listOffsets for several topics in one request. It
// fails when any partition's answer is an error or missing, returning the
// offsets it got.
func listTopicsOffsets(ctx context.Context, cl *kgo.Client, topics map[string][]int32, ts int64) (map[string]map[int32]int64, error) {
	answers, err := listTopicsOffsetsEach(ctx, cl, topics, ts)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[int32]int64, len(topics))
	var errs, missing []error
	for topic, parts := range topics {
		for _, p := range parts {
			a, ok := answers[topicPart{topic, p}]
			switch {
			case !ok:
				missing = append(missing, fmt.Errorf("listing offsets of %s[%d]: no answer", topic, p))
			case a.err != nil:
				errs = append(errs, a.err)
			default:
				if out[topic] == nil {
					out[topic] = make(map[int32]int64)
				}
				out[topic][p] = a.offset
			}
		}
	}
	if len(errs) == 0 && len(missing) > 0 {
		errs = missing[:1]
	}
	return out, errors.Join(errs...)
}

// refreshPausedMarks refreshes the source high watermarks of partitions
// that are not being fetched, so that their lag keeps growing.
func (w *Worker) refreshPausedMarks(ctx context.Context) {
	want := make(map[string][]int32)
	parts := make(map[string][]*partition)
	for _, m := range w.mirrorList() {
		if !m.paused() {
			continue
		}
		for _, p := range m.partitions() {
			want[m.spec.SourceTopic] = append(want[m.spec.SourceTopic], p.id)
			parts[m.spec.SourceTopic] = append(parts[m.spec.SourceTopic], p)
		}
	}
	if len(want) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, w.cfg.RequestTimeout)
	defer cancel()
	hwms, err := listTopicsOffsets(rctx, w.cfg.Source, want, -1)
	w.noteSource(err)
	for topic, ps := range parts {
		for _, p := range ps {
			if hwm, ok := hwms[topic][p.id]; ok {
				p.mu.Lock()
				p.srcHWM = hwm
				p.mu.Unlock()
			}
		}
	}
}

// mirrorList returns the running mirrors.
func (w *Worker) mirrorList() []*mirror {
	w.mu.Lock()
	defer w.mu.Unlock()
	ms := make([]*mirror, 0, len(w.mirrors))
	for _, m := range w.mirrors {
		ms = append(ms, m)
	}
	return ms
}

// syncAllConfigs runs one topic config sync over every mirror not in error.
func (w *Worker) syncAllConfigs(ctx context.Context) {
	want := make(map[string]string)
	ms := make(map[string]*mirror)
	for _, m := range w.mirrorList() {
		if m.topicError() == nil {
			want[m.name] = m.spec.SourceTopic
			ms[m.name] = m
		}
	}
	rctx, cancel := context.WithTimeout(ctx, w.cfg.RequestTimeout)
	defer cancel()
	start := time.Now()
	clean := true
	for name, err := range w.syncConfigs(rctx, want) {
		if ctx.Err() != nil {
			return
		}
		ms[name].setConfigErr(err)
		clean = clean && err == nil
	}
	if clean {
		w.cfgSyncedAt.Store(time.Now().UnixNano())
	}
	w.log.Debug("topic config sync", "mirrors", len(want), "took", time.Since(start))
}

// LastConfigSync returns when the last topic config sync pass without
// errors finished (the TopicConfigsSync task's last sync), or the zero time
// before one has.
func (w *Worker) LastConfigSync() time.Time {
	if ns := w.cfgSyncedAt.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}
