package aclsync_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/aclsync"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

const allACLs = `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`

const otherLinkID = "AAAAAAAAAAAAAAAAAAAAAA"

var (
	aliceReadsOrders = acl("TOPIC", "orders", "User:alice", "READ")
	aliceReadsGroup  = acl("GROUP", "app", "User:alice", "READ")
	bobWritesOrders  = acl("TOPIC", "orders", "User:bob", "WRITE")
	destOnly         = acl("TOPIC", "local", "User:ops", "ALL")
)

type fixture struct {
	src, dst *kafkatest.Cluster
	store    *aclsync.MemStore
}

func newFixture(t *testing.T) fixture {
	return fixture{src: kafkatest.NewCluster(t), dst: kafkatest.NewCluster(t), store: &aclsync.MemStore{}}
}

func (f fixture) syncer(t *testing.T, cfg aclsync.Config, linkACLs aclsync.LinkACLsFunc) *aclsync.Syncer {
	t.Helper()
	s := aclsync.New(aclsync.Options{
		Source:      f.src.Client(),
		Destination: f.dst.Client(),
		Link:        "dst-cluster/my-link",
		Store:       f.store,
		LinkACLs:    linkACLs,
		Logger:      testLogger(t),
	}, cfg)
	t.Cleanup(s.Stop)
	return s
}

func enabled(t *testing.T, filters string) aclsync.Config {
	return aclsync.Config{Enabled: true, Interval: 50 * time.Millisecond, Filters: mustACLFilters(t, filters)}
}

func wantACLs(t *testing.T, c *kafkatest.Cluster, want ...linkemu.ACLBinding) {
	t.Helper()
	if got, want := listACLs(t, c), sorted(want); !reflect.DeepEqual(got, want) {
		t.Errorf("ACLs\n got: %v\nwant: %v", got, want)
	}
}

func TestSyncFollowsSourceACLs(t *testing.T) {
	f := newFixture(t)
	addACLs(t, f.src, aliceReadsOrders, aliceReadsGroup)
	addACLs(t, f.dst, destOnly)
	s := f.syncer(t, enabled(t, allACLs), nil)
	ctx := testContext(t)

	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders, aliceReadsGroup, destOnly)

	// Alice's topic ACL changes to Bob's: ACLs are immutable, so the old
	// one goes and a new one comes.
	removeACLs(t, f.src, aliceReadsOrders)
	addACLs(t, f.src, bobWritesOrders)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, bobWritesOrders, aliceReadsGroup, destOnly)

	removeACLs(t, f.src, bobWritesOrders, aliceReadsGroup)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, destOnly)

	if owned, _ := f.store.OwnedACLs(ctx, "dst-cluster/my-link"); len(owned) != 0 {
		t.Errorf("owned ACLs after everything was deleted = %v, want none", owned)
	}
	if task := s.Task(); task.State != linkemu.TaskActive || len(task.Errors) != 0 {
		t.Errorf("task = %+v, want ACTIVE", task)
	}
}

func TestSyncDeletesACLsNoLongerSelected(t *testing.T) {
	f := newFixture(t)
	addACLs(t, f.src, aliceReadsOrders, aliceReadsGroup)
	s := f.syncer(t, enabled(t, allACLs), nil)
	ctx := testContext(t)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders, aliceReadsGroup)

	s.Reconfigure(enabled(t, `{"aclFilters":[{"resourceFilter":{"resourceType":"topic","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`))
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders)
}

func TestSyncNeverDeletesACLsItDidNotCreate(t *testing.T) {
	f := newFixture(t)
	// The destination already had Alice's ACL when the link came.
	addACLs(t, f.src, aliceReadsOrders)
	addACLs(t, f.dst, aliceReadsOrders)
	// A crash left an ACL recorded that the link never created.
	ctx := testContext(t)
	if err := f.store.SetOwnedACLs(ctx, "dst-cluster/my-link", []linkemu.ACLBinding{destOnly}); err != nil {
		t.Fatal(err)
	}
	s := f.syncer(t, enabled(t, allACLs), nil)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	// Now an operator creates that ACL on the destination.
	addACLs(t, f.dst, destOnly)
	removeACLs(t, f.src, aliceReadsOrders)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders, destOnly)
}

func TestSyncSkipsACLsOfOtherLinks(t *testing.T) {
	f := newFixture(t)
	addACLs(t, f.src, aliceReadsOrders, aliceReadsGroup)
	byOtherLink := func(context.Context) (map[linkemu.ACLBinding]string, error) {
		return map[linkemu.ACLBinding]string{aliceReadsGroup: otherLinkID}, nil
	}
	s := f.syncer(t, enabled(t, allACLs), byOtherLink)
	ctx := testContext(t)
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders)

	s.Reconfigure(enabled(t, `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"},"clusterLinkIds":["`+otherLinkID+`"]}]}`))
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders, aliceReadsGroup)
}

func TestSyncReportsRefusedACLs(t *testing.T) {
	f := newFixture(t)
	secret := acl("TOPIC", "secret", "User:alice", "READ")
	addACLs(t, f.src, aliceReadsOrders, secret)
	refuse := f.dst.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.CreateACLs}, Resource: "secret", Err: kerr.ClusterAuthorizationFailed, Count: -1})
	s := f.syncer(t, enabled(t, allACLs), nil)
	ctx := testContext(t)

	err := s.SyncNow(ctx)
	if err == nil || !strings.Contains(err.Error(), `"secret"`) {
		t.Fatalf("SyncNow = %v, want an error naming the refused ACL", err)
	}
	wantACLs(t, f.dst, aliceReadsOrders)
	task := s.Task()
	if task.State != linkemu.TaskInError || len(task.Errors) != 1 || task.Errors[0].Code != linkemu.TaskErrAuthorization ||
		!strings.Contains(task.Errors[0].Message, "refused to create ACL") {
		t.Errorf("task = %+v, want IN_ERROR with one AUTHORIZATION_ERROR", task)
	}

	refuse.Remove()
	if err := s.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	wantACLs(t, f.dst, aliceReadsOrders, secret)
	if task := s.Task(); task.State != linkemu.TaskActive {
		t.Errorf("task after the destination accepts = %+v, want ACTIVE", task)
	}
}

func TestSyncCapsTaskErrors(t *testing.T) {
	f := newFixture(t)
	var acls []linkemu.ACLBinding
	for i := range 12 {
		acls = append(acls, acl("TOPIC", fmt.Sprintf("t%02d", i), "User:alice", "READ"))
	}
	addACLs(t, f.src, acls...)
	f.dst.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.CreateACLs}, Err: kerr.PolicyViolation, Count: -1})
	s := f.syncer(t, enabled(t, allACLs), nil)
	if err := s.SyncNow(testContext(t)); err == nil {
		t.Fatal("SyncNow = nil, want the refusals")
	}
	task := s.Task()
	if len(task.Errors) != 11 || task.Errors[0].Code != linkemu.TaskErrPolicyViolation ||
		task.Errors[10].Code != linkemu.TaskErrSuppressed || task.Errors[10].Message != "2 more errors were suppressed." {
		t.Errorf("task errors = %+v, want 10 errors and one SUPPRESSED_ERRORS", task.Errors)
	}
}

func TestWorkerTaskStates(t *testing.T) {
	f := newFixture(t)
	addACLs(t, f.src, aliceReadsOrders)
	s := f.syncer(t, aclsync.Config{}, nil)
	state := func(want linkemu.TaskState) func() string {
		return func() string {
			if got := s.Task().State; got != want {
				return fmt.Sprintf("task is %s, want %s", got, want)
			}
			return ""
		}
	}

	if got := s.Task(); got.Name != linkemu.TaskAclSync || got.State != linkemu.TaskNotConfigured || got.Errors == nil {
		t.Fatalf("task of a disabled syncer = %#v", got)
	}
	s.Start(context.Background())
	s.Start(context.Background()) // already running: no second loop

	s.Reconfigure(aclsync.Config{Enabled: true, Interval: 50 * time.Millisecond})
	want := linkemu.Task{Name: "AclSync", State: linkemu.TaskInError, Errors: []linkemu.TaskError{{
		Code: "MISCONFIGURATION_ERROR", Message: "ACL migration is enabled but acl.filters is not set. Please set acl.filters to migrate ACLs.",
	}}}
	if got := s.Task(); !reflect.DeepEqual(got, want) {
		t.Errorf("task without filters = %+v, want %+v", got, want)
	}
	if err := s.SyncNow(testContext(t)); linkemu.ErrorCode(err) != linkemu.EINVALID {
		t.Errorf("SyncNow without filters = %v, want EINVALID", err)
	}

	s.Reconfigure(enabled(t, allACLs))
	waitFor(t, func() string {
		if len(listACLs(t, f.dst)) != 1 {
			return "ACL not synced yet"
		}
		return ""
	})
	waitFor(t, state(linkemu.TaskActive))

	// A source ACL created later follows within acl.sync.ms.
	addACLs(t, f.src, bobWritesOrders)
	waitFor(t, func() string {
		if got := listACLs(t, f.dst); len(got) != 2 {
			return fmt.Sprintf("destination ACLs are %v", got)
		}
		return ""
	})

	refuse := f.src.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.DescribeACLs}, TopLevel: true, Err: kerr.SecurityDisabled, Count: -1})
	waitFor(t, state(linkemu.TaskInError))
	if got := s.Task().Errors[0].Code; got != "SECURITY_DISABLED_ERROR" {
		t.Errorf("error code = %s, want SECURITY_DISABLED_ERROR", got)
	}
	refuse.Remove()
	waitFor(t, state(linkemu.TaskActive))

	s.Reconfigure(aclsync.Config{})
	waitFor(t, state(linkemu.TaskNotConfigured))
	s.Stop()
	s.Stop()
	wantACLs(t, f.dst, aliceReadsOrders, bobWritesOrders) // disabling keeps synced ACLs
}

func TestConfigFromLinkConfigs(t *testing.T) {
	tests := []struct {
		name    string
		configs map[string]string
		want    aclsync.Config
		wantErr string
	}{
		{"defaults", nil, aclsync.Config{Interval: aclsync.DefaultInterval}, ""},
		{"enabled", map[string]string{linkemu.CfgACLSyncEnable: "true", linkemu.CfgACLSyncMs: "250", linkemu.CfgACLFilters: allACLs},
			aclsync.Config{Enabled: true, Interval: 250 * time.Millisecond, Filters: linkemu.ACLFilters{{
				ResourceFilter: linkemu.ResourceFilter{ResourceType: "ANY", PatternType: "ANY"},
				AccessFilter:   linkemu.AccessFilter{Operation: "ANY", PermissionType: "ANY"}}}}, ""},
		{"bad enable", map[string]string{linkemu.CfgACLSyncEnable: "on"}, aclsync.Config{}, "acl.sync.enable"},
		{"bad interval", map[string]string{linkemu.CfgACLSyncMs: "-1"}, aclsync.Config{}, "acl.sync.ms"},
		{"bad filters", map[string]string{linkemu.CfgACLFilters: `{"aclFilters":[{}]}`}, aclsync.Config{}, "acl.filters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := aclsync.ConfigFromLinkConfigs(tt.configs)
			if tt.wantErr != "" {
				if linkemu.ErrorCode(err) != linkemu.EINVALID || !strings.Contains(linkemu.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("err = %v, want EINVALID naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
