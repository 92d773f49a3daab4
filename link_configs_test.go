package linkemu

import (
	"strings"
	"testing"
)

func TestNormalizeLinkConfig(t *testing.T) {
	cases := []struct {
		name, value, want, err string
	}{
		{"link.mode", "destination", "DESTINATION", ""},
		{"connection.mode", "Inbound", "INBOUND", ""},
		{"link.mode", "sideways", "", "expected one of DESTINATION, SOURCE, BIDIRECTIONAL"},
		{"acl.sync.enable", "TRUE", "true", ""},
		{"acl.sync.enable", "1", "", "expected a boolean"},
		{"acl.sync.ms", "999", "", "at least 1000"},
		{"acl.sync.ms", "1000", "1000", ""},
		{"acl.sync.ms", "ten", "", "whole number"},
		{"consumer.offset.sync.ms", "9999999999", "", "whole number"},
		{"bootstrap.servers", " a:1 , b:2 ", "a:1,b:2", ""},
		{"bootstrap.servers", "a", "", "not host:port"},
		{"cluster.link.prefix", "west.", "west.", ""},
		{"cluster.link.prefix", "much-too-long-prefix", "", "longer than 12"},
		{"cluster.link.prefix", "a/b", "", "may only contain"},
		{"mirror.start.offset.spec", "latest", "latest", ""},
		{"mirror.start.offset.spec", "2024-01-31T12:00:00Z", "2024-01-31T12:00:00Z", ""},
		{"mirror.start.offset.spec", "yesterday", "", "ISO-8601"},
		{"acl.filters", `{"aclFilters":[]}`, `{"aclFilters":[]}`, ""},
		{"acl.filters", `{"groupFilters":[]}`, "", `unknown field "groupFilters"`},
		{"acl.filters", `{"aclFilters":[{"resourceFilter":{"resourceType":"TOPIC","patternType":"PREFIXED"},"accessFilter":{"operation":"ANY","permissionType":"ANY"}}]}`, "", "PREFIXED"},
		{"sasl.jaas.config", " x ", " x ", ""},
		{"no.such.config", "1", "", "Unknown cluster link config"},
	}
	for _, c := range cases {
		got, err := NormalizeLinkConfig(c.name, c.value)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s=%q: unexpected error %v", c.name, c.value, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) || ErrorCode(err) != EINVALID):
			t.Errorf("%s=%q: error %v, want one containing %q", c.name, c.value, err, c.err)
		case c.err == "" && got != c.want:
			t.Errorf("%s=%q: got %q, want %q", c.name, c.value, got, c.want)
		}
	}
}

func TestAlterLinkConfigs(t *testing.T) {
	base := &Link{Name: "l", Configs: map[string]string{
		CfgClusterLinkPrefix: "east.", CfgOffsetSyncEnable: "true", CfgOffsetGroupFilter: `{"groupFilters":[]}`,
	}}
	if _, err := AlterLinkConfigs(base, map[string]string{CfgClusterLinkPrefix: "west."}, nil); err == nil {
		t.Error("changing the prefix must fail")
	}
	if _, err := AlterLinkConfigs(base, map[string]string{CfgClusterLinkPrefix: "east."}, nil); err != nil {
		t.Errorf("setting the prefix to its current value: %v", err)
	}
	if _, err := AlterLinkConfigs(base, nil, []string{CfgLinkMode}); err != nil {
		t.Errorf("resetting an immutable config that was never set: %v", err)
	}
	out, err := AlterLinkConfigs(base, map[string]string{CfgOffsetSyncEnable: "false"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Configs[CfgOffsetGroupFilter]; ok {
		t.Error("turning offset sync off must clear its filters")
	}
	if base.Configs[CfgOffsetGroupFilter] == "" {
		t.Error("AlterLinkConfigs changed its input")
	}
	if _, err := AlterLinkConfigs(base, map[string]string{CfgACLSyncEnable: "true"}, nil); err == nil {
		t.Error("ACL sync with a prefix must fail")
	}
	if _, err := AlterLinkConfigs(&Link{Configs: map[string]string{}}, map[string]string{CfgConsumerGroupPrefix: "true"}, nil); err == nil {
		t.Error("group prefixing without a prefix must fail")
	}
}

func TestConfigEntries(t *testing.T) {
	l := &Link{Configs: map[string]string{CfgSASLJAASConfig: "secret", CfgACLSyncMs: "6000"}}
	seen := map[string]ConfigEntry{}
	for _, e := range l.ConfigEntries() {
		seen[e.Name] = e
	}
	if e := seen[CfgSASLJAASConfig]; e.Value != nil || !e.Sensitive || e.Source != SourceDynamicLink {
		t.Errorf("secret entry %+v", e)
	}
	if e := seen[CfgACLSyncMs]; e.Value == nil || *e.Value != "6000" || e.IsDefault {
		t.Errorf("user-set entry %+v", e)
	}
	if e := seen[CfgTopicConfigSyncMs]; e.Value == nil || *e.Value != "5000" || !e.IsDefault || e.Source != SourceDefault {
		t.Errorf("default entry %+v", e)
	}
}

func TestValidateLinkName(t *testing.T) {
	for name, ok := range map[string]bool{"a": true, "east-to_west.1": true, "": false, ".": false, "..": false, "a b": false, strings.Repeat("x", 201): false} {
		if err := ValidateLinkName(name); (err == nil) != ok {
			t.Errorf("ValidateLinkName(%q) = %v", name, err)
		}
	}
	if id := NewClusterLinkID(); ValidateClusterLinkID(id) != nil {
		t.Errorf("minted cluster_link_id %q is invalid", id)
	}
}
