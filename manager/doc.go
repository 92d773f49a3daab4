// Package manager is linkemu's control plane, the counterpart of Confluent
// Server's cluster-link manager. It owns the operations the REST API offers
// (links, link configs, mirror topics and their actions, topics) and the
// runtime of every link: the client that reaches the remote cluster, the
// health check that keeps link_state real, and the workers that replicate
// and sync.
//
// The manager validates with the domain package, persists with store, and
// reaches brokers through broker. It returns only *linkemu.Error values for
// problems the caller can fix; the server package maps them to the wire.
//
// Concurrency: one mutex serializes every state-changing operation, so two
// requests never interleave their validation and their write. Reads take the
// lock too, briefly; link runtimes run on their own goroutines and publish
// their status under their own locks.
package manager
