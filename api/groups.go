package api

// ConsumerGroup is a KafkaConsumerGroup.
type ConsumerGroup struct {
	Kind                 string       `json:"kind"`
	Metadata             Metadata     `json:"metadata"`
	ClusterID            string       `json:"cluster_id"`
	ConsumerGroupID      string       `json:"consumer_group_id"`
	IsSimple             bool         `json:"is_simple"`
	PartitionAssignor    string       `json:"partition_assignor"`
	State                string       `json:"state"`
	Type                 string       `json:"type"`
	IsMixedConsumerGroup bool         `json:"is_mixed_consumer_group"`
	Coordinator          Relationship `json:"coordinator"`
	Consumers            Relationship `json:"consumers"`
	LagSummary           Relationship `json:"lag_summary"`
}

// ConsumerGroupList is a KafkaConsumerGroupList.
type ConsumerGroupList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []ConsumerGroup    `json:"data"`
}

// Consumer is a KafkaConsumer: one member of a consumer group.
type Consumer struct {
	Kind            string       `json:"kind"`
	Metadata        Metadata     `json:"metadata"`
	ClusterID       string       `json:"cluster_id"`
	ConsumerGroupID string       `json:"consumer_group_id"`
	ConsumerID      string       `json:"consumer_id"`
	InstanceID      *string      `json:"instance_id"`
	ClientID        string       `json:"client_id"`
	Assignments     Relationship `json:"assignments"`
}

// ConsumerList is a KafkaConsumerList.
type ConsumerList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Consumer         `json:"data"`
}

// ConsumerLag is a KafkaConsumerLag: a group's lag on one partition.
type ConsumerLag struct {
	Kind            string   `json:"kind"`
	Metadata        Metadata `json:"metadata"`
	ClusterID       string   `json:"cluster_id"`
	ConsumerGroupID string   `json:"consumer_group_id"`
	TopicName       string   `json:"topic_name"`
	PartitionID     int32    `json:"partition_id"`
	CurrentOffset   int64    `json:"current_offset"`
	LogEndOffset    int64    `json:"log_end_offset"`
	Lag             int64    `json:"lag"`
	ConsumerID      string   `json:"consumer_id"`
	InstanceID      *string  `json:"instance_id"`
	ClientID        string   `json:"client_id"`
}

// ConsumerLagList is a KafkaConsumerLagList.
type ConsumerLagList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []ConsumerLag      `json:"data"`
}

// ConsumerGroupLagSummary is a KafkaConsumerGroupLagSummary.
type ConsumerGroupLagSummary struct {
	Kind              string       `json:"kind"`
	Metadata          Metadata     `json:"metadata"`
	ClusterID         string       `json:"cluster_id"`
	ConsumerGroupID   string       `json:"consumer_group_id"`
	MaxLagConsumerID  string       `json:"max_lag_consumer_id"`
	MaxLagInstanceID  *string      `json:"max_lag_instance_id"`
	MaxLagClientID    string       `json:"max_lag_client_id"`
	MaxLagTopicName   string       `json:"max_lag_topic_name"`
	MaxLagPartitionID int32        `json:"max_lag_partition_id"`
	MaxLag            int64        `json:"max_lag"`
	TotalLag          int64        `json:"total_lag"`
	MaxLagConsumer    Relationship `json:"max_lag_consumer"`
	MaxLagPartition   Relationship `json:"max_lag_partition"`
}
