package broker

import (
	"fmt"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// SetWriteGuard installs fn as the judge of which topics are read-only
// mirrors. fn returns readOnly and, if so, the error message producers get.
// Produce requests marked as linkemu's own (linkemu.LinkWriterPrefix) always
// pass. A nil fn lets every write through.
func (e *Embedded) SetWriteGuard(fn func(topic string) (reason string, readOnly bool)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.guard = fn
}

func (e *Embedded) writeGuard() func(string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.guard
}

// controlProduce runs on every produce request the broker receives. A request
// touching a read-only mirror fails as a whole: mirror partitions with
// INVALID_REQUEST and the message, other partitions with REQUEST_TIMED_OUT so
// the client retries them alone (nothing of the request was written). With
// acks=0 there is no response to send, so mirror partitions are dropped.
func (e *Embedded) controlProduce(kreq kmsg.Request) (kmsg.Response, error, bool) {
	kc := e.Fake()
	if kc != nil {
		kc.KeepControl()
	}
	guard := e.writeGuard()
	req := kreq.(*kmsg.ProduceRequest)
	if guard == nil || kc == nil || (req.TransactionID != nil && strings.HasPrefix(*req.TransactionID, linkemu.LinkWriterPrefix)) {
		return nil, nil, false
	}
	reasons := make(map[int]string)
	for i := range req.Topics {
		t := &req.Topics[i]
		name := t.Topic
		if name == "" {
			name = e.topicName(kc, t.TopicID)
		}
		if reason, ro := guard(name); ro {
			reasons[i] = reason
		}
	}
	if len(reasons) == 0 {
		return nil, nil, false
	}
	if req.Acks == 0 {
		kept := req.Topics[:0]
		for i, t := range req.Topics {
			if _, ro := reasons[i]; !ro {
				kept = append(kept, t)
			}
		}
		req.Topics = kept
		return nil, nil, false
	}
	resp := req.ResponseKind().(*kmsg.ProduceResponse)
	for i, t := range req.Topics {
		rt := kmsg.NewProduceResponseTopic()
		rt.Topic, rt.TopicID = t.Topic, t.TopicID
		for _, p := range t.Partitions {
			rp := kmsg.NewProduceResponseTopicPartition()
			rp.Partition = p.Partition
			if reason, ro := reasons[i]; ro {
				rp.ErrorCode = kerr.InvalidRequest.Code
				rp.ErrorMessage = &reason
			} else {
				rp.ErrorCode = kerr.RequestTimedOut.Code
				msg := fmt.Sprintf("not written: the same request wrote to read-only mirror topic(s); retry %s alone", t.Topic)
				rp.ErrorMessage = &msg
			}
			rt.Partitions = append(rt.Partitions, rp)
		}
		resp.Topics = append(resp.Topics, rt)
	}
	return resp, nil, true
}

// topicName resolves a topic ID (Produce v13+ names topics by ID). Asking
// kfake goes through its run loop, so names are cached: an ID belongs to one
// topic for good, a recreated topic gets a new ID.
func (e *Embedded) topicName(kc *kfake.Cluster, id [16]byte) string {
	e.mu.Lock()
	name, ok := e.topicIDs[id]
	e.mu.Unlock()
	if ok {
		return name
	}
	info := kc.TopicIDInfo(id)
	if info == nil {
		return ""
	}
	e.mu.Lock()
	if e.topicIDs == nil {
		e.topicIDs = make(map[[16]byte]string)
	}
	e.topicIDs[id] = info.Topic
	e.mu.Unlock()
	return info.Topic
}
