package verify

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Topic is what reading a topic's partitions needs: its ID and each
// partition's leader.
type Topic struct {
	Name    string
	ID      [16]byte
	Leaders []int32 // by partition
}

// LoadTopic reads a topic's metadata.
func LoadTopic(ctx context.Context, cl *kgo.Client, topic string) (Topic, error) {
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(topic)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return Topic{}, err
	}
	if len(resp.Topics) != 1 {
		return Topic{}, fmt.Errorf("metadata of %q: %d topics in the answer", topic, len(resp.Topics))
	}
	t := resp.Topics[0]
	if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
		return Topic{}, fmt.Errorf("metadata of %q: %w", topic, err)
	}
	m := Topic{Name: topic, ID: t.TopicID, Leaders: make([]int32, len(t.Partitions))}
	for _, p := range t.Partitions {
		if int(p.Partition) < len(m.Leaders) {
			m.Leaders[p.Partition] = p.Leader
		}
	}
	return m, nil
}

// ListOffset answers a ListOffsets request for one partition: ts -2 is the
// log start offset, -1 the end offset (the high watermark at isolation 0,
// the last stable offset at isolation 1).
func ListOffset(ctx context.Context, cl *kgo.Client, topic string, p int32, ts int64, isolation int8) (int64, error) {
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

// Reader streams one partition's records in [from, to) in offset order, one
// fetch response at a time, with raw Fetch requests to the partition's
// leader and franz-go's own record decoding. Control records are kept.
type Reader struct {
	cl        *kgo.Client
	topic     Topic
	partition int32
	off, to   int64
	iso       kgo.IsolationLevel
	// MaxBytes bounds one fetch response; 8 MiB when zero.
	MaxBytes int32
}

// NewReader returns a Reader of partition p of t over [from, to).
func NewReader(cl *kgo.Client, t Topic, p int32, from, to int64, iso kgo.IsolationLevel) *Reader {
	return &Reader{cl: cl, topic: t, partition: p, off: from, to: to, iso: iso}
}

// Next returns the next records, or nil when the range is read. With
// read_committed, control records and aborted data are left out.
func (r *Reader) Next(ctx context.Context) ([]*kgo.Record, error) {
	for r.off < r.to {
		recs, end, err := r.fetch(ctx)
		if err != nil {
			return nil, err
		}
		r.off = end
		if len(recs) > 0 {
			return recs, nil
		}
	}
	return nil, nil
}

func (r *Reader) fetch(ctx context.Context) ([]*kgo.Record, int64, error) {
	maxBytes := r.MaxBytes
	if maxBytes == 0 {
		maxBytes = 8 << 20
	}
	isoLevel := int8(0)
	if r.iso == kgo.ReadCommitted() {
		isoLevel = 1
	}
	req := kmsg.NewPtrFetchRequest()
	req.ReplicaID = -1
	req.MaxBytes = 2 * maxBytes
	req.IsolationLevel = isoLevel
	req.SessionEpoch = -1
	rt := kmsg.NewFetchRequestTopic()
	rt.Topic, rt.TopicID = r.topic.Name, r.topic.ID
	rp := kmsg.NewFetchRequestTopicPartition()
	rp.Partition, rp.FetchOffset, rp.PartitionMaxBytes = r.partition, r.off, maxBytes
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	kresp, err := r.cl.Broker(int(r.topic.Leaders[r.partition])).Request(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	resp := kresp.(*kmsg.FetchResponse)
	if len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1 {
		return nil, 0, fmt.Errorf("fetch: malformed answer (error %v)", kerr.ErrorForCode(resp.ErrorCode))
	}
	frp := &resp.Topics[0].Partitions[0]
	if err := kerr.ErrorForCode(frp.ErrorCode); err != nil {
		return nil, 0, fmt.Errorf("fetch at %d: %w", r.off, err)
	}
	end := batchesEnd(frp.RecordBatches)
	if end <= r.off {
		return nil, 0, fmt.Errorf("fetch at %d (reading up to %d): no complete batch", r.off, r.to)
	}
	fp, _ := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
		KeepControlRecords: true,
		Offset:             r.off,
		IsolationLevel:     r.iso,
		Topic:              r.topic.Name,
		Partition:          r.partition,
	}, frp, kgo.DefaultDecompressor(), nil)
	if fp.Err != nil {
		return nil, 0, fp.Err
	}
	out := fp.Records[:0]
	for _, rec := range fp.Records {
		if rec.Offset >= r.off && rec.Offset < r.to && (r.iso != kgo.ReadCommitted() || !rec.Attrs.IsControl()) {
			out = append(out, rec)
		}
	}
	return out, end, nil
}

// ReadRange reads all of [from, to) of one partition.
func ReadRange(ctx context.Context, cl *kgo.Client, t Topic, p int32, from, to int64, iso kgo.IsolationLevel) ([]*kgo.Record, error) {
	var out []*kgo.Record
	rd := NewReader(cl, t, p, from, to, iso)
	for {
		recs, err := rd.Next(ctx)
		if err != nil || recs == nil {
			return out, err
		}
		out = append(out, recs...)
	}
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
