package replication

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	linkemu "github.com/linkemu/linkemu"
)

// txnProducer is a destination producer: the partition's idempotent
// producer (no id), a transactional producer replaying one source
// producer's transactions, or a filler that writes empty aborted
// transactions to fill gaps.
type txnProducer struct {
	id    string // transactional ID; "" for the idempotent producer
	pid   int64
	epoch int16
	seq   int32 // next sequence on this partition
	open  bool  // the partition is in an ongoing transaction of this producer
	fresh bool  // the epoch has written nothing: sequences start at 0
}

// txnID names a destination transactional producer of this partition. IDs
// carry the link writer prefix, the link, the mirror and the destination
// topic ID (so a recreated mirror never inherits a transaction).
func (p *partition) txnID(suffix string) string {
	p.mu.Lock()
	id := p.dstTopicID
	p.mu.Unlock()
	return linkemu.LinkWriterPrefix + p.w.cfg.ClusterLinkID + "/" + p.m.name + "/" +
		hex.EncodeToString(id[:]) + "/" + strconv.Itoa(int(p.id)) + "/" + suffix
}

// replayProducer returns the destination producer that replays source
// producer srcPID's transactions on this partition. After a restart it
// takes over the producer's ongoing transaction, learning its epoch from
// the coordinator and its sequence from the partition leader, so that the
// transaction ends with the source's marker rather than being aborted by a
// new InitProducerID.
func (p *partition) replayProducer(ctx context.Context, srcPID int64) (*txnProducer, error) {
	if tp := p.txns[srcPID]; tp != nil {
		return tp, nil
	}
	id := p.txnID("pid" + strconv.FormatInt(srcPID, 10))
	states, err := p.w.describeTxns(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	tp := &txnProducer{id: id, pid: -1}
	if st, ok := states[id]; ok {
		switch st.State {
		case "Ongoing":
			tp.pid, tp.epoch = st.ProducerID, st.ProducerEpoch
			tp.open = txnHas(st, p.m.name, p.id)
			if tp.open {
				if tp.seq, err = p.w.nextSequence(ctx, p.m.name, p.id, tp.pid); err != nil {
					return nil, err
				}
			}
		case "PrepareCommit", "PrepareAbort", "PrepareEpochFence":
			return nil, fmt.Errorf("destination transaction %s is still completing", id)
		}
	}
	if tp.pid < 0 {
		if tp.pid, tp.epoch, err = p.w.initProducerID(ctx, &id); err != nil {
			return nil, err
		}
		tp.fresh = true
	}
	if p.txns == nil {
		p.txns = make(map[int64]*txnProducer)
	}
	p.txns[srcPID] = tp
	return tp, nil
}

func txnHas(st kmsg.DescribeTransactionsResponseTransactionState, topic string, part int32) bool {
	for _, t := range st.Topics {
		for _, q := range t.Partitions {
			if t.Topic == topic && q == part {
				return true
			}
		}
	}
	return false
}

// beginTxn makes sure the producer has an ongoing transaction holding this
// partition. Every transaction that writes records starts on an epoch that
// has written nothing, so its sequences start at 0.
func (p *partition) beginTxn(ctx context.Context, tp *txnProducer) error {
	if tp.open {
		return nil
	}
	if !tp.fresh {
		pid, epoch, err := p.w.initProducerID(ctx, &tp.id)
		if err != nil {
			return err
		}
		tp.pid, tp.epoch, tp.seq, tp.fresh = pid, epoch, 0, true
	}
	if err := p.w.addPartition(ctx, tp, p.m.name, p.id); err != nil {
		return err
	}
	tp.open = true
	return nil
}

// endSourceTxn writes the marker ending source producer srcPID's
// transaction: EndTxn on its replaying producer, which writes the marker at
// the mirror log end offset, the source marker's offset.
func (p *partition) endSourceTxn(ctx context.Context, srcPID int64, commit bool) error {
	tp, err := p.replayProducer(ctx, srcPID)
	if err != nil {
		return err
	}
	if err := p.beginTxn(ctx, tp); err != nil {
		return err
	}
	if err := p.w.endTxn(ctx, tp, commit); err != nil {
		return err
	}
	if err := p.waitLEO(ctx, p.destLEO+1); err != nil {
		return err
	}
	p.advance(p.next+1, 1)
	return nil
}

// fillMarkers writes n empty aborted transactions to the partition: each
// takes exactly one offset with an abort marker, which no consumer sees.
// Several filler producers work at once.
func (p *partition) fillMarkers(ctx context.Context, n int64) error {
	k := int(min(n, int64(p.w.cfg.FillParallelism)))
	for len(p.fillers) < k {
		id := p.txnID("fill" + strconv.Itoa(len(p.fillers)))
		pid, epoch, err := p.w.initProducerID(ctx, &id)
		if err != nil {
			return err
		}
		p.fillers = append(p.fillers, &txnProducer{id: id, pid: pid, epoch: epoch, fresh: true})
	}
	p.fillDirty = true
	var wg sync.WaitGroup
	errs := make([]error, k)
	for i := range k {
		count := n / int64(k)
		if int64(i) < n%int64(k) {
			count++
		}
		tp := p.fillers[i]
		wg.Go(func() {
			for range count {
				if ctx.Err() != nil {
					errs[i] = errStopping
					return
				}
				tp.fresh = true // fillers write no records: any epoch will do
				if err := p.beginTxn(ctx, tp); err != nil {
					errs[i] = err
					return
				}
				if err := p.w.endTxn(ctx, tp, false); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	p.fillDirty = false
	if err := p.waitLEO(ctx, p.destLEO+n); err != nil {
		return err
	}
	p.advance(p.next+n, n)
	return nil
}

// settleFillers ends any filler transaction an interrupted gap fill left
// open, so that no broker timeout aborts it later at an arbitrary offset.
// The markers it writes are part of the interrupted fill: the caller reads
// the log end offset afterwards.
func (p *partition) settleFillers(ctx context.Context) error {
	ids := make([]string, p.w.cfg.FillParallelism)
	for i := range ids {
		ids[i] = p.txnID("fill" + strconv.Itoa(i))
	}
	states, err := p.w.describeTxns(ctx, ids)
	if err != nil {
		return err
	}
	p.fillers = nil
	for _, id := range ids {
		st, ok := states[id]
		if !ok || st.State != "Ongoing" {
			continue
		}
		tp := &txnProducer{id: id, pid: st.ProducerID, epoch: st.ProducerEpoch, open: true}
		if err := p.w.endTxn(ctx, tp, false); err != nil {
			return err
		}
	}
	return nil
}

// initProducerID gets a producer ID, transactional if txnID is set. A broker
// that refuses the transaction timeout gets asked again with half of it.
func (w *Worker) initProducerID(ctx context.Context, txnID *string) (int64, int16, error) {
	for {
		req := kmsg.NewPtrInitProducerIDRequest()
		req.TransactionalID = txnID
		if txnID != nil {
			req.TransactionTimeoutMillis = w.txnTimeoutMs.Load()
		}
		opCtx, cancel := w.opContext(ctx)
		resp, err := req.RequestWith(opCtx, w.cfg.Dest)
		cancel()
		if err != nil {
			return 0, 0, fmt.Errorf("initializing a destination producer: %w", err)
		}
		err = kerr.ErrorForCode(resp.ErrorCode)
		if errors.Is(err, kerr.InvalidTransactionTimeout) && req.TransactionTimeoutMillis > 1000 {
			w.txnTimeoutMs.CompareAndSwap(req.TransactionTimeoutMillis, req.TransactionTimeoutMillis/2)
			continue
		}
		if err != nil {
			return 0, 0, fmt.Errorf("initializing a destination producer: %w", err)
		}
		return resp.ProducerID, resp.ProducerEpoch, nil
	}
}

// addPartition adds a partition to the producer's transaction.
func (w *Worker) addPartition(ctx context.Context, tp *txnProducer, topic string, part int32) error {
	req := kmsg.NewPtrAddPartitionsToTxnRequest()
	req.TransactionalID, req.ProducerID, req.ProducerEpoch = tp.id, tp.pid, tp.epoch
	rt := kmsg.NewAddPartitionsToTxnRequestTopic()
	rt.Topic, rt.Partitions = topic, []int32{part}
	req.Topics = append(req.Topics, rt)
	opCtx, cancel := w.opContext(ctx)
	defer cancel()
	resp, err := req.RequestWith(opCtx, w.cfg.Dest)
	if err != nil {
		return fmt.Errorf("adding the mirror partition to transaction %s: %w", tp.id, err)
	}
	for _, t := range resp.Topics {
		for _, rp := range t.Partitions {
			if err := kerr.ErrorForCode(rp.ErrorCode); err != nil {
				return fmt.Errorf("adding the mirror partition to transaction %s: %w", tp.id, err)
			}
		}
	}
	return nil
}

// endTxn commits or aborts the producer's transaction. Brokers on EndTxn v5
// (KIP-890) bump the epoch and return it; the new epoch has written nothing.
func (w *Worker) endTxn(ctx context.Context, tp *txnProducer, commit bool) error {
	req := kmsg.NewPtrEndTxnRequest()
	req.TransactionalID, req.ProducerID, req.ProducerEpoch, req.Commit = tp.id, tp.pid, tp.epoch, commit
	opCtx, cancel := w.opContext(ctx)
	defer cancel()
	resp, err := req.RequestWith(opCtx, w.cfg.Dest)
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err != nil {
		return fmt.Errorf("ending destination transaction %s: %w", tp.id, err)
	}
	tp.open = false
	if resp.GetVersion() >= 5 {
		tp.pid, tp.epoch, tp.seq, tp.fresh = resp.ProducerID, resp.ProducerEpoch, 0, true
	} else {
		tp.fresh = false
	}
	return nil
}

// describeTxns describes transactional IDs; IDs the coordinator does not
// know are absent from the result.
func (w *Worker) describeTxns(ctx context.Context, ids []string) (map[string]kmsg.DescribeTransactionsResponseTransactionState, error) {
	return w.txnStates.get(ctx, ids)
}

// describeTxnsEach describes destination transactions in one request, with
// an answer per ID; unknown IDs are left out.
func (w *Worker) describeTxnsEach(ctx context.Context, ids []string) (map[string]kmsg.DescribeTransactionsResponseTransactionState, map[string]error, error) {
	req := kmsg.NewPtrDescribeTransactionsRequest()
	req.TransactionalIDs = ids
	opCtx, cancel := w.opContext(ctx)
	defer cancel()
	resp, err := req.RequestWith(opCtx, w.cfg.Dest)
	if err != nil {
		return nil, nil, fmt.Errorf("describing destination transactions: %w", err)
	}
	out := make(map[string]kmsg.DescribeTransactionsResponseTransactionState, len(ids))
	errs := make(map[string]error)
	for _, st := range resp.TransactionStates {
		switch err := kerr.ErrorForCode(st.ErrorCode); {
		case errors.Is(err, kerr.TransactionalIDNotFound):
		case err != nil:
			errs[st.TransactionalID] = fmt.Errorf("describing destination transaction %s: %w", st.TransactionalID, err)
		default:
			out[st.TransactionalID] = st
		}
	}
	return out, errs, nil
}

// nextSequence returns the sequence the ongoing transaction of producer pid
// continues with on a partition: 0 if the transaction wrote nothing there.
func (w *Worker) nextSequence(ctx context.Context, topic string, part int32, pid int64) (int32, error) {
	req := kmsg.NewPtrDescribeProducersRequest()
	rt := kmsg.NewDescribeProducersRequestTopic()
	rt.Topic, rt.Partitions = topic, []int32{part}
	req.Topics = append(req.Topics, rt)
	opCtx, cancel := w.opContext(ctx)
	defer cancel()
	resp, err := req.RequestWith(opCtx, w.cfg.Dest)
	if err != nil {
		return 0, fmt.Errorf("describing mirror partition producers: %w", err)
	}
	for _, t := range resp.Topics {
		for _, rp := range t.Partitions {
			if err := codeErr(rp.ErrorCode, rp.ErrorMessage); err != nil {
				return 0, fmt.Errorf("describing mirror partition producers: %w", err)
			}
			for _, ap := range rp.ActiveProducers {
				if ap.ProducerID == pid && ap.CurrentTxnStartOffset >= 0 {
					return addSeq(ap.LastSequence, 1), nil
				}
			}
		}
	}
	return 0, nil
}
