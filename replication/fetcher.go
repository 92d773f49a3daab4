package replication

import (
	"context"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// fetcher fetches, in one long-polling request at a time, every copying
// partition whose source leader is its broker, and hands each partition its
// batches. Fetching runs ahead of writing by at most one fetch per
// partition (PartitionFetchMaxBytes) and BufferBytes in all.
type fetcher struct {
	w      *Worker
	id     int32
	wake   chan struct{}
	rotate int // where the next request's partition list starts
}

// ensureFetcher starts the fetcher of a source broker if it is not running.
func (w *Worker) ensureFetcher(id int32) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fetchers[id] != nil || w.ctx.Err() != nil {
		return
	}
	f := &fetcher{w: w, id: id, wake: make(chan struct{}, 1)}
	w.fetchers[id] = f
	w.wg.Go(f.run)
}

// wakeFetchers tells every fetcher that partitions may have become
// fetchable.
func (w *Worker) wakeFetchers() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.fetchers {
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
}

func (f *fetcher) run() {
	w := f.w
	ctx := w.ctx
	bo := backoff{min: w.cfg.RetryBackoff, max: w.cfg.RetryBackoffMax}
	for ctx.Err() == nil {
		parts, retryAt, soon := f.collect()
		budget := w.cfg.BufferBytes - w.bufBytes.Load()
		if len(parts) == 0 || budget <= 0 {
			f.idle(ctx, retryAt)
			continue
		}
		maxWait := w.cfg.FetchMaxWait
		if soon || budget < int64(w.cfg.FetchMaxBytes) {
			// A long poll over partitions at their end would keep the
			// partitions about to be fetchable waiting: a request in
			// flight cannot take new partitions.
			maxWait = min(maxWait, soonMaxWait)
		}
		req := f.request(parts, int32(min(budget, int64(w.cfg.FetchMaxBytes))), maxWait)
		kresp, err := w.cfg.Source.Broker(int(f.id)).Request(ctx, req)
		if err == nil {
			err = kerr.ErrorForCode(kresp.(*kmsg.FetchResponse).ErrorCode)
		}
		if ctx.Err() != nil {
			return
		}
		w.noteSource(err)
		if err != nil {
			w.log.Debug("fetch failed", "broker", f.id, "err", err)
			for _, fp := range parts {
				fp.p.fetchFailed(err)
			}
			w.kick()
			sleep(ctx, bo.next())
			continue
		}
		bo.reset()
		f.dispatch(kresp.(*kmsg.FetchResponse), parts)
	}
}

// idle waits until woken, until retryAt (if set), or until ctx is done.
func (f *fetcher) idle(ctx context.Context, retryAt time.Time) {
	var timer <-chan time.Time
	if !retryAt.IsZero() {
		t := time.NewTimer(time.Until(retryAt))
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
	case <-f.wake:
	case <-timer:
	}
}

// soonMaxWait bounds fetch long polls while some partitions are about to
// become fetchable.
const soonMaxWait = 5 * time.Millisecond

// collect lists the partitions to fetch now, the earliest time a partition
// held back after an error may be fetched again, and whether some
// partitions are about to become fetchable.
func (f *fetcher) collect() (parts []fetchPart, retryAt time.Time, soon bool) {
	now := time.Now()
	for _, m := range f.w.mirrorList() {
		if !m.copying() {
			continue
		}
		for _, p := range m.partitions() {
			fp, at, st := p.fetchable(f.id, now)
			switch {
			case st == fetchYes:
				parts = append(parts, fp)
			case st == fetchSoon:
				soon = true
			case !at.IsZero() && (retryAt.IsZero() || at.Before(retryAt)):
				retryAt = at
			}
		}
	}
	return parts, retryAt, soon
}

// request builds a fetch request for parts. Topics carry both their name
// and ID: the version kgo negotiates decides which one goes on the wire.
// The partition order rotates from one request to the next: brokers return
// a batch larger than the partition limit only for the first partition with
// data, and the limits of the response may cut the last ones.
func (f *fetcher) request(parts []fetchPart, maxBytes int32, maxWait time.Duration) *kmsg.FetchRequest {
	f.rotate = (f.rotate + 1) % len(parts)
	parts = append(parts[f.rotate:len(parts):len(parts)], parts[:f.rotate]...)
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID = -1
	req.MaxWaitMillis = int32(maxWait.Milliseconds())
	req.MinBytes = 1
	req.MaxBytes = maxBytes
	req.IsolationLevel = 0 // read_uncommitted: replicate open transactions too
	req.SessionID = 0
	req.SessionEpoch = -1 // no fetch session: every request is a full fetch
	idx := make(map[*mirror]int)
	for _, fp := range parts {
		i, ok := idx[fp.p.m]
		if !ok {
			i = len(req.Topics)
			idx[fp.p.m] = i
			rt := kmsg.NewFetchRequestTopic()
			rt.Topic, rt.TopicID = fp.p.m.spec.SourceTopic, fp.topicID
			req.Topics = append(req.Topics, rt)
		}
		rp := kmsg.NewFetchRequestTopicPartition()
		rp.Partition = fp.p.id
		rp.FetchOffset = fp.offset
		rp.PartitionMaxBytes = fp.maxBytes
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, rp)
	}
	return req
}

// dispatch hands each partition of a fetch response to its partition.
func (f *fetcher) dispatch(resp *kmsg.FetchResponse, parts []fetchPart) {
	type key struct {
		topic string
		id    [16]byte
		part  int32
	}
	byKey := make(map[key]fetchPart, len(parts))
	for _, fp := range parts {
		byKey[key{fp.p.m.spec.SourceTopic, [16]byte{}, fp.p.id}] = fp
		byKey[key{"", fp.topicID, fp.p.id}] = fp
	}
	for i := range resp.Topics {
		rt := &resp.Topics[i]
		for j := range rt.Partitions {
			rp := &rt.Partitions[j]
			k := key{topic: rt.Topic, part: rp.Partition}
			if rt.Topic == "" {
				k.id = rt.TopicID
			}
			if fp, ok := byKey[k]; ok {
				fp.p.deliver(fp.gen, fp.offset, rp)
			}
		}
	}
}
