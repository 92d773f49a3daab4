package broker

import (
	"context"
	"fmt"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ACLs returns every ACL of the cluster, unsorted. Callers filter in
// process with linkemu.ACLFilter, which has Kafka's AclBindingFilter
// semantics (MATCH included); kfake's own filters are simpler.
func (c *Admin) ACLs(ctx context.Context) ([]linkemu.ACLBinding, error) {
	resp, err := NewDescribeAllACLsRequest().RequestWith(ctx, c.client)
	if err != nil {
		return nil, kafkaError(err, "List ACLs")
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return nil, kafkaError(withBrokerMessage(err, resp.ErrorMessage), "List ACLs")
	}
	return DescribedACLs(resp), nil
}

// CreateACLs creates acls in one request. Enum fields must hold Kafka's
// names (TOPIC, LITERAL, READ, ALLOW, ...). The first ACL the cluster
// refuses is the error; the others may have been created, as with Kafka's
// Admin.createAcls.
func (c *Admin) CreateACLs(ctx context.Context, acls []linkemu.ACLBinding) error {
	resp, err := NewCreateACLsRequest(acls).RequestWith(ctx, c.client)
	if err != nil {
		return kafkaError(err, "Create ACLs")
	}
	if len(resp.Results) != len(acls) {
		return kafkaError(fmt.Errorf("CreateACLs answered %d results for %d ACLs", len(resp.Results), len(acls)), "Create ACLs")
	}
	for i, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			return kafkaError(withBrokerMessage(err, r.ErrorMessage), "ACL "+acls[i].String())
		}
	}
	return nil
}

// DeleteACLs deletes exactly acls, each with a filter that matches only
// that binding, and returns the ones the cluster reports deleted.
func (c *Admin) DeleteACLs(ctx context.Context, acls []linkemu.ACLBinding) ([]linkemu.ACLBinding, error) {
	if len(acls) == 0 {
		return nil, nil
	}
	resp, err := NewDeleteACLsRequest(acls).RequestWith(ctx, c.client)
	if err != nil {
		return nil, kafkaError(err, "Delete ACLs")
	}
	var out []linkemu.ACLBinding
	for i, r := range resp.Results {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			what := "Delete ACLs"
			if i < len(acls) {
				what = "Delete ACL " + acls[i].String()
			}
			return out, kafkaError(withBrokerMessage(err, r.ErrorMessage), what)
		}
		for _, m := range r.MatchingACLs {
			if kerr.ErrorForCode(m.ErrorCode) != nil {
				continue
			}
			out = append(out, linkemu.ACLBinding{
				ResourceType: m.ResourceType.String(),
				ResourceName: m.ResourceName,
				PatternType:  m.ResourcePatternType.String(),
				Principal:    m.Principal,
				Host:         m.Host,
				Operation:    m.Operation.String(),
				Permission:   m.PermissionType.String(),
			})
		}
	}
	return out, nil
}

// NewDescribeAllACLsRequest returns a DescribeACLs request that matches
// every ACL of a cluster.
func NewDescribeAllACLsRequest() *kmsg.DescribeACLsRequest {
	req := kmsg.NewPtrDescribeACLsRequest()
	req.ResourceType = kmsg.ACLResourceTypeAny
	req.ResourcePatternType = kmsg.ACLResourcePatternTypeAny
	req.Operation = kmsg.ACLOperationAny
	req.PermissionType = kmsg.ACLPermissionTypeAny
	return req
}

// DescribedACLs returns the ACLs of a DescribeACLs response, in its order;
// nil when it has none.
func DescribedACLs(resp *kmsg.DescribeACLsResponse) []linkemu.ACLBinding {
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
	return out
}

// NewCreateACLsRequest returns a CreateACLs request with one creation per
// ACL, in order. Enum fields must hold Kafka's names (TOPIC, LITERAL, READ,
// ALLOW, ...).
func NewCreateACLsRequest(acls []linkemu.ACLBinding) *kmsg.CreateACLsRequest {
	req := kmsg.NewPtrCreateACLsRequest()
	for _, a := range acls {
		cr := kmsg.NewCreateACLsRequestCreation()
		cr.ResourceType, _ = kmsg.ParseACLResourceType(a.ResourceType)
		cr.ResourceName = a.ResourceName
		cr.ResourcePatternType, _ = kmsg.ParseACLResourcePatternType(a.PatternType)
		cr.Principal = a.Principal
		cr.Host = a.Host
		cr.Operation, _ = kmsg.ParseACLOperation(a.Operation)
		cr.PermissionType, _ = kmsg.ParseACLPermissionType(a.Permission)
		req.Creations = append(req.Creations, cr)
	}
	return req
}

// NewDeleteACLsRequest returns a DeleteACLs request with one filter per ACL,
// in order, each matching exactly that ACL.
func NewDeleteACLsRequest(acls []linkemu.ACLBinding) *kmsg.DeleteACLsRequest {
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
	return req
}

// withBrokerMessage adds a broker's error message to its error code; the
// result still unwraps to the *kerr.Error.
func withBrokerMessage(err error, msg *string) error {
	if msg == nil || *msg == "" {
		return err
	}
	return fmt.Errorf("%w: %s", err, *msg)
}
