package verify

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"
)

// LogAppendTime is the timestamp type of records stamped by their broker.
const LogAppendTime = 1

// RecordDiff compares two data records at the same offset and returns the
// name of the first field that differs ("key", "value", "headers",
// "transactional", "timestamp_type", "timestamp") or "" when they are
// equal. Timestamps are skipped when ignoreTimestamps is set.
func RecordDiff(s, d *kgo.Record, ignoreTimestamps bool) string {
	switch {
	case !bytes.Equal(s.Key, d.Key) || (s.Key == nil) != (d.Key == nil):
		return "key"
	case !bytes.Equal(s.Value, d.Value) || (s.Value == nil) != (d.Value == nil):
		return "value"
	case !slices.EqualFunc(s.Headers, d.Headers, func(a, b kgo.RecordHeader) bool {
		return a.Key == b.Key && bytes.Equal(a.Value, b.Value)
	}):
		return "headers"
	case s.Attrs.IsTransactional() != d.Attrs.IsTransactional():
		return "transactional"
	case s.Attrs.TimestampType() != d.Attrs.TimestampType():
		return "timestamp_type"
	case !ignoreTimestamps && !s.Timestamp.Equal(d.Timestamp):
		return "timestamp"
	}
	return ""
}

// Field renders one field of r, as RecordDiff names it, for a person.
func Field(r *kgo.Record, field string) string {
	switch field {
	case "key":
		return quote(r.Key)
	case "value":
		return quote(r.Value)
	case "headers":
		return fmt.Sprintf("%v", headers(r.Headers))
	case "transactional":
		return fmt.Sprint(r.Attrs.IsTransactional())
	case "timestamp_type":
		return fmt.Sprint(r.Attrs.TimestampType())
	case "timestamp":
		return fmt.Sprint(r.Timestamp.UnixMilli())
	}
	return Describe(r)
}

// ControlType returns the type of a control record (0 abort, 1 commit), or
// -1 if its key is malformed.
func ControlType(r *kgo.Record) int16 {
	if len(r.Key) < 4 {
		return -1
	}
	return int16(binary.BigEndian.Uint16(r.Key[2:]))
}

// Describe renders a record or transaction marker in one short line.
func Describe(r *kgo.Record) string {
	if r.Attrs.IsControl() {
		switch ControlType(r) {
		case 0:
			return "marker(abort)"
		case 1:
			return "marker(commit)"
		}
		return fmt.Sprintf("marker(type %d)", ControlType(r))
	}
	return fmt.Sprintf("record(key %s, value %s)", quote(r.Key), quote(r.Value))
}

func quote(b []byte) string {
	if b == nil {
		return "null"
	}
	return fmt.Sprintf("%.60q", b)
}

func headers(hs []kgo.RecordHeader) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Key + "=" + quote(h.Value)
	}
	return out
}
