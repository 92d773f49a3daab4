// Package automirror decides which source topics of a link become mirror
// topics automatically, and asks the manager to create them.
//
// # Model
//
// One Worker runs per link with auto.create.mirror.topics.enable=true. Every
// Interval (and on Notify) it lists the topics of the source cluster and
// selects those that auto.create.mirror.topics.filters selects (exclude
// wins; a topic no filter matches is not selected; no filters select
// nothing), except:
//
//   - internal and system topics: those the broker marks internal and every
//     topic whose name starts with '_' (__consumer_offsets,
//     __transaction_state, _schemas, _confluent-*, ...);
//   - topics that are themselves mirror topics of a link on the source
//     cluster, so that chained and bidirectional links do not mirror
//     mirrors;
//   - topics the link already mirrors, whatever the mirror's status.
//
// For each selected topic it calls the injected CreateMirror, which names
// the mirror with the link's cluster.link.prefix and creates it exactly as a
// user's create-mirror request would. The worker only decides; it never
// creates topics itself. Topics created on the source later are picked up
// by a later pass.
//
// A selected topic that the injected Check refuses is not handed to
// CreateMirror at all: a topic whose mirror name (prefix plus name) would be
// over Kafka's 249 characters, or that has more partitions than a topic may
// have on the destination. It stays a task error until it is no longer
// selected or the limit is raised.
//
// The AutoCreateMirror task is NOT_CONFIGURED when auto-create is disabled,
// IN_ERROR with one entry per topic that could not be mirrored (for example
// TOPIC_EXISTS_ERROR when the destination already has a regular topic of
// that name, INVALID_TOPIC for a mirror name that would be too long,
// POLICY_VIOLATION_ERROR for a topic over the partition limit), and ACTIVE
// otherwise. Failed topics are retried every pass; the log says so once per
// change of the errors, not every pass.
//
// # Caveats
//
// A mirror topic that the user deletes is created again by the next pass
// while its source topic still matches the filters; change the filters to
// keep it away. Mirrors that were promoted or failed over must stay in the
// list that Mirrors returns (as STOPPED), or their source topics would be
// mirrored again.
package automirror
