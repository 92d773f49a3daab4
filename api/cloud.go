package api

// The Confluent Cloud API types of org/v2, cmk/v2 and iam/v2, as in the
// OpenAPI specs of ccloud-sdk-go-v2 org v0.9.0, cmk v0.21.0, iam v0.10.0 and
// apikeys v0.4.0, and the login types of Confluent's v1 auth API that the
// CLI reads (protobuf JSON: a field the CLI does not know fails its decoder,
// so these carry nothing more).

// Cloud API versions.
const (
	OrgAPIVersion = "org/v2"
	CMKAPIVersion = "cmk/v2"
	IAMAPIVersion = "iam/v2"
)

// Environment is an org/v2 Environment.
type Environment struct {
	APIVersion  string          `json:"api_version"`
	Kind        string          `json:"kind"`
	ID          string          `json:"id"`
	Metadata    CloudObjectMeta `json:"metadata"`
	DisplayName string          `json:"display_name"`
}

// CMKCluster is a cmk/v2 Cluster.
type CMKCluster struct {
	APIVersion string           `json:"api_version"`
	Kind       string           `json:"kind"`
	ID         string           `json:"id"`
	Metadata   CloudObjectMeta  `json:"metadata"`
	Spec       CMKClusterSpec   `json:"spec"`
	Status     CMKClusterStatus `json:"status"`
}

// CMKClusterSpec is the spec of a CMKCluster.
type CMKClusterSpec struct {
	DisplayName            string                    `json:"display_name"`
	Availability           string                    `json:"availability"`
	Cloud                  string                    `json:"cloud"`
	Region                 string                    `json:"region"`
	Config                 CMKDedicated              `json:"config"`
	KafkaBootstrapEndpoint string                    `json:"kafka_bootstrap_endpoint"`
	HTTPEndpoint           string                    `json:"http_endpoint"`
	APIEndpoint            string                    `json:"api_endpoint"`
	Environment            EnvScopedObjectReference  `json:"environment"`
	Network                *EnvScopedObjectReference `json:"network,omitempty"`
}

// CMKDedicated is the config of a Dedicated cluster.
type CMKDedicated struct {
	Kind  string   `json:"kind"`
	CKU   int32    `json:"cku"`
	Zones []string `json:"zones,omitempty"`
}

// CMKClusterStatus is the status of a CMKCluster.
type CMKClusterStatus struct {
	Phase string `json:"phase"`
	CKU   int32  `json:"cku"`
}

// ServiceAccount is an iam/v2 ServiceAccount.
type ServiceAccount struct {
	APIVersion  string          `json:"api_version"`
	Kind        string          `json:"kind"`
	ID          string          `json:"id"`
	Metadata    CloudObjectMeta `json:"metadata"`
	DisplayName string          `json:"display_name"`
	Description string          `json:"description"`
}

// User is an iam/v2 User.
type User struct {
	APIVersion string          `json:"api_version"`
	Kind       string          `json:"kind"`
	ID         string          `json:"id"`
	Metadata   CloudObjectMeta `json:"metadata"`
	Email      string          `json:"email"`
	FullName   string          `json:"full_name"`
	AuthType   string          `json:"auth_type"`
}

// APIKey is an iam/v2 ApiKey.
type APIKey struct {
	APIVersion string          `json:"api_version"`
	Kind       string          `json:"kind"`
	ID         string          `json:"id"`
	Metadata   CloudObjectMeta `json:"metadata"`
	Spec       APIKeySpec      `json:"spec"`
}

// APIKeySpec is the spec of an APIKey. Secret is only in the answer to
// create.
type APIKeySpec struct {
	Secret      *string          `json:"secret,omitempty"`
	DisplayName string           `json:"display_name"`
	Description string           `json:"description"`
	Owner       ObjectReference  `json:"owner"`
	Resource    *ObjectReference `json:"resource,omitempty"`
}

// ObjectReference is a typed reference of iam/v2.
type ObjectReference struct {
	ID           string `json:"id"`
	Environment  string `json:"environment,omitempty"`
	Related      string `json:"related"`
	ResourceName string `json:"resource_name"`
	APIVersion   string `json:"api_version,omitempty"`
	Kind         string `json:"kind,omitempty"`
}

// CloudRef is a reference in a Cloud API request: its id and, for
// environment-scoped objects, its environment.
type CloudRef struct {
	ID          string `json:"id"`
	Environment string `json:"environment,omitempty"`
}

// APIKeyRequest is the body of a create or update of an API key.
type APIKeyRequest struct {
	Spec *struct {
		DisplayName *string   `json:"display_name"`
		Description *string   `json:"description"`
		Owner       *CloudRef `json:"owner"`
		Resource    *CloudRef `json:"resource"`
	} `json:"spec"`
}

// ServiceAccountRequest is the body of a create or update of a service
// account.
type ServiceAccountRequest struct {
	DisplayName *string `json:"display_name"`
	Description *string `json:"description"`
}

// V1User is a user of Confluent's v1 auth API.
type V1User struct {
	ID         int32  `json:"id"`
	Email      string `json:"email"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	ResourceID string `json:"resource_id"`
}

// V1Account is an environment in Confluent's v1 auth API.
type V1Account struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	OrganizationID int32  `json:"organization_id"`
	OrgResourceID  string `json:"org_resource_id"`
}

// V1Organization is an organization in Confluent's v1 auth API.
type V1Organization struct {
	ID         int32  `json:"id"`
	Name       string `json:"name"`
	ResourceID string `json:"resource_id"`
}

// V1Error is an error of Confluent's v1 auth API.
type V1Error struct {
	Code    int32  `json:"code"`
	Message string `json:"message"`
}

// AuthenticateReply answers POST /api/sessions.
type AuthenticateReply struct {
	Token        string          `json:"token,omitempty"`
	RefreshToken string          `json:"refresh_token,omitempty"`
	User         *V1User         `json:"user,omitempty"`
	Organization *V1Organization `json:"organization,omitempty"`
	Error        *V1Error        `json:"error,omitempty"`
}

// GetMeReply answers GET /api/me.
type GetMeReply struct {
	User         *V1User         `json:"user,omitempty"`
	Organization *V1Organization `json:"organization,omitempty"`
	Accounts     []V1Account     `json:"accounts,omitempty"`
	Account      *V1Account      `json:"account,omitempty"`
	Error        *V1Error        `json:"error,omitempty"`
}

// LoginRealmReply answers GET /api/login/realm.
type LoginRealmReply struct {
	Realm       string `json:"realm,omitempty"`
	IsSSO       bool   `json:"is_sso,omitempty"`
	MFARequired bool   `json:"mfa_required,omitempty"`
}

// AccessTokenReply answers POST /api/access_tokens.
type AccessTokenReply struct {
	Token string `json:"token,omitempty"`
	Error string `json:"error,omitempty"`
}

// RoleBinding is an iam/v2 RoleBinding (ccloud-sdk-go-v2 mds v0.4.0).
type RoleBinding struct {
	APIVersion string          `json:"api_version"`
	Kind       string          `json:"kind"`
	ID         string          `json:"id"`
	Metadata   CloudObjectMeta `json:"metadata"`
	Principal  string          `json:"principal"`
	RoleName   string          `json:"role_name"`
	CRNPattern string          `json:"crn_pattern"`
}

// RoleBindingRequest is the body of a create of a role binding.
type RoleBindingRequest struct {
	Principal  string `json:"principal"`
	RoleName   string `json:"role_name"`
	CRNPattern string `json:"crn_pattern"`
}
