package e2e

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// aclSync returns the configs of a link that syncs the ACLs that filters
// selects every second.
func aclSync(filters string) map[string]string {
	return map[string]string{"acl.sync.enable": "true", "acl.sync.ms": "1000", "acl.filters": filters}
}

// aclBuilder turns one ACL written as aclJSON.String writes it ("TOPIC
// orders LITERAL User:alice * READ ALLOW") into a kadm builder that
// creates or deletes exactly that ACL.
func aclBuilder(t *testing.T, acl string) *kadm.ACLBuilder {
	t.Helper()
	f := strings.Fields(acl)
	if len(f) != 7 {
		t.Fatalf("ACL %q: want 7 fields", acl)
	}
	b := kadm.NewACLs()
	switch f[0] {
	case "TOPIC":
		b.Topics(f[1])
	case "GROUP":
		b.Groups(f[1])
	case "CLUSTER":
		b.Clusters()
	default:
		t.Fatalf("ACL %q: resource type %s", acl, f[0])
	}
	pattern, err := kmsg.ParseACLResourcePatternType(f[2])
	if err != nil {
		t.Fatalf("ACL %q: %v", acl, err)
	}
	b.ResourcePatternType(pattern)
	switch f[6] {
	case "ALLOW":
		b.Allow(f[3]).AllowHosts(f[4])
	case "DENY":
		b.Deny(f[3]).DenyHosts(f[4])
	}
	op, err := kmsg.ParseACLOperation(f[5])
	if err != nil {
		t.Fatalf("ACL %q: %v", acl, err)
	}
	return b.Operations(op)
}

// createACLs creates ACLs on a cluster with kadm.
func createACLs(t *testing.T, adm *kadm.Client, acls ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, a := range acls {
		res, err := adm.CreateACLs(ctx, aclBuilder(t, a))
		if err == nil {
			for _, r := range res {
				if r.Err != nil {
					err = r.Err
				}
			}
		}
		if err != nil {
			t.Fatalf("create ACL %s: %v", a, err)
		}
	}
}

// deleteACLs deletes ACLs from a cluster with kadm.
func deleteACLs(t *testing.T, adm *kadm.Client, acls ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, a := range acls {
		res, err := adm.DeleteACLs(ctx, aclBuilder(t, a))
		if err == nil {
			for _, r := range res {
				if r.Err != nil {
					err = r.Err
				} else if len(r.Deleted) != 1 {
					t.Fatalf("delete ACL %s deleted %d ACLs, want 1", a, len(r.Deleted))
				}
			}
		}
		if err != nil {
			t.Fatalf("delete ACL %s: %v", a, err)
		}
	}
}

// restACLs lists a cluster's ACLs with the REST API, in the form of
// aclJSON.String.
func restACLs(t *testing.T, env *apitest.Env, cluster string) []string {
	t.Helper()
	r := env.Do(http.MethodGet, apitest.ClusterPath(cluster, "/acls"), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list ACLs of %s: %d %s", cluster, r.Status, r.Body)
	}
	apitest.ValidateSpec(t, r)
	var body struct {
		Data []aclJSON `json:"data"`
	}
	r.JSON(t, &body)
	var out []string
	for _, a := range body.Data {
		out = append(out, a.String())
	}
	return out
}

// waitACLs waits until a cluster has exactly the ACLs want.
func waitACLs(t *testing.T, env *apitest.Env, cluster, what string, want ...string) {
	t.Helper()
	var got []string
	deadline := time.Now().Add(apitest.Timeout)
	for {
		if got = restACLs(t, env, cluster); sameSet(got, want) {
			return
		}
		if time.Now().After(deadline) {
			slices.Sort(got)
			slices.Sort(want)
			t.Fatalf("%s: ACLs of %s after %s:\n  %s\nwant\n  %s", what, cluster, apitest.Timeout, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestACLSyncFollowsTheSource creates, changes and deletes ACLs on the
// source and checks that the destination follows, while ACLs the
// destination manages itself stay.
func TestACLSyncFollowsTheSource(t *testing.T) {
	l := newLab(t, aclSync(allACLs))
	east, west := admin(t, l.Bootstrap("lkc-east")), admin(t, l.Bootstrap("lkc-west"))
	const (
		destOnly   = "TOPIC audit LITERAL User:auditor * READ ALLOW"
		preExists  = "TOPIC shared LITERAL User:both * READ ALLOW" // on the destination before the source
		aliceRead  = "TOPIC orders LITERAL User:alice * READ ALLOW"
		aliceWrite = "TOPIC orders LITERAL User:alice * WRITE ALLOW"
		aliceGroup = "GROUP billing PREFIXED User:alice * READ ALLOW"
		bobDeny    = "CLUSTER kafka-cluster LITERAL User:bob 10.0.0.1 ALTER DENY"
	)
	createACLs(t, west, destOnly, preExists)
	createACLs(t, east, aliceRead, aliceGroup, bobDeny, preExists)
	waitACLs(t, l.Env, "lkc-west", "created on the source", destOnly, preExists, aliceRead, aliceGroup, bobDeny)

	// Kafka ACLs are immutable: a change is a delete and a create.
	deleteACLs(t, east, aliceRead)
	createACLs(t, east, aliceWrite)
	waitACLs(t, l.Env, "lkc-west", "changed on the source", destOnly, preExists, aliceWrite, aliceGroup, bobDeny)

	// The ACL the destination had before the link wanted it is not the
	// link's to delete.
	deleteACLs(t, east, aliceWrite, aliceGroup, bobDeny, preExists)
	waitACLs(t, l.Env, "lkc-west", "deleted on the source", destOnly, preExists)
	if tk := l.tasks(t)["AclSync"]; tk.State != "ACTIVE" || len(tk.Errors) != 0 {
		t.Errorf("AclSync task %s, want ACTIVE", tk)
	}
}

// TestACLSyncFilterScope checks that only the ACLs the filters select are
// synced, and that narrowing the filters removes from the destination the
// ACLs the link created that are no longer selected.
func TestACLSyncFilterScope(t *testing.T) {
	aliceTopics := `{"aclFilters":[{"resourceFilter":{"resourceType":"topic","patternType":"any"},"accessFilter":{"principal":"User:alice","operation":"any","permissionType":"allow"}}]}`
	groups := `{"aclFilters":[{"resourceFilter":{"resourceType":"group","patternType":"literal"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`
	l := newLab(t, aclSync(aliceTopics))
	east := admin(t, l.Bootstrap("lkc-east"))
	const (
		bobTopic    = "TOPIC orders LITERAL User:bob * READ ALLOW"
		aliceDeny   = "TOPIC orders LITERAL User:alice * WRITE DENY"
		aliceGroup  = "GROUP billing LITERAL User:alice * READ ALLOW"
		aliceTopic  = "TOPIC orders LITERAL User:alice * READ ALLOW"
		alicePrefix = "TOPIC ord PREFIXED User:alice * DESCRIBE ALLOW"
	)
	// The ACLs the filter leaves out come first: the pass that syncs the
	// others has seen them.
	createACLs(t, east, bobTopic, aliceDeny, aliceGroup)
	createACLs(t, east, aliceTopic, alicePrefix)
	waitACLs(t, l.Env, "lkc-west", "alice's topic ACLs", aliceTopic, alicePrefix)

	l.alter(t, map[string]string{"acl.filters": groups})
	waitACLs(t, l.Env, "lkc-west", "after the filters changed to groups", aliceGroup)
}

// TestACLSyncLeavesACLsOfADeletedLink deletes a link that synced an ACL
// (which stays on the destination, now the destination's own), deletes the
// ACL on the source and creates the link again: the new link did not
// create that ACL, so it must not delete it.
func TestACLSyncLeavesACLsOfADeletedLink(t *testing.T) {
	l := newLab(t, aclSync(allACLs))
	east := admin(t, l.Bootstrap("lkc-east"))
	const (
		old    = "TOPIC orders LITERAL User:alice * READ ALLOW"
		marker = "TOPIC payments LITERAL User:alice * READ ALLOW"
	)
	createACLs(t, east, old)
	waitACLs(t, l.Env, "lkc-west", "synced by the first link", old)

	l.mustStatus(t, 200, http.MethodDelete, apitest.ClusterPath("lkc-west", "/links/east-to-west"), nil)
	deleteACLs(t, east, old)
	createACLs(t, east, marker)
	var cfgs []map[string]string
	for k, v := range aclSync(allACLs) {
		cfgs = append(cfgs, map[string]string{"name": k, "value": v})
	}
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=east-to-west"), map[string]any{"source_cluster_id": "lkc-east", "configs": cfgs})
	waitACLs(t, l.Env, "lkc-west", "synced by the new link", old, marker)
}
