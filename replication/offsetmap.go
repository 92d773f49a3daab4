package replication

import "sort"

// Breakpoint records one range of source offsets that the mirror skipped
// instead of filling, because the range was longer than Config.MaxFillGap.
// Source offsets from SourceEnd on map to destination offsets from Dest on;
// the skipped offsets [Source, SourceEnd) all map to Dest, the destination
// offset of the first record after them.
type Breakpoint struct {
	Source    int64 `json:"source"`
	SourceEnd int64 `json:"source_end"`
	Dest      int64 `json:"dest"`
}

// OffsetMap translates a partition's source offsets to mirror offsets. An
// empty map is the identity, which is what an exact mirror has.
type OffsetMap []Breakpoint

// ToDest returns the destination offset of source offset s: the offset of
// the same record, or for an offset with no record, the offset of the next
// record. It is monotonic, so a consumer position translates to a position
// that skips nothing and repeats nothing.
func (m OffsetMap) ToDest(s int64) int64 {
	i := sort.Search(len(m), func(i int) bool { return m[i].Source > s }) - 1
	if i < 0 {
		return s
	}
	bp := m[i]
	if s < bp.SourceEnd {
		return bp.Dest
	}
	return bp.Dest + (s - bp.SourceEnd)
}

// ToSource returns the source offset whose record sits at destination offset
// d. Destination offsets are contiguous, so every d has one.
func (m OffsetMap) ToSource(d int64) int64 {
	i := sort.Search(len(m), func(i int) bool { return m[i].Dest > d }) - 1
	if i < 0 {
		return d
	}
	return m[i].SourceEnd + (d - m[i].Dest)
}

// skip returns the map with source offsets [from, to) skipped at destination
// offset dest.
func (m OffsetMap) skip(from, to, dest int64) OffsetMap {
	out := append(OffsetMap(nil), m...)
	if n := len(out); n > 0 && out[n-1].Dest == dest && out[n-1].SourceEnd == from {
		out[n-1].SourceEnd = to // extend the previous skip: nothing was written between
		return out
	}
	return append(out, Breakpoint{Source: from, SourceEnd: to, Dest: dest})
}
