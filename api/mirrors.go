package api

// CreateMirrorTopicRequest is the body of POST /links/{l}/mirrors.
type CreateMirrorTopicRequest struct {
	SourceTopicName   string            `json:"source_topic_name"`
	MirrorTopicName   string            `json:"mirror_topic_name,omitempty"`
	ReplicationFactor *int              `json:"replication_factor,omitempty"`
	Configs           []ConfigNameValue `json:"configs,omitempty"`
}

// MirrorLag is one entry of mirror_lags.
type MirrorLag struct {
	Partition             int32 `json:"partition"`
	Lag                   int64 `json:"lag"`
	LastSourceFetchOffset int64 `json:"last_source_fetch_offset"`
}

// MirrorStateTransitionError is one entry of mirror_state_transition_errors.
type MirrorStateTransitionError struct {
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
}

// Mirror is a KafkaMirrorData.
type Mirror struct {
	Kind                        string                       `json:"kind"`
	Metadata                    Metadata                     `json:"metadata"`
	LinkName                    string                       `json:"link_name"`
	MirrorTopicName             string                       `json:"mirror_topic_name"`
	SourceTopicName             string                       `json:"source_topic_name"`
	NumPartitions               int                          `json:"num_partitions"`
	MirrorLags                  []MirrorLag                  `json:"mirror_lags"`
	MirrorStatus                string                       `json:"mirror_status"`
	MirrorTopicError            string                       `json:"mirror_topic_error,omitempty"`
	StateTimeMs                 int64                        `json:"state_time_ms"`
	MirrorStateTransitionErrors []MirrorStateTransitionError `json:"mirror_state_transition_errors,omitempty"`
}

// MirrorList is a KafkaMirrorDataList.
type MirrorList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Mirror           `json:"data"`
}

// AlterMirrorsRequest is the body of every mirrors:<action>.
type AlterMirrorsRequest struct {
	MirrorTopicNames       []string `json:"mirror_topic_names,omitempty"`
	MirrorTopicNamePattern string   `json:"mirror_topic_name_pattern,omitempty"`
}

// PartitionTruncation is one entry of partition_level_truncation_data.
type PartitionTruncation struct {
	PartitionID       int32 `json:"partition_id"`
	OffsetTruncatedTo int64 `json:"offset_truncated_to"`
	MessagesTruncated int64 `json:"messages_truncated"`
}

// AlterMirrorStatus is one per-topic result of a mirror action.
type AlterMirrorStatus struct {
	Kind                         string                `json:"kind"`
	Metadata                     Metadata              `json:"metadata"`
	MirrorTopicName              string                `json:"mirror_topic_name"`
	ErrorCode                    *int                  `json:"error_code"`
	ErrorMessage                 *string               `json:"error_message"`
	MirrorLags                   []MirrorLag           `json:"mirror_lags"`
	MessagesTruncated            *int64                `json:"messages_truncated"`
	PartitionLevelTruncationData []PartitionTruncation `json:"partition_level_truncation_data"`
}

// AlterMirrorStatusList is the response of a mirror action.
type AlterMirrorStatusList struct {
	Kind     string              `json:"kind"`
	Metadata CollectionMetadata  `json:"metadata"`
	Data     []AlterMirrorStatus `json:"data"`
}
