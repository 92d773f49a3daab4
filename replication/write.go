package replication

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	linkemu "github.com/linkemu/linkemu"
)

// init (re)starts the partition from what the destination holds: its log end
// offset is the resume point, mapped back to a source offset by the offset
// map. A partition whose destination is still below its start offset is
// aligned first: filler records up to the start offset, then DeleteRecords,
// so that mirror offsets equal source offsets from the first record on.
func (p *partition) init(ctx context.Context) error {
	if p.fillDirty {
		if err := p.settleFillers(ctx); err != nil {
			return err
		}
		p.fillDirty = false
	}
	leo, logStart, err := p.destOffsets(ctx)
	if err != nil {
		return err
	}
	if pw := p.pending; pw != nil {
		switch leo {
		case pw.dest: // the write did not land
		case pw.dest + int64(pw.n): // it landed
			p.idem.seq = addSeq(pw.seq, pw.n)
		default: // something else moved the log: start a new producer
			p.idem.pid = -1
		}
		p.pending = nil
	}
	doc := p.m.partitionDoc(p.id)
	if leo < doc.StartOffset {
		if err := p.fillRecords(ctx, leo, doc.StartOffset); err != nil {
			return err
		}
		leo = doc.StartOffset
	}
	if logStart < doc.StartOffset {
		if err := p.deleteRecords(ctx, doc.StartOffset); err != nil {
			return err
		}
	}
	p.mu.Lock()
	p.destLEO = leo
	p.next = doc.Map.ToSource(leo)
	p.fetchOffset = p.next
	if p.lastFetch < 0 && p.next > doc.StartOffset {
		// After a restart the mirror holds data up to next: report the
		// position reached rather than no fetch at all.
		p.lastFetch = p.next
	}
	p.hold = false
	p.ready = true
	p.gen++
	p.err = nil
	p.mu.Unlock()
	p.logged = ""
	p.w.wakeFetchers()
	p.log.Debug("partition ready", "dest_log_end_offset", leo, "source_offset", doc.Map.ToSource(leo))
	return nil
}

// writeBatch writes one source batch at the position replication reached.
func (p *partition) writeBatch(ctx context.Context, rb *rawBatch) error {
	if rb.last() < p.next {
		return nil // already written: a fetch returns the batch holding its offset
	}
	if rb.base() > p.next {
		if err := p.fillGap(ctx, p.next, rb.base()); err != nil {
			return err
		}
	}
	if rb.control() {
		if typ, ok := rb.controlType(); ok && rb.base() == rb.last() &&
			(typ == kmsg.ControlRecordKeyTypeAbort || typ == kmsg.ControlRecordKeyTypeCommit) {
			return p.endSourceTxn(ctx, rb.h.ProducerID, typ == kmsg.ControlRecordKeyTypeCommit)
		}
		// Another control record consumers never see: keep its offsets.
		return p.fillGap(ctx, p.next, rb.last()+1)
	}
	if rb.base() == p.next && rb.verbatim() {
		return p.writeRecords(ctx, rb, rb.h.ProducerID, p.next)
	}
	return p.writeSplit(ctx, rb)
}

// splitBatchBytes caps the batches writeSplit builds.
const splitBatchBytes = 512 << 10

// writeSplit writes a batch that cannot be forwarded as is: its records from
// the write position on are re-encoded, uncompressed, in runs of consecutive
// offsets, and the holes between them are filled. Records keep their key,
// value, headers and timestamp.
func (p *partition) writeSplit(ctx context.Context, rb *rawBatch) error {
	recs, err := rb.records(p.w.decompressor)
	if err != nil {
		return topicErrorf(linkemu.MirrorErrIllegalState, "source batch at offset %d cannot be decoded: %v", rb.base(), err)
	}
	for _, rn := range runs(rb.base(), recs, p.next, splitBatchBytes) {
		if rn.first > p.next {
			if err := p.fillGap(ctx, p.next, rn.first); err != nil {
				return err
			}
		}
		nb := encodeRun(rb, rn)
		if err := p.writeRecords(ctx, &nb, rb.h.ProducerID, rn.first); err != nil {
			return err
		}
	}
	return p.fillGap(ctx, p.next, rb.last()+1)
}

// writeRecords produces a batch of records whose first one is the source
// record at offset first (the write position). Transactional batches go
// into the destination transaction replaying source producer srcPID; the
// others go through the partition's idempotent producer.
func (p *partition) writeRecords(ctx context.Context, rb *rawBatch, srcPID int64, first int64) error {
	n := rb.h.NumRecords
	if rb.txnal() {
		tp, err := p.replayProducer(ctx, srcPID)
		if err != nil {
			return err
		}
		if err := p.beginTxn(ctx, tp); err != nil {
			return err
		}
		rb.setProducer(tp.pid, tp.epoch, tp.seq)
		if err := p.produce(ctx, rb, tp.id); err != nil {
			return err
		}
		tp.seq, tp.fresh = addSeq(tp.seq, n), false
	} else if err := p.produceIdempotent(ctx, rb); err != nil {
		return err
	}
	p.advance(first+int64(n), int64(n))
	p.mu.Lock()
	p.records += int64(n)
	p.bytes += int64(len(rb.b))
	p.mu.Unlock()
	return nil
}

// produceIdempotent produces a non-transactional batch through the
// partition's idempotent producer. The write stays pending until it is
// acknowledged, so that init can tell whether it landed.
func (p *partition) produceIdempotent(ctx context.Context, rb *rawBatch) error {
	if err := p.idempotent(ctx); err != nil {
		return err
	}
	n := rb.h.NumRecords
	rb.setProducer(p.idem.pid, p.idem.epoch, p.idem.seq)
	p.pending = &pendingWrite{dest: p.destLEO, n: n, seq: p.idem.seq}
	if err := p.produce(ctx, rb, p.w.linkTxnID()); err != nil {
		return err
	}
	p.pending = nil
	p.idem.seq = addSeq(p.idem.seq, n)
	return nil
}

// addSeq advances a producer sequence the way brokers do, wrapping at
// MaxInt32.
func addSeq(seq, n int32) int32 { return int32((int64(seq) + int64(n)) % math.MaxInt32) }

// idempotent makes sure the partition has an idempotent producer ID.
func (p *partition) idempotent(ctx context.Context) error {
	if p.idem.pid >= 0 {
		return nil
	}
	pid, epoch, err := p.w.initProducerID(ctx, nil)
	if err != nil {
		return err
	}
	p.idem = txnProducer{pid: pid, epoch: epoch}
	return nil
}

// linkProduce carries a produce request past kgo, which otherwise replaces
// the acks of a *kmsg.ProduceRequest with the client's configured acks: the
// engine needs acks=-1 whatever the destination client was built with.
type linkProduce struct{ *kmsg.ProduceRequest }

// produce sends one batch to the destination leader and checks that it
// landed at the destination log end offset. Any error leaves the outcome
// unknown; the caller resets the partition, which re-reads the log end
// offset rather than retrying blindly.
func (p *partition) produce(ctx context.Context, rb *rawBatch, txnID string) error {
	p.mu.Lock()
	leader, topicID, expect := p.dstLeader, p.dstTopicID, p.destLEO
	p.mu.Unlock()

	req := kmsg.NewPtrProduceRequest()
	req.TransactionID = &txnID
	req.Acks = -1
	req.TimeoutMillis = int32(p.w.cfg.RequestTimeout.Milliseconds())
	rt := kmsg.NewProduceRequestTopic()
	rt.Topic, rt.TopicID = p.m.name, topicID
	rp := kmsg.NewProduceRequestTopicPartition()
	rp.Partition, rp.Records = p.id, rb.b
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)

	opCtx, cancel := p.w.opContext(ctx)
	defer cancel()
	kresp, err := p.w.cfg.Dest.Broker(int(leader)).Request(opCtx, linkProduce{req})
	if err != nil {
		return fmt.Errorf("producing to the mirror (outcome unknown): %w", err)
	}
	resp := kresp.(*kmsg.ProduceResponse)
	if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
		return errors.New("producing to the mirror: malformed produce response")
	}
	prp := resp.Topics[0].Partitions[0]
	if err := codeErr(prp.ErrorCode, prp.ErrorMessage); err != nil {
		switch {
		case errors.Is(err, kerr.OutOfOrderSequenceNumber), errors.Is(err, kerr.UnknownProducerID),
			errors.Is(err, kerr.InvalidProducerEpoch), errors.Is(err, kerr.InvalidProducerIDMapping),
			errors.Is(err, kerr.ProducerFenced):
			p.idem.pid = -1
		}
		return fmt.Errorf("producing to the mirror: %w", err)
	}
	if prp.BaseOffset != expect {
		return topicErrorf(linkemu.MirrorErrIllegalState,
			"a batch for mirror offset %d landed at offset %d: something else wrote to the mirror partition", expect, prp.BaseOffset)
	}
	return nil
}

// opContext bounds a write-side request. It is not canceled when the worker
// stops, so that a write in flight settles before Stop returns.
func (w *Worker) opContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), w.cfg.RequestTimeout)
}

// fillGap makes source offsets [from, to), which hold no record a consumer
// can see, take the same offsets on the mirror: one invisible transaction
// marker per offset. A gap longer than MaxFillGap is skipped instead and
// recorded in the offset map.
func (p *partition) fillGap(ctx context.Context, from, to int64) error {
	n := to - from
	if n <= 0 {
		return nil
	}
	if n <= p.w.cfg.MaxFillGap {
		return p.fillMarkers(ctx, n)
	}
	dest := p.destLEO
	if err := p.m.updatePartitionDoc(p.id, func(d *partitionDoc) { d.Map = d.Map.skip(from, to, dest) }); err != nil {
		return err
	}
	p.log.Warn("skipped a gap of source offsets; mirror offsets now differ from the source's (see TranslateOffset)",
		"from", from, "to", to, "mirror_offset", dest)
	p.advance(to, 0)
	return nil
}

// fillerBatchRecords is how many filler records one batch carries; zstd
// packs them into a few bytes each.
const fillerBatchRecords = 100_000

// fillRecords fills destination offsets [from, to) with filler records,
// which DeleteRecords then puts below the log start offset.
func (p *partition) fillRecords(ctx context.Context, from, to int64) error {
	p.mu.Lock()
	p.destLEO = from
	p.mu.Unlock()
	for at := from; at < to; {
		if ctx.Err() != nil {
			return errStopping
		}
		n := int32(min(to-at, fillerBatchRecords))
		rb := fillerBatch(p.w.compressor, n)
		if err := p.produceIdempotent(ctx, &rb); err != nil {
			return err
		}
		at += int64(n)
		p.mu.Lock()
		p.destLEO = at
		p.mu.Unlock()
	}
	return nil
}

// deleteRecords moves the destination log start offset to offset.
func (p *partition) deleteRecords(ctx context.Context, offset int64) error {
	req := kmsg.NewPtrDeleteRecordsRequest()
	req.TimeoutMillis = int32(p.w.cfg.RequestTimeout.Milliseconds())
	rt := kmsg.NewDeleteRecordsRequestTopic()
	rt.Topic = p.m.name
	rp := kmsg.NewDeleteRecordsRequestTopicPartition()
	rp.Partition, rp.Offset = p.id, offset
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	opCtx, cancel := p.w.opContext(ctx)
	defer cancel()
	resp, err := req.RequestWith(opCtx, p.w.cfg.Dest)
	if err != nil {
		return fmt.Errorf("moving the mirror log start offset to %d: %w", offset, err)
	}
	for _, t := range resp.Topics {
		for _, rp := range t.Partitions {
			if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
				return fmt.Errorf("moving the mirror log start offset to %d: %w", offset, err)
			}
		}
	}
	p.log.Debug("moved the mirror log start offset", "offset", offset)
	return nil
}

// destOffsets returns the destination partition's log end and log start
// offsets. Partitions that ask at once share requests (see batcher).
func (p *partition) destOffsets(ctx context.Context) (leo, logStart int64, err error) {
	k := topicPart{p.m.name, p.id}
	offs, err := p.w.destOffs.get(ctx, []topicPart{k})
	if err != nil {
		return 0, 0, err
	}
	return offs[k].leo, offs[k].logStart, nil
}

// waitLEO waits until the destination log end offset reaches want (brokers
// write transaction markers after EndTxn returns) and fails if it passes it.
func (p *partition) waitLEO(ctx context.Context, want int64) error {
	opCtx, cancel := p.w.opContext(ctx)
	defer cancel()
	wait := time.Millisecond
	for {
		ends, err := listOffsets(opCtx, p.w.cfg.Dest, p.m.name, []int32{p.id}, -1)
		if err != nil {
			return err
		}
		switch leo := ends[p.id]; {
		case leo == want:
			return nil
		case leo > want:
			return topicErrorf(linkemu.MirrorErrIllegalState,
				"the mirror log end offset is %d after writing transaction markers, past the expected %d", leo, want)
		}
		if !sleep(opCtx, wait) {
			return fmt.Errorf("waiting for transaction markers at mirror offset %d: %w", want, opCtx.Err())
		}
		wait = min(wait*2, 100*time.Millisecond)
	}
}

// outOfRange handles a fetch offset the source no longer (or not yet) has.
func (p *partition) outOfRange(ctx context.Context) error {
	opCtx, cancel := p.w.opContext(ctx)
	defer cancel()
	starts, err := listOffsets(opCtx, p.w.cfg.Source, p.m.spec.SourceTopic, []int32{p.id}, -2)
	if err == nil {
		var ends map[int32]int64
		if ends, err = listOffsets(opCtx, p.w.cfg.Source, p.m.spec.SourceTopic, []int32{p.id}, -1); err == nil {
			err = p.resolveOutOfRange(ctx, starts[p.id], ends[p.id])
		}
	}
	p.w.noteSource(err)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.hold = false
	p.fetchOffset = p.next
	p.gen++
	p.mu.Unlock()
	p.w.wakeFetchers()
	return nil
}

func (p *partition) resolveOutOfRange(ctx context.Context, start, end int64) error {
	switch next := p.next; {
	case next > end:
		return topicErrorf(linkemu.MirrorErrUnexpectedTruncation,
			"the source partition ends at offset %d, before offset %d that the mirror already holds", end, next)
	case next >= start:
		return nil // back in range: fetch again
	case start-next <= p.w.cfg.MaxFillGap || len(p.m.partitionDoc(p.id).Map) > 0:
		return p.fillGap(ctx, next, start)
	default:
		// The source deleted more than MaxFillGap records the mirror had
		// not copied. Like a follower whose leader moved its log start
		// past it, the mirror drops its log and restarts at the source's
		// log start offset, so that offsets stay equal.
		p.log.Warn("the source deleted records before the mirror copied them; restarting the mirror log at the source log start offset",
			"mirror_offset", next, "source_log_start", start)
		if err := p.m.updatePartitionDoc(p.id, func(d *partitionDoc) { d.StartOffset = start }); err != nil {
			return err
		}
		if err := p.fillRecords(ctx, p.destLEO, start); err != nil {
			return err
		}
		if err := p.deleteRecords(ctx, start); err != nil {
			return err
		}
		p.advance(start, 0)
		return nil
	}
}
