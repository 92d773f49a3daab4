// Package offsetsync copies committed consumer group offsets from a link's
// source cluster to its destination cluster, for the link's mirror topics.
//
// # Model
//
// One Syncer runs per link with consumer.offset.sync.enable=true. Every
// consumer.offset.sync.ms it:
//
//  1. lists the consumer groups on the source and keeps those that
//     consumer.offset.group.filters selects for LOCAL_MIRROR topics (exclude
//     wins; a group that no filter matches is not synced; no filters means
//     nothing is synced);
//  2. fetches their committed offsets on the source topics of the link's
//     mirror topics, translates each offset through the injected Translate
//     function (identity when nil), and clamps it to the mirror's log end
//     offset on the destination, so a consumer never starts past the data;
//  3. commits the offsets on the destination for the mirror topics, under
//     the same group name, or prefixed with cluster.link.prefix when
//     consumer.group.prefix.enable=true, skipping offsets that the
//     destination group already has.
//
// A destination group with active members is never written: a live consumer
// owns its offsets. The task then reports CONSUMER_GROUP_IN_USE_ERROR for
// that group and keeps syncing the others. Mirror topics that are STOPPED
// (promoted or failed over), FAILED or still being set up are skipped, so
// offset sync never moves a consumer on a topic that is no longer a mirror.
// SyncNow runs one pass on demand: promote and failover call it for a final
// sync of the topics they stop.
//
// # Caveats
//
// The REMOTE_MIRROR direction (bidirectional links) is the same pass with
// roles swapped: the manager runs a second Syncer with Config.TopicType
// REMOTE_MIRROR whose source is the other cluster, whose "mirrors" are that
// cluster's mirrors of this side's topics seen from here (Name the local
// topic, SourceTopic the remote mirror), and which selects only groups whose
// filters list REMOTE_MIRROR. Offsets are equal on both sides there, so it
// translates nothing.
//
// Cluster Linking never deletes consumer groups or offsets on the
// destination, and neither does this package: a group excluded after it was
// synced keeps its last synced offsets.
//
// Share groups are skipped: they have no offsets that OffsetCommit can set.
package offsetsync
