package api

import "time"

// The Confluent Cloud API types of networking/v1 network linking, as in the
// ccloud-sdk-go-v2/networking v0.14.0 OpenAPI spec. Cloud API errors have
// their own shape, CloudFailure, not Kafka REST's Error.

// NetworkingAPIVersion is the api_version of every networking/v1 object.
const NetworkingAPIVersion = "networking/v1"

// CloudObjectMeta is the metadata of a Cloud API object.
type CloudObjectMeta struct {
	Self         string     `json:"self"`
	ResourceName string     `json:"resource_name,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty"`
}

// CloudListMeta is the metadata of a Cloud API list. Next is absent on the
// last page.
type CloudListMeta struct {
	First     *string `json:"first,omitempty"`
	Next      *string `json:"next,omitempty"`
	TotalSize int32   `json:"total_size"`
}

// CloudList is a page of a Cloud API collection.
type CloudList[T any] struct {
	APIVersion string        `json:"api_version"`
	Kind       string        `json:"kind"`
	Metadata   CloudListMeta `json:"metadata"`
	Data       []T           `json:"data"`
}

// GlobalObjectReference points at an object outside any environment (an
// environment, for one).
type GlobalObjectReference struct {
	ID           string `json:"id"`
	Related      string `json:"related"`
	ResourceName string `json:"resource_name"`
}

// EnvScopedObjectReference points at an object of an environment.
type EnvScopedObjectReference struct {
	ID           string `json:"id"`
	Environment  string `json:"environment,omitempty"`
	Related      string `json:"related"`
	ResourceName string `json:"resource_name"`
}

// ObjectID is a reference in a request: only its id is read.
type ObjectID struct {
	ID string `json:"id"`
}

// NetworkLinkServiceAcceptPolicy is a service's accept list.
type NetworkLinkServiceAcceptPolicy struct {
	Environments []string `json:"environments"`
	Networks     []string `json:"networks"`
}

// NetworkLinkServiceSpec is the spec of a NetworkLinkService.
type NetworkLinkServiceSpec struct {
	DisplayName string                         `json:"display_name"`
	Description string                         `json:"description"`
	Accept      NetworkLinkServiceAcceptPolicy `json:"accept"`
	Environment GlobalObjectReference          `json:"environment"`
	Network     EnvScopedObjectReference       `json:"network"`
}

// NetworkLinkStatus is the status of a service, endpoint or association.
type NetworkLinkStatus struct {
	Phase        string  `json:"phase"`
	ErrorCode    *string `json:"error_code,omitempty"`
	ErrorMessage *string `json:"error_message,omitempty"`
}

// NetworkLinkService is a network link service (nls-…).
type NetworkLinkService struct {
	APIVersion string                 `json:"api_version"`
	Kind       string                 `json:"kind"`
	ID         string                 `json:"id"`
	Metadata   CloudObjectMeta        `json:"metadata"`
	Spec       NetworkLinkServiceSpec `json:"spec"`
	Status     NetworkLinkStatus      `json:"status"`
}

// NetworkLinkServiceRequest is the body of a service create (POST) or update
// (PATCH). Absent fields are nil.
type NetworkLinkServiceRequest struct {
	Spec *struct {
		DisplayName *string                         `json:"display_name"`
		Description *string                         `json:"description"`
		Accept      *NetworkLinkServiceAcceptPolicy `json:"accept"`
		Environment *ObjectID                       `json:"environment"`
		Network     *ObjectID                       `json:"network"`
	} `json:"spec"`
}

// NetworkLinkEndpointSpec is the spec of a NetworkLinkEndpoint.
type NetworkLinkEndpointSpec struct {
	DisplayName        string                   `json:"display_name"`
	Description        string                   `json:"description"`
	Environment        GlobalObjectReference    `json:"environment"`
	Network            EnvScopedObjectReference `json:"network"`
	NetworkLinkService EnvScopedObjectReference `json:"network_link_service"`
}

// NetworkLinkEndpoint is a network link endpoint (nle-…).
type NetworkLinkEndpoint struct {
	APIVersion string                  `json:"api_version"`
	Kind       string                  `json:"kind"`
	ID         string                  `json:"id"`
	Metadata   CloudObjectMeta         `json:"metadata"`
	Spec       NetworkLinkEndpointSpec `json:"spec"`
	Status     NetworkLinkStatus       `json:"status"`
}

// NetworkLinkEndpointRequest is the body of an endpoint create (POST) or
// update (PATCH). Absent fields are nil.
type NetworkLinkEndpointRequest struct {
	Spec *struct {
		DisplayName        *string   `json:"display_name"`
		Description        *string   `json:"description"`
		Environment        *ObjectID `json:"environment"`
		Network            *ObjectID `json:"network"`
		NetworkLinkService *ObjectID `json:"network_link_service"`
	} `json:"spec"`
}

// NetworkLinkServiceAssociationSpec is the spec of an association.
type NetworkLinkServiceAssociationSpec struct {
	DisplayName         string                   `json:"display_name"`
	Description         string                   `json:"description"`
	NetworkLinkEndpoint string                   `json:"network_link_endpoint"`
	NetworkLinkService  EnvScopedObjectReference `json:"network_link_service"`
	Environment         GlobalObjectReference    `json:"environment"`
}

// NetworkLinkServiceAssociation is a service owner's view of one endpoint
// (nlsa-…).
type NetworkLinkServiceAssociation struct {
	APIVersion string                            `json:"api_version"`
	Kind       string                            `json:"kind"`
	ID         string                            `json:"id"`
	Metadata   CloudObjectMeta                   `json:"metadata"`
	Spec       NetworkLinkServiceAssociationSpec `json:"spec"`
	Status     NetworkLinkStatus                 `json:"status"`
}

// CloudFailure is the body of every Cloud API error response.
type CloudFailure struct {
	Errors []CloudError `json:"errors"`
}

// CloudError is one error of a CloudFailure.
type CloudError struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}
