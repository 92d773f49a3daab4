package verify

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Results of one partition.
const (
	Equal        = "EQUAL"
	MirrorBehind = "MIRROR_BEHIND"
	Different    = "DIFFERENT"
)

// Side is one topic to compare, read through a client of its cluster.
type Side struct {
	Client *kgo.Client
	Topic  string
}

// Offsets are a partition's log start and end (high watermark) offsets at
// the snapshot.
type Offsets struct {
	LogStart int64 `json:"log_start_offset"`
	End      int64 `json:"end_offset"`
}

// Difference is the first offset at which a mirror partition differs from
// its source.
type Difference struct {
	Offset int64 `json:"offset"`
	// Field is what differs: "missing" (the mirror lacks the source's
	// record), "extra" (the mirror has a record the source lacks),
	// "control" (a record on one side, a transaction marker on the other),
	// "control_type", "key", "value", "headers", "transactional",
	// "timestamp_type" or "timestamp".
	Field  string `json:"field"`
	Source string `json:"source"`
	Mirror string `json:"mirror"`
}

// Partition is the verdict on one partition.
type Partition struct {
	Partition int32   `json:"partition"`
	Result    string  `json:"result"`
	Source    Offsets `json:"source"`
	Mirror    Offsets `json:"mirror"`
	// CheckedFrom and CheckedTo bound the offsets compared: [from, to).
	CheckedFrom     int64       `json:"checked_from_offset"`
	CheckedTo       int64       `json:"checked_to_offset"`
	RecordsCompared int64       `json:"records_compared"`
	MarkersCompared int64       `json:"markers_compared"`
	FirstDifference *Difference `json:"first_difference"`
	NotChecked      []string    `json:"not_checked"`
}

// Report is the verdict on a mirror topic.
type Report struct {
	// Equal is true when every partition is EQUAL.
	Equal           bool        `json:"equal"`
	SnapshotAt      time.Time   `json:"snapshot_at"`
	DurationMs      int64       `json:"duration_ms"`
	RecordsCompared int64       `json:"records_compared"`
	Partitions      []Partition `json:"partitions"`
	NotChecked      []string    `json:"not_checked"`
}

// Options tune Mirror.
type Options struct {
	// Parallel is how many partitions are read at once; 2 when zero (on
	// the embedded clusters more only adds contention: docs/benchmarks.md).
	Parallel int
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Mirror compares mirror with source partition by partition (see the
// package doc). An error means the comparison could not be made (a topic
// is missing, a broker is down); differences are in the Report.
func Mirror(ctx context.Context, source, mirror Side, o Options) (*Report, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	start := o.Now()
	mt, err := LoadTopic(ctx, mirror.Client, mirror.Topic)
	if err != nil {
		return nil, fmt.Errorf("mirror topic %s: %w", mirror.Topic, err)
	}
	st, err := LoadTopic(ctx, source.Client, source.Topic)
	if err != nil {
		return nil, fmt.Errorf("source topic %s: %w", source.Topic, err)
	}
	n := max(len(mt.Leaders), len(st.Leaders))
	parts := make([]Partition, n)
	// The snapshot: the mirror's offsets before the source's.
	for p := range int32(n) {
		parts[p] = Partition{Partition: p, NotChecked: []string{}}
		if int(p) < len(mt.Leaders) {
			if parts[p].Mirror, err = offsets(ctx, mirror.Client, mirror.Topic, p); err != nil {
				return nil, fmt.Errorf("mirror topic %s partition %d: %w", mirror.Topic, p, err)
			}
		}
	}
	for p := range int32(n) {
		if int(p) < len(st.Leaders) {
			if parts[p].Source, err = offsets(ctx, source.Client, source.Topic, p); err != nil {
				return nil, fmt.Errorf("source topic %s partition %d: %w", source.Topic, p, err)
			}
		}
	}
	rep := &Report{SnapshotAt: start.UTC(), Partitions: parts, NotChecked: []string{
		fmt.Sprintf("records written after the snapshot of end offsets at %s", start.UTC().Format(time.RFC3339Nano)),
		"producer IDs, epochs and sequence numbers (replication rewrites them)",
	}}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, o.Parallel)
	for p := range int32(n) {
		pr := &parts[p]
		switch {
		case int(p) >= len(mt.Leaders):
			pr.Result, pr.FirstDifference = Different, &Difference{Offset: pr.Source.LogStart, Field: "missing", Source: fmt.Sprintf("partition %d", p), Mirror: "no such partition"}
			continue
		case int(p) >= len(st.Leaders):
			pr.Result, pr.FirstDifference = Different, &Difference{Offset: pr.Mirror.LogStart, Field: "extra", Source: "no such partition", Mirror: fmt.Sprintf("partition %d", p)}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := comparePartition(ctx, source.Client, st, mirror.Client, mt, pr); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("partition %d: %w", pr.Partition, err)
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	rep.Equal = true
	for _, p := range parts {
		rep.RecordsCompared += p.RecordsCompared + p.MarkersCompared
		rep.Equal = rep.Equal && p.Result == Equal
	}
	rep.DurationMs = o.Now().Sub(start).Milliseconds()
	return rep, nil
}

func offsets(ctx context.Context, cl *kgo.Client, topic string, p int32) (Offsets, error) {
	var o Offsets
	var err error
	if o.LogStart, err = ListOffset(ctx, cl, topic, p, -2, 0); err != nil {
		return o, err
	}
	o.End, err = ListOffset(ctx, cl, topic, p, -1, 0)
	return o, err
}

// comparePartition streams both sides of one partition and fills in pr.
func comparePartition(ctx context.Context, scl *kgo.Client, st Topic, dcl *kgo.Client, dt Topic, pr *Partition) error {
	pr.CheckedFrom = max(pr.Source.LogStart, pr.Mirror.LogStart)
	pr.CheckedTo = max(pr.CheckedFrom, pr.Mirror.End)
	if pr.Mirror.LogStart > pr.Source.LogStart {
		pr.NotChecked = append(pr.NotChecked, fmt.Sprintf("offsets %d to %d, below the mirror's log start offset", pr.Source.LogStart, pr.Mirror.LogStart-1))
	}
	if pr.Source.LogStart > pr.Mirror.LogStart {
		pr.NotChecked = append(pr.NotChecked, fmt.Sprintf("offsets %d to %d, below the source's log start offset (deleted on the source)", pr.Mirror.LogStart, pr.Source.LogStart-1))
	}
	src := newStream(NewReader(scl, st, pr.Partition, pr.CheckedFrom, min(pr.CheckedTo, pr.Source.End), kgo.ReadUncommitted()))
	dst := newStream(NewReader(dcl, dt, pr.Partition, pr.CheckedFrom, pr.CheckedTo, kgo.ReadUncommitted()))
	appendTime := false
	for {
		s, err := src.peek(ctx)
		if err != nil {
			return fmt.Errorf("reading the source: %w", err)
		}
		d, err := dst.peek(ctx)
		if err != nil {
			return fmt.Errorf("reading the mirror: %w", err)
		}
		var diff *Difference
		switch {
		case s == nil && d == nil:
			if appendTime {
				pr.NotChecked = append(pr.NotChecked, "timestamps of LogAppendTime records (each broker stamps its own)")
			}
			pr.Result = Equal
			if pr.Mirror.End < pr.Source.End {
				pr.Result = MirrorBehind
				pr.NotChecked = append(pr.NotChecked, fmt.Sprintf("offsets %d to %d: the mirror did not hold them at the snapshot (%d behind)", pr.CheckedTo, pr.Source.End-1, pr.Source.End-pr.CheckedTo))
			}
			return nil
		case d != nil && (s == nil || d.Offset < s.Offset):
			dst.pop()
			if d.Attrs.IsControl() {
				continue // a filler of a hole in the source log
			}
			diff = &Difference{Offset: d.Offset, Field: "extra", Source: "no record", Mirror: Describe(d)}
		case d == nil || s.Offset < d.Offset:
			diff = &Difference{Offset: s.Offset, Field: "missing", Source: Describe(s), Mirror: "no record"}
		case s.Attrs.IsControl() != d.Attrs.IsControl():
			diff = &Difference{Offset: s.Offset, Field: "control", Source: Describe(s), Mirror: Describe(d)}
		case s.Attrs.IsControl():
			if ControlType(s) != ControlType(d) {
				diff = &Difference{Offset: s.Offset, Field: "control_type", Source: Describe(s), Mirror: Describe(d)}
			}
			pr.MarkersCompared++
		default:
			both := s.Attrs.TimestampType() == LogAppendTime && d.Attrs.TimestampType() == LogAppendTime
			appendTime = appendTime || both
			if f := RecordDiff(s, d, both); f != "" {
				diff = &Difference{Offset: s.Offset, Field: f, Source: Field(s, f), Mirror: Field(d, f)}
			}
			pr.RecordsCompared++
		}
		if diff != nil {
			pr.Result, pr.FirstDifference = Different, diff
			pr.NotChecked = append(pr.NotChecked, fmt.Sprintf("offsets after %d: comparison stops at the first difference", diff.Offset))
			return nil
		}
		src.pop()
		dst.pop()
	}
}

// stream puts a one-record lookahead on a Reader.
type stream struct {
	rd   *Reader
	buf  []*kgo.Record
	done bool
}

func newStream(rd *Reader) *stream { return &stream{rd: rd} }

func (s *stream) peek(ctx context.Context) (*kgo.Record, error) {
	for len(s.buf) == 0 && !s.done {
		recs, err := s.rd.Next(ctx)
		if err != nil {
			return nil, err
		}
		if recs == nil {
			s.done = true
		}
		s.buf = recs
	}
	if len(s.buf) == 0 {
		return nil, nil
	}
	return s.buf[0], nil
}

func (s *stream) pop() {
	if len(s.buf) > 0 {
		s.buf[0] = nil
		s.buf = s.buf[1:]
	}
}
