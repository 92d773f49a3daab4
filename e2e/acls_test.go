package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	kafkarestv3 "github.com/confluentinc/ccloud-sdk-go-v2/kafkarest/v3"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestACLsOverREST creates, lists, filters and deletes ACLs through the
// REST API and checks each step against what a franz-go admin client sees
// on the cluster itself.
func TestACLsOverREST(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	adm := admin(t, env.Bootstrap("lkc-east"))
	acls := apitest.ClusterPath("lkc-east", "/acls")
	ok := func(r *apitest.Response, status int) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s %s: status %d, want %d: %s", r.Req.Method, r.Req.URL, r.Status, status, r.Body)
		}
		apitest.ValidateSpec(t, r)
	}

	// One ACL, with enums in the lower case the CLI sends.
	r := env.Do(http.MethodPost, acls, map[string]string{
		"resource_type": "topic", "resource_name": "orders", "pattern_type": "literal",
		"principal": "User:alice", "host": "*", "operation": "read", "permission": "allow",
	})
	ok(r, http.StatusCreated)
	if len(r.Body) != 0 {
		t.Errorf("create ACL answered a body: %s", r.Body)
	}
	wantLoc := env.RESTURL + acls + "?resource_type=TOPIC&resource_name=orders&pattern_type=LITERAL&principal=User%3Aalice&host=*&operation=READ&permission=ALLOW"
	if loc := r.Header.Get("Location"); loc != wantLoc {
		t.Errorf("Location %q, want %q", loc, wantLoc)
	}
	// A batch, and one ACL created on the cluster directly.
	ok(env.Do(http.MethodPost, acls+":batch", map[string]any{"data": []map[string]string{
		{"resource_type": "TOPIC", "resource_name": "ord", "pattern_type": "PREFIXED", "principal": "User:alice", "host": "*", "operation": "DESCRIBE", "permission": "ALLOW"},
		{"resource_type": "GROUP", "resource_name": "billing", "pattern_type": "LITERAL", "principal": "User:alice", "host": "*", "operation": "READ", "permission": "ALLOW"},
		{"resource_type": "CLUSTER", "resource_name": "kafka-cluster", "pattern_type": "LITERAL", "principal": "User:bob", "host": "10.0.0.1", "operation": "DESCRIBE_CONFIGS", "permission": "DENY"},
		{"resource_type": "TOPIC", "resource_name": "*", "pattern_type": "LITERAL", "principal": "User:carol", "host": "*", "operation": "ALL", "permission": "ALLOW"},
	}}), http.StatusCreated)
	create := kadm.NewACLs().Topics("payments").ResourcePatternType(kadm.ACLPatternLiteral).Allow("User:bob").AllowHosts("*").Operations(kadm.OpWrite)
	if _, err := adm.CreateACLs(context.Background(), create); err != nil {
		t.Fatalf("create ACL with kadm: %v", err)
	}

	all := []string{
		"TOPIC * LITERAL User:carol * ALL ALLOW",
		"TOPIC ord PREFIXED User:alice * DESCRIBE ALLOW",
		"TOPIC orders LITERAL User:alice * READ ALLOW",
		"TOPIC payments LITERAL User:bob * WRITE ALLOW",
		"GROUP billing LITERAL User:alice * READ ALLOW",
		"CLUSTER kafka-cluster LITERAL User:bob 10.0.0.1 DESCRIBE_CONFIGS DENY",
	}
	if got := kafkaACLs(t, adm); !sameSet(got, all) {
		t.Errorf("ACLs on the cluster:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(all, "\n"))
	}

	filters := []struct {
		name, query string
		want        []string
	}{
		{"everything, sorted as Confluent sorts", "", all},
		{"by principal", "?principal=User%3Aalice", []string{all[1], all[2], all[4]}},
		{"by resource type", "?resource_type=GROUP", []string{all[4]}},
		{"literal name", "?resource_type=TOPIC&resource_name=orders", []string{all[2]}},
		{"MATCH finds wildcard and prefix ACLs that apply", "?resource_type=TOPIC&resource_name=orders&pattern_type=MATCH", all[:3]},
		{"by pattern type", "?pattern_type=PREFIXED", []string{all[1]}},
		{"by operation and permission", "?operation=DESCRIBE_CONFIGS&permission=DENY", []string{all[5]}},
		{"by host", "?host=10.0.0.1", []string{all[5]}},
		{"nothing matches", "?principal=User%3Anobody", nil},
	}
	for _, f := range filters {
		t.Run(f.name, func(t *testing.T) {
			r := env.Do(http.MethodGet, acls+f.query, nil)
			ok(r, http.StatusOK)
			var list struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Self string `json:"self"`
				} `json:"metadata"`
				Data []aclJSON `json:"data"`
			}
			r.JSON(t, &list)
			if list.Kind != "KafkaAclList" || list.Metadata.Self != env.RESTURL+acls+f.query || list.Data == nil {
				t.Errorf("list envelope: %s", r.Body)
			}
			var got []string
			for _, a := range list.Data {
				got = append(got, a.String())
				if a.Kind != "KafkaAcl" || a.ClusterID != "lkc-east" || !strings.HasPrefix(a.Metadata.Self, env.RESTURL+acls+"?resource_type="+a.ResourceType+"&") {
					t.Errorf("ACL entry %+v", a)
				}
			}
			if !slices.Equal(got, f.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(f.want, "\n"))
			}
		})
	}

	// The standalone REST Proxy mount answers the same.
	if r := env.Do(http.MethodGet, "/v3/clusters/lkc-east/acls?principal=User%3Abob", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"self":"`+env.RESTURL+"/v3/clusters/lkc-east/acls?") {
		t.Errorf("GET /v3/.../acls: %d %s", r.Status, r.Body)
	} else {
		apitest.ValidateSpec(t, r)
	}

	// Confluent's SDK decodes the list, enums included.
	sdkList, _, err := env.SDK().ACLV3Api.GetKafkaAcls(context.Background(), "lkc-east").ResourceType(kafkarestv3.CLUSTER).Execute()
	if err != nil || len(sdkList.Data) != 1 || sdkList.Data[0].Principal != "User:bob" || sdkList.Data[0].Operation != "DESCRIBE_CONFIGS" {
		t.Errorf("SDK list: %v %+v", err, sdkList)
	}

	// Delete every ACL of User:alice on topics, whatever the pattern.
	r = env.Do(http.MethodDelete, acls+"?resource_type=TOPIC&pattern_type=ANY&operation=ANY&permission=ANY&principal=User%3Aalice", nil)
	ok(r, http.StatusOK)
	var deleted struct {
		Data []aclJSON `json:"data"`
	}
	r.JSON(t, &deleted)
	var got []string
	for _, a := range deleted.Data {
		got = append(got, a.String())
	}
	if want := []string{all[1], all[2]}; !slices.Equal(got, want) {
		t.Errorf("deleted\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	left := []string{all[0], all[3], all[4], all[5]}
	if got := kafkaACLs(t, adm); !sameSet(got, left) {
		t.Errorf("ACLs on the cluster after delete:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(left, "\n"))
	}
	// Deleting again matches nothing and answers an empty list.
	r = env.Do(http.MethodDelete, acls+"?resource_type=TOPIC&pattern_type=ANY&operation=ANY&permission=ANY&principal=User%3Aalice", nil)
	ok(r, http.StatusOK)
	if strings.TrimSpace(string(r.Body)) != `{"data":[]}` {
		t.Errorf("second delete: %s", r.Body)
	}
	// The SDK creates and deletes too.
	sdk := env.SDK().ACLV3Api
	if _, err := sdk.CreateKafkaAcls(context.Background(), "lkc-east").CreateAclRequestData(kafkarestv3.CreateAclRequestData{
		ResourceType: kafkarestv3.TRANSACTIONAL_ID, ResourceName: "tx-", PatternType: "PREFIXED", Principal: "User:dave", Host: "*", Operation: "WRITE", Permission: "ALLOW",
	}).Execute(); err != nil {
		t.Fatalf("SDK create: %v", err)
	}
	if got := kafkaACLs(t, adm); !slices.Contains(got, "TRANSACTIONAL_ID tx- PREFIXED User:dave * WRITE ALLOW") {
		t.Errorf("ACL created with the SDK missing: %v", got)
	}
	res, _, err := sdk.DeleteKafkaAcls(context.Background(), "lkc-east").
		ResourceType(kafkarestv3.ANY).PatternType("ANY").Operation("ANY").Permission("ANY").Execute()
	if err != nil || len(res.Data) != 5 {
		t.Errorf("SDK delete all: %v %+v", err, res)
	}
	if got := kafkaACLs(t, adm); len(got) != 0 {
		t.Errorf("ACLs left: %v", got)
	}
}

// TestACLBadInputs sends bad ACL requests and checks the status, the
// error_code and that the message names the allowed values.
func TestACLBadInputs(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	adm := admin(t, env.Bootstrap("lkc-east"))
	acls := apitest.ClusterPath("lkc-east", "/acls")
	good := func(change ...string) map[string]string {
		m := map[string]string{"resource_type": "TOPIC", "resource_name": "orders", "pattern_type": "LITERAL", "principal": "User:alice", "host": "*", "operation": "READ", "permission": "ALLOW"}
		for i := 0; i+1 < len(change); i += 2 {
			m[change[i]] = change[i+1]
		}
		return m
	}
	del := acls + "?resource_type=TOPIC&pattern_type=ANY&operation=ANY&permission=ANY"
	cases := []struct {
		name         string
		method, path string
		body         any
		status, code int
		msg          string
	}{
		{"list: bad resource_type", http.MethodGet, acls + "?resource_type=TOPICS", nil, 400, 40002, "use ANY, TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID or DELEGATION_TOKEN"},
		{"list: UNKNOWN pattern_type", http.MethodGet, acls + "?pattern_type=UNKNOWN", nil, 400, 40002, "use ANY, MATCH, LITERAL or PREFIXED"},
		{"list: bad operation", http.MethodGet, acls + "?operation=FLY", nil, 400, 40002, "IDEMPOTENT_WRITE"},
		{"list: bad permission", http.MethodGet, acls + "?permission=MAYBE", nil, 400, 40002, "use ANY, DENY or ALLOW"},
		{"list: unknown cluster", http.MethodGet, apitest.ClusterPath("lkc-nope", "/acls"), nil, 404, 404, "lkc-nope"},
		{"create: malformed JSON", http.MethodPost, acls, `{"resource_type":`, 400, 400, ""},
		{"create: empty body", http.MethodPost, acls, "", 400, 400, ""},
		{"create: ANY resource_type", http.MethodPost, acls, good("resource_type", "ANY"), 400, 40002, "use TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID or DELEGATION_TOKEN"},
		{"create: MATCH pattern_type", http.MethodPost, acls, good("pattern_type", "MATCH"), 400, 40002, "use LITERAL or PREFIXED"},
		{"create: ANY operation", http.MethodPost, acls, good("operation", "ANY"), 400, 40002, "use ALL, READ, WRITE"},
		{"create: ANY permission", http.MethodPost, acls, good("permission", "ANY"), 400, 40002, "use DENY or ALLOW"},
		{"create: missing permission", http.MethodPost, acls, good("permission", ""), 400, 40002, "permission is required"},
		{"create: missing resource_name", http.MethodPost, acls, good("resource_name", ""), 400, 40002, "resource_name is required"},
		{"create: wrong CLUSTER name", http.MethodPost, acls, good("resource_type", "CLUSTER", "resource_name", "my-cluster"), 400, 40002, "The only valid name for the CLUSTER resource is kafka-cluster"},
		{"create: principal without type", http.MethodPost, acls, good("principal", "alice"), 400, 40002, "Type:name"},
		{"create: missing host", http.MethodPost, acls, good("host", ""), 400, 40002, "host is required"},
		{"batch: one bad entry refuses all", http.MethodPost, acls + ":batch", map[string]any{"data": []any{good(), good("operation", "FLY")}}, 400, 40002, "data[1]: Invalid value \"FLY\" for operation"},
		{"batch: empty", http.MethodPost, acls + ":batch", map[string]any{"data": []any{}}, 400, 40002, "at least one ACL"},
		{"delete: missing resource_type", http.MethodDelete, acls + "?pattern_type=ANY&operation=ANY&permission=ANY", nil, 400, 40002, "resource_type is required"},
		{"delete: missing permission", http.MethodDelete, acls + "?resource_type=TOPIC&pattern_type=ANY&operation=ANY", nil, 400, 40002, "permission is required"},
		{"delete: bad pattern_type", http.MethodDelete, strings.Replace(del, "pattern_type=ANY", "pattern_type=GLOB", 1), nil, 400, 40002, "use ANY, MATCH, LITERAL or PREFIXED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := env.Do(c.method, c.path, c.body)
			checkError(t, r, c.status, c.code, c.msg)
		})
	}
	if got := kafkaACLs(t, adm); len(got) != 0 {
		t.Errorf("bad requests created ACLs: %v", got)
	}
}

// checkError checks an error response: status, Content-Type, error_code,
// a message containing msg, and the spec's Error shape.
func checkError(t *testing.T, r *apitest.Response, status, code int, msg string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var e struct {
		ErrorCode int    `json:"error_code"`
		Message   string `json:"message"`
	}
	r.JSON(t, &e)
	if e.ErrorCode != code || e.Message == "" || !strings.Contains(e.Message, msg) {
		t.Errorf("body %s: want error_code %d and a message containing %q", r.Body, code, msg)
	}
	apitest.ValidateSpec(t, r)
}

type aclJSON struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Self string `json:"self"`
	} `json:"metadata"`
	ClusterID    string `json:"cluster_id"`
	ResourceType string `json:"resource_type"`
	ResourceName string `json:"resource_name"`
	PatternType  string `json:"pattern_type"`
	Principal    string `json:"principal"`
	Host         string `json:"host"`
	Operation    string `json:"operation"`
	Permission   string `json:"permission"`
}

func (a aclJSON) String() string {
	return strings.Join([]string{a.ResourceType, a.ResourceName, a.PatternType, a.Principal, a.Host, a.Operation, a.Permission}, " ")
}

// admin returns a franz-go admin client for a cluster, closed when the test
// ends.
func admin(t *testing.T, bootstrap string) *kadm.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return kadm.NewClient(cl)
}

// kafkaACLs lists every ACL of the cluster with kadm, in the form of
// aclJSON.String.
func kafkaACLs(t *testing.T, adm *kadm.Client) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b := kadm.NewACLs().AnyResource().ResourcePatternType(kadm.ACLPatternAny).
		Allow().AllowHosts().Deny().DenyHosts().Operations(kadm.OpAny)
	res, err := adm.DescribeACLs(ctx, b)
	if err != nil {
		t.Fatalf("describe ACLs with kadm: %v", err)
	}
	var out []string
	for _, r := range res {
		for _, d := range r.Described {
			out = append(out, fmt.Sprintf("%s %s %s %s %s %s %s", d.Type, d.Name, strings.ToUpper(d.Pattern.String()), d.Principal, d.Host, d.Operation, d.Permission))
		}
	}
	return out
}

// sameSet reports whether a and b hold the same strings, ignoring order and
// duplicates.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
