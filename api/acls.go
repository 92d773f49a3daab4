package api

// ACL is a KafkaAcl.
type ACL struct {
	Kind         string   `json:"kind"`
	Metadata     Metadata `json:"metadata"`
	ClusterID    string   `json:"cluster_id"`
	ResourceType string   `json:"resource_type"`
	ResourceName string   `json:"resource_name"`
	PatternType  string   `json:"pattern_type"`
	Principal    string   `json:"principal"`
	Host         string   `json:"host"`
	Operation    string   `json:"operation"`
	Permission   string   `json:"permission"`
}

// ACLList is a KafkaAclList, the answer to GET /acls.
type ACLList struct {
	Kind     string             `json:"kind"`
	Metadata CollectionMetadata `json:"metadata"`
	Data     []ACL              `json:"data"`
}

// DeleteACLsResponse is the answer to DELETE /acls: the deleted ACLs, with
// no kind or metadata (the spec's inline_response_200).
type DeleteACLsResponse struct {
	Data []ACL `json:"data"`
}

// CreateACLRequest is the body of POST /acls and one entry of
// POST /acls:batch.
type CreateACLRequest struct {
	ResourceType string `json:"resource_type"`
	ResourceName string `json:"resource_name"`
	PatternType  string `json:"pattern_type"`
	Principal    string `json:"principal"`
	Host         string `json:"host"`
	Operation    string `json:"operation"`
	Permission   string `json:"permission"`
}

// CreateACLBatchRequest is the body of POST /acls:batch.
type CreateACLBatchRequest struct {
	Data []CreateACLRequest `json:"data"`
}
