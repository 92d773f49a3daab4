package replication

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	linkemu "github.com/linkemu/linkemu"
)

// MirrorStatus is the runtime status of a mirror topic, for the manager to
// turn into mirror_status, mirror_topic_error and mirror_lags.
type MirrorStatus struct {
	Partitions []PartitionStatus // one per partition the worker runs, by partition
	Paused     bool
	// SourceUnavailable is set while the source cluster cannot be reached.
	SourceUnavailable bool
	// TopicError is set when the mirror stopped copying for a reason only
	// an operator can fix (FAILED); Err then says why.
	TopicError linkemu.MirrorTopicError
	// FailedAt is when the mirror failed with TopicError.
	FailedAt time.Time
	// Err is the mirror's last error: the TopicError's cause, or a
	// transient error the worker keeps retrying.
	Err error
	// ConfigSyncErr is the last topic config sync's error, nil on success.
	ConfigSyncErr error
}

// Status returns a mirror's runtime status; false if the worker does not
// run the mirror.
func (w *Worker) Status(mirror string) (MirrorStatus, bool) {
	w.mu.Lock()
	m := w.mirrors[mirror]
	down := w.src.down
	w.mu.Unlock()
	if m == nil {
		return MirrorStatus{}, false
	}
	m.mu.Lock()
	st := m.statusLocked(down)
	parts := slices.Clone(m.parts)
	m.mu.Unlock()
	for _, p := range parts {
		ps := p.status()
		st.Partitions = append(st.Partitions, ps)
		if st.Err == nil && ps.Err != nil {
			st.Err = ps.Err
		}
	}
	return st, true
}

// Brief is Status without the partitions' figures: a mirror's status and
// the number of partitions the worker runs.
type Brief struct {
	Status     MirrorStatus
	Partitions int
}

// Briefs clears into and puts in it the Brief of every mirror the worker
// runs, by name. It takes the worker's lock once and each mirror's lock
// briefly, so a reader of a whole link does not queue on the worker's lock
// once per mirror; the caller's map lets a reader that serves many requests
// reuse one map instead of allocating one per request.
func (w *Worker) Briefs(into map[string]Brief) {
	clear(into)
	w.mu.Lock()
	mirrors := make([]*mirror, 0, len(w.mirrors))
	for _, m := range w.mirrors {
		mirrors = append(mirrors, m)
	}
	down := w.src.down
	w.mu.Unlock()
	for _, m := range mirrors {
		m.mu.Lock()
		into[m.name] = Brief{Status: m.statusLocked(down), Partitions: len(m.parts)}
		m.mu.Unlock()
	}
}

// statusLocked is the mirror's status without its partitions; m.mu is held.
func (m *mirror) statusLocked(sourceDown bool) MirrorStatus {
	st := MirrorStatus{Paused: m.isPaused, SourceUnavailable: sourceDown, Err: m.err, ConfigSyncErr: m.cfgErr}
	if m.terr != nil {
		st.TopicError, st.Err, st.FailedAt = m.terr.Code, m.terr.Err, m.terr.at
	}
	return st
}

// TranslateOffset returns the mirror offset to commit for a consumer whose
// position on the source partition is sourceOffset: the same offset on an
// exact mirror, the offset map's answer otherwise, and never past the
// mirror's log end offset, so a translated position skips no record the
// mirror has not copied yet. False if the worker does not run the mirror or
// has not read the partition's log end offset yet.
func (w *Worker) TranslateOffset(mirror string, partition int32, sourceOffset int64) (int64, bool) {
	w.mu.Lock()
	m := w.mirrors[mirror]
	w.mu.Unlock()
	if m == nil {
		return 0, false
	}
	parts := m.partitions()
	if int(partition) >= len(parts) || partition < 0 {
		return 0, false
	}
	p := parts[partition]
	p.mu.Lock()
	leo, ready := p.destLEO, p.ready
	p.mu.Unlock()
	if !ready {
		return 0, false
	}
	return min(m.partitionDoc(partition).Map.ToDest(sourceOffset), leo), true
}

// CatchUp copies until every partition of the mirror has reached the source
// high watermark as of the call, for promote. A mirror just handed over
// by SetMirrors is waited for until it starts. It fails at once if the
// source cannot be reached, if the mirror is paused or failed, and when ctx
// is done: give it a deadline.
func (w *Worker) CatchUp(ctx context.Context, mirror string) error {
	m, err := w.running(ctx, mirror)
	if err != nil {
		return err
	}
	if m.paused() {
		return linkemu.Errorf(linkemu.ECONFLICT, "Mirror topic %q is paused: resume it before it can catch up with its source.", mirror)
	}
	if err := m.caughtUpCheck(); err != nil {
		return err
	}
	targets, err := endOffsets(ctx, w.cfg.Source, m.spec.SourceTopic)
	w.noteSource(err)
	if err != nil {
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "The source of mirror topic %q cannot be reached to catch up with it: %v.", mirror, err)
	}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if m.reached(targets) {
			return nil
		}
		if err := m.caughtUpCheck(); err != nil {
			return err
		}
		if down, _, err := w.SourceStatus(); down {
			return linkemu.Errorf(linkemu.EUNAVAILABLE, "The source of mirror topic %q became unreachable while catching up: %v.", mirror, err)
		}
		select {
		case <-ctx.Done():
			return linkemu.Errorf(linkemu.EUNAVAILABLE, "Mirror topic %q did not catch up with its source in time (%v); lags: %s.", mirror, ctx.Err(), m.lags())
		case <-tick.C:
		}
	}
}

// running returns a running mirror. A mirror SetMirrors handed over that
// the loop has not started yet is waited for, until ctx ends; one never
// handed over is ENOTFOUND at once.
func (w *Worker) running(ctx context.Context, mirror string) (*mirror, error) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		w.mu.Lock()
		m := w.mirrors[mirror]
		_, desired := w.desired[mirror]
		w.mu.Unlock()
		switch {
		case m != nil:
			return m, nil
		case !desired:
			return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Mirror topic %q is not replicating on link %q.", mirror, w.cfg.LinkName)
		}
		select {
		case <-ctx.Done():
			return nil, linkemu.Errorf(linkemu.EUNAVAILABLE, "Mirror topic %q did not start replicating in time (%v).", mirror, ctx.Err())
		case <-tick.C:
		}
	}
}

// caughtUpCheck returns the error that keeps a mirror from catching up.
func (m *mirror) caughtUpCheck() error {
	if te := m.topicError(); te != nil {
		return linkemu.Errorf(linkemu.ECONFLICT, "Mirror topic %q stopped copying (%s): %v.", m.name, te.Code, te.Err)
	}
	return nil
}

// reached reports whether every partition reached its target offset.
func (m *mirror) reached(targets map[int32]int64) bool {
	parts := m.partitions()
	if len(parts) < len(targets) {
		return false
	}
	for _, p := range parts {
		p.mu.Lock()
		ok := p.ready && p.next >= targets[p.id]
		p.mu.Unlock()
		if !ok {
			return false
		}
	}
	return true
}

func (m *mirror) lags() string {
	var b strings.Builder
	for i, p := range m.partitions() {
		if i > 0 {
			b.WriteString(", ")
		}
		st := p.status()
		fmt.Fprintf(&b, "%d:%d", st.Partition, st.Lag)
	}
	return b.String()
}

// StopMirror stops replicating a mirror at once, whatever its lag, for
// failover and promote: writes in flight settle, destination transactions
// left open by source transactions still open are aborted, and the mirror
// partitions' log end offsets are returned as the stop offsets. The mirror
// leaves the worker's set; its stored state stays until RemoveMirror.
func (w *Worker) StopMirror(ctx context.Context, mirror string) ([]int64, error) {
	m, err := w.detach(mirror)
	if err != nil {
		return nil, err
	}
	if err := w.abortOpenTxns(ctx, m); err != nil {
		return nil, err
	}
	ends, err := endOffsets(ctx, w.cfg.Dest, mirror)
	if err != nil {
		return nil, linkemu.Errorf(linkemu.EUNAVAILABLE, "Reading the log end offsets of stopped mirror topic %q: %v.", mirror, err)
	}
	out := make([]int64, len(ends))
	for p, o := range ends {
		out[p] = o
	}
	w.log.Info("mirror stopped", "mirror", mirror, "stop_offsets", out)
	return out, nil
}

// RemoveMirror stops replicating a deleted mirror, aborts the destination
// transactions it left open, and deletes its stored state.
func (w *Worker) RemoveMirror(ctx context.Context, mirror string) error {
	m, err := w.detach(mirror)
	switch {
	case err == nil:
		if err := w.abortOpenTxns(ctx, m); err != nil && !errors.Is(err, kerr.UnknownTopicOrPartition) {
			w.log.Warn("aborting the transactions of a removed mirror", "mirror", mirror, "err", err)
		}
	case linkemu.ErrorCode(err) != linkemu.ENOTFOUND:
		return err
	}
	return w.cfg.Store.DeleteReplicationState(w.cfg.LinkName, mirror)
}

// detach takes a mirror out of the worker and waits for its goroutines.
func (w *Worker) detach(mirror string) (*mirror, error) {
	w.mu.Lock()
	m := w.mirrors[mirror]
	delete(w.mirrors, mirror)
	delete(w.desired, mirror)
	w.mu.Unlock()
	if m == nil {
		return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Mirror topic %q is not replicating on link %q.", mirror, w.cfg.LinkName)
	}
	m.stop()
	w.wakeFetchers()
	return m, nil
}

// abortOpenTxns aborts the ongoing destination transactions of a stopped
// mirror, so that read_committed consumers of the promoted topic are not
// held back until the transactions time out.
func (w *Worker) abortOpenTxns(ctx context.Context, m *mirror) error {
	prefix := linkemu.LinkWriterPrefix + w.cfg.ClusterLinkID + "/" + m.name + "/"
	req := kmsg.NewPtrListTransactionsRequest()
	req.StateFilters = []string{"Ongoing"}
	resp, err := req.RequestWith(ctx, w.cfg.Dest)
	if err != nil {
		return linkemu.Errorf(linkemu.EUNAVAILABLE, "Listing the open transactions of mirror topic %q: %v.", m.name, err)
	}
	var ids []string
	for _, st := range resp.TransactionStates {
		if strings.HasPrefix(st.TransactionalID, prefix) {
			ids = append(ids, st.TransactionalID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	states, err := w.describeTxns(ctx, ids)
	if err != nil {
		return err
	}
	for id, st := range states {
		if st.State != "Ongoing" {
			continue
		}
		tp := &txnProducer{id: id, pid: st.ProducerID, epoch: st.ProducerEpoch, open: true}
		if err := w.endTxn(ctx, tp, false); err != nil {
			return err
		}
		m.log.Info("aborted a destination transaction the stopped mirror left open", "transactional_id", id)
	}
	return nil
}
