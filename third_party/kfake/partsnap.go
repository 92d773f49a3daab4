package kfake

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// linkemu change "one partition snapshot file and a clean-shutdown load".
//
// Upstream writes a snapshot.json per partition at shutdown (create, write,
// fsync, rename: 10,000 partitions took seconds), and at startup reads each
// partition's snapshot, lists its directory, stats and reads every segment
// and index file and checks every batch's CRC, even after a clean shutdown.
//
// Now shutdown writes every partition's snapshot into one file,
// partitions.snap (binary, one CRC over the whole file, written to a
// temporary file, fsynced and renamed), holding what snapshot.json held plus
// each segment's in-memory batch index. After it, and after every other file,
// it makes the whole data dir durable with one syncfs(2) (the segments are
// written without fsync, as upstream does), and only then writes meta.json
// with a clean-shutdown token, which partitions.snap repeats.
//
// At startup, when meta.json's token matches partitions.snap's, nothing was
// written since that shutdown, so a partition whose entry is complete is
// restored from the entry alone: no file of the partition is opened. meta.json
// is then rewritten without the token (fsynced, with its directory) before
// anything can be written, so a crash later falls back to the checks below.
// Without a matching token (a crash, a storage error during the run, no
// syncfs on this platform, or data written by an older kfake), each
// partition is checked as before: its segment list and sizes are compared
// with its entry (or, for data written before this change, its snapshot.json)
// and its segments are read and CRC-checked, or fully replayed on mismatch.
// The legacy snapshot.json files are removed at the first shutdown that
// wrote partitions.snap. An older kfake opening data written by this one
// finds no snapshot.json and replays every partition's log (log start
// offsets that DeleteRecords moved fall back to the first batch's, as after
// a crash).

const (
	partSnapFile    = "partitions.snap"
	partSnapMagic   = "KFPS"
	partSnapVersion = 1
)

// partSnapEntry is one partition's entry in partitions.snap.
type partSnapEntry struct {
	topic    string
	part     int32
	snap     persistPartSnapshot
	rolledAt int64 // unix nanoseconds
	nbytes   int64
	// complete reports whether segs hold every segment's full index,
	// as the partition was in memory at a clean shutdown.
	complete bool
	segs     []segmentInfo
}

type snapKey struct {
	t string
	p int32
}

// partSnapshots is what partitions.snap held at startup.
type partSnapshots struct {
	token   string
	entries map[snapKey]*partSnapEntry
}

// encodePartSnapshots encodes every partition of the cluster.
func (c *Cluster) encodePartSnapshots(token string) []byte {
	buf := append([]byte(partSnapMagic), 0, 0)
	binary.LittleEndian.PutUint16(buf[4:6], partSnapVersion)
	buf = appendString(buf, token)
	var n int
	c.data.tps.each(func(string, int32, *partData) { n++ })
	buf = binary.AppendUvarint(buf, uint64(n))
	c.data.tps.each(func(t string, p int32, pd *partData) {
		buf = appendPartEntry(buf, t, p, pd)
	})
	return binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, crc32c))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendPartEntry(b []byte, t string, p int32, pd *partData) []byte {
	v := binary.AppendVarint
	b = appendString(b, t)
	b = v(b, int64(p))
	b = v(b, pd.highWatermark)
	b = v(b, pd.lastStableOffset)
	b = v(b, pd.logStartOffset)
	b = v(b, int64(pd.epoch))
	leader := int64(-1)
	if pd.leader != nil {
		leader = int64(pd.leader.node)
	}
	b = v(b, leader)
	b = v(b, pd.maxTimestampSeen)
	b = v(b, pd.createdAt.UnixNano())
	b = v(b, pd.rolledAt.UnixNano())
	b = v(b, pd.nbytes)
	b = binary.AppendUvarint(b, uint64(len(pd.abortedTxns)))
	for _, a := range pd.abortedTxns {
		b = v(b, a.producerID)
		b = v(b, a.firstOffset)
		b = v(b, a.lastOffset)
	}
	complete := true
	for i := range pd.segments {
		s := &pd.segments[i]
		if s.size <= 0 || len(s.index) == 0 {
			complete = false
		}
		for j := range s.index {
			if s.index[j].segPos < 0 {
				complete = false
			}
		}
	}
	b = appendBool(b, complete)
	b = binary.AppendUvarint(b, uint64(len(pd.segments)))
	for i := range pd.segments {
		s := &pd.segments[i]
		b = v(b, s.base)
		b = v(b, s.endOff)
		b = v(b, int64(s.minEpoch))
		b = v(b, int64(s.maxEpoch))
		b = v(b, s.size)
		b = v(b, s.maxTimestamp)
		b = v(b, s.lastModified)
		b = appendMeta(b, &s.maxBatch)
		if !complete {
			b = binary.AppendUvarint(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(s.index)))
		for j := range s.index {
			b = appendMeta(b, &s.index[j])
		}
	}
	return b
}

func appendMeta(b []byte, m *batchMeta) []byte {
	v := binary.AppendVarint
	b = v(b, m.firstOffset)
	b = v(b, m.segPos)
	b = v(b, m.maxEarlierTimestamp)
	b = v(b, m.firstTimestamp)
	b = v(b, m.maxTimestamp)
	b = v(b, m.producerID)
	b = v(b, int64(m.lastOffsetDelta))
	b = v(b, int64(m.nbytes))
	b = v(b, int64(m.epoch))
	b = v(b, int64(m.numRecords))
	return appendBool(b, m.inTx)
}

// snapReader decodes partitions.snap, remembering the first error.
type snapReader struct {
	b   []byte
	err error
}

var errPartSnapShort = errors.New("partitions.snap: truncated entry")

func (r *snapReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errPartSnapShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

func (r *snapReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errPartSnapShort
		return 0
	}
	r.b = r.b[n:]
	return x
}

// count reads a length no larger than the bytes left, so a bad length
// cannot make a huge allocation.
func (r *snapReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errPartSnapShort
		return 0
	}
	return int(n)
}

func (r *snapReader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *snapReader) bool() bool {
	if r.err != nil || len(r.b) == 0 {
		r.err = errPartSnapShort
		return false
	}
	v := r.b[0] != 0
	r.b = r.b[1:]
	return v
}

func (r *snapReader) meta() batchMeta {
	return batchMeta{
		firstOffset:         r.varint(),
		segPos:              r.varint(),
		maxEarlierTimestamp: r.varint(),
		firstTimestamp:      r.varint(),
		maxTimestamp:        r.varint(),
		producerID:          r.varint(),
		lastOffsetDelta:     int32(r.varint()),
		nbytes:              int32(r.varint()),
		epoch:               int32(r.varint()),
		numRecords:          int32(r.varint()),
		inTx:                r.bool(),
	}
}

func (r *snapReader) entry() *partSnapEntry {
	e := &partSnapEntry{topic: r.str(), part: int32(r.varint())}
	s := &e.snap
	s.Version = currentPersistVersion
	s.HighWatermark = r.varint()
	s.LastStableOffset = r.varint()
	s.LogStartOffset = r.varint()
	s.Epoch = int32(r.varint())
	s.LeaderNode = int32(r.varint())
	s.MaxTimestamp = r.varint()
	s.CreatedAt = time.Unix(0, r.varint())
	e.rolledAt = r.varint()
	e.nbytes = r.varint()
	for range r.count() {
		s.AbortedTxns = append(s.AbortedTxns, persistAbortedTxn{ProducerID: r.varint(), FirstOffset: r.varint(), LastOffset: r.varint()})
	}
	e.complete = r.bool()
	for range r.count() {
		si := segmentInfo{
			base:         r.varint(),
			endOff:       r.varint(),
			minEpoch:     int32(r.varint()),
			maxEpoch:     int32(r.varint()),
			size:         r.varint(),
			maxTimestamp: r.varint(),
			lastModified: r.varint(),
			maxBatch:     r.meta(),
		}
		if n := r.count(); n > 0 {
			si.index = make([]batchMeta, 0, n)
			for range n {
				si.index = append(si.index, r.meta())
			}
		}
		e.segs = append(e.segs, si)
		s.Segments = append(s.Segments, persistSegmentInfo{BaseOffset: si.base, Size: si.size, MinEpoch: si.minEpoch, MaxEpoch: si.maxEpoch})
	}
	return e
}

// readPartSnapshots reads partitions.snap. A missing file is no
// snapshot; a damaged one is logged and ignored (every partition is then
// checked against its files).
func (c *Cluster) readPartSnapshots(fsys fs, dir string) partSnapshots {
	raw, err := fsys.ReadFile(filepath.Join(dir, partSnapFile))
	if err != nil {
		if !os.IsNotExist(err) {
			c.cfg.logger.Logf(LogLevelWarn, "%s: %v; checking every partition's files", partSnapFile, err)
		}
		return partSnapshots{}
	}
	ps, err := decodePartSnapshots(raw)
	if err != nil {
		c.cfg.logger.Logf(LogLevelWarn, "%s: %v; checking every partition's files", partSnapFile, err)
		return partSnapshots{}
	}
	return ps
}

func decodePartSnapshots(raw []byte) (partSnapshots, error) {
	if len(raw) < 10 || string(raw[:4]) != partSnapMagic {
		return partSnapshots{}, errors.New("not a partition snapshot file")
	}
	body, sum := raw[:len(raw)-4], binary.LittleEndian.Uint32(raw[len(raw)-4:])
	if crc32.Checksum(body, crc32c) != sum {
		return partSnapshots{}, errors.New("checksum mismatch")
	}
	if v := binary.LittleEndian.Uint16(body[4:6]); v > partSnapVersion {
		return partSnapshots{}, fmt.Errorf("version %d is newer than supported %d", v, partSnapVersion)
	}
	r := &snapReader{b: body[6:]}
	ps := partSnapshots{token: r.str()}
	n := r.count()
	ps.entries = make(map[snapKey]*partSnapEntry, n)
	for range n {
		e := r.entry()
		if r.err != nil {
			return partSnapshots{}, r.err
		}
		ps.entries[snapKey{e.topic, e.part}] = e
	}
	return ps, r.err
}

// savePartSnapshots writes partitions.snap atomically: temporary file,
// fsync, rename.
func (c *Cluster) savePartSnapshots(fsys fs, dir, token string) error {
	path := filepath.Join(dir, partSnapFile)
	tmp := path + ".tmp"
	f, err := fsys.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("creating %s: %w", tmp, err)
	}
	defer f.Close()
	if _, err := f.Write(c.encodePartSnapshots(token)); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp, err)
	}
	return fsys.Rename(tmp, path)
}

// loadPartitionClean restores a partition from its complete entry after a
// clean shutdown, without opening its files.
func (c *Cluster) loadPartitionClean(pd *partData, e *partSnapEntry) {
	s := &e.snap
	pd.highWatermark = s.HighWatermark
	pd.lastStableOffset = s.LastStableOffset
	pd.logStartOffset = s.LogStartOffset
	pd.epoch = s.Epoch
	if s.LeaderNode >= 0 && int(s.LeaderNode) < len(c.bs) {
		pd.leader = c.bs[s.LeaderNode]
	}
	pd.createdAt = s.CreatedAt
	pd.rolledAt = time.Unix(0, e.rolledAt)
	pd.nbytes = e.nbytes
	pd.segments = e.segs
	for _, a := range s.AbortedTxns {
		pd.abortedTxns = append(pd.abortedTxns, abortedTxnEntry{producerID: a.ProducerID, firstOffset: a.FirstOffset, lastOffset: a.LastOffset})
	}
	pd.rebuildMaxTimestampMeta()
}

// newCleanToken returns a token that names one clean shutdown.
func newCleanToken() string {
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}

// fsSyncer is implemented by file systems that can make a directory's
// entries, and the whole file system, durable.
type fsSyncer interface {
	SyncDir(dir string) error
	SyncFS(dir string) error
}

func (osFS) SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (osFS) SyncFS(dir string) error { return syncFS(dir) }

func (*memFS) SyncDir(string) error { return nil }
func (*memFS) SyncFS(string) error  { return nil }

func syncDir(fsys fs, dir string) error {
	if s, ok := fsys.(fsSyncer); ok {
		return s.SyncDir(dir)
	}
	return errors.ErrUnsupported
}

func syncWholeFS(fsys fs, dir string) error {
	if s, ok := fsys.(fsSyncer); ok {
		return s.SyncFS(dir)
	}
	return errors.ErrUnsupported
}
