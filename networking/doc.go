// Package networking emulates Confluent Cloud's network linking: the
// environments and private networks clusters live in, the network link
// services and endpoints that join two private networks, and their effect on
// cluster links.
//
// The model:
//
//   - The topology is fixed at start (Config.Networks): each private network
//     has an ID (n-…) and an environment (env-…) and holds some clusters.
//     Every cluster not placed in a private network is in the public network
//     n-public of environment env-default. Environments exist only through
//     the networks that name them.
//   - A network link service (nls-…) sits on a private network, the target,
//     and accepts connections from the environments and networks on its
//     accept list. A network can have 1 service.
//   - A network link endpoint (nle-…) sits on another private network, the
//     origin, and points at a service. It is PROVISIONING for
//     Config.ReadyDelay, then READY if the service accepts its environment or
//     network, and PENDING_ACCEPT until it does. When the service stops
//     accepting it (accept list changed, or the service deleted), it is
//     DISCONNECTED for good: it must be deleted and created again. A network
//     can have 5 endpoints; the organization 20. A service that still has
//     connected endpoints cannot be deleted.
//   - A network link service association (nlsa-…) is the service owner's view
//     of one endpoint; it has the endpoint's phase.
//
// Fabric implements manager.NetworkPolicy: a cluster link between clusters in
// one network, or from a private network out to the public one, needs
// nothing. A link that connects from one private network into another needs a
// READY endpoint on the connecting cluster's network to a service on the
// other's; without one CheckLink says what is missing and the link is
// UNAVAILABLE. Source-initiated links (link.mode=SOURCE, or DESTINATION with
// connection.mode=INBOUND) cannot cross a network link and are refused; a
// public cluster cannot connect into a private network at all.
//
// Services and endpoints are stored JSON-encoded in the store's workers
// namespace "networking", so they survive restarts with the data directory.
// Phases are not stored: they follow from the stored objects and the clock
// (Config.Now) whenever they are read, except DISCONNECTED, which is stored
// because it must not heal.
//
// Caveats: deletes take effect at once (no DEPROVISIONING phase); endpoints
// never expire (no EXPIRED, no expires_at) and never report INACTIVE or
// FAILED; a service is READY at once (the only phase Confluent documents for
// services). Refusals answer 400 as the spec lists, never 404 or 409 on
// create and delete: an unknown environment, network or service in a create,
// and deleting a service that has connected endpoints.
// Networks and environments cannot be created through the API.
package networking
