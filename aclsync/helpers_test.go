package aclsync_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// acl returns an ALLOW ACL for principal on a literal resource from any host.
func acl(resourceType, name, principal, op string) linkemu.ACLBinding {
	return linkemu.ACLBinding{ResourceType: resourceType, ResourceName: name, PatternType: "LITERAL",
		Principal: principal, Host: "*", Operation: op, Permission: "ALLOW"}
}

// addACLs creates acls on c as an administrator would.
func addACLs(t *testing.T, c *kafkatest.Cluster, acls ...linkemu.ACLBinding) {
	t.Helper()
	req := kmsg.NewPtrCreateACLsRequest()
	for _, a := range acls {
		cr := kmsg.NewCreateACLsRequestCreation()
		cr.ResourceType, _ = kmsg.ParseACLResourceType(a.ResourceType)
		cr.ResourceName = a.ResourceName
		cr.ResourcePatternType, _ = kmsg.ParseACLResourcePatternType(a.PatternType)
		cr.Principal, cr.Host = a.Principal, a.Host
		cr.Operation, _ = kmsg.ParseACLOperation(a.Operation)
		cr.PermissionType, _ = kmsg.ParseACLPermissionType(a.Permission)
		req.Creations = append(req.Creations, cr)
	}
	resp, err := req.RequestWith(testContext(t), c.Client())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			t.Fatal(err)
		}
	}
}

// removeACLs deletes acls from c as an administrator would.
func removeACLs(t *testing.T, c *kafkatest.Cluster, acls ...linkemu.ACLBinding) {
	t.Helper()
	req := kmsg.NewPtrDeleteACLsRequest()
	for _, a := range acls {
		f := kmsg.NewDeleteACLsRequestFilter()
		f.ResourceType, _ = kmsg.ParseACLResourceType(a.ResourceType)
		f.ResourceName = kmsg.StringPtr(a.ResourceName)
		f.ResourcePatternType, _ = kmsg.ParseACLResourcePatternType(a.PatternType)
		f.Principal, f.Host = kmsg.StringPtr(a.Principal), kmsg.StringPtr(a.Host)
		f.Operation, _ = kmsg.ParseACLOperation(a.Operation)
		f.PermissionType, _ = kmsg.ParseACLPermissionType(a.Permission)
		req.Filters = append(req.Filters, f)
	}
	if _, err := req.RequestWith(testContext(t), c.Client()); err != nil {
		t.Fatal(err)
	}
}

// listACLs returns every ACL of c, sorted by String.
func listACLs(t *testing.T, c *kafkatest.Cluster) []linkemu.ACLBinding {
	t.Helper()
	req := kmsg.NewPtrDescribeACLsRequest()
	req.ResourceType = kmsg.ACLResourceTypeAny
	req.ResourcePatternType = kmsg.ACLResourcePatternTypeAny
	req.Operation = kmsg.ACLOperationAny
	req.PermissionType = kmsg.ACLPermissionTypeAny
	resp, err := req.RequestWith(testContext(t), c.Client())
	if err != nil {
		t.Fatal(err)
	}
	var out []linkemu.ACLBinding
	for _, r := range resp.Resources {
		for _, a := range r.ACLs {
			out = append(out, linkemu.ACLBinding{ResourceType: r.ResourceType.String(), ResourceName: r.ResourceName,
				PatternType: r.ResourcePatternType.String(), Principal: a.Principal, Host: a.Host,
				Operation: a.Operation.String(), Permission: a.PermissionType.String()})
		}
	}
	return sorted(out)
}

func sorted(acls []linkemu.ACLBinding) []linkemu.ACLBinding {
	acls = slices.Clone(acls)
	slices.SortFunc(acls, func(a, b linkemu.ACLBinding) int { return strings.Compare(a.String(), b.String()) })
	return acls
}

func mustACLFilters(t *testing.T, s string) linkemu.ACLFilters {
	t.Helper()
	fs, err := linkemu.ParseACLFilters(s)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// waitFor polls cond until it returns "" or the test context ends, then
// fails with cond's last answer.
func waitFor(t *testing.T, cond func() string) {
	t.Helper()
	ctx := testContext(t)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out: %s", msg)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
