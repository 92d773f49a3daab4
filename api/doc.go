// Package api holds the wire types of the Kafka REST v3 API as Confluent
// serves it: field names, nullability and kinds exactly as in Confluent's
// OpenAPI spec and real captures, and those of Confluent Cloud's
// networking/v1 network linking API (networking.go). Nothing here has
// behaviour; server/ fills these from manager and networking results.
package api

// Metadata is the metadata of a single resource.
type Metadata struct {
	Self         string  `json:"self"`
	ResourceName *string `json:"resource_name"`
}

// CollectionMetadata is the metadata of a collection.
type CollectionMetadata struct {
	Self string  `json:"self"`
	Next *string `json:"next"`
}

// Relationship points at a related resource.
type Relationship struct {
	Related string `json:"related"`
}

// Error is the body of every Kafka REST error response.
type Error struct {
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message"`
}

// ConfigNameValue is a {name, value} pair of a create request.
type ConfigNameValue struct {
	Name  string  `json:"name"`
	Value *string `json:"value"`
}

// AlterConfigEntry is one entry of a configs:alter request.
type AlterConfigEntry struct {
	Name      string  `json:"name"`
	Value     *string `json:"value"`
	Operation *string `json:"operation,omitempty"`
}

// AlterConfigBatchRequest is the body of configs:alter.
type AlterConfigBatchRequest struct {
	Data         []AlterConfigEntry `json:"data"`
	ValidateOnly bool               `json:"validate_only,omitempty"`
}

// UpdateConfigRequest is the body of PUT .../configs/{name}.
type UpdateConfigRequest struct {
	Value *string `json:"value"`
}
