package kfake

import (
	"cmp"
	"slices"
	"time"
)

// linkemu change: recover transactions open at a crash.
//
// Upstream, a full log replay after a crash put every transaction still open
// on a partition into the partition's aborted-transaction index, without an
// abort marker, and bumped the producer's epoch. A read_committed consumer
// then met one more aborted-transaction entry than abort markers: it hid the
// open transaction's records even when its producer later took the
// transaction over and committed it, and it went on hiding that producer's
// later committed batches until its next abort marker. The index was then
// kept in the snapshot of the next clean shutdown.
//
// A real broker keeps the transaction: the coordinator's state is durable,
// so the transaction is still ongoing after a restart, and ends with a
// marker when its producer commits or aborts it or when it times out. kfake
// does the same here when it can: the producer ID is known with its
// transactional ID and the open batches carry its current epoch. The
// transaction is restored as ongoing on each partition holding its batches
// (partitions it had added without writing to them are not known and are
// not restored), with its sequence window, and its timeout counts from the
// restart. Otherwise (an unknown producer, an older epoch) the transaction
// is aborted the way a coordinator fences it: the epoch is bumped and an
// abort marker is written, so the aborted-transaction index and the log
// agree.

// openTxn is a transaction a full log replay found open on a partition.
type openTxn struct {
	pd              *partData
	pid             int64
	epoch           int16
	firstOffset     int64 // first offset of the open transaction's batches
	lastOffset      int64 // last offset of its batches
	lastBatchOffset int64 // first offset of its last batch
	firstSeq        int32 // first sequence of its last batch
	nextSeq         int32 // sequence after its last batch
}

// recoverOpenTxns restores or aborts the transactions found open by full
// log replays. It runs once producer IDs and sequence windows are loaded.
func (c *Cluster) recoverOpenTxns(open []openTxn) {
	slices.SortFunc(open, func(a, b openTxn) int {
		return cmp.Or(cmp.Compare(a.pd.t, b.pd.t), cmp.Compare(a.pd.p, b.pd.p), cmp.Compare(a.pid, b.pid))
	})
	var fenced []openTxn
	restored := false
	for _, ot := range open {
		pidinf := c.pids.ids[ot.pid]
		if pidinf == nil || pidinf.txid == "" || pidinf.epoch != ot.epoch {
			fenced = append(fenced, ot)
			continue
		}
		c.restoreOpenTxn(pidinf, ot)
		restored = true
	}
	// Bump each fenced producer's epoch once, then write its markers.
	bumped := make(map[int64]bool)
	for _, ot := range fenced {
		pidinf := c.pids.ids[ot.pid]
		epoch := ot.epoch
		if pidinf != nil {
			if !bumped[ot.pid] && !pidinf.inTx {
				pidinf.epoch++
				bumped[ot.pid] = true
			}
			epoch = max(epoch, pidinf.epoch)
		}
		c.abortOpenTxn(ot, epoch)
	}
	if restored {
		c.pids.updateTimer()
	}
}

// restoreOpenTxn makes ot an ongoing transaction of pidinf again.
func (c *Cluster) restoreOpenTxn(pidinf *pidinfo, ot openTxn) {
	pd := ot.pd
	if !pidinf.inTx {
		pidinf.inTx = true
		pidinf.txStart = time.Now()
		c.pids.txs[pidinf] = struct{}{}
	}
	ps := pidinf.txParts.mkt(pd.t)
	ps[pd.p] = pd
	first := pidinf.txPartFirstOffsets.mkp(pd.t, pd.p, func() *int64 { v := ot.firstOffset; return &v })
	*first = ot.firstOffset
	if pd.uncommittedPIDs == nil {
		pd.uncommittedPIDs = make(map[int64]int64)
	}
	pd.uncommittedPIDs[ot.pid] = ot.firstOffset
	pd.recalculateLSO()

	// The sequence window continues after the last batch, so that the
	// producer's next batch (DescribeProducers reports LastSequence) and
	// a retry of its last one are both recognized.
	w := pidinf.windows.mkpDefault(pd.t, pd.p)
	*w = pidwindow{seen: true, epoch: ot.epoch, nextSeq: ot.nextSeq, at: 1, count: 1}
	w.entries[0] = pidEntry{firstSeq: ot.firstSeq, nextSeq: ot.nextSeq, offset: ot.lastBatchOffset}
	c.cfg.logger.Logf(LogLevelInfo, "partition %s-%d: transaction of producer %d epoch %d open at the crash restored as ongoing from offset %d",
		pd.t, pd.p, ot.pid, ot.epoch, ot.firstOffset)
}

// abortOpenTxn ends ot with an abort marker at the log end, as a
// coordinator fencing the producer would.
func (c *Cluster) abortOpenTxn(ot openTxn, epoch int16) {
	pd := ot.pd
	b, nbytes := txnMarkerBatch(ot.pid, epoch, false, 0)
	markerOffset := c.pushBatch(pd, nbytes, b, false)
	if markerOffset < 0 {
		// The marker could not be written: keep upstream's index entry,
		// so that the open records at least stay hidden.
		markerOffset = ot.lastOffset
		c.cfg.logger.Logf(LogLevelError, "partition %s-%d: could not write the abort marker of producer %d's transaction open at the crash",
			pd.t, pd.p, ot.pid)
	}
	pd.abortedTxns = append(pd.abortedTxns, abortedTxnEntry{
		producerID:  ot.pid,
		firstOffset: ot.firstOffset,
		lastOffset:  markerOffset,
	})
	slices.SortFunc(pd.abortedTxns, func(a, b abortedTxnEntry) int {
		return cmp.Compare(a.lastOffset, b.lastOffset)
	})
	pd.recalculateLSO()
	c.cfg.logger.Logf(LogLevelInfo, "partition %s-%d: transaction of producer %d open at the crash aborted with a marker at offset %d",
		pd.t, pd.p, ot.pid, markerOffset)
}
