package linkemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Link filters. Three link configs hold a JSON document that selects what a
// link task acts on:
//
//   - consumer.offset.group.filters selects consumer groups for offset sync,
//   - auto.create.mirror.topics.filters selects source topics to mirror,
//   - acl.filters selects source ACLs to copy.
//
// Group and topic filters are name patterns (LITERAL or PREFIXED, where the
// LITERAL name "*" matches every name) with a filterType of INCLUDE or
// EXCLUDE. A name is selected when at least one filter matches it and no
// matching filter is an EXCLUDE: exclude wins, and the default is to select
// nothing. ACL filters are Kafka ACL binding filters; an ACL is selected when
// any filter matches it.
//
// The parsers accept Confluent's documents, normalize enum values to upper
// case and reject anything else with an EINVALID error that names the field
// and the allowed values. An empty or blank string means "no filters".

// Pattern types of group and topic filters.
const (
	PatternLiteral  = "LITERAL"
	PatternPrefixed = "PREFIXED"
)

// Filter types of group and topic filters.
const (
	FilterInclude = "INCLUDE"
	FilterExclude = "EXCLUDE"
)

// Topic types of a group filter: whose mirror topics the filter applies to.
// LOCAL_MIRROR means mirror topics on the cluster that owns the link (the
// usual destination side); REMOTE_MIRROR means mirror topics on the remote
// cluster, which only a bidirectional link has.
const (
	TopicTypeLocalMirror  = "LOCAL_MIRROR"
	TopicTypeRemoteMirror = "REMOTE_MIRROR"
)

// NameFilter is one entry of a group or topic filter list.
type NameFilter struct {
	Name        string `json:"name"`
	PatternType string `json:"patternType"`
	FilterType  string `json:"filterType"`
}

// Matches reports whether the filter's pattern matches name, whatever its
// filter type.
func (f NameFilter) Matches(name string) bool {
	switch f.PatternType {
	case PatternLiteral:
		return f.Name == "*" || f.Name == name
	case PatternPrefixed:
		return strings.HasPrefix(name, f.Name)
	default:
		return false
	}
}

// GroupFilter is one entry of consumer.offset.group.filters.
type GroupFilter struct {
	NameFilter
	// TopicTypes lists the topic types the filter applies to; the parser
	// sets it to [LOCAL_MIRROR] when the document leaves it out.
	TopicTypes []string `json:"topicTypes"`
}

// GroupFilters is the parsed consumer.offset.group.filters; nil means none.
type GroupFilters []GroupFilter

// Match reports whether offsets of group should be synced for mirror topics
// of the given topic type (LOCAL_MIRROR or REMOTE_MIRROR): some filter for
// that topic type matches the group and none of the matching ones excludes
// it.
func (fs GroupFilters) Match(group, topicType string) bool {
	included := false
	for _, f := range fs {
		if !slices.Contains(f.TopicTypes, topicType) || !f.Matches(group) {
			continue
		}
		if f.FilterType == FilterExclude {
			return false
		}
		included = true
	}
	return included
}

// TopicFilters is the parsed auto.create.mirror.topics.filters; nil means
// none.
type TopicFilters []NameFilter

// Match reports whether topic is selected: some filter matches it and none
// of the matching ones excludes it.
func (fs TopicFilters) Match(topic string) bool {
	included := false
	for _, f := range fs {
		if !f.Matches(topic) {
			continue
		}
		if f.FilterType == FilterExclude {
			return false
		}
		included = true
	}
	return included
}

// ParseGroupFilters parses consumer.offset.group.filters, e.g.
// {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.
// An empty string gives no filters. Errors are *Error with code EINVALID.
func ParseGroupFilters(s string) (GroupFilters, error) {
	const cfg = CfgOffsetGroupFilter
	var doc struct {
		GroupFilters []struct {
			Name        *string  `json:"name"`
			PatternType *string  `json:"patternType"`
			FilterType  *string  `json:"filterType"`
			TopicTypes  []string `json:"topicTypes"`
		} `json:"groupFilters"`
	}
	const shape = `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`
	if empty, err := decodeFilterJSON(cfg, s, shape, &doc); empty || err != nil {
		return nil, err
	}
	var out GroupFilters
	for i, raw := range doc.GroupFilters {
		path := fmt.Sprintf("groupFilters[%d]", i)
		nf, err := parseNameFilter(cfg, path, raw.Name, raw.PatternType, raw.FilterType)
		if err != nil {
			return nil, err
		}
		f := GroupFilter{NameFilter: nf, TopicTypes: []string{TopicTypeLocalMirror}}
		if raw.TopicTypes != nil {
			f.TopicTypes = nil
			for j, tt := range raw.TopicTypes {
				v := strings.ToUpper(strings.TrimSpace(tt))
				if v != TopicTypeLocalMirror && v != TopicTypeRemoteMirror {
					return nil, Errorf(EINVALID, "Invalid value for %s: %s.topicTypes[%d] %q is not supported; use LOCAL_MIRROR or REMOTE_MIRROR.", cfg, path, j, tt)
				}
				if !slices.Contains(f.TopicTypes, v) {
					f.TopicTypes = append(f.TopicTypes, v)
				}
			}
			if len(f.TopicTypes) == 0 {
				return nil, Errorf(EINVALID, "Invalid value for %s: %s.topicTypes is empty; list LOCAL_MIRROR, REMOTE_MIRROR or both, or leave the field out for LOCAL_MIRROR.", cfg, path)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// ParseTopicFilters parses auto.create.mirror.topics.filters, e.g.
// {"topicFilters":[{"name":"orders.","patternType":"PREFIXED","filterType":"INCLUDE"}]}.
// An empty string gives no filters. Errors are *Error with code EINVALID.
func ParseTopicFilters(s string) (TopicFilters, error) {
	const cfg = CfgAutoCreateFilters
	var doc struct {
		TopicFilters []struct {
			Name        *string `json:"name"`
			PatternType *string `json:"patternType"`
			FilterType  *string `json:"filterType"`
		} `json:"topicFilters"`
	}
	const shape = `{"topicFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}`
	if empty, err := decodeFilterJSON(cfg, s, shape, &doc); empty || err != nil {
		return nil, err
	}
	var out TopicFilters
	for i, raw := range doc.TopicFilters {
		nf, err := parseNameFilter(cfg, fmt.Sprintf("topicFilters[%d]", i), raw.Name, raw.PatternType, raw.FilterType)
		if err != nil {
			return nil, err
		}
		out = append(out, nf)
	}
	return out, nil
}

func parseNameFilter(cfg, path string, name, patternType, filterType *string) (NameFilter, error) {
	var f NameFilter
	switch {
	case name == nil:
		return f, Errorf(EINVALID, "Invalid value for %s: %s.name is required; give a name, a prefix, or \"*\" with patternType LITERAL for all.", cfg, path)
	case *name == "":
		return f, Errorf(EINVALID, "Invalid value for %s: %s.name is empty; give a name, a prefix, or \"*\" with patternType LITERAL for all.", cfg, path)
	}
	f.Name = *name

	if patternType == nil {
		return f, Errorf(EINVALID, "Invalid value for %s: %s.patternType is required; use LITERAL or PREFIXED.", cfg, path)
	}
	f.PatternType = strings.ToUpper(strings.TrimSpace(*patternType))
	if f.PatternType != PatternLiteral && f.PatternType != PatternPrefixed {
		return f, Errorf(EINVALID, "Invalid value for %s: %s.patternType %q is not supported; use LITERAL or PREFIXED.", cfg, path, *patternType)
	}

	if filterType == nil {
		return f, Errorf(EINVALID, "Invalid value for %s: %s.filterType is required; use INCLUDE or EXCLUDE.", cfg, path)
	}
	f.FilterType = strings.ToUpper(strings.TrimSpace(*filterType))
	if f.FilterType != FilterInclude && f.FilterType != FilterExclude {
		return f, Errorf(EINVALID, "Invalid value for %s: %s.filterType %q is not supported; use INCLUDE or EXCLUDE.", cfg, path, *filterType)
	}
	return f, nil
}

// decodeFilterJSON decodes s strictly into v. It reports empty for a blank
// s, and turns decoding errors into EINVALID errors that show the expected
// shape.
func decodeFilterJSON(cfg, s, shape string, v any) (empty bool, err error) {
	switch strings.TrimSpace(s) {
	case "":
		return true, nil
	case "null":
		return false, Errorf(EINVALID, "Invalid value for %s: the JSON null is not a filter document. Expected JSON like %s, or an empty value for no filters.", cfg, shape)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return false, Errorf(EINVALID, "Invalid value for %s: %s. Expected JSON like %s.", cfg, describeJSONError(s, err), shape)
	}
	if _, err := dec.Token(); err != io.EOF {
		return false, Errorf(EINVALID, "Invalid value for %s: unexpected data after the JSON object. Expected JSON like %s.", cfg, shape)
	}
	return false, nil
}

func describeJSONError(s string, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("the value is not valid JSON (%s at byte %d)", syn.Error(), syn.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("field %s must be a JSON %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &typ):
		return fmt.Sprintf("the value must be a JSON object, not %s", typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends early"
	default:
		// DisallowUnknownFields reports `json: unknown field "x"`.
		return strings.TrimPrefix(err.Error(), "json: ")
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "ptr":
		return "value of the documented type"
	default:
		return goKind
	}
}

// ACLBinding is one Kafka ACL: a resource pattern and an access control
// entry. Enum fields hold Kafka's upper-case names (TOPIC, LITERAL, READ,
// ALLOW, ...), the same strings as the Kafka REST v3 ACL API, whose field
// names the JSON tags follow.
type ACLBinding struct {
	ResourceType string `json:"resource_type"` // TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN or USER
	ResourceName string `json:"resource_name"`
	PatternType  string `json:"pattern_type"` // LITERAL or PREFIXED
	Principal    string `json:"principal"`    // e.g. User:alice
	Host         string `json:"host"`         // an IP address or *
	Operation    string `json:"operation"`    // ALL, READ, WRITE, ...
	Permission   string `json:"permission"`   // ALLOW or DENY
}

// String returns the binding in a form for logs and task messages.
func (a ACLBinding) String() string {
	return fmt.Sprintf("(%s %s %s on %s %s %q from host %s)", a.Permission, a.Principal, a.Operation, a.PatternType, a.ResourceType, a.ResourceName, a.Host)
}

// ACL enum names accepted in acl.filters, in Kafka's spelling.
var (
	aclResourceTypes = []string{"ANY", "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN", "USER"}
	aclPatternTypes  = []string{"ANY", "MATCH", "LITERAL"} // PREFIXED is rejected, see ParseACLFilters
	aclOperations    = []string{"ANY", "ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE", "CLUSTER_ACTION",
		"DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE", "CREATE_TOKENS", "DESCRIBE_TOKENS"}
	aclPermissions = []string{"ANY", "DENY", "ALLOW"}
)

// ResourceFilter is the resourceFilter of an acl.filters entry. An empty
// Name matches every resource name.
type ResourceFilter struct {
	ResourceType string `json:"resourceType"`
	PatternType  string `json:"patternType"`
	Name         string `json:"name,omitempty"`
}

// AccessFilter is the accessFilter of an acl.filters entry. An empty
// Principal or Host matches every principal or host.
type AccessFilter struct {
	Principal      string `json:"principal,omitempty"`
	Host           string `json:"host,omitempty"`
	Operation      string `json:"operation"`
	PermissionType string `json:"permissionType"`
}

// ACLFilter is one entry of acl.filters.
type ACLFilter struct {
	ResourceFilter ResourceFilter `json:"resourceFilter"`
	AccessFilter   AccessFilter   `json:"accessFilter"`

	// ClusterLinkIDs names links whose ACLs this filter also selects. An
	// ACL that a cluster link created on the source is skipped unless a
	// filter lists that link's cluster_link_id; ACLs no link created are
	// selected by any matching filter, listed links or not.
	ClusterLinkIDs []string `json:"clusterLinkIds,omitempty"`
}

// Matches reports whether the filter's resource and access parts match the
// binding, with Kafka's AclBindingFilter semantics: ANY matches every value;
// a MATCH name also matches the LITERAL "*" binding and PREFIXED bindings
// whose prefix starts the name.
func (f ACLFilter) Matches(a ACLBinding) bool {
	rf, af := f.ResourceFilter, f.AccessFilter
	if rf.ResourceType != "ANY" && rf.ResourceType != a.ResourceType {
		return false
	}
	if rf.PatternType != "ANY" && rf.PatternType != "MATCH" && rf.PatternType != a.PatternType {
		return false
	}
	if rf.Name != "" {
		switch {
		case rf.PatternType != "MATCH":
			if rf.Name != a.ResourceName {
				return false
			}
		case a.PatternType == PatternLiteral:
			if rf.Name != a.ResourceName && a.ResourceName != "*" {
				return false
			}
		case a.PatternType == PatternPrefixed:
			if !strings.HasPrefix(rf.Name, a.ResourceName) {
				return false
			}
		default:
			return false
		}
	}
	return (af.Principal == "" || af.Principal == a.Principal) &&
		(af.Host == "" || af.Host == a.Host) &&
		(af.Operation == "ANY" || af.Operation == a.Operation) &&
		(af.PermissionType == "ANY" || af.PermissionType == a.Permission)
}

// ACLFilters is the parsed acl.filters; nil means none.
type ACLFilters []ACLFilter

// Match reports whether some filter selects acl, an ACL that no cluster
// link created.
func (fs ACLFilters) Match(acl ACLBinding) bool { return fs.MatchCreatedBy(acl, "") }

// MatchCreatedBy reports whether some filter selects acl, which the link
// with the given cluster_link_id created ("" when no link created it). An
// ACL created by a link is selected only by filters that list the link in
// clusterLinkIds.
func (fs ACLFilters) MatchCreatedBy(acl ACLBinding, clusterLinkID string) bool {
	for _, f := range fs {
		if clusterLinkID != "" && !slices.Contains(f.ClusterLinkIDs, clusterLinkID) {
			continue
		}
		if f.Matches(acl) {
			return true
		}
	}
	return false
}

// ParseACLFilters parses acl.filters, e.g.
// {"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}.
// Enum values are case-insensitive and may be written in camel case
// ("describeConfigs"); they are normalized to Kafka's upper-case names.
// resourceType, patternType, operation and permissionType are required;
// name, principal and host are optional. PREFIXED is rejected as a
// resourceFilter patternType. clusterLinkIds is accepted both on the filter
// and inside accessFilter, as Confluent's ACL entries carry the link IDs in
// the entry; both lists are merged. An empty string gives no filters. Errors
// are *Error with code EINVALID.
func ParseACLFilters(s string) (ACLFilters, error) {
	const cfg = CfgACLFilters
	type rawResource struct {
		ResourceType *string `json:"resourceType"`
		PatternType  *string `json:"patternType"`
		Name         *string `json:"name"`
	}
	type rawAccess struct {
		Principal      *string  `json:"principal"`
		Host           *string  `json:"host"`
		Operation      *string  `json:"operation"`
		PermissionType *string  `json:"permissionType"`
		ClusterLinkIDs []string `json:"clusterLinkIds"`
	}
	var doc struct {
		ACLFilters []struct {
			ResourceFilter *rawResource `json:"resourceFilter"`
			AccessFilter   *rawAccess   `json:"accessFilter"`
			ClusterLinkIDs []string     `json:"clusterLinkIds"`
		} `json:"aclFilters"`
	}
	const shape = `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`
	if empty, err := decodeFilterJSON(cfg, s, shape, &doc); empty || err != nil {
		return nil, err
	}
	var out ACLFilters
	for i, raw := range doc.ACLFilters {
		path := fmt.Sprintf("aclFilters[%d]", i)
		if raw.ResourceFilter == nil {
			return nil, Errorf(EINVALID, "Invalid value for %s: %s.resourceFilter is required; give at least resourceType and patternType, e.g. {\"resourceType\":\"any\",\"patternType\":\"any\"}.", cfg, path)
		}
		if raw.AccessFilter == nil {
			return nil, Errorf(EINVALID, "Invalid value for %s: %s.accessFilter is required; give at least operation and permissionType, e.g. {\"operation\":\"any\",\"permissionType\":\"any\"}.", cfg, path)
		}
		rf, af := raw.ResourceFilter, raw.AccessFilter
		var f ACLFilter
		var err error
		if f.ResourceFilter.ResourceType, err = parseACLEnum(cfg, path+".resourceFilter.resourceType", rf.ResourceType, aclResourceTypes); err != nil {
			return nil, err
		}
		if rf.PatternType != nil && normEnum(*rf.PatternType) == "prefixed" {
			return nil, Errorf(EINVALID, "Invalid value for %s: %s.resourceFilter.patternType %q is not supported; use LITERAL, MATCH or ANY.", cfg, path, *rf.PatternType)
		}
		if f.ResourceFilter.PatternType, err = parseACLEnum(cfg, path+".resourceFilter.patternType", rf.PatternType, aclPatternTypes); err != nil {
			return nil, err
		}
		if rf.Name != nil {
			f.ResourceFilter.Name = *rf.Name
		}
		if af.Principal != nil && *af.Principal != "" {
			if t, n, ok := strings.Cut(*af.Principal, ":"); !ok || t == "" || n == "" {
				return nil, Errorf(EINVALID, "Invalid value for %s: %s.accessFilter.principal %q is not a principal; use the form Type:name, e.g. User:alice, or leave it out for all principals.", cfg, path, *af.Principal)
			}
			f.AccessFilter.Principal = *af.Principal
		}
		if af.Host != nil {
			f.AccessFilter.Host = *af.Host
		}
		if f.AccessFilter.Operation, err = parseACLEnum(cfg, path+".accessFilter.operation", af.Operation, aclOperations); err != nil {
			return nil, err
		}
		if f.AccessFilter.PermissionType, err = parseACLEnum(cfg, path+".accessFilter.permissionType", af.PermissionType, aclPermissions); err != nil {
			return nil, err
		}
		ids := append(slices.Clone(raw.ClusterLinkIDs), af.ClusterLinkIDs...)
		for j, id := range ids {
			if !clusterLinkIDRE.MatchString(id) {
				return nil, Errorf(EINVALID, "Invalid value for %s: %s.clusterLinkIds[%d] %q is not a cluster link ID; use the 22-character cluster_link_id of a link.", cfg, path, j, id)
			}
			if !slices.Contains(f.ClusterLinkIDs, id) {
				f.ClusterLinkIDs = append(f.ClusterLinkIDs, id)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// parseACLEnum returns the canonical name in allowed that v names, ignoring
// case and the separators '_', '-', '.' and ' '.
func parseACLEnum(cfg, path string, v *string, allowed []string) (string, error) {
	list := strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
	if v == nil || strings.TrimSpace(*v) == "" {
		return "", Errorf(EINVALID, "Invalid value for %s: %s is required; use %s.", cfg, path, list)
	}
	n := normEnum(*v)
	for _, a := range allowed {
		if normEnum(a) == n {
			return a, nil
		}
	}
	return "", Errorf(EINVALID, "Invalid value for %s: %s %q is not supported; use %s.", cfg, path, *v, list)
}

func normEnum(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(s))
}
