package linkemu

import "time"

// MirrorStatus is the mirror_status of a mirror topic (Confluent's
// MirrorTopicStatus enum).
type MirrorStatus string

// Mirror statuses. Only the first five appear in the normal lifecycle, because
// Terraform's SDK (kafkarest v0.14.0) rejects every other value; the rest
// appear only when their condition is real.
const (
	MirrorActive         MirrorStatus = "ACTIVE"
	MirrorPaused         MirrorStatus = "PAUSED"
	MirrorPendingStopped MirrorStatus = "PENDING_STOPPED"
	MirrorStopped        MirrorStatus = "STOPPED"
	MirrorFailed         MirrorStatus = "FAILED"

	MirrorSourceUnavailable MirrorStatus = "SOURCE_UNAVAILABLE"
	MirrorLinkFailed        MirrorStatus = "LINK_FAILED"
	MirrorLinkPaused        MirrorStatus = "LINK_PAUSED"

	MirrorPendingMirror          MirrorStatus = "PENDING_MIRROR"
	MirrorPendingSynchronize     MirrorStatus = "PENDING_SYNCHRONIZE"
	MirrorPendingSetupForRestore MirrorStatus = "PENDING_SETUP_FOR_RESTORE"
	MirrorPendingRestore         MirrorStatus = "PENDING_RESTORE"
)

// MirrorStatuses lists every value of Confluent's MirrorTopicStatus enum, for
// validating the mirror_status filter.
var MirrorStatuses = []MirrorStatus{
	MirrorActive, MirrorFailed, MirrorLinkFailed, MirrorLinkPaused, MirrorPaused,
	MirrorPendingStopped, MirrorSourceUnavailable, MirrorStopped, MirrorPendingMirror,
	MirrorPendingSynchronize, MirrorPendingSetupForRestore, MirrorPendingRestore,
}

// MirrorTopicError is the mirror_topic_error of a mirror topic.
type MirrorTopicError string

// Mirror topic errors (Confluent's enum).
const (
	MirrorNoError                    MirrorTopicError = "NO_ERROR"
	MirrorErrSourceTopicMayBeDeleted MirrorTopicError = "SOURCE_TOPIC_MAY_BE_DELETED"
	MirrorErrSourceTopicIDChanged    MirrorTopicError = "SOURCE_TOPIC_ID_CHANGED"
	MirrorErrPartitionsDecreased     MirrorTopicError = "SOURCE_PARTITIONS_DECREASED"
	MirrorErrUnexpectedTruncation    MirrorTopicError = "UNEXPECTED_TRUNCATION"
	MirrorErrUnsupportedFormat       MirrorTopicError = "UNSUPPORTED_MESSAGE_FORMAT"
	MirrorErrIllegalState            MirrorTopicError = "ILLEGAL_STATE"
)

// Mirror is a mirror topic as stored on its destination cluster. Runtime
// figures (lags, fetch offsets) are not stored; the replication worker reports
// them.
type Mirror struct {
	ClusterID   string       `json:"cluster_id"` // the destination cluster
	LinkName    string       `json:"link_name"`
	Name        string       `json:"mirror_topic_name"`
	SourceTopic string       `json:"source_topic_name"`
	Partitions  int32        `json:"num_partitions"`
	Status      MirrorStatus `json:"mirror_status"`
	StateTime   time.Time    `json:"state_time"`

	// StartSpec is mirror.start.offset.spec at creation: earliest, latest or
	// an ISO-8601 timestamp.
	StartSpec string `json:"start_spec,omitempty"`
	// StartOffsets holds each partition's start offset, resolved from
	// StartSpec when the mirror was created (latest or a timestamp), so
	// that records produced after the creation answered are mirrored.
	// Empty for earliest.
	StartOffsets []int64 `json:"start_offsets,omitempty"`

	// StopOffsets holds each partition's log end offset when the mirror
	// stopped (failover or promote); truncate-and-restore needs them.
	StopOffsets []int64 `json:"stop_offsets,omitempty"`

	TopicError       MirrorTopicError  `json:"mirror_topic_error,omitempty"`
	TransitionErrors []TransitionError `json:"transition_errors,omitempty"`
}

// TransitionError is one entry of mirror_state_transition_errors.
type TransitionError struct {
	Code    string `json:"error_code"`
	Message string `json:"error_message"`
}

// MirrorName returns the mirror topic name for a source topic on a link with
// the given cluster.link.prefix.
func MirrorName(prefix, sourceTopic string) string { return prefix + sourceTopic }

// Clone returns a deep copy.
func (m *Mirror) Clone() *Mirror {
	c := *m
	c.StopOffsets = append([]int64(nil), m.StopOffsets...)
	c.TransitionErrors = append([]TransitionError(nil), m.TransitionErrors...)
	return &c
}
