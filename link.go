package linkemu

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"time"
)

// LinkMode is the value of the link.mode config: which side of the link this
// cluster is.
type LinkMode string

// Link modes.
const (
	ModeDestination   LinkMode = "DESTINATION"
	ModeSource        LinkMode = "SOURCE"
	ModeBidirectional LinkMode = "BIDIRECTIONAL"
)

// ConnectionMode is the value of the connection.mode config: whether this side
// opens the connection to the other.
type ConnectionMode string

// Connection modes.
const (
	ConnOutbound ConnectionMode = "OUTBOUND"
	ConnInbound  ConnectionMode = "INBOUND"
)

// LinkState is the link_state of a link on the wire.
type LinkState string

// Link states (Confluent's LinkState enum).
const (
	LinkActive      LinkState = "ACTIVE"
	LinkFailed      LinkState = "FAILED"
	LinkUnavailable LinkState = "UNAVAILABLE"
	LinkPaused      LinkState = "PAUSED"
	LinkUnknown     LinkState = "UNKNOWN"
)

// LinkError is the link_error of a link on the wire.
type LinkError string

// Link errors (Confluent's LinkError enum).
const (
	LinkNoError                   LinkError = "NO_ERROR"
	LinkErrUnknown                LinkError = "UNKNOWN"
	LinkErrAuthentication         LinkError = "AUTHENTICATION_ERROR"
	LinkErrUnresolvableBootstrap  LinkError = "UNRESOLVABLE_BOOTSTRAP_ERROR"
	LinkErrInvalidBootstrap       LinkError = "INVALID_BOOTSTRAP_INTERNAL_ENDPOINT_ERROR"
	LinkErrBootstrapTCPConnection LinkError = "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR"
	LinkErrTimeout                LinkError = "TIMEOUT_ERROR"
)

// Link is a cluster link as stored: its identity, the clusters it joins and
// the configs the user set. Defaults are not stored; LinkConfigs computes them.
type Link struct {
	Name      string `json:"name"`
	ClusterID string `json:"cluster_id"` // the cluster whose REST API owns this side of the link

	LinkID        string `json:"link_id"`         // UUID, deprecated on the wire but still sent
	ClusterLinkID string `json:"cluster_link_id"` // 22-char base64url, shared by both sides

	SourceClusterID      string `json:"source_cluster_id,omitempty"`
	DestinationClusterID string `json:"destination_cluster_id,omitempty"`
	RemoteClusterID      string `json:"remote_cluster_id,omitempty"`

	// Configs holds only what the user set, normalized (see NormalizeLinkConfig).
	Configs map[string]string `json:"configs"`

	CreatedAt time.Time `json:"created_at"`
}

// Mode returns the link's link.mode, DESTINATION by default.
func (l *Link) Mode() LinkMode {
	if v, ok := l.Configs[CfgLinkMode]; ok {
		return LinkMode(v)
	}
	return ModeDestination
}

// ConnectionMode returns the link's connection.mode, OUTBOUND by default.
func (l *Link) ConnectionMode() ConnectionMode {
	if v, ok := l.Configs[CfgConnectionMode]; ok {
		return ConnectionMode(v)
	}
	return ConnOutbound
}

// RemoteID returns the ID of the cluster at the other end of the link.
func (l *Link) RemoteID() string {
	switch {
	case l.SourceClusterID != "":
		return l.SourceClusterID
	case l.DestinationClusterID != "":
		return l.DestinationClusterID
	default:
		return l.RemoteClusterID
	}
}

// Prefix returns the link's cluster.link.prefix, or "".
func (l *Link) Prefix() string { return l.Configs[CfgClusterLinkPrefix] }

// Clone returns a deep copy, so callers can change a link without touching a
// shared value.
func (l *Link) Clone() *Link {
	c := *l
	c.Configs = make(map[string]string, len(l.Configs))
	for k, v := range l.Configs {
		c.Configs[k] = v
	}
	return &c
}

var linkNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,200}$`)

// ValidateLinkName checks a link name as Confluent does: 1 to 200 characters
// from [a-zA-Z0-9._-], and not "." or "..".
func ValidateLinkName(name string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "The query parameter link_name is required: give the link a name, e.g. ?link_name=east-to-west.")
	case name == "." || name == "..":
		return Errorf(EINVALID, "Cluster link name %q is illegal: it cannot be '.' or '..'.", name)
	case !linkNameRE.MatchString(name):
		return Errorf(EINVALID, "Cluster link name %q is illegal: use 1 to 200 characters from ASCII letters, digits, '.', '_' and '-'.", name)
	}
	return nil
}

// NewClusterLinkID returns a random 22-character base64url ID, the form
// Confluent uses for cluster_link_id.
func NewClusterLinkID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NewUUID returns a random RFC 4122 version 4 UUID string, the form of link_id.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

var clusterLinkIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// ValidateClusterLinkID checks the form of a cluster_link_id given by a client.
func ValidateClusterLinkID(id string) error {
	if !clusterLinkIDRE.MatchString(id) {
		return Errorf(EINVALID, "cluster_link_id %q is malformed: it must be 22 base64url characters, as returned by the other side of the link.", id)
	}
	return nil
}

// LinkWriterPrefix starts the transactional.id of every produce request that
// linkemu's replication sends to a destination cluster. The embedded brokers'
// read-only guard lets such requests write to mirror topics and refuses all
// others. It identifies linkemu's own writes; it is not a security boundary.
const LinkWriterPrefix = "__linkemu-link-"
