package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// v1Fields are the JSON fields the released CLI's v1 SDK
// (ccloud-sdk-go-v1-public, protobuf JSON) knows in each login answer: its
// decoder fails on any other, so linkemu must send none.
var v1Fields = map[string][]string{
	"AuthenticateReply":  {"token", "error", "user", "organization", "refresh_token", "refreshToken", "identity_provider", "identityProvider"},
	"GetMeReply":         {"error", "user", "organization", "accounts", "account"},
	"GetLoginRealmReply": {"realm", "is_sso", "isSso", "error", "mfa_required", "mfaRequired"},
	"User": {"id", "email", "first_name", "firstName", "last_name", "lastName", "deactivated", "verified", "created", "modified",
		"service_name", "service_description", "service_account", "preferences", "internal", "resource_id", "resourceId",
		"deactivated_at", "social_connection", "auth_type", "authType"},
	"Account": {"id", "name", "organization_id", "organizationId", "deactivated", "created", "modified", "config", "internal",
		"deactivated_at", "org_resource_id", "orgResourceId"},
	"Organization": {"id", "name", "deactivated", "stripe_customer_id", "created", "modified", "billing_email", "plan", "saml",
		"sso", "marketplace", "resource_id", "resourceId", "has_entitlement", "show_billing", "audit_log", "has_commitment",
		"marketplace_subscription", "deactivated_at", "suspension_status", "display_label", "country_code",
		"parent_organization_resource_id", "mfa_enforced_at"},
}

// wantV1Fields checks a v1 answer carries only fields the CLI knows.
func wantV1Fields(t *testing.T, body []byte, msg string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s %s: %v", msg, body, err)
	}
	check := func(obj map[string]any, msg string) {
		for k := range obj {
			if !slices.Contains(v1Fields[msg], k) {
				t.Errorf("%s has field %q, which the CLI's decoder refuses", msg, k)
			}
		}
	}
	check(m, msg)
	for field, sub := range map[string]string{"user": "User", "organization": "Organization", "account": "Account"} {
		if o, ok := m[field].(map[string]any); ok {
			check(o, sub)
		}
	}
	if list, ok := m["accounts"].([]any); ok {
		for _, a := range list {
			check(a.(map[string]any), "Account")
		}
	}
	return m
}

// jwtClaims returns the claims of a JWT, as the CLI reads them (unverified).
func jwtClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	if err != nil || json.Unmarshal(b, &c) != nil {
		t.Fatalf("token %q: claims unreadable", tok)
	}
	return c
}

// TestCLILoginSequence makes the HTTP calls the released CLI makes, in its
// order, for `confluent login --url http://HOST:PORT/confluent.cloud`
// (email and password from CONFLUENT_CLOUD_EMAIL/PASSWORD), `confluent
// environment use`, `confluent kafka cluster use` and then a Kafka REST
// command (`confluent kafka link list`), with auth on everywhere, and
// resolves the cluster to its REST endpoint.
func TestCLILoginSequence(t *testing.T) {
	env := cloudLab(t, func(o *emulator.Options) {
		o.CloudEmail, o.CloudPassword = "dev@example.com", "pw"
		o.CloudAPIKeys = map[string]string{"CLOUDKEY": "cloud-secret"}
		o.APIKeys = map[string]string{"RESTKEY": "rest-secret"}
	})
	hc := http.DefaultClient
	loginURL := env.RESTURL + "/confluent.cloud" // the CLI's --url
	// The CLI's v1 client resolves /api/... against the login URL: the
	// path is replaced, the host kept. Its v2 clients use <scheme>://<host>/api.
	v1 := env.RESTURL
	v2 := env.RESTURL + "/api"

	r := apitest.Request(t, hc, "GET", v1+"/api/login/realm?email=dev%40example.com&clientId=x", nil)
	if m := wantV1Fields(t, r.Body, "GetLoginRealmReply"); r.Status != 200 || m["is_sso"] == true {
		t.Fatalf("login realm: %d %s", r.Status, r.Body)
	}
	r = apitest.Request(t, hc, "POST", v1+"/api/sessions", `{"email":"dev@example.com","password":"wrong"}`)
	if m := wantV1Fields(t, r.Body, "AuthenticateReply"); r.Status != 401 || m["token"] != nil {
		t.Fatalf("login with a wrong password: %d %s", r.Status, r.Body)
	}
	r = apitest.Request(t, hc, "POST", v1+"/api/sessions", `{"email":"dev@example.com","password":"pw","orgResourceId":""}`)
	login := wantV1Fields(t, r.Body, "AuthenticateReply")
	token, _ := login["token"].(string)
	refresh, _ := login["refresh_token"].(string)
	if r.Status != 200 || token == "" || !strings.HasPrefix(refresh, "v1.") {
		t.Fatalf("login: %d %s", r.Status, r.Body)
	}
	if c := jwtClaims(t, token); c["sub"] != "u-linkemu" || c["exp"] == nil {
		t.Errorf("token claims %v: the CLI needs sub and exp", c)
	}
	bearer := []string{"Authorization", "Bearer " + token}

	r = apitest.Request(t, hc, "GET", v1+"/api/me", nil, bearer...)
	me := wantV1Fields(t, r.Body, "GetMeReply")
	if r.Status != 200 || me["organization"].(map[string]any)["resource_id"] != "linkemu" || len(me["accounts"].([]any)) != 2 {
		t.Fatalf("me: %d %s", r.Status, r.Body)
	}
	if r := apitest.Request(t, hc, "GET", v1+"/api/me", nil); r.Status != 401 {
		t.Errorf("me without a token: %d %s", r.Status, r.Body)
	}
	if r := apitest.Request(t, hc, "GET", v1+"/api/growth/v1/free-trial-info", nil, bearer...); r.Status != 200 || string(r.Body) != "{}\n" {
		t.Errorf("free trial info: %d %s", r.Status, r.Body)
	}
	r = apitest.Request(t, hc, "GET", v1+"/api/usage_limits?provider=aws&lkc_id=lkc-west&env_id=env-west", nil, bearer...)
	var limits struct {
		UsageLimits struct {
			CKULimits map[string]map[string]struct {
				Unlimited bool `json:"unlimited"`
			} `json:"cku_limits"`
		} `json:"usage_limits"`
	}
	r.JSON(t, &limits)
	if r.Status != 200 || !limits.UsageLimits.CKULimits["1"]["ingress"].Unlimited {
		t.Errorf("usage limits: %d %s", r.Status, r.Body)
	}
	r = apitest.Request(t, hc, "POST", v1+"/api/sessions", map[string]string{"refreshToken": refresh})
	if m := wantV1Fields(t, r.Body, "AuthenticateReply"); r.Status != 200 || m["token"] == "" {
		t.Fatalf("refresh: %d %s", r.Status, r.Body)
	}

	// confluent environment use env-west
	r = apitest.Request(t, hc, "GET", v2+"/org/v2/environments/env-west", nil, bearer...)
	apitest.ValidateCloudSpec(t, r)
	if r.Status != 200 {
		t.Fatalf("environment use: %d %s", r.Status, r.Body)
	}
	// confluent kafka cluster list; confluent kafka cluster use lkc-west
	r = apitest.Request(t, hc, "GET", v2+"/cmk/v2/clusters?environment=env-west&page_size=100", nil, bearer...)
	apitest.ValidateCloudSpec(t, r)
	if r.Status != 200 {
		t.Fatalf("cluster list: %d %s", r.Status, r.Body)
	}
	r = apitest.Request(t, hc, "GET", v2+"/cmk/v2/clusters/lkc-west?environment=env-west", nil, bearer...)
	apitest.ValidateCloudSpec(t, r)
	var cluster struct {
		Spec struct {
			HTTPEndpoint string `json:"http_endpoint"`
		} `json:"spec"`
		Status struct {
			Phase string `json:"phase"`
		} `json:"status"`
	}
	r.JSON(t, &cluster)
	if r.Status != 200 || cluster.Spec.HTTPEndpoint != env.RESTURL+"/clusters/lkc-west" || cluster.Status.Phase == "PROVISIONING" {
		t.Fatalf("cluster use: %d %s", r.Status, r.Body)
	}

	// confluent kafka link list: the data-plane token, then Kafka REST.
	r = apitest.Request(t, hc, "POST", loginURL+"/api/access_tokens", map[string]any{}, bearer...)
	var dp struct {
		Token string `json:"token"`
	}
	r.JSON(t, &dp)
	if r.Status != 200 || dp.Token == "" {
		t.Fatalf("access token: %d %s", r.Status, r.Body)
	}
	r = apitest.Request(t, hc, "GET", cluster.Spec.HTTPEndpoint+"/kafka/v3/clusters/lkc-west/links", nil, "Authorization", "Bearer "+dp.Token)
	apitest.ValidateSpec(t, r)
	if r.Status != 200 {
		t.Fatalf("link list with the data-plane token: %d %s", r.Status, r.Body)
	}
	if r := apitest.Request(t, hc, "GET", cluster.Spec.HTTPEndpoint+"/kafka/v3/clusters/lkc-west/links", nil, "Authorization", "Bearer "+dp.Token+"x"); r.Status != 401 {
		t.Errorf("link list with a forged token: %d %s", r.Status, r.Body)
	}
	if r := apitest.Request(t, hc, "GET", v2+"/cmk/v2/clusters?environment=env-west", nil, "Authorization", "Bearer "+refresh); r.Status != 401 {
		t.Errorf("Cloud API with a refresh token: %d %s, want 401", r.Status, r.Body)
	}
}
