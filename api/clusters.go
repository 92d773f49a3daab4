package api

// Cluster is a KafkaCluster.
type Cluster struct {
	Kind                   string        `json:"kind"`
	Metadata               Metadata      `json:"metadata"`
	ClusterID              string        `json:"cluster_id"`
	Controller             *Relationship `json:"controller,omitempty"`
	ACLs                   Relationship  `json:"acls"`
	Brokers                Relationship  `json:"brokers"`
	BrokerConfigs          Relationship  `json:"broker_configs"`
	ConsumerGroups         Relationship  `json:"consumer_groups"`
	Topics                 Relationship  `json:"topics"`
	PartitionReassignments Relationship  `json:"partition_reassignments"`
}

// ClusterList is a KafkaClusterList.
type ClusterList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Cluster          `json:"data"`
}
