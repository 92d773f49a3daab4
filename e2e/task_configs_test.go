package e2e

import (
	"net/http"
	"testing"

	"github.com/linkemu/linkemu/internal/apitest"
)

// TestTaskConfigsAreValidated sends invalid task configs at link creation
// and to configs:alter, and checks each is refused with 400/40002 and a
// message that names the problem, and that nothing changed.
func TestTaskConfigsAreValidated(t *testing.T) {
	l := newLab(t)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=prefixed"), map[string]any{
		"source_cluster_id": "lkc-east", "configs": []map[string]string{{"name": "cluster.link.prefix", "value": "east."}},
	})
	tests := []struct {
		name    string
		configs map[string]string
		alterOn string // the link whose configs:alter must refuse configs
		msg     string
	}{
		{
			name:    "ACL filters that are not JSON",
			configs: map[string]string{"acl.filters": `{"aclFilters":[`},
			msg:     "Invalid value for acl.filters: the JSON ends early",
		},
		{
			name:    "ACL filters with an unknown field",
			configs: map[string]string{"acl.filters": `{"aclFilters":[],"topicFilters":[]}`},
			msg:     `Invalid value for acl.filters: unknown field "topicFilters"`,
		},
		{
			name:    "ACL filter with a PREFIXED pattern",
			configs: map[string]string{"acl.filters": `{"aclFilters":[{"resourceFilter":{"resourceType":"topic","patternType":"prefixed"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`},
			msg:     `aclFilters[0].resourceFilter.patternType "prefixed" is not supported`,
		},
		{
			name:    "ACL filter without an operation",
			configs: map[string]string{"acl.filters": `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"permissionType":"any"}}]}`},
			msg:     "aclFilters[0].accessFilter.operation is required",
		},
		{
			name:    "ACL filter with an unknown resource type",
			configs: map[string]string{"acl.filters": `{"aclFilters":[{"resourceFilter":{"resourceType":"table","patternType":"any"},"accessFilter":{"operation":"any","permissionType":"any"}}]}`},
			msg:     `aclFilters[0].resourceFilter.resourceType "table" is not supported`,
		},
		{
			name:    "ACL filter with a malformed principal",
			configs: map[string]string{"acl.filters": `{"aclFilters":[{"resourceFilter":{"resourceType":"any","patternType":"any"},"accessFilter":{"principal":"alice","operation":"any","permissionType":"any"}}]}`},
			msg:     `aclFilters[0].accessFilter.principal "alice" is not a principal`,
		},
		{
			name:    "ACL sync interval below the minimum",
			configs: map[string]string{"acl.sync.ms": "500"},
			msg:     "Invalid value 500 for configuration acl.sync.ms: value must be at least 1000",
		},
		{
			name:    "group filter with an old filter type",
			configs: map[string]string{"consumer.offset.group.filters": `{"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"WHITELIST"}]}`},
			msg:     `groupFilters[0].filterType "WHITELIST" is not supported; use INCLUDE or EXCLUDE`,
		},
		{
			name:    "topic filter without a name",
			configs: map[string]string{"auto.create.mirror.topics.filters": `{"topicFilters":[{"patternType":"PREFIXED","filterType":"INCLUDE"}]}`},
			msg:     "topicFilters[0].name is required",
		},
		{
			name:    "group prefixing without a link prefix",
			configs: map[string]string{"consumer.group.prefix.enable": "true"},
			msg:     "consumer.group.prefix.enable=true requires cluster.link.prefix to be set",
		},
		{
			name:    "ACL sync with a link prefix",
			configs: map[string]string{"cluster.link.prefix": "east.", "acl.sync.enable": "true", "acl.filters": allACLs},
			alterOn: "prefixed",
			msg:     "ACL sync (acl.sync.enable=true) cannot be enabled on a link with cluster.link.prefix",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfgs []map[string]string
			var data []map[string]string
			for k, v := range tt.configs {
				cfgs = append(cfgs, map[string]string{"name": k, "value": v})
				if k != "cluster.link.prefix" {
					data = append(data, map[string]string{"name": k, "value": v})
				}
			}
			checkError(t, l.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links?link_name=bad"), map[string]any{"source_cluster_id": "lkc-east", "configs": cfgs}), 400, 40002, tt.msg)
			l.mustStatus(t, 404, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/bad"), nil)

			link := tt.alterOn
			if link == "" {
				link = "east-to-west"
			}
			before := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/", link, "/configs"), nil).Body
			checkError(t, l.Do(http.MethodPut, apitest.ClusterPath("lkc-west", "/links/", link, "/configs:alter"), map[string]any{"data": data}), 400, 40002, tt.msg)
			if after := l.mustStatus(t, 200, http.MethodGet, apitest.ClusterPath("lkc-west", "/links/", link, "/configs"), nil).Body; string(after) != string(before) {
				t.Errorf("a refused configs:alter changed the configs of %s:\nbefore %s\nafter  %s", link, before, after)
			}
		})
	}
}
