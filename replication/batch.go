package replication

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/twmb/franz-go/pkg/kbin"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Byte offsets of the fields of a v2 record batch (magic 2). Everything from
// attrOff on is covered by the CRC; FirstOffset, Length and
// PartitionLeaderEpoch are not.
const (
	lengthOff      = 8
	leaderEpochOff = 12
	magicOff       = 16
	crcOff         = 17
	attrOff        = 21
	lastDeltaOff   = 23
	firstTSOff     = 27
	maxTSOff       = 35
	producerIDOff  = 43
	epochOff       = 51
	sequenceOff    = 53
	numRecordsOff  = 57
	batchHeaderLen = 61
)

// Batch attribute bits.
const (
	attrCompression   = 0x07
	attrLogAppendTime = 0x08
	attrTransactional = 0x10
	attrControl       = 0x20
	attrDeleteHorizon = 0x40
)

var crc32c = crc32.MakeTable(crc32.Castagnoli)

var errOldMagic = errors.New("record batch uses message format v0 or v1")

// rawBatch is one record batch as fetched, aliasing the fetch response.
type rawBatch struct {
	b []byte
	h kmsg.RecordBatch // header fields; h.Records aliases b
}

// splitBatches cuts fetched bytes into complete batches. A trailing partial
// batch, which brokers may return when a size limit cuts a batch, is dropped.
// A batch in an old message format is an error.
func splitBatches(in []byte) ([]rawBatch, error) {
	var out []rawBatch
	for len(in) >= 17 {
		size := 12 + int(int32(binary.BigEndian.Uint32(in[lengthOff:])))
		if size < 12 || len(in) < size {
			break
		}
		if in[magicOff] != 2 {
			return out, errOldMagic
		}
		if size < batchHeaderLen {
			return out, fmt.Errorf("record batch of %d bytes is shorter than its header", size)
		}
		rb := rawBatch{b: in[:size:size]}
		if err := rb.h.ReadFrom(rb.b); err != nil {
			return out, fmt.Errorf("decoding record batch header: %w", err)
		}
		out = append(out, rb)
		in = in[size:]
	}
	return out, nil
}

func (rb *rawBatch) base() int64   { return rb.h.FirstOffset }
func (rb *rawBatch) last() int64   { return rb.h.FirstOffset + int64(rb.h.LastOffsetDelta) }
func (rb *rawBatch) control() bool { return rb.h.Attributes&attrControl != 0 }
func (rb *rawBatch) txnal() bool   { return rb.h.Attributes&attrTransactional != 0 }

// verbatim reports whether the batch can be produced as it is, with only
// its offset and producer fields rewritten: it has a record for every offset
// it spans (compaction can leave holes), and no delete horizon (set by log
// cleaners, which a producer may not send).
func (rb *rawBatch) verbatim() bool {
	return rb.h.NumRecords > 0 && rb.h.NumRecords-1 == rb.h.LastOffsetDelta &&
		rb.h.Attributes&attrDeleteHorizon == 0
}

// setProducer rewrites the batch for producing: FirstOffset 0, the given
// producer ID, epoch and base sequence, and a recomputed CRC. It changes the
// fetched bytes in place.
func (rb *rawBatch) setProducer(pid int64, epoch int16, seq int32) {
	b := rb.b
	binary.BigEndian.PutUint64(b[0:], 0)
	binary.BigEndian.PutUint32(b[leaderEpochOff:], 0xffffffff)
	binary.BigEndian.PutUint64(b[producerIDOff:], uint64(pid))
	binary.BigEndian.PutUint16(b[epochOff:], uint16(epoch))
	binary.BigEndian.PutUint32(b[sequenceOff:], uint32(seq))
	binary.BigEndian.PutUint32(b[crcOff:], crc32.Checksum(b[attrOff:], crc32c))
}

// controlType returns the type of a control batch's record: 0 abort, 1
// commit. ok is false for a control batch that is not exactly one record
// with a readable key.
func (rb *rawBatch) controlType() (typ kmsg.ControlRecordKeyType, ok bool) {
	if !rb.control() || rb.h.NumRecords != 1 || rb.h.Attributes&attrCompression != 0 {
		return 0, false
	}
	recs, err := parseRecords(rb.h.Records, 1)
	if err != nil || recs[0].key == nil {
		return 0, false
	}
	var k kmsg.ControlRecordKey
	if err := k.ReadFrom(recs[0].key); err != nil {
		return 0, false
	}
	return k.Type, true
}

// record is one record of a batch, split into the parts a re-encoding
// changes (the deltas) and the bytes it keeps (attributes and everything
// after the offset delta: key, value, headers).
type record struct {
	attrs       byte
	tsDelta     int64
	offsetDelta int32
	key         []byte // the key, read for control records
	tail        []byte // key, value and headers as encoded
}

var errShortRecord = errors.New("record is truncated")

// parseRecords parses n uncompressed records.
func parseRecords(in []byte, n int32) ([]record, error) {
	recs := make([]record, 0, n)
	for i := int32(0); i < n; i++ {
		l, sz := kbin.Varint(in)
		if sz <= 0 || l < 0 || len(in) < sz+int(l) {
			return nil, errShortRecord
		}
		body := in[sz : sz+int(l)]
		in = in[sz+int(l):]
		if len(body) < 1 {
			return nil, errShortRecord
		}
		r := record{attrs: body[0]}
		body = body[1:]
		var n1, n2 int
		r.tsDelta, n1 = kbin.Varlong(body)
		if n1 <= 0 {
			return nil, errShortRecord
		}
		r.offsetDelta, n2 = kbin.Varint(body[n1:])
		if n2 <= 0 {
			return nil, errShortRecord
		}
		r.tail = body[n1+n2:]
		if kl, n3 := kbin.Varint(r.tail); n3 > 0 && kl >= 0 && len(r.tail) >= n3+int(kl) {
			r.key = r.tail[n3 : n3+int(kl)]
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// records returns the batch's records, decompressing them if needed.
func (rb *rawBatch) records(d kgo.Decompressor) ([]record, error) {
	raw := rb.h.Records
	if codec := kgo.CompressionCodecType(rb.h.Attributes & attrCompression); codec != kgo.CodecNone {
		var err error
		if raw, err = d.Decompress(raw, codec); err != nil {
			return nil, fmt.Errorf("decompressing record batch: %w", err)
		}
	}
	return parseRecords(raw, rb.h.NumRecords)
}

// run is a maximal sequence of records with consecutive offsets, cut from a
// batch that has holes or that starts before the replication position.
type run struct {
	first int64 // absolute offset of recs[0]
	recs  []record
}

// runs groups the records at or after from into runs of consecutive offsets,
// each at most maxBytes of encoded records (at least one record).
func runs(base int64, recs []record, from int64, maxBytes int) []run {
	var out []run
	var cur *run
	size := 0
	for _, r := range recs {
		off := base + int64(r.offsetDelta)
		if off < from {
			continue
		}
		rsize := len(r.tail) + 24
		if cur == nil || off != cur.first+int64(len(cur.recs)) || size+rsize > maxBytes {
			out = append(out, run{first: off})
			cur = &out[len(out)-1]
			size = 0
		}
		cur.recs = append(cur.recs, r)
		size += rsize
	}
	return out
}

// encodeRun builds an uncompressed batch holding the run, with the source
// batch's timestamp type and transactional bit. Record timestamps are kept;
// offset deltas restart at 0. Producer fields are set later by setProducer.
func encodeRun(src *rawBatch, rn run) rawBatch {
	firstTS := src.h.FirstTimestamp + rn.recs[0].tsDelta
	maxTS := firstTS
	var recs []byte
	var body []byte
	for i, r := range rn.recs {
		ts := src.h.FirstTimestamp + r.tsDelta
		maxTS = max(maxTS, ts)
		body = append(body[:0], r.attrs)
		body = kbin.AppendVarlong(body, ts-firstTS)
		body = kbin.AppendVarint(body, int32(i))
		body = append(body, r.tail...)
		recs = kbin.AppendVarint(recs, int32(len(body)))
		recs = append(recs, body...)
	}
	attrs := src.h.Attributes &^ (attrCompression | attrDeleteHorizon)
	if attrs&attrLogAppendTime != 0 {
		maxTS = src.h.MaxTimestamp
	}
	return buildBatch(attrs, int32(len(rn.recs)), firstTS, maxTS, recs)
}

// buildBatch encodes a batch header around encoded records.
func buildBatch(attrs int16, n int32, firstTS, maxTS int64, recs []byte) rawBatch {
	h := kmsg.RecordBatch{
		PartitionLeaderEpoch: -1,
		Magic:                2,
		Attributes:           attrs,
		LastOffsetDelta:      n - 1,
		FirstTimestamp:       firstTS,
		MaxTimestamp:         maxTS,
		ProducerID:           -1,
		ProducerEpoch:        -1,
		FirstSequence:        -1,
		NumRecords:           n,
		Records:              recs,
	}
	b := h.AppendTo(make([]byte, 0, batchHeaderLen+len(recs)))
	binary.BigEndian.PutUint32(b[lengthOff:], uint32(len(b)-12))
	rb := rawBatch{b: b}
	_ = rb.h.ReadFrom(b)
	return rb
}

// fillerRecords encodes n records with no key, no value, no headers and no
// timestamp: the cheapest records that occupy offsets. They only ever sit
// below a log start offset that DeleteRecords moves past them.
func fillerRecords(n int32) []byte {
	out := make([]byte, 0, int(n)*8)
	var body []byte
	for i := int32(0); i < n; i++ {
		body = append(body[:0], 0) // attributes
		body = kbin.AppendVarlong(body, 0)
		body = kbin.AppendVarint(body, i)
		body = kbin.AppendVarint(body, -1) // null key
		body = kbin.AppendVarint(body, -1) // null value
		body = kbin.AppendVarint(body, 0)  // no headers
		out = kbin.AppendVarint(out, int32(len(body)))
		out = append(out, body...)
	}
	return out
}

// fillerBatch returns a zstd-compressed batch of n filler records with
// timestamp -1 (no timestamp), which no timestamp lookup or timestamp
// validation considers.
func fillerBatch(c kgo.Compressor, n int32) rawBatch {
	raw := fillerRecords(n)
	var buf bytes.Buffer
	recs, codec := c.Compress(&buf, raw)
	recs = append([]byte(nil), recs...)
	return buildBatch(int16(codec), n, -1, -1, recs)
}
