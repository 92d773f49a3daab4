// Package manager is linkemu's control plane, the counterpart of Confluent
// Server's cluster-link manager. It owns the operations the REST API offers
// (links, link configs, mirror topics and their actions, topics, ACLs,
// consumer groups) and the runtime of every link side.
//
// The model: the store holds the truth about links and mirror topics (a
// mirror's status is ACTIVE, PAUSED, PENDING_STOPPED or STOPPED there); each
// stored link side has a linkRuntime with a client to its remote cluster, a
// health check that keeps link_state real, and, on a side that data flows
// into (DESTINATION or BIDIRECTIONAL), a replication worker and the task
// workers (offset sync, ACL sync, auto-create). Workers never change stored
// state; they report runtime figures that the views combine with it: a
// stored ACTIVE mirror shows SOURCE_UNAVAILABLE while its link cannot reach
// the source, FAILED when replication reports a mirror topic error.
//
// Two-sided links (source-initiated, bidirectional) pair the sides stored on
// both clusters by name and cluster_link_id; see peers.go. Failback actions
// (reverse, truncate-and-restore) act on both sides; see dr_actions.go.
//
// The manager validates with the domain package, persists with store, and
// reaches brokers through broker. It returns *linkemu.Error values for every
// problem a caller can fix; the server package maps them to the wire.
//
// Concurrency: one lock (opLock) serializes every state-changing operation
// and the reads that combine store and runtimes, so two requests never
// interleave their validation and their writes. Promote and reverse release
// it while a mirror catches up. Workers that call back into the manager
// (auto-create) wait for it with their context, so stopping a link never
// deadlocks with them. Link runtimes run their own goroutines and publish
// their health under their own locks.
package manager
