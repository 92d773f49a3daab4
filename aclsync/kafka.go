package aclsync

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/linkemu/linkemu"
)

// describeAll returns every ACL of the cluster.
func describeAll(ctx context.Context, cl *kgo.Client) ([]linkemu.ACLBinding, error) {
	req := kmsg.NewPtrDescribeACLsRequest()
	req.ResourceType = kmsg.ACLResourceTypeAny
	req.ResourcePatternType = kmsg.ACLResourcePatternTypeAny
	req.Operation = kmsg.ACLOperationAny
	req.PermissionType = kmsg.ACLPermissionTypeAny
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return nil, withMessage(err, resp.ErrorMessage)
	}
	var out []linkemu.ACLBinding
	for _, r := range resp.Resources {
		for _, a := range r.ACLs {
			out = append(out, linkemu.ACLBinding{
				ResourceType: r.ResourceType.String(),
				ResourceName: r.ResourceName,
				PatternType:  r.ResourcePatternType.String(),
				Principal:    a.Principal,
				Host:         a.Host,
				Operation:    a.Operation.String(),
				Permission:   a.PermissionType.String(),
			})
		}
	}
	sortACLs(out)
	return out, nil
}

// aclError is the failure to create or delete one ACL.
type aclError struct {
	acl linkemu.ACLBinding
	err error
}

// createACLs creates acls and returns the ones the cluster refused.
func createACLs(ctx context.Context, cl *kgo.Client, acls []linkemu.ACLBinding) ([]aclError, error) {
	req := kmsg.NewPtrCreateACLsRequest()
	for _, a := range acls {
		c := kmsg.NewCreateACLsRequestCreation()
		c.ResourceType, _ = kmsg.ParseACLResourceType(a.ResourceType)
		c.ResourceName = a.ResourceName
		c.ResourcePatternType, _ = kmsg.ParseACLResourcePatternType(a.PatternType)
		c.Principal = a.Principal
		c.Host = a.Host
		c.Operation, _ = kmsg.ParseACLOperation(a.Operation)
		c.PermissionType, _ = kmsg.ParseACLPermissionType(a.Permission)
		req.Creations = append(req.Creations, c)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	if len(resp.Results) != len(acls) {
		return nil, fmt.Errorf("CreateACLs answered %d results for %d ACLs", len(resp.Results), len(acls))
	}
	var failed []aclError
	for i, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			failed = append(failed, aclError{acls[i], withMessage(err, r.ErrorMessage)})
		}
	}
	return failed, nil
}

// deleteACLs deletes exactly acls, each with a filter that matches only it,
// and returns the ones the cluster refused to delete.
func deleteACLs(ctx context.Context, cl *kgo.Client, acls []linkemu.ACLBinding) ([]aclError, error) {
	req := kmsg.NewPtrDeleteACLsRequest()
	for _, a := range acls {
		f := kmsg.NewDeleteACLsRequestFilter()
		f.ResourceType, _ = kmsg.ParseACLResourceType(a.ResourceType)
		f.ResourceName = kmsg.StringPtr(a.ResourceName)
		f.ResourcePatternType, _ = kmsg.ParseACLResourcePatternType(a.PatternType)
		f.Principal = kmsg.StringPtr(a.Principal)
		f.Host = kmsg.StringPtr(a.Host)
		f.Operation, _ = kmsg.ParseACLOperation(a.Operation)
		f.PermissionType, _ = kmsg.ParseACLPermissionType(a.Permission)
		req.Filters = append(req.Filters, f)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	if len(resp.Results) != len(acls) {
		return nil, fmt.Errorf("DeleteACLs answered %d results for %d ACLs", len(resp.Results), len(acls))
	}
	var failed []aclError
	for i, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			failed = append(failed, aclError{acls[i], withMessage(err, r.ErrorMessage)})
		}
	}
	return failed, nil
}

// withMessage adds a broker's error message to its error code.
func withMessage(err error, msg *string) error {
	if msg == nil || *msg == "" || strings.Contains(err.Error(), *msg) {
		return err
	}
	return fmt.Errorf("%w (%s)", err, *msg)
}

func sortACLs(acls []linkemu.ACLBinding) {
	slices.SortFunc(acls, func(a, b linkemu.ACLBinding) int {
		return strings.Compare(aclKey(a), aclKey(b))
	})
}

func aclKey(a linkemu.ACLBinding) string {
	return strings.Join([]string{a.ResourceType, a.PatternType, a.ResourceName, a.Principal, a.Host, a.Operation, a.Permission}, "\x00")
}
