package api

// Partition is a KafkaPartition.
type Partition struct {
	Kind         string        `json:"kind"`
	Metadata     Metadata      `json:"metadata"`
	ClusterID    string        `json:"cluster_id"`
	TopicName    string        `json:"topic_name"`
	PartitionID  int32         `json:"partition_id"`
	Leader       *Relationship `json:"leader,omitempty"`
	Replicas     Relationship  `json:"replicas"`
	Reassignment Relationship  `json:"reassignment"`
}

// PartitionList is a KafkaPartitionList.
type PartitionList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Partition        `json:"data"`
}

// Broker is a KafkaBroker.
type Broker struct {
	Kind              string       `json:"kind"`
	Metadata          Metadata     `json:"metadata"`
	ClusterID         string       `json:"cluster_id"`
	BrokerID          int32        `json:"broker_id"`
	Host              *string      `json:"host"`
	Port              *int32       `json:"port"`
	Rack              *string      `json:"rack"`
	Configs           Relationship `json:"configs"`
	PartitionReplicas Relationship `json:"partition_replicas"`
}

// BrokerList is a KafkaBrokerList.
type BrokerList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Broker           `json:"data"`
}
