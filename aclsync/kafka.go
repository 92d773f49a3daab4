package aclsync

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
)

// describeAll returns every ACL of the cluster.
func describeAll(ctx context.Context, cl *kgo.Client) ([]linkemu.ACLBinding, error) {
	resp, err := broker.NewDescribeAllACLsRequest().RequestWith(ctx, cl)
	if err != nil {
		return nil, err
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return nil, withMessage(err, resp.ErrorMessage)
	}
	out := broker.DescribedACLs(resp)
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
	resp, err := broker.NewCreateACLsRequest(acls).RequestWith(ctx, cl)
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
	resp, err := broker.NewDeleteACLsRequest(acls).RequestWith(ctx, cl)
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
