package linkemu

import (
	"fmt"
	"regexp"
	"strings"
)

// Limits bound what one request may ask of linkemu, so that no request can
// take the process down or be silently narrowed. The defaults follow
// Confluent Cloud: a Basic or Standard cluster holds at most 4,096
// partitions (before replication), so no one topic and no one request there
// can ask for more.
type Limits struct {
	// PartitionsPerTopic is the most partitions a topic may have
	// (partitions_count of a create or a PATCH).
	PartitionsPerTopic int
	// PartitionsPerRequest is the most partitions one request may add: a
	// new topic's partitions_count, or how much a PATCH grows a topic.
	PartitionsPerRequest int
	// MaxRequestBytes caps a request body.
	MaxRequestBytes int64
}

// Default limits: Confluent Cloud's Basic and Standard partition limit, and
// a request body cap far above any real request (a link create with inline
// PEM certificates is a few KiB).
const (
	DefaultPartitionsPerTopic   = 4096
	DefaultPartitionsPerRequest = 4096
	DefaultMaxRequestBytes      = 1 << 20
)

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{
		PartitionsPerTopic:   DefaultPartitionsPerTopic,
		PartitionsPerRequest: DefaultPartitionsPerRequest,
		MaxRequestBytes:      DefaultMaxRequestBytes,
	}
}

// WithDefaults returns l with each zero field set to its default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	if l.PartitionsPerTopic <= 0 {
		l.PartitionsPerTopic = d.PartitionsPerTopic
	}
	if l.PartitionsPerRequest <= 0 {
		l.PartitionsPerRequest = d.PartitionsPerRequest
	}
	if l.MaxRequestBytes <= 0 {
		l.MaxRequestBytes = d.MaxRequestBytes
	}
	return l
}

// Range is the inclusive range of values an integer field accepts. Default,
// when set, is one more value outside the range that means "use the
// cluster's default" (Kafka's -1).
type Range struct {
	Min, Max int64
	Default  *int64
}

// String describes the range for an error message.
func (r Range) String() string {
	s := fmt.Sprintf("from %d to %d", r.Min, r.Max)
	if r.Default != nil {
		s += fmt.Sprintf(", or %d for the cluster default", *r.Default)
	}
	return s
}

// Contains reports whether v is accepted.
func (r Range) Contains(v int64) bool {
	return (v >= r.Min && v <= r.Max) || (r.Default != nil && v == *r.Default)
}

// Check returns an EINVALID error naming field and the range when v is
// outside it.
func (r Range) Check(field string, v int64) error {
	if r.Contains(v) {
		return nil
	}
	return Errorf(EINVALID, "Invalid value %d for %s: give a whole number %s.", v, field, r)
}

// OutOfRange is the error for a value of field too large or too small to
// be read as a number at all (e.g. 1e30).
func (r Range) OutOfRange(field, value string) error {
	return Errorf(EINVALID, "Invalid value %s for %s: give a whole number %s.", value, field, r)
}

var kafkaDefault = int64(-1)

// PartitionsRange is the range of a new topic's partitions_count.
func (l Limits) PartitionsRange() Range {
	return Range{Min: 1, Max: int64(min(l.PartitionsPerTopic, l.PartitionsPerRequest)), Default: &kafkaDefault}
}

// PartitionsGrowRange is the range of a PATCH's partitions_count.
func (l Limits) PartitionsGrowRange() Range {
	return Range{Min: 1, Max: int64(l.PartitionsPerTopic)}
}

// CheckGrowth refuses a PATCH that adds more partitions than one request
// may.
func (l Limits) CheckGrowth(topic string, from, to int) error {
	if to-from > l.PartitionsPerRequest {
		return Errorf(EINVALID, "Invalid value %d for partitions_count: topic '%s' has %d partitions and one request may add at most %d; grow it in steps of %d or fewer.", to, topic, from, l.PartitionsPerRequest, l.PartitionsPerRequest)
	}
	return nil
}

// ReplicationFactorRange is the range of a topic's replication_factor:
// Kafka's is an int16.
var ReplicationFactorRange = Range{Min: 1, Max: 1<<15 - 1, Default: &kafkaDefault}

var mirrorRFDefault = int64(0)

// MirrorReplicationFactorRange is the range of a mirror's
// replication_factor, where 0 (or absent) means the cluster default and
// values above the destination's broker count are capped to it.
var MirrorReplicationFactorRange = Range{Min: 1, Max: 1<<15 - 1, Default: &mirrorRFDefault}

// TopicNameMaxLen is Kafka's longest topic name.
const TopicNameMaxLen = 249

var topicNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// ValidateTopicName checks a topic name as Kafka does: 1 to 249 characters
// from [a-zA-Z0-9._-], and not "." or "..". field names the request field
// in the message.
func ValidateTopicName(field, name string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "%s is required.", field)
	case len(name) > TopicNameMaxLen:
		return Errorf(EINVALID, "Invalid %s: a topic name is at most %d characters, and this one has %d.", field, TopicNameMaxLen, len(name))
	case name == "." || name == "..":
		return Errorf(EINVALID, "Invalid %s %q: a topic name cannot be '.' or '..'.", field, name)
	case !topicNameRE.MatchString(name):
		return Errorf(EINVALID, "Invalid %s %q: a topic name uses only ASCII letters, digits, '.', '_' and '-'.", field, name)
	}
	return nil
}

// PartitionsPerTopicFlag is the emulator's flag that sets
// Limits.PartitionsPerTopic; the errors of mirrors refused by it name the
// flag and its environment variable.
const PartitionsPerTopicFlag = "max-partitions-per-topic"

var partitionsPerTopicKnob = "--" + PartitionsPerTopicFlag + " (EMULATOR_" + strings.ToUpper(strings.ReplaceAll(PartitionsPerTopicFlag, "-", "_")) + ")"

// CheckMirrorPartitions refuses a mirror topic of a source topic with more
// partitions than a topic may have on the destination cluster. A mirror
// takes its source's partition count in one step, so the per-request limit
// does not apply to it; the per-topic limit does. The error is EQUOTA
// (400/40002 on the wire, POLICY_VIOLATION_ERROR in a task).
func (l Limits) CheckMirrorPartitions(cluster, source string, partitions int) error {
	if l.PartitionsPerTopic <= 0 || partitions <= l.PartitionsPerTopic {
		return nil
	}
	return Errorf(EQUOTA, "Source topic '%s' has %d partitions, more than the %d a topic may have on cluster %s, so it cannot be mirrored there. Raise the limit with %s, or mirror a topic with fewer partitions.", source, partitions, l.PartitionsPerTopic, cluster, partitionsPerTopicKnob)
}

// MirrorGrowthRefused is the message of a mirror topic whose source grew
// past the per-topic partition limit: its partitions were not added and
// it stopped copying.
func (l Limits) MirrorGrowthRefused(cluster, mirror, source string, sourcePartitions, mirrorPartitions int) string {
	return fmt.Sprintf("Source topic '%s' grew to %d partitions, more than the %d a topic may have on cluster %s, so mirror topic '%s' was not grown and stopped copying with its %d partitions. Raise the limit with %s and restart linkemu: the mirror then grows and copies again.", source, sourcePartitions, l.PartitionsPerTopic, cluster, mirror, mirrorPartitions, partitionsPerTopicKnob)
}

// CheckMirrorName refuses a mirror topic whose name, the link's
// cluster.link.prefix plus the source topic's name, is longer than
// Kafka's limit on topic names. The error is EINVALID (400/40002 on the
// wire, INVALID_TOPIC in a task).
func CheckMirrorName(prefix, source string) error {
	name := MirrorName(prefix, source)
	if len(name) <= TopicNameMaxLen {
		return nil
	}
	return Errorf(EINVALID, "Invalid mirror topic name: the mirror of source topic '%s' would be named cluster.link.prefix '%s' plus the source topic name, %d characters, and a topic name is at most %d characters. Mirror it on a link with a shorter prefix or none.", source, prefix, len(name), TopicNameMaxLen)
}
