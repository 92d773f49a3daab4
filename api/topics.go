package api

// Topic is a KafkaTopic.
type Topic struct {
	Kind                   string       `json:"kind"`
	Metadata               Metadata     `json:"metadata"`
	ClusterID              string       `json:"cluster_id"`
	TopicName              string       `json:"topic_name"`
	IsInternal             bool         `json:"is_internal"`
	ReplicationFactor      int          `json:"replication_factor"`
	PartitionsCount        int          `json:"partitions_count"`
	Partitions             Relationship `json:"partitions"`
	Configs                Relationship `json:"configs"`
	PartitionReassignments Relationship `json:"partition_reassignments"`
}

// TopicList is a KafkaTopicList.
type TopicList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Topic            `json:"data"`
}

// CreateTopicRequest is the body of POST /topics.
type CreateTopicRequest struct {
	TopicName         string            `json:"topic_name"`
	PartitionsCount   *int              `json:"partitions_count"`
	ReplicationFactor *int              `json:"replication_factor"`
	Configs           []ConfigNameValue `json:"configs"`
	ValidateOnly      bool              `json:"validate_only"`
}

// UpdatePartitionCountRequest is the body of PATCH /topics/{topic}.
type UpdatePartitionCountRequest struct {
	PartitionsCount *int `json:"partitions_count"`
}

// ConfigSynonym is a synonym of a topic config.
type ConfigSynonym struct {
	Name   string  `json:"name"`
	Value  *string `json:"value"`
	Source string  `json:"source"`
}

// TopicConfig is a KafkaTopicConfig.
type TopicConfig struct {
	Kind        string          `json:"kind"`
	Metadata    Metadata        `json:"metadata"`
	ClusterID   string          `json:"cluster_id"`
	TopicName   string          `json:"topic_name"`
	Name        string          `json:"name"`
	Value       *string         `json:"value"`
	IsDefault   bool            `json:"is_default"`
	IsReadOnly  bool            `json:"is_read_only"`
	IsSensitive bool            `json:"is_sensitive"`
	Source      string          `json:"source"`
	Synonyms    []ConfigSynonym `json:"synonyms"`
}

// TopicConfigList is a KafkaTopicConfigList.
type TopicConfigList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []TopicConfig      `json:"data"`
}
