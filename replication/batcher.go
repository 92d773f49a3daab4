package replication

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// batcher merges the lookups that partitions make while one request is in
// flight into the next request. At a restart every partition of every
// mirror reads its destination offsets and filler transactions at once:
// one request per partition, answered one after another, took seconds for
// 10,000 partitions; merged, a few requests serve them all.
//
// A lookup is always answered by a request sent after it was made, never
// by one already in flight, so it sees every write that finished before
// it. The caller whose lookup is first in line sends the request for
// everyone waiting (no goroutine of its own), then hands the lead to the
// next waiting caller. Requests are bounded by the worker's request
// timeout, as single lookups were.
type batcher[K comparable, V any] struct {
	// do answers keys: values and per-key errors, or one error for all.
	do func(ctx context.Context, keys []K) (map[K]V, map[K]error, error)

	mu      sync.Mutex
	busy    bool
	pending []*lookup[K, V]
}

type lookup[K comparable, V any] struct {
	keys []K
	res  map[K]V
	err  error
	lead chan struct{} // receives when this caller is to send the request
	done chan struct{} // closed when res and err are set
}

// get returns the values of keys, from a request sent after the call.
func (b *batcher[K, V]) get(ctx context.Context, keys []K) (map[K]V, error) {
	l := &lookup[K, V]{keys: keys, lead: make(chan struct{}, 1), done: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, l)
	if !b.busy {
		b.busy = true
		l.lead <- struct{}{}
	}
	b.mu.Unlock()
	select {
	case <-l.done:
	case <-l.lead:
		b.round(ctx)
		<-l.done
	}
	return l.res, l.err
}

// round sends one request for every waiting lookup and answers them.
func (b *batcher[K, V]) round(ctx context.Context) {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	b.mu.Unlock()

	seen := make(map[K]struct{})
	var keys []K
	for _, l := range batch {
		for _, k := range l.keys {
			if _, ok := seen[k]; !ok {
				seen[k] = struct{}{}
				keys = append(keys, k)
			}
		}
	}
	vals, errs, err := b.do(ctx, keys)
	for _, l := range batch {
		if err != nil {
			l.err = err
		} else {
			l.res = make(map[K]V, len(l.keys))
			var kerrs []error
			for _, k := range l.keys {
				if v, ok := vals[k]; ok {
					l.res[k] = v
				} else if kerr := errs[k]; kerr != nil {
					kerrs = append(kerrs, kerr)
				}
			}
			l.err = errors.Join(kerrs...)
		}
		close(l.done)
	}

	b.mu.Lock()
	if len(b.pending) > 0 {
		b.pending[0].lead <- struct{}{}
	} else {
		b.busy = false
	}
	b.mu.Unlock()
}

// topicPart names a destination partition.
type topicPart struct {
	topic string
	part  int32
}

// logOffsets are a partition's log end and log start offsets.
type logOffsets struct{ leo, logStart int64 }

// destLogOffsets reads the log end and log start offsets of destination
// partitions, in one ListOffsets request each.
func (w *Worker) destLogOffsets(ctx context.Context, keys []topicPart) (map[topicPart]logOffsets, map[topicPart]error, error) {
	opCtx, cancel := w.opContext(ctx)
	defer cancel()
	topics := make(map[string][]int32)
	for _, k := range keys {
		topics[k.topic] = append(topics[k.topic], k.part)
	}
	out := make(map[topicPart]logOffsets, len(keys))
	errs := make(map[topicPart]error)
	for _, ts := range []int64{-1, -2} {
		offs, err := listTopicsOffsetsEach(opCtx, w.cfg.Dest, topics, ts)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range keys {
			r, ok := offs[k]
			switch {
			case !ok:
				errs[k] = fmt.Errorf("listing offsets of %s[%d]: no answer", k.topic, k.part)
			case r.err != nil:
				errs[k] = r.err
			case ts == -1:
				out[k] = logOffsets{leo: r.offset}
			default:
				lo := out[k]
				lo.logStart = r.offset
				out[k] = lo
			}
		}
	}
	for k := range errs {
		delete(out, k)
	}
	return out, errs, nil
}

type offsetAnswer struct {
	offset int64
	err    error
}

// listTopicsOffsetsEach is listTopicsOffsets with an answer per partition.
func listTopicsOffsetsEach(ctx context.Context, cl kmsg.Requestor, topics map[string][]int32, ts int64) (map[topicPart]offsetAnswer, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	for topic, parts := range topics {
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = topic
		for _, p := range parts {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition = p
			rp.Timestamp = ts
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	out := make(map[topicPart]offsetAnswer)
	for _, t := range resp.Topics {
		for _, p := range t.Partitions {
			a := offsetAnswer{offset: p.Offset}
			if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
				a.err = fmt.Errorf("listing offsets of %s[%d]: %w", t.Topic, p.Partition, err)
			}
			out[topicPart{t.Topic, p.Partition}] = a
		}
	}
	return out, nil
}
