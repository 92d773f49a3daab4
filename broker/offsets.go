package broker

import (
	"context"
	"fmt"
)

// EndOffsets returns the log end offset of every partition of a topic,
// indexed by partition.
func (c *Admin) EndOffsets(ctx context.Context, topic string) ([]int64, error) {
	listed, err := c.admin.ListEndOffsets(fresh(ctx), topic)
	if err != nil {
		return nil, kafkaError(err, topicWhat(topic))
	}
	parts := listed[topic]
	out := make([]int64, len(parts))
	for p, o := range parts {
		if o.Err != nil {
			return nil, kafkaError(o.Err, topicWhat(topic))
		}
		if int(p) >= len(out) {
			return nil, kafkaError(fmt.Errorf("partition %d outside 0..%d", p, len(out)-1), topicWhat(topic))
		}
		out[p] = o.Offset
	}
	return out, nil
}
