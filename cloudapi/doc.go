// Package cloudapi is linkemu's model of the Confluent Cloud control plane
// that Cloud-mode clients (the Confluent CLI after `confluent login`, the
// Terraform provider, StackQL) reach before any cluster's Kafka REST: the
// organization, its environments, its Kafka clusters, one user, service
// accounts, API keys and login sessions. server/cloud_*.go serves it in the
// Cloud API's wire shapes.
//
// The model:
//
//   - One organization, networking.Organization. Its environments are the
//     ones the network fabric models (package networking): env-default, where
//     every cluster not placed in a private network lives, plus the
//     environment of each private network. Environments cannot be created.
//   - Its Kafka clusters are the clusters linkemu serves, embedded or
//     external, each in the environment of its network. Where a client
//     reaches a cluster (its REST endpoint and SASL_SSL bootstrap) is not
//     known here: Config.Endpoints tells it, so the wiring decides.
//   - One user, u-linkemu, the one people log in as. With Config.Password
//     empty any email and password log in as that user; otherwise the email
//     must be Config.Email and the password Config.Password.
//   - Service accounts (sa-…) are created and deleted through the API.
//   - API keys are owned by the user or a service account. A key whose
//     resource is a served cluster is a cluster key: it is a valid credential
//     for that cluster's Kafka REST and SASL listeners (ClusterCredential). A
//     key with no resource, or the resource "cloud", is a Cloud API key: a
//     valid credential for the Cloud API itself (CloudCredential).
//   - Role bindings (rb-…) are kept and listed but enforce nothing: there is
//     no RBAC, every credential may do everything.
//   - A login session is a signed JWT (HS256) with the claims the CLI reads
//     (sub, exp), plus a refresh token of the same kind behind "v1.", as the
//     CLI expects of Confluent's refresh tokens. A session token is
//     exchanged for a data-plane token, which the CLI sends to Kafka REST
//     as a bearer; both are valid bearers where auth is on.
//
// Service accounts, API keys and role bindings are stored JSON-encoded in
// the store's workers namespace "cloudapi", so they and their secrets
// survive restarts with the data directory (secrets are stored as they are:
// this is a test lab). The key that signs session tokens is stored there
// too, so a CLI session survives a restart.
//
// Caveats: clusters cannot be created, changed or deleted through the API,
// and their cloud, region and Dedicated config are fixed placeholders.
// Users other than u-linkemu, invitations and identity pools are not served.
package cloudapi
