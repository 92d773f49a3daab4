package manager

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	linkemu "github.com/linkemu/linkemu"
)

// ACLQuery is an ACL search or delete filter as the REST API receives it:
// enum names as sent (any case), "" for a parameter that was not given.
type ACLQuery struct {
	ResourceType string
	ResourceName string
	PatternType  string
	Principal    string
	Host         string
	Operation    string
	Permission   string
}

// ACL enum names in Kafka's order, which is also the order Confluent sorts
// ACLs by. USER, CREATE_TOKENS and DESCRIBE_TOKENS are Kafka names that
// Confluent's API does not list, so linkemu does not accept them.
var (
	aclResourceTypes = []string{"UNKNOWN", "ANY", "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN"}
	aclPatternTypes  = []string{"UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"}
	aclOperations    = []string{"UNKNOWN", "ANY", "ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE",
		"CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE"}
	aclPermissions = []string{"UNKNOWN", "ANY", "DENY", "ALLOW"}
)

// aclClusterName is the only resource name of a CLUSTER ACL.
const aclClusterName = "kafka-cluster"

// ACLs returns the cluster's ACLs that match q, with Kafka's filter
// semantics: an enum left out or ANY matches every value, MATCH matches
// LITERAL and PREFIXED bindings that apply to resource_name. The result is
// sorted as Confluent sorts it.
func (m *Manager) ACLs(ctx context.Context, cluster string, q ACLQuery) ([]linkemu.ACLBinding, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	f, err := parseACLQuery(q, false)
	if err != nil {
		return nil, err
	}
	all, err := c.ACLs(ctx)
	if err != nil {
		return nil, err
	}
	var out []linkemu.ACLBinding
	for _, a := range all {
		if f.Matches(a) {
			out = append(out, a)
		}
	}
	sortACLs(out)
	return out, nil
}

// CreateACLs validates every ACL, then creates them all in one request, and
// returns them with enum values normalized to Kafka's upper-case names. One
// invalid ACL refuses the whole batch before anything is created.
func (m *Manager) CreateACLs(ctx context.Context, cluster string, acls []linkemu.ACLBinding) ([]linkemu.ACLBinding, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	if len(acls) == 0 {
		return nil, linkemu.Errorf(linkemu.EINVALID, "data is empty: list at least one ACL to create.")
	}
	valid := make([]linkemu.ACLBinding, len(acls))
	for i, a := range acls {
		v, err := validateNewACL(a)
		if err != nil {
			if len(acls) > 1 {
				err.Message = fmt.Sprintf("data[%d]: %s", i, err.Message)
			}
			return nil, err
		}
		valid[i] = v
	}
	if err := c.CreateACLs(ctx, valid); err != nil {
		return nil, err
	}
	return valid, nil
}

// DeleteACLs deletes the cluster's ACLs that match q and returns them,
// sorted. resource_type, pattern_type, operation and permission are
// required (ANY is allowed); resource_name, principal and host narrow the
// match when given.
func (m *Manager) DeleteACLs(ctx context.Context, cluster string, q ACLQuery) ([]linkemu.ACLBinding, error) {
	c, err := m.cluster(cluster)
	if err != nil {
		return nil, err
	}
	f, err := parseACLQuery(q, true)
	if err != nil {
		return nil, err
	}
	all, err := c.ACLs(ctx)
	if err != nil {
		return nil, err
	}
	var match []linkemu.ACLBinding
	for _, a := range all {
		if f.Matches(a) {
			match = append(match, a)
		}
	}
	deleted, err := c.DeleteACLs(ctx, match)
	if err != nil {
		return nil, err
	}
	sortACLs(deleted)
	return deleted, nil
}

// sortACLs sorts acls as Confluent's REST API lists them: by resource type,
// resource name, pattern type, principal, host, operation and permission,
// enums in Kafka's order.
func sortACLs(acls []linkemu.ACLBinding) {
	slices.SortFunc(acls, func(a, b linkemu.ACLBinding) int {
		return cmp.Or(
			cmp.Compare(enumRank(aclResourceTypes, a.ResourceType), enumRank(aclResourceTypes, b.ResourceType)),
			strings.Compare(a.ResourceName, b.ResourceName),
			cmp.Compare(enumRank(aclPatternTypes, a.PatternType), enumRank(aclPatternTypes, b.PatternType)),
			strings.Compare(a.Principal, b.Principal),
			strings.Compare(a.Host, b.Host),
			cmp.Compare(enumRank(aclOperations, a.Operation), enumRank(aclOperations, b.Operation)),
			cmp.Compare(enumRank(aclPermissions, a.Permission), enumRank(aclPermissions, b.Permission)),
		)
	})
}

// enumRank is v's position in names; names it does not list sort last.
func enumRank(names []string, v string) int {
	if i := slices.Index(names, v); i >= 0 {
		return i
	}
	return len(names)
}

// parseACLQuery turns a REST filter into an ACL filter. With required, the
// four enums must be given, as DELETE /acls requires.
func parseACLQuery(q ACLQuery, required bool) (linkemu.ACLFilter, error) {
	var f linkemu.ACLFilter
	enums := []struct {
		name, value string
		allowed     []string
		dst         *string
	}{
		{"resource_type", q.ResourceType, aclResourceTypes[1:], &f.ResourceFilter.ResourceType},
		{"pattern_type", q.PatternType, aclPatternTypes[1:], &f.ResourceFilter.PatternType},
		{"operation", q.Operation, aclOperations[1:], &f.AccessFilter.Operation},
		{"permission", q.Permission, aclPermissions[1:], &f.AccessFilter.PermissionType},
	}
	for _, e := range enums {
		if e.value == "" {
			if required {
				return f, linkemu.Errorf(linkemu.EINVALID, "The query parameter %s is required; use %s.", e.name, orList(e.allowed))
			}
			*e.dst = "ANY"
			continue
		}
		v, err := parseACLEnum(e.name, e.value, e.allowed)
		if err != nil {
			return f, err
		}
		*e.dst = v
	}
	f.ResourceFilter.Name = q.ResourceName
	f.AccessFilter.Principal = q.Principal
	f.AccessFilter.Host = q.Host
	return f, nil
}

// validateNewACL checks one ACL to create the way Kafka and Confluent do,
// and returns it with normalized enum names.
func validateNewACL(a linkemu.ACLBinding) (linkemu.ACLBinding, *linkemu.Error) {
	var err *linkemu.Error
	if a.ResourceType, err = parseACLEnum("resource_type", a.ResourceType, aclResourceTypes[2:]); err != nil {
		return a, err
	}
	if a.PatternType, err = parseACLEnum("pattern_type", a.PatternType, []string{"LITERAL", "PREFIXED"}); err != nil {
		return a, err
	}
	if a.Operation, err = parseACLEnum("operation", a.Operation, aclOperations[2:]); err != nil {
		return a, err
	}
	if a.Permission, err = parseACLEnum("permission", a.Permission, []string{"DENY", "ALLOW"}); err != nil {
		return a, err
	}
	switch {
	case a.ResourceName == "":
		return a, linkemu.Errorf(linkemu.EINVALID, "resource_name is required: give the topic, group or transactional ID name or prefix, * for all, or %s for CLUSTER.", aclClusterName)
	case a.ResourceType == "CLUSTER" && a.ResourceName != aclClusterName:
		return a, linkemu.Errorf(linkemu.EINVALID, "The only valid name for the CLUSTER resource is %s", aclClusterName)
	case a.Principal == "":
		return a, linkemu.Errorf(linkemu.EINVALID, "principal is required: use the form Type:name, e.g. User:alice or User:*.")
	case a.Host == "":
		return a, linkemu.Errorf(linkemu.EINVALID, "host is required: use * for every host or an IP address.")
	}
	if typ, name, ok := strings.Cut(a.Principal, ":"); !ok || typ == "" || name == "" {
		return a, linkemu.Errorf(linkemu.EINVALID, "Could not parse principal %q: use the form Type:name, e.g. User:alice or User:*.", a.Principal)
	}
	return a, nil
}

// parseACLEnum returns the name in allowed that v spells, ignoring case and
// the separators '_', '-', '.' and ' ' ("describeConfigs" is
// DESCRIBE_CONFIGS).
func parseACLEnum(field, v string, allowed []string) (string, *linkemu.Error) {
	n := normEnum(v)
	for _, a := range allowed {
		if normEnum(a) == n {
			return a, nil
		}
	}
	if v == "" {
		return "", linkemu.Errorf(linkemu.EINVALID, "%s is required; use %s.", field, orList(allowed))
	}
	return "", linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s; use %s.", v, field, orList(allowed))
}

func normEnum(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(s))
}

// orList writes names as "A, B or C".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
