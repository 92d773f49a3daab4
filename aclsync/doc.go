// Package aclsync copies a link's source cluster ACLs to its destination
// cluster.
//
// # Model
//
// One Syncer runs per link with acl.sync.enable=true. Every acl.sync.ms it
// reconciles, within the scope of acl.filters:
//
//   - every source ACL that a filter selects is created on the destination
//     if it is not there yet;
//   - every ACL that this link created on the destination and that is no
//     longer on the source, or no longer selected by the filters, is deleted.
//
// The link only ever deletes ACLs it created. It records them in a Store
// before creating them (so a crash cannot leave an ACL it created but does
// not know about) and forgets them once they are gone. An ACL that already
// existed on the destination when the link wanted it is left to its owner,
// as is every ACL the filters do not select.
//
// An ACL that another cluster link created on the source (because that link
// syncs ACLs into the source) is skipped unless a filter lists that link's
// cluster_link_id in clusterLinkIds; the injected LinkACLs function tells
// which ACLs those are. This keeps two links from syncing ACLs in a loop.
//
// With acl.sync.enable=true and no acl.filters the task is IN_ERROR with
// MISCONFIGURATION_ERROR, as Confluent reports, and nothing is synced.
// Errors from the brokers (an ACL the destination refuses, a cluster
// without an authorizer, missing permissions) put the task IN_ERROR with one
// entry per failure, while the other ACLs still sync.
//
// # Caveats
//
// Confluent does not allow ACL sync together with a cluster.link.prefix;
// that rule belongs to link config validation, not here. Disabling ACL sync
// leaves the ACLs the link created in place, and so does deleting the link.
package aclsync
