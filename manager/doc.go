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
// Mirror topics are held to the limits of topics (Config.Limits, the
// emulator's --max-partitions-per-topic): CreateMirror refuses a source
// topic with more partitions than a topic may have, and a generated mirror
// name (prefix plus source name) over Kafka's 249 characters, before
// anything is created; the auto-create task skips such topics and reports
// them as task errors; and a mirror whose source grows past the limit is
// not grown but FAILED (ILLEGAL_STATE, with a POLICY_VIOLATION_ERROR
// mirror_state_transition_error saying why) until a restart with a higher
// limit.
//
// The manager validates with the domain package, persists with store, and
// reaches brokers through broker. It returns *linkemu.Error values for every
// problem a caller can fix; the server package maps them to the wire.
//
// # Concurrency
//
// The control plane never blocks a read and never lets one object's slow
// change hold up another's. Five rules, each kept in one place:
//
//   - Reads wait for nothing. Every GET (links, mirrors, link configs, the
//     metrics snapshot) reads published state: the view of stored links and
//     mirrors (state.go; an immutable value swapped atomically), the link
//     runtimes (a copy-on-write map), each runtime's last health check, and
//     the replication worker's status, whose locks are held only to copy
//     figures. No read opens a store transaction, takes a lane, or waits for
//     a probe, a catch-up or any network call.
//   - Writes publish before they return. write (state.go) runs validation
//     and change in one store transaction and publishes the next view
//     before it returns: the writer's next read, and any read that starts
//     afterwards, sees the change. Concurrent writes share store
//     transactions (the store's group commit, one fsync for many), and the
//     store runs their publications in commit order, so the view never
//     goes back. Topics, partitions, configs, ACLs and groups are read from
//     the brokers themselves, with fresh metadata requests, never from a
//     client's metadata cache (see package broker), so they read their
//     writes too.
//   - Changes are serialized per object only. A lane (lanes.go) per link
//     side and per mirror topic orders the changes of that object; a mirror
//     operation holds its link's lane shared and the mirror's exclusive,
//     so operations on different mirrors run in parallel and a link is not
//     deleted or reconfigured under them. Lanes are held across the
//     operation's network calls (a promote's catch-up, a link's probe when
//     its runtime restarts): only requests on the same object wait, with
//     their contexts. Probes that only validate a new link run before its
//     lane is taken.
//   - No lock is held across network I/O or a store transaction that calls
//     into a worker. The only locks besides lanes are short: rtMu orders
//     runtime map swaps, per-runtime locks guard health figures, the
//     hand-over of mirrors to the worker and task reconfigurations. Workers
//     follow the same rule (replication saves its documents outside its
//     status lock), so a store write that waits for bbolt to grow its file
//     never waits for a reader that waits for it.
//   - A link's task configs (offset sync, ACL sync, auto-create) change in
//     place: the running task workers take the new configs, and no lane is
//     taken, so mirror operations on the link go on meanwhile. Other config
//     changes restart the link's runtime under its lane.
//
// A mirror action goes down the layers once: select the mirrors from the
// view, take the lanes, validate against the view, change the store (and
// publish), tell the worker, wait for the worker where the action needs it.
package manager
