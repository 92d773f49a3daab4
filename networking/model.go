package networking

import (
	"slices"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
)

// Phase is the status.phase of a service, endpoint or association.
type Phase string

// The phases linkemu reports (Confluent's enum has more; see the package
// caveats).
const (
	PhaseProvisioning  Phase = "PROVISIONING"
	PhasePendingAccept Phase = "PENDING_ACCEPT"
	PhaseReady         Phase = "READY"
	PhaseDisconnected  Phase = "DISCONNECTED"
)

// Limits, as Confluent Cloud documents them.
const (
	MaxServicesPerNetwork  = 1
	MaxEndpointsPerNetwork = 5
	MaxEndpointsPerOrg     = 20
)

// AcceptPolicy lists the environments and networks a service accepts
// endpoints from. An endpoint is accepted if either list names it.
type AcceptPolicy struct {
	Environments []string `json:"environments"`
	Networks     []string `json:"networks"`
}

// admits reports whether the policy accepts an endpoint of env and network.
func (a AcceptPolicy) admits(env, network string) bool {
	return slices.Contains(a.Environments, env) || slices.Contains(a.Networks, network)
}

// normalize sorts the lists, drops duplicates and never leaves them nil.
func (a AcceptPolicy) normalize() AcceptPolicy {
	norm := func(in []string) []string {
		out := append([]string{}, in...)
		slices.Sort(out)
		return slices.Compact(out)
	}
	return AcceptPolicy{Environments: norm(a.Environments), Networks: norm(a.Networks)}
}

// LinkService is a network link service (nls-…): the target side of a
// network link, on the network whose clusters it exposes.
type LinkService struct {
	ID          string       `json:"id"`
	DisplayName string       `json:"display_name"`
	Description string       `json:"description"`
	Environment string       `json:"environment"`
	Network     string       `json:"network"`
	Accept      AcceptPolicy `json:"accept"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`

	// Phase is computed when the service is read; it is not stored.
	Phase Phase `json:"-"`
}

// LinkEndpoint is a network link endpoint (nle-…): the origin side of a
// network link, on the network whose clusters connect out through it.
type LinkEndpoint struct {
	ID                 string `json:"id"`
	DisplayName        string `json:"display_name"`
	Description        string `json:"description"`
	Environment        string `json:"environment"`
	Network            string `json:"network"`
	Service            string `json:"service"`
	ServiceEnvironment string `json:"service_environment"`
	// ServiceNetwork is the service's network, for its resource_name;
	// endpoints stored before it was kept have it empty.
	ServiceNetwork string    `json:"service_network,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// Disconnected is set for good when the service stops accepting the
	// endpoint or is deleted; DisconnectReason says which.
	Disconnected     bool   `json:"disconnected,omitempty"`
	DisconnectReason string `json:"disconnect_reason,omitempty"`

	// Phase and ErrorMessage are computed when the endpoint is read.
	Phase        Phase  `json:"-"`
	ErrorMessage string `json:"-"`
}

// Association is a service owner's view of one endpoint (nlsa-…).
type Association struct {
	ID                 string
	Endpoint           *LinkEndpoint // with its phase
	Service            string
	ServiceEnvironment string
	ServiceNetwork     string
}

// associationID returns the ID of the association of an endpoint.
func associationID(endpointID string) string {
	return "nlsa-" + strings.TrimPrefix(endpointID, "nle-")
}

// servicePhase is a service's phase: READY from its creation, the only
// phase Confluent's networking spec documents for services. An endpoint to
// it is still PROVISIONING for the ready delay.
func servicePhase(*LinkService, time.Time, time.Duration) Phase {
	return PhaseReady
}

// endpointPhase computes an endpoint's phase at now; svc is its service, nil
// if the service no longer exists.
func endpointPhase(e *LinkEndpoint, svc *LinkService, now time.Time, delay time.Duration) (Phase, string) {
	switch {
	case e.Disconnected:
		return PhaseDisconnected, e.DisconnectReason
	case svc == nil:
		return PhaseDisconnected, "Network link service " + e.Service + " no longer exists; delete this endpoint."
	case now.Before(e.CreatedAt.Add(delay)) || servicePhase(svc, now, delay) != PhaseReady:
		return PhaseProvisioning, ""
	case svc.Accept.admits(e.Environment, e.Network):
		return PhaseReady, ""
	default:
		return PhasePendingAccept, ""
	}
}

// connected reports whether an endpoint holds a connection to svc: it is
// accepted and not disconnected, whether still PROVISIONING or READY.
func connected(e *LinkEndpoint, svc *LinkService) bool {
	return !e.Disconnected && svc.Accept.admits(e.Environment, e.Network)
}

func errInvalid(format string, args ...any) error {
	return linkemu.Errorf(linkemu.EINVALID, format, args...)
}

func errMalformed(format string, args ...any) error {
	return linkemu.Errorf(linkemu.EMALFORMED, format, args...)
}

// onCreate turns a missing environment, network or service named in a
// create request into a refusal: Confluent's spec lists no 404 for creates.
func onCreate(err error) error {
	if linkemu.ErrorCode(err) == linkemu.ENOTFOUND {
		return errRefused("%s", linkemu.ErrorMessage(err))
	}
	return err
}

// errRefused is a request Confluent's networking spec refuses with 400 Bad
// Request (EMALFORMED is the code the wire maps to 400), where linkemu would
// otherwise say 404 or 409, which the spec does not list for the call.
func errRefused(format string, args ...any) error {
	return linkemu.Errorf(linkemu.EMALFORMED, format, args...)
}

func errNotFound(format string, args ...any) error {
	return linkemu.Errorf(linkemu.ENOTFOUND, format, args...)
}

func errConflict(format string, args ...any) error {
	return linkemu.Errorf(linkemu.ECONFLICT, format, args...)
}

func errQuota(format string, args ...any) error {
	return linkemu.Errorf(linkemu.EQUOTA, format, args...)
}
