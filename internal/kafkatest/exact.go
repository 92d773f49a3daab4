package kafkatest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// DiffOption tunes Diff.
type DiffOption func(*diffOpts)

type diffOpts struct {
	ignoreTimestamps bool
	fromMirrorStart  bool
	from             int64
	maxDiffs         int
}

// IgnoreTimestamps skips comparing record timestamps (not their type), for
// sources whose topics use LogAppendTime: the mirror's broker stamps its
// own times.
func IgnoreTimestamps() DiffOption { return func(o *diffOpts) { o.ignoreTimestamps = true } }

// FromMirrorLogStart compares only offsets from the mirror's log start
// offset on, for mirrors that started later than the source's log start
// (mirror.start.offset.spec latest or a timestamp). The mirror's log start
// offset may then be above the source's.
func FromMirrorLogStart() DiffOption { return func(o *diffOpts) { o.fromMirrorStart = true } }

// FromOffset compares only offsets from o on, in every partition, and not
// the log start offsets: for mirrors that keep records their source has
// deleted since.
func FromOffset(o int64) DiffOption { return func(opts *diffOpts) { opts.from = o } }

// AssertExact fails the test unless dstTopic mirrors srcTopic exactly (see
// Diff).
func AssertExact(t testing.TB, src, dst *kgo.Client, srcTopic, dstTopic string, opts ...DiffOption) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := Diff(ctx, src, dst, srcTopic, dstTopic, opts...); err != nil {
		t.Fatalf("mirror %q is not an exact copy of %q:\n%v", dstTopic, srcTopic, err)
	}
}

// WaitExact polls Diff until the mirror is exact, and fails the test with
// the last difference when timeout passes.
func WaitExact(t testing.TB, src, dst *kgo.Client, srcTopic, dstTopic string, timeout time.Duration, opts ...DiffOption) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := Diff(ctx, src, dst, srcTopic, dstTopic, opts...)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("mirror %q did not become an exact copy of %q within %v:\n%v", dstTopic, srcTopic, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Diff returns nil if dstTopic is an exact copy of srcTopic, and otherwise
// an error listing the first differences. Exact means, for every partition:
//
//   - the same log start offset, high watermark and last stable offset;
//   - read_uncommitted: every source record is at the same offset on the
//     mirror with the same key, value, headers, timestamp, timestamp type
//     and transactional bit; every source transaction marker is a marker of
//     the same kind at the same offset; the mirror has nothing else but
//     extra markers where the source has no record at all (invisible
//     fillers of offset holes);
//   - read_committed: the same records at the same offsets.
func Diff(ctx context.Context, src, dst *kgo.Client, srcTopic, dstTopic string, opts ...DiffOption) error {
	o := diffOpts{maxDiffs: 10, from: -1}
	for _, opt := range opts {
		opt(&o)
	}
	sm, err := topicInfo(ctx, src, srcTopic)
	if err != nil {
		return err
	}
	dm, err := topicInfo(ctx, dst, dstTopic)
	if err != nil {
		return err
	}
	if len(sm.leaders) != len(dm.leaders) {
		return fmt.Errorf("source has %d partitions, mirror %d", len(sm.leaders), len(dm.leaders))
	}
	var diffs []string
	add := func(format string, args ...any) {
		if len(diffs) < o.maxDiffs {
			diffs = append(diffs, fmt.Sprintf(format, args...))
		}
	}
	for p := range int32(len(sm.leaders)) {
		dv, err := readView(ctx, dst, dstTopic, dm, p, o.from)
		if err != nil {
			return fmt.Errorf("reading mirror partition %d: %w", p, err)
		}
		from := o.from
		if o.fromMirrorStart {
			from = max(from, dv.logStart)
		}
		sv, err := readView(ctx, src, srcTopic, sm, p, from)
		if err != nil {
			return fmt.Errorf("reading source partition %d: %w", p, err)
		}
		if o.fromMirrorStart && sv.logStart < dv.logStart {
			sv.logStart = dv.logStart
		}
		if o.from >= 0 {
			sv.logStart, dv.logStart = -1, -1
		}
		if sv.logStart != dv.logStart || sv.hwm != dv.hwm || sv.lso != dv.lso {
			add("partition %d: log start/high watermark/last stable offsets: source %d/%d/%d, mirror %d/%d/%d",
				p, sv.logStart, sv.hwm, sv.lso, dv.logStart, dv.hwm, dv.lso)
		}
		diffUncommitted(p, sv.uncommitted, dv.uncommitted, o, add)
		diffCommitted(p, sv.committed, dv.committed, o, add)
	}
	if len(diffs) == 0 {
		return nil
	}
	return errors.New("  " + joinLines(diffs))
}

func joinLines(s []string) string {
	var b bytes.Buffer
	for i, l := range s {
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(l)
	}
	return b.String()
}

func diffUncommitted(p int32, src, dst []*kgo.Record, o diffOpts, add func(string, ...any)) {
	byOffset := make(map[int64]*kgo.Record, len(src))
	for _, r := range src {
		byOffset[r.Offset] = r
	}
	seen := make(map[int64]bool, len(dst))
	for _, d := range dst {
		seen[d.Offset] = true
		s := byOffset[d.Offset]
		switch {
		case s == nil && !d.Attrs.IsControl():
			add("partition %d offset %d: the mirror has a record the source does not: %s", p, d.Offset, show(d))
		case s == nil:
			// A marker filling a hole: invisible, allowed.
		case s.Attrs.IsControl() != d.Attrs.IsControl():
			add("partition %d offset %d: source %s, mirror %s", p, d.Offset, show(s), show(d))
		case s.Attrs.IsControl():
			if controlType(s) != controlType(d) {
				add("partition %d offset %d: source marker type %d, mirror %d", p, d.Offset, controlType(s), controlType(d))
			}
		default:
			if why := recordDiff(s, d, o); why != "" {
				add("partition %d offset %d (read_uncommitted): %s", p, d.Offset, why)
			}
		}
	}
	for _, s := range src {
		if !seen[s.Offset] {
			add("partition %d offset %d: the mirror lacks source %s", p, s.Offset, show(s))
		}
	}
}

func diffCommitted(p int32, src, dst []*kgo.Record, o diffOpts, add func(string, ...any)) {
	for i := 0; i < max(len(src), len(dst)); i++ {
		switch {
		case i >= len(src):
			add("partition %d (read_committed): the mirror has an extra record %s", p, show(dst[i]))
		case i >= len(dst):
			add("partition %d (read_committed): the mirror lacks %s", p, show(src[i]))
		case src[i].Offset != dst[i].Offset:
			add("partition %d (read_committed): record %d is at offset %d on the source, %d on the mirror", p, i, src[i].Offset, dst[i].Offset)
		default:
			if why := recordDiff(src[i], dst[i], o); why != "" {
				add("partition %d offset %d (read_committed): %s", p, src[i].Offset, why)
			}
		}
	}
}

func recordDiff(s, d *kgo.Record, o diffOpts) string {
	switch {
	case !bytes.Equal(s.Key, d.Key) || (s.Key == nil) != (d.Key == nil):
		return fmt.Sprintf("key %q vs %q", s.Key, d.Key)
	case !bytes.Equal(s.Value, d.Value) || (s.Value == nil) != (d.Value == nil):
		return fmt.Sprintf("value %q vs %q", s.Value, d.Value)
	case !slices.EqualFunc(s.Headers, d.Headers, func(a, b kgo.RecordHeader) bool {
		return a.Key == b.Key && bytes.Equal(a.Value, b.Value)
	}):
		return fmt.Sprintf("headers %v vs %v", s.Headers, d.Headers)
	case s.Attrs.IsTransactional() != d.Attrs.IsTransactional():
		return fmt.Sprintf("transactional %v vs %v", s.Attrs.IsTransactional(), d.Attrs.IsTransactional())
	case s.Attrs.TimestampType() != d.Attrs.TimestampType():
		return fmt.Sprintf("timestamp type %d vs %d", s.Attrs.TimestampType(), d.Attrs.TimestampType())
	case !o.ignoreTimestamps && !s.Timestamp.Equal(d.Timestamp):
		return fmt.Sprintf("timestamp %v vs %v", s.Timestamp.UnixMilli(), d.Timestamp.UnixMilli())
	}
	return ""
}

func show(r *kgo.Record) string {
	if r.Attrs.IsControl() {
		return fmt.Sprintf("marker(type %d)", controlType(r))
	}
	return fmt.Sprintf("record(key %q, value %.40q)", r.Key, r.Value)
}

func controlType(r *kgo.Record) int16 {
	if len(r.Key) < 4 {
		return -1
	}
	return int16(binary.BigEndian.Uint16(r.Key[2:]))
}

type topicMeta struct {
	id      [16]byte
	leaders []int32
}

func topicInfo(ctx context.Context, cl *kgo.Client, topic string) (topicMeta, error) {
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(topic)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return topicMeta{}, err
	}
	if len(resp.Topics) != 1 {
		return topicMeta{}, fmt.Errorf("metadata of %q: %d topics in the answer", topic, len(resp.Topics))
	}
	t := resp.Topics[0]
	if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
		return topicMeta{}, fmt.Errorf("metadata of %q: %w", topic, err)
	}
	m := topicMeta{id: t.TopicID, leaders: make([]int32, len(t.Partitions))}
	for _, p := range t.Partitions {
		m.leaders[p.Partition] = p.Leader
	}
	return m, nil
}

// view is one partition as consumers see it.
type view struct {
	logStart, hwm, lso int64
	uncommitted        []*kgo.Record // read_uncommitted, markers included
	committed          []*kgo.Record // read_committed
}

// readView reads a partition from its log start offset, or from offset from
// if that is later.
func readView(ctx context.Context, cl *kgo.Client, topic string, m topicMeta, p int32, from int64) (view, error) {
	var v view
	var err error
	if v.logStart, err = listOffset(ctx, cl, topic, p, -2, 0); err != nil {
		return v, err
	}
	start := max(v.logStart, from)
	if v.hwm, err = listOffset(ctx, cl, topic, p, -1, 0); err != nil {
		return v, err
	}
	if v.lso, err = listOffset(ctx, cl, topic, p, -1, 1); err != nil {
		return v, err
	}
	if v.uncommitted, err = readAll(ctx, cl, topic, m, p, start, v.hwm, kgo.ReadUncommitted()); err != nil {
		return v, err
	}
	v.committed, err = readAll(ctx, cl, topic, m, p, start, v.lso, kgo.ReadCommitted())
	return v, err
}

func listOffset(ctx context.Context, cl *kgo.Client, topic string, p int32, ts int64, isolation int8) (int64, error) {
	req := kmsg.NewPtrListOffsetsRequest()
	req.IsolationLevel = isolation
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = topic
	rp := kmsg.NewListOffsetsRequestTopicPartition()
	rp.Partition, rp.Timestamp = p, ts
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return 0, err
	}
	if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
		return 0, errors.New("list offsets: malformed answer")
	}
	rpr := resp.Topics[0].Partitions[0]
	return rpr.Offset, kerr.ErrorForCode(rpr.ErrorCode)
}

// readAll reads [from, to) with raw fetches and kgo's own record decoding.
func readAll(ctx context.Context, cl *kgo.Client, topic string, m topicMeta, p int32, from, to int64, iso kgo.IsolationLevel) ([]*kgo.Record, error) {
	var out []*kgo.Record
	isoLevel := int8(0)
	if iso == kgo.ReadCommitted() {
		isoLevel = 1
	}
	for off := from; off < to; {
		req := kmsg.NewPtrFetchRequest()
		req.ReplicaID = -1
		req.MaxBytes = 16 << 20
		req.IsolationLevel = isoLevel
		req.SessionEpoch = -1
		rt := kmsg.NewFetchRequestTopic()
		rt.Topic, rt.TopicID = topic, m.id
		rp := kmsg.NewFetchRequestTopicPartition()
		rp.Partition, rp.FetchOffset, rp.PartitionMaxBytes = p, off, 8<<20
		rt.Partitions = append(rt.Partitions, rp)
		req.Topics = append(req.Topics, rt)
		kresp, err := cl.Broker(int(m.leaders[p])).Request(ctx, req)
		if err != nil {
			return nil, err
		}
		resp := kresp.(*kmsg.FetchResponse)
		if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
			return nil, fmt.Errorf("fetch: malformed answer (error %v)", kerr.ErrorForCode(resp.ErrorCode))
		}
		frp := &resp.Topics[0].Partitions[0]
		if err := kerr.ErrorForCode(frp.ErrorCode); err != nil {
			return nil, fmt.Errorf("fetch at %d: %w", off, err)
		}
		end := batchesEnd(frp.RecordBatches)
		if end <= off {
			return nil, fmt.Errorf("fetch at %d (reading up to %d): no complete batch", off, to)
		}
		fp, _ := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
			KeepControlRecords: true,
			Offset:             off,
			IsolationLevel:     iso,
			Topic:              topic,
			Partition:          p,
		}, frp, kgo.DefaultDecompressor(), nil)
		if fp.Err != nil {
			return nil, fp.Err
		}
		for _, r := range fp.Records {
			if r.Offset < to && (iso != kgo.ReadCommitted() || !r.Attrs.IsControl()) {
				out = append(out, r)
			}
		}
		off = end
	}
	return out, nil
}

// batchesEnd returns the offset after the last complete batch.
func batchesEnd(in []byte) int64 {
	end := int64(-1)
	for len(in) >= 27 {
		size := 12 + int(int32(binary.BigEndian.Uint32(in[8:])))
		if size < 27 || len(in) < size {
			break
		}
		base := int64(binary.BigEndian.Uint64(in))
		end = base + int64(int32(binary.BigEndian.Uint32(in[23:]))) + 1
		in = in[size:]
	}
	return end
}
