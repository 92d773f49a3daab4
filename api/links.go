package api

// CreateLinkRequest is the body of POST /links.
type CreateLinkRequest struct {
	SourceClusterID      string            `json:"source_cluster_id,omitempty"`
	DestinationClusterID string            `json:"destination_cluster_id,omitempty"`
	RemoteClusterID      string            `json:"remote_cluster_id,omitempty"`
	ClusterLinkID        string            `json:"cluster_link_id,omitempty"`
	Configs              []ConfigNameValue `json:"configs,omitempty"`
}

// LinkTaskError is one error of a link task.
type LinkTaskError struct {
	ErrorCode    string `json:"error_code"`
	ErrorMessage string `json:"error_message"`
}

// LinkTask is one task of a link.
type LinkTask struct {
	TaskName string          `json:"task_name"`
	State    string          `json:"state"`
	Errors   []LinkTaskError `json:"errors"`
}

// LinkCategory is one entry of category_counts.
type LinkCategory struct {
	StateCategory string `json:"state_category"`
	Count         int    `json:"count"`
}

// Link is a KafkaLinkData.
type Link struct {
	Kind                 string   `json:"kind"`
	Metadata             Metadata `json:"metadata"`
	SourceClusterID      *string  `json:"source_cluster_id"`
	DestinationClusterID *string  `json:"destination_cluster_id"`
	RemoteClusterID      *string  `json:"remote_cluster_id"`
	LinkName             string   `json:"link_name"`
	LinkID               string   `json:"link_id"`
	ClusterLinkID        string   `json:"cluster_link_id"`
	TopicNames           []string `json:"topic_names"`
	LinkError            string   `json:"link_error"`
	LinkErrorMessage     *string  `json:"link_error_message"`
	LinkState            string   `json:"link_state"`
	// Tasks is set (an array, [] when empty) with include_tasks=true and
	// left out otherwise: a pointer, so that an empty list is not omitted.
	Tasks          *[]LinkTask    `json:"tasks,omitempty"`
	CategoryCounts []LinkCategory `json:"category_counts,omitempty"`
}

// LinkList is a KafkaLinkDataList.
type LinkList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []Link             `json:"data"`
}

// LinkConfig is a KafkaLinkConfigData. It carries both spellings of the
// flags: is_read_only/is_sensitive (current Cloud API) and
// read_only/sensitive (the SDKs Terraform and the on-prem CLI use).
type LinkConfig struct {
	Kind        string   `json:"kind"`
	Metadata    Metadata `json:"metadata"`
	ClusterID   string   `json:"cluster_id"`
	Name        string   `json:"name"`
	Value       *string  `json:"value"`
	IsDefault   bool     `json:"is_default"`
	IsReadOnly  bool     `json:"is_read_only"`
	IsSensitive bool     `json:"is_sensitive"`
	ReadOnly    bool     `json:"read_only"`
	Sensitive   bool     `json:"sensitive"`
	Source      string   `json:"source"`
	Synonyms    []string `json:"synonyms"`
	LinkName    string   `json:"link_name"`
}

// LinkConfigList is a KafkaLinkConfigDataList.
type LinkConfigList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []LinkConfig       `json:"data"`
}
