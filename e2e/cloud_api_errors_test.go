package e2e

import (
	"context"
	"net/http"
	"testing"

	iamv2 "github.com/confluentinc/ccloud-sdk-go-v2/iam/v2"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// wantCloudFailure checks a Cloud API answer is exactly one Cloud error of
// the status and code, and matches the spec.
func wantCloudFailure(t *testing.T, r *apitest.Response, status int, code string, parts ...string) {
	t.Helper()
	apitest.ValidateCloudSpec(t, r)
	title := map[int]string{400: "Bad Request", 401: "Authentication Required", 403: "User Access Unauthorized", 404: "Not Found", 409: "Conflict", 422: "Validation Failed"}[status]
	wantCloudErrorShape(t, r, status, code, title, parts...)
}

// TestCloudAPIBadInput sends what users get wrong: unknown environments,
// clusters, owners and keys, missing fields and parameters. Each answer is
// a Cloud-shaped 4xx and nothing changes.
func TestCloudAPIBadInput(t *testing.T) {
	env := cloudLab(t)
	ctx := context.Background()
	sdk := env.CloudSDK(env.RESTURL, nil)
	sa, _, err := sdk.IAM.ServiceAccountsIamV2Api.CreateIamV2ServiceAccount(ctx).IamV2ServiceAccount(iamv2.IamV2ServiceAccount{DisplayName: iamv2.PtrString("linker")}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	key := func(owner, resource, resEnv string) map[string]any {
		spec := map[string]any{"display_name": "k"}
		if owner != "" {
			spec["owner"] = map[string]string{"id": owner}
		}
		if resource != "" {
			spec["resource"] = map[string]string{"id": resource, "environment": resEnv}
		}
		return map[string]any{"spec": spec}
	}
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code               string
		detail             string
	}{
		{"unknown environment", "GET", "/org/v2/environments/env-nope", nil, 404, "not_found", `Environment "env-nope" was not found`},
		{"create environment", "POST", "/org/v2/environments", map[string]string{"display_name": "x"}, 403, "user_unauthorized", "cannot be created"},
		{"clusters without environment", "GET", "/cmk/v2/clusters", nil, 400, "bad_request", "environment query parameter is required"},
		{"clusters of unknown environment", "GET", "/cmk/v2/clusters?environment=env-nope", nil, 403, "user_unauthorized", `Environment "env-nope" was not found`},
		{"unknown cluster", "GET", "/cmk/v2/clusters/lkc-nope?environment=env-default", nil, 404, "not_found", `Kafka cluster "lkc-nope" was not found`},
		{"cluster in another environment", "GET", "/cmk/v2/clusters/lkc-west?environment=env-default", nil, 404, "not_found", "it is in environment env-west"},
		{"cluster without environment", "GET", "/api/cmk/v2/clusters/lkc-west", nil, 400, "bad_request", "environment query parameter is required"},
		{"delete cluster", "DELETE", "/cmk/v2/clusters/lkc-west?environment=env-west", nil, 403, "user_unauthorized", "cannot be created, changed or deleted"},
		{"key without spec", "POST", "/iam/v2/api-keys", map[string]any{}, 422, "invalid_configuration", "no spec object"},
		{"key without owner", "POST", "/iam/v2/api-keys", key("", "lkc-west", ""), 422, "invalid_configuration", "spec.owner.id is required"},
		{"key of unknown owner", "POST", "/iam/v2/api-keys", key("sa-nope", "lkc-west", ""), 422, "invalid_configuration", `"sa-nope" is neither the user u-linkemu nor a service account`},
		{"key of unknown cluster", "POST", "/iam/v2/api-keys", key(sa.GetId(), "lkc-nope", ""), 422, "invalid_configuration", `"lkc-nope" is not a Kafka cluster linkemu serves`},
		{"key in wrong environment", "POST", "/iam/v2/api-keys", key(sa.GetId(), "lkc-west", "env-default"), 422, "invalid_configuration", "is in environment env-west"},
		{"malformed key", "POST", "/iam/v2/api-keys", `{"spec":`, 400, "bad_request", "Malformed JSON"},
		{"unknown key", "GET", "/iam/v2/api-keys/NOPENOPENOPENOPE", nil, 404, "not_found", `API key "NOPENOPENOPENOPE" was not found`},
		{"delete unknown key", "DELETE", "/api/iam/v2/api-keys/NOPENOPENOPENOPE", nil, 404, "not_found", "was not found"},
		{"unnamed service account", "POST", "/iam/v2/service-accounts", map[string]string{"description": "x"}, 422, "invalid_configuration", "display_name is required"},
		{"duplicate service account", "POST", "/iam/v2/service-accounts", map[string]string{"display_name": "linker"}, 409, "conflict", `named "linker" already exists`},
		{"unknown service account", "GET", "/iam/v2/service-accounts/sa-nope", nil, 404, "not_found", `"sa-nope" was not found`},
		{"unknown user", "GET", "/iam/v2/users/u-nope", nil, 404, "not_found", "linkemu has one user, u-linkemu"},
		{"role binding of unknown principal", "POST", "/iam/v2/role-bindings", map[string]string{"principal": "User:sa-nope", "role_name": "CloudClusterAdmin", "crn_pattern": "crn://confluent.cloud/organization=linkemu"}, 400, "bad_request", "names no user or service account"},
		{"role binding without a CRN", "POST", "/iam/v2/role-bindings", map[string]string{"principal": "User:u-linkemu", "role_name": "CloudClusterAdmin", "crn_pattern": "lkc-west"}, 400, "bad_request", "is not a CRN"},
		{"role bindings without a scope", "GET", "/iam/v2/role-bindings", nil, 400, "bad_request", "crn_pattern query parameter is required"},
		{"unknown role binding", "DELETE", "/iam/v2/role-bindings/rb-nope", nil, 404, "not_found", `"rb-nope" was not found`},
		{"bad page size", "GET", "/iam/v2/service-accounts?page_size=0", nil, 400, "bad_request", "page_size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCloudFailure(t, env.Do(tc.method, tc.path, tc.body), tc.status, tc.code, tc.detail)
		})
	}
	keys, _, err := sdk.APIKeys.APIKeysIamV2Api.ListIamV2ApiKeys(ctx).Execute()
	if err != nil || len(keys.Data) != 0 {
		t.Errorf("API keys after bad requests: %+v %v, want none", keys, err)
	}
	sas, _, err := sdk.IAM.ServiceAccountsIamV2Api.ListIamV2ServiceAccounts(ctx).Execute()
	if err != nil || len(sas.Data) != 1 {
		t.Errorf("service accounts after bad requests: %+v %v, want 1", sas, err)
	}
}

// TestCloudAPIKeysAsCredentials turns auth on and checks who gets in: a
// configured Cloud API key and one created through the API reach the Cloud
// API; a cluster key created through the API reaches that cluster's Kafka
// REST and no other; wrong and deleted keys get a Cloud-shaped 401.
func TestCloudAPIKeysAsCredentials(t *testing.T) {
	env := cloudLab(t, func(o *emulator.Options) {
		o.CloudAPIKeys = map[string]string{"CLOUDKEY": "cloud-secret"}
		o.APIKeys = map[string]string{"RESTKEY": "rest-secret"}
	})
	hc := http.DefaultClient
	basic := func(k, s string) []string {
		req, _ := http.NewRequest("GET", "/", nil)
		req.SetBasicAuth(k, s)
		return []string{"Authorization", req.Header.Get("Authorization")}
	}
	get := func(path string, auth []string) *apitest.Response {
		return apitest.Request(t, hc, "GET", env.RESTURL+path, nil, auth...)
	}
	wantCloudFailure(t, get("/org/v2/environments", nil), 401, "user_unauthenticated", "Valid authentication credentials")
	wantCloudFailure(t, get("/org/v2/environments", basic("CLOUDKEY", "wrong")), 401, "user_unauthenticated")
	if r := get("/org/v2/environments", basic("CLOUDKEY", "cloud-secret")); r.Status != 200 {
		t.Fatalf("configured Cloud API key: %d %s", r.Status, r.Body)
	}

	mk := func(body map[string]any) (string, string) {
		r := apitest.Request(t, hc, "POST", env.RESTURL+"/iam/v2/api-keys", body, basic("CLOUDKEY", "cloud-secret")...)
		apitest.ValidateCloudSpec(t, r)
		var k struct {
			ID   string `json:"id"`
			Spec struct {
				Secret string `json:"secret"`
			} `json:"spec"`
		}
		r.JSON(t, &k)
		if r.Status != 202 || k.ID == "" {
			t.Fatalf("create key: %d %s", r.Status, r.Body)
		}
		return k.ID, k.Spec.Secret
	}
	owner := map[string]string{"id": "u-linkemu"}
	cloudKey, cloudSecret := mk(map[string]any{"spec": map[string]any{"owner": owner}})
	westKey, westSecret := mk(map[string]any{"spec": map[string]any{"owner": owner, "resource": map[string]string{"id": "lkc-west", "environment": "env-west"}}})

	if r := get("/cmk/v2/clusters?environment=env-west", basic(cloudKey, cloudSecret)); r.Status != 200 {
		t.Errorf("created Cloud API key: %d %s", r.Status, r.Body)
	}
	wantCloudFailure(t, get("/org/v2/environments", basic(westKey, westSecret)), 401, "user_unauthenticated")
	if r := get("/kafka/v3/clusters/lkc-west/topics", basic(westKey, westSecret)); r.Status != 200 {
		t.Errorf("cluster key on its cluster's REST: %d %s", r.Status, r.Body)
	}
	for _, path := range []string{"/kafka/v3/clusters/lkc-east/topics", "/kafka/v3/clusters"} {
		if r := get(path, basic(westKey, westSecret)); r.Status != 401 {
			t.Errorf("lkc-west's key on %s: %d %s, want 401", path, r.Status, r.Body)
		}
	}
	if r := apitest.Request(t, hc, "DELETE", env.RESTURL+"/iam/v2/api-keys/"+westKey, nil, basic("CLOUDKEY", "cloud-secret")...); r.Status != 204 {
		t.Fatalf("delete key: %d %s", r.Status, r.Body)
	}
	if r := get("/kafka/v3/clusters/lkc-west/topics", basic(westKey, westSecret)); r.Status != 401 {
		t.Errorf("deleted key on REST: %d %s, want 401", r.Status, r.Body)
	}
}
