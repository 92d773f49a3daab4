package linkemu_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/linkemu/linkemu"
)

func TestParseFiltersRejects(t *testing.T) {
	parsers := map[string]func(string) error{
		"group": func(s string) error { _, err := linkemu.ParseGroupFilters(s); return err },
		"topic": func(s string) error { _, err := linkemu.ParseTopicFilters(s); return err },
		"acl":   func(s string) error { _, err := linkemu.ParseACLFilters(s); return err },
	}
	tests := []struct {
		name   string
		parser string
		in     string
		want   string // the whole message
	}{
		{"group not JSON", "group", `{"groupFilters":[`,
			`Invalid value for consumer.offset.group.filters: the JSON ends early. Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"group syntax error", "group", `{"groupFilters":[}`,
			`Invalid value for consumer.offset.group.filters: the value is not valid JSON (invalid character '}' looking for beginning of value at byte 18). Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"group null", "group", ` null `,
			`Invalid value for consumer.offset.group.filters: the JSON null is not a filter document. Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}, or an empty value for no filters.`},
		{"group array", "group", `[]`,
			`Invalid value for consumer.offset.group.filters: the value must be a JSON object, not array. Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"group unknown field", "group", `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE","kind":"x"}]}`,
			`Invalid value for consumer.offset.group.filters: unknown field "kind". Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"group wrong type", "group", `{"groupFilters":[{"name":7,"patternType":"LITERAL","filterType":"INCLUDE"}]}`,
			`Invalid value for consumer.offset.group.filters: field groupFilters.name must be a JSON string, not number. Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"group trailing data", "group", `{"groupFilters":[]} {}`,
			`Invalid value for consumer.offset.group.filters: unexpected data after the JSON object. Expected JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"group missing name", "group", `{"groupFilters":[{"patternType":"LITERAL","filterType":"INCLUDE"}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].name is required; give a name, a prefix, or "*" with patternType LITERAL for all.`},
		{"group empty name", "group", `{"groupFilters":[{"name":"a","patternType":"LITERAL","filterType":"INCLUDE"},{"name":"","patternType":"LITERAL","filterType":"INCLUDE"}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[1].name is empty; give a name, a prefix, or "*" with patternType LITERAL for all.`},
		{"group missing patternType", "group", `{"groupFilters":[{"name":"a","filterType":"INCLUDE"}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].patternType is required; use LITERAL or PREFIXED.`},
		{"group bad patternType", "group", `{"groupFilters":[{"name":"a","patternType":"MATCH","filterType":"INCLUDE"}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].patternType "MATCH" is not supported; use LITERAL or PREFIXED.`},
		{"group old filterType", "group", `{"groupFilters":[{"name":"a","patternType":"LITERAL","filterType":"WHITELIST"}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].filterType "WHITELIST" is not supported; use INCLUDE or EXCLUDE.`},
		{"group missing filterType", "group", `{"groupFilters":[{"name":"a","patternType":"LITERAL"}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].filterType is required; use INCLUDE or EXCLUDE.`},
		{"group bad topicType", "group", `{"groupFilters":[{"name":"a","patternType":"LITERAL","filterType":"INCLUDE","topicTypes":["LOCAL_MIRROR","MIRROR"]}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].topicTypes[1] "MIRROR" is not supported; use LOCAL_MIRROR or REMOTE_MIRROR.`},
		{"group empty topicTypes", "group", `{"groupFilters":[{"name":"a","patternType":"LITERAL","filterType":"INCLUDE","topicTypes":[]}]}`,
			`Invalid value for consumer.offset.group.filters: groupFilters[0].topicTypes is empty; list LOCAL_MIRROR, REMOTE_MIRROR or both, or leave the field out for LOCAL_MIRROR.`},

		{"topic bad patternType", "topic", `{"topicFilters":[{"name":"a","patternType":"REGEX","filterType":"INCLUDE"}]}`,
			`Invalid value for auto.create.mirror.topics.filters: topicFilters[0].patternType "REGEX" is not supported; use LITERAL or PREFIXED.`},
		{"topic topicTypes not allowed", "topic", `{"topicFilters":[{"name":"a","patternType":"LITERAL","filterType":"INCLUDE","topicTypes":["LOCAL_MIRROR"]}]}`,
			`Invalid value for auto.create.mirror.topics.filters: unknown field "topicTypes". Expected JSON like {"topicFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"topic wrong key", "topic", `{"groupFilters":[]}`,
			`Invalid value for auto.create.mirror.topics.filters: unknown field "groupFilters". Expected JSON like {"topicFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}.`},
		{"topic bad filterType", "topic", `{"topicFilters":[{"name":"a","patternType":"LITERAL","filterType":"DENY"}]}`,
			`Invalid value for auto.create.mirror.topics.filters: topicFilters[0].filterType "DENY" is not supported; use INCLUDE or EXCLUDE.`},

		{"acl prefixed resource pattern", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"TOPIC","patternType":"PREFIXED","name":"a"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].resourceFilter.patternType "PREFIXED" is not supported; use LITERAL, MATCH or ANY.`},
		{"acl missing resourceFilter", "acl", `{"aclFilters":[{"accessFilter":{"operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].resourceFilter is required; give at least resourceType and patternType, e.g. {"resourceType":"any","patternType":"any"}.`},
		{"acl missing accessFilter", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].accessFilter is required; give at least operation and permissionType, e.g. {"operation":"any","permissionType":"any"}.`},
		{"acl missing resourceType", "acl", `{"aclFilters":[{"resourceFilter":{"patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].resourceFilter.resourceType is required; use ANY, TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN or USER.`},
		{"acl bad resourceType", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"table","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].resourceFilter.resourceType "table" is not supported; use ANY, TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID, DELEGATION_TOKEN or USER.`},
		{"acl unknown patternType", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"unknown"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].resourceFilter.patternType "unknown" is not supported; use ANY, MATCH or LITERAL.`},
		{"acl bad operation", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"fly","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].accessFilter.operation "fly" is not supported; use ANY, ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, CREATE_TOKENS or DESCRIBE_TOKENS.`},
		{"acl empty permissionType", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":""}}]}`,
			`Invalid value for acl.filters: aclFilters[0].accessFilter.permissionType is required; use ANY, DENY or ALLOW.`},
		{"acl bad principal", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"principal":"alice","operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: aclFilters[0].accessFilter.principal "alice" is not a principal; use the form Type:name, e.g. User:alice, or leave it out for all principals.`},
		{"acl bad clusterLinkIds", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"},"clusterLinkIds":["my-link"]}]}`,
			`Invalid value for acl.filters: aclFilters[0].clusterLinkIds[0] "my-link" is not a cluster link ID; use the 22-character cluster_link_id of a link.`},
		{"acl unknown field", "acl", `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any","pattern":"x"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`,
			`Invalid value for acl.filters: unknown field "pattern". Expected JSON like {"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parsers[tt.parser](tt.in)
			if err == nil {
				t.Fatalf("parse %s: no error, want %q", tt.in, tt.want)
			}
			if code := linkemu.ErrorCode(err); code != linkemu.EINVALID {
				t.Errorf("code = %q, want %q", code, linkemu.EINVALID)
			}
			if got := linkemu.ErrorMessage(err); got != tt.want {
				t.Errorf("message\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestParseFiltersEmpty(t *testing.T) {
	for _, in := range []string{"", "  ", `{}`, `{"groupFilters":[]}`} {
		fs, err := linkemu.ParseGroupFilters(in)
		if err != nil || len(fs) != 0 {
			t.Errorf("ParseGroupFilters(%q) = %v, %v; want no filters", in, fs, err)
		}
	}
	for _, in := range []string{"", `{"topicFilters":[]}`} {
		fs, err := linkemu.ParseTopicFilters(in)
		if err != nil || len(fs) != 0 {
			t.Errorf("ParseTopicFilters(%q) = %v, %v; want no filters", in, fs, err)
		}
	}
	for _, in := range []string{"", `{"aclFilters":[]}`} {
		fs, err := linkemu.ParseACLFilters(in)
		if err != nil || len(fs) != 0 {
			t.Errorf("ParseACLFilters(%q) = %v, %v; want no filters", in, fs, err)
		}
	}
}

func TestParseGroupFiltersNormalizes(t *testing.T) {
	got, err := linkemu.ParseGroupFilters(`{"groupFilters":[
		{"name":"*","patternType":"literal","filterType":"include"},
		{"name":"tmp-","patternType":"PREFIXED","filterType":"EXCLUDE","topicTypes":["remote_mirror","LOCAL_MIRROR","REMOTE_MIRROR"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := linkemu.GroupFilters{
		{NameFilter: linkemu.NameFilter{Name: "*", PatternType: "LITERAL", FilterType: "INCLUDE"}, TopicTypes: []string{"LOCAL_MIRROR"}},
		{NameFilter: linkemu.NameFilter{Name: "tmp-", PatternType: "PREFIXED", FilterType: "EXCLUDE"}, TopicTypes: []string{"REMOTE_MIRROR", "LOCAL_MIRROR"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestGroupFiltersMatch(t *testing.T) {
	fs, err := linkemu.ParseGroupFilters(`{"groupFilters":[
		{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"},
		{"name":"tmp-","patternType":"PREFIXED","filterType":"EXCLUDE"},
		{"name":"tmp-keep","patternType":"LITERAL","filterType":"INCLUDE"},
		{"name":"remote-","patternType":"PREFIXED","filterType":"INCLUDE","topicTypes":["REMOTE_MIRROR"]}]}`)
	if err != nil {
		t.Fatal(err)
	}
	only, err := linkemu.ParseGroupFilters(`{"groupFilters":[{"name":"app-","patternType":"PREFIXED","filterType":"INCLUDE"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		filters   linkemu.GroupFilters
		group     string
		topicType string
		want      bool
	}{
		{"star includes all", fs, "orders-app", "LOCAL_MIRROR", true},
		{"exclude beats star", fs, "tmp-1", "LOCAL_MIRROR", false},
		{"exclude beats literal include", fs, "tmp-keep", "LOCAL_MIRROR", false},
		{"default topic type is local", fs, "remote-x", "REMOTE_MIRROR", true},
		{"star does not apply to remote", fs, "orders-app", "REMOTE_MIRROR", false},
		{"prefix include", only, "app-1", "LOCAL_MIRROR", true},
		{"no filter matches", only, "other", "LOCAL_MIRROR", false},
		{"prefix is case sensitive", only, "App-1", "LOCAL_MIRROR", false},
		{"no filters select nothing", nil, "app-1", "LOCAL_MIRROR", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filters.Match(tt.group, tt.topicType); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.group, tt.topicType, got, tt.want)
			}
		})
	}
}

func TestTopicFiltersMatch(t *testing.T) {
	fs, err := linkemu.ParseTopicFilters(`{"topicFilters":[
		{"name":"orders.","patternType":"PREFIXED","filterType":"INCLUDE"},
		{"name":"orders.tmp","patternType":"PREFIXED","filterType":"EXCLUDE"},
		{"name":"payments","patternType":"LITERAL","filterType":"INCLUDE"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		topic string
		want  bool
	}{
		{"orders.eu", true},
		{"orders.tmp.1", false},
		{"payments", true},
		{"payments.v2", false},
		{"orders", false},
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			if got := fs.Match(tt.topic); got != tt.want {
				t.Errorf("Match(%q) = %v, want %v", tt.topic, got, tt.want)
			}
		})
	}
}

func TestParseACLFiltersNormalizes(t *testing.T) {
	got, err := linkemu.ParseACLFilters(`{"aclFilters":[
		{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}},
		{"resourceFilter":{"resourceType":"Topic","patternType":"match","name":"orders"},
		 "accessFilter":{"principal":"User:alice","host":"*","operation":"describeConfigs","permissionType":"Allow","clusterLinkIds":["AAAAAAAAAAAAAAAAAAAAAA"]},
		 "clusterLinkIds":["BBBBBBBBBBBBBBBBBBBBBB","AAAAAAAAAAAAAAAAAAAAAA"]},
		{"resourceFilter":{"resourceType":"transactional-id","patternType":"LITERAL"},"accessFilter":{"operation":"IDEMPOTENT_WRITE","permissionType":"DENY"}}]}`)
	if err != nil {
		t.Fatal(err)
	}
	want := linkemu.ACLFilters{
		{ResourceFilter: linkemu.ResourceFilter{ResourceType: "ANY", PatternType: "ANY"},
			AccessFilter: linkemu.AccessFilter{Operation: "ANY", PermissionType: "ANY"}},
		{ResourceFilter: linkemu.ResourceFilter{ResourceType: "TOPIC", PatternType: "MATCH", Name: "orders"},
			AccessFilter:   linkemu.AccessFilter{Principal: "User:alice", Host: "*", Operation: "DESCRIBE_CONFIGS", PermissionType: "ALLOW"},
			ClusterLinkIDs: []string{"BBBBBBBBBBBBBBBBBBBBBB", "AAAAAAAAAAAAAAAAAAAAAA"}},
		{ResourceFilter: linkemu.ResourceFilter{ResourceType: "TRANSACTIONAL_ID", PatternType: "LITERAL"},
			AccessFilter: linkemu.AccessFilter{Operation: "IDEMPOTENT_WRITE", PermissionType: "DENY"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestACLFiltersMatch(t *testing.T) {
	parse := func(s string) linkemu.ACLFilters {
		t.Helper()
		fs, err := linkemu.ParseACLFilters(`{"aclFilters":[` + s + `]}`)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	all := parse(`{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}`)
	matchOrders := parse(`{"resourceFilter":{"resourceType":"topic","patternType":"match","name":"orders"},"accessFilter":{"operation":"any","permissionType":"any"}}`)
	literalOrders := parse(`{"resourceFilter":{"resourceType":"topic","patternType":"literal","name":"orders"},"accessFilter":{"operation":"any","permissionType":"any"}}`)
	anyOrders := parse(`{"resourceFilter":{"resourceType":"any","patternType":"any","name":"orders"},"accessFilter":{"operation":"any","permissionType":"any"}}`)
	aliceRead := parse(`{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"principal":"User:alice","host":"*","operation":"read","permissionType":"allow"}}`)
	fromLink := parse(`{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"},"clusterLinkIds":["AAAAAAAAAAAAAAAAAAAAAA"]}`)

	acl := func(rt, name, pt, principal, op, perm string) linkemu.ACLBinding {
		return linkemu.ACLBinding{ResourceType: rt, ResourceName: name, PatternType: pt, Principal: principal, Host: "*", Operation: op, Permission: perm}
	}
	ordersRead := acl("TOPIC", "orders", "LITERAL", "User:alice", "READ", "ALLOW")
	tests := []struct {
		name    string
		filters linkemu.ACLFilters
		acl     linkemu.ACLBinding
		linkID  string
		want    bool
	}{
		{"any matches all", all, acl("GROUP", "g", "PREFIXED", "User:bob", "DELETE", "DENY"), "", true},
		{"match literal name", matchOrders, ordersRead, "", true},
		{"match literal wildcard", matchOrders, acl("TOPIC", "*", "LITERAL", "User:bob", "READ", "ALLOW"), "", true},
		{"match covering prefix", matchOrders, acl("TOPIC", "ord", "PREFIXED", "User:bob", "READ", "ALLOW"), "", true},
		{"match other prefix", matchOrders, acl("TOPIC", "pay", "PREFIXED", "User:bob", "READ", "ALLOW"), "", false},
		{"match other type", matchOrders, acl("GROUP", "orders", "LITERAL", "User:bob", "READ", "ALLOW"), "", false},
		{"literal exact", literalOrders, ordersRead, "", true},
		{"literal skips wildcard", literalOrders, acl("TOPIC", "*", "LITERAL", "User:bob", "READ", "ALLOW"), "", false},
		{"literal skips prefixed", literalOrders, acl("TOPIC", "orders", "PREFIXED", "User:bob", "READ", "ALLOW"), "", false},
		{"any with name is exact", anyOrders, acl("TOPIC", "orders", "PREFIXED", "User:bob", "READ", "ALLOW"), "", true},
		{"any with name skips others", anyOrders, acl("TOPIC", "ord", "PREFIXED", "User:bob", "READ", "ALLOW"), "", false},
		{"access filter matches", aliceRead, ordersRead, "", true},
		{"access filter principal", aliceRead, acl("TOPIC", "orders", "LITERAL", "User:bob", "READ", "ALLOW"), "", false},
		{"access filter operation", aliceRead, acl("TOPIC", "orders", "LITERAL", "User:alice", "WRITE", "ALLOW"), "", false},
		{"access filter permission", aliceRead, acl("TOPIC", "orders", "LITERAL", "User:alice", "READ", "DENY"), "", false},
		{"created by a link is skipped", all, ordersRead, "AAAAAAAAAAAAAAAAAAAAAA", false},
		{"created by a listed link", fromLink, ordersRead, "AAAAAAAAAAAAAAAAAAAAAA", true},
		{"created by an unlisted link", fromLink, ordersRead, "BBBBBBBBBBBBBBBBBBBBBB", false},
		{"listing links keeps unlinked ACLs", fromLink, ordersRead, "", true},
		{"no filters select nothing", nil, ordersRead, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.filters.MatchCreatedBy(tt.acl, tt.linkID); got != tt.want {
				t.Errorf("MatchCreatedBy(%v, %q) = %v, want %v", tt.acl, tt.linkID, got, tt.want)
			}
			if tt.linkID == "" && tt.filters.Match(tt.acl) != tt.want {
				t.Errorf("Match(%v) != MatchCreatedBy(.., \"\")", tt.acl)
			}
		})
	}
}

func TestACLBindingString(t *testing.T) {
	a := linkemu.ACLBinding{ResourceType: "TOPIC", ResourceName: "orders", PatternType: "LITERAL", Principal: "User:alice", Host: "*", Operation: "READ", Permission: "ALLOW"}
	if got := a.String(); !strings.Contains(got, "User:alice") || !strings.Contains(got, `"orders"`) {
		t.Errorf("String() = %s", got)
	}
}
