package kafkatest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/verify"
	"github.com/twmb/franz-go/pkg/kgo"
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
	sm, err := verify.LoadTopic(ctx, src, srcTopic)
	if err != nil {
		return err
	}
	dm, err := verify.LoadTopic(ctx, dst, dstTopic)
	if err != nil {
		return err
	}
	if len(sm.Leaders) != len(dm.Leaders) {
		return fmt.Errorf("source has %d partitions, mirror %d", len(sm.Leaders), len(dm.Leaders))
	}
	var diffs []string
	add := func(format string, args ...any) {
		if len(diffs) < o.maxDiffs {
			diffs = append(diffs, fmt.Sprintf(format, args...))
		}
	}
	for p := range int32(len(sm.Leaders)) {
		dv, err := readView(ctx, dst, dm, p, o.from)
		if err != nil {
			return fmt.Errorf("reading mirror partition %d: %w", p, err)
		}
		from := o.from
		if o.fromMirrorStart {
			from = max(from, dv.logStart)
		}
		sv, err := readView(ctx, src, sm, p, from)
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
	f := verify.RecordDiff(s, d, o.ignoreTimestamps)
	if f == "" {
		return ""
	}
	return fmt.Sprintf("%s %s vs %s", strings.ReplaceAll(f, "_", " "), verify.Field(s, f), verify.Field(d, f))
}

func show(r *kgo.Record) string { return verify.Describe(r) }

func controlType(r *kgo.Record) int16 { return verify.ControlType(r) }

// view is one partition as consumers see it.
type view struct {
	logStart, hwm, lso int64
	uncommitted        []*kgo.Record // read_uncommitted, markers included
	committed          []*kgo.Record // read_committed
}

// readView reads a partition from its log start offset, or from offset from
// if that is later.
func readView(ctx context.Context, cl *kgo.Client, t verify.Topic, p int32, from int64) (view, error) {
	var v view
	var err error
	if v.logStart, err = verify.ListOffset(ctx, cl, t.Name, p, -2, 0); err != nil {
		return v, err
	}
	start := max(v.logStart, from)
	if v.hwm, err = verify.ListOffset(ctx, cl, t.Name, p, -1, 0); err != nil {
		return v, err
	}
	if v.lso, err = verify.ListOffset(ctx, cl, t.Name, p, -1, 1); err != nil {
		return v, err
	}
	if v.uncommitted, err = verify.ReadRange(ctx, cl, t, p, start, v.hwm, kgo.ReadUncommitted()); err != nil {
		return v, err
	}
	v.committed, err = verify.ReadRange(ctx, cl, t, p, start, v.lso, kgo.ReadCommitted())
	return v, err
}
