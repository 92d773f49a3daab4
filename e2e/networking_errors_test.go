package e2e

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	networkingv1 "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// wantCloudError checks a response is exactly one Cloud API error with the
// given status, code and title, whose detail contains each part.
func wantCloudError(t *testing.T, r *apitest.Response, status int, code, title string, parts ...string) {
	t.Helper()
	apitest.ValidateNetworkingSpec(t, r)
	wantCloudErrorShape(t, r, status, code, title, parts...)
}

// wantCloudErrorShape is wantCloudError without the spec check.
func wantCloudErrorShape(t *testing.T, r *apitest.Response, status int, code, title string, parts ...string) {
	t.Helper()
	if r.Status != status || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%s %s: got %d (%s) %s, want %d", r.Req.Method, r.Req.URL, r.Status, r.Header.Get("Content-Type"), r.Body, status)
	}
	var body struct {
		Errors []map[string]string `json:"errors"`
	}
	r.JSON(t, &body)
	if len(body.Errors) != 1 {
		t.Fatalf("body %s: want one error", r.Body)
	}
	e := body.Errors[0]
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	if !slices.Equal(sortStrings(keys), []string{"code", "detail", "id", "status", "title"}) || len(e["id"]) != 36 {
		t.Errorf("error %v: want exactly id (a UUID), status, code, title, detail", e)
	}
	if e["status"] != strconv.Itoa(status) || e["code"] != code || e["title"] != title {
		t.Errorf("error %v: want status %d, code %s, title %s", e, status, code, title)
	}
	for _, p := range parts {
		if !strings.Contains(e["detail"], p) {
			t.Errorf("detail %q does not contain %q", e["detail"], p)
		}
	}
}

func TestNetworkLinkLimits(t *testing.T) {
	origins := []string{"n-o1", "n-o2", "n-o3", "n-o4", "n-o5"}
	targets := []string{"n-s1", "n-s2", "n-s3", "n-s4", "n-s5", "n-s6"}
	env, sdk := networkingLab(t, func(o *emulator.Options) {
		o.Networks = nil
		for _, n := range origins {
			o.Networks = append(o.Networks, emulator.NetworkSpec{ID: n, Environment: "env-o"})
		}
		for _, n := range targets {
			o.Networks = append(o.Networks, emulator.NetworkSpec{ID: n, Environment: "env-s"})
		}
	})
	var services []string
	for _, n := range targets {
		services = append(services, id0(createService(t, sdk, "env-s", n, n, acceptPolicy([]string{"env-o"}, nil))))
	}
	post := func(kind string, spec map[string]any) *apitest.Response {
		return env.Do(http.MethodPost, "/networking/v1/"+kind, map[string]any{"spec": spec})
	}
	ref := func(id string) map[string]string { return map[string]string{"id": id} }

	r := post("network-link-services", map[string]any{"environment": ref("env-s"), "network": ref("n-s1")})
	wantCloudError(t, r, http.StatusPaymentRequired, "quota_exceeded", "Quota Exceeded",
		"Network n-s1 already has network link service "+services[0]+", and a network can have only 1 (quota network_link_service_per_network). Change the accept list of "+services[0]+" instead.")

	byNetwork := map[string][]string{}
	for _, n := range origins[:4] {
		for _, s := range services[:5] {
			r := post("network-link-endpoints", map[string]any{"environment": ref("env-o"), "network": ref(n), "network_link_service": ref(s)})
			if r.Status != http.StatusAccepted {
				t.Fatalf("endpoint %s to %s: %d %s", n, s, r.Status, r.Body)
			}
			apitest.ValidateNetworkingSpec(t, r)
			byNetwork[n] = append(byNetwork[n], r.Map(t)["id"].(string))
		}
	}
	r = post("network-link-endpoints", map[string]any{"environment": ref("env-o"), "network": ref("n-o1"), "network_link_service": ref(services[5])})
	wantCloudError(t, r, http.StatusPaymentRequired, "quota_exceeded", "Quota Exceeded",
		"Network n-o1 already has 5 network link endpoints ("+strings.Join(sortStrings(byNetwork["n-o1"]), ", ")+"); a network can have at most 5 (quota network_link_endpoints_per_network). Delete one first.")
	r = post("network-link-endpoints", map[string]any{"environment": ref("env-o"), "network": ref("n-o5"), "network_link_service": ref(services[5])})
	wantCloudError(t, r, http.StatusPaymentRequired, "quota_exceeded", "Quota Exceeded",
		"The organization already has 20 network link endpoints; it can have at most 20 (network links per organization). Delete one first.")

	// Deleting one makes room again.
	if r := env.Do(http.MethodDelete, "/networking/v1/network-link-endpoints/"+byNetwork["n-o2"][0]+"?environment=env-o", nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := post("network-link-endpoints", map[string]any{"environment": ref("env-o"), "network": ref("n-o5"), "network_link_service": ref(services[5])}); r.Status != http.StatusAccepted {
		t.Fatalf("endpoint after a delete: %d %s", r.Status, r.Body)
	}
}

func TestNetworkingErrorsAndCloudAPIKeys(t *testing.T) {
	env, _ := networkingLab(t, func(o *emulator.Options) {
		o.CloudAPIKeys = map[string]string{"CLOUDKEY": "cloudsecret"}
	})
	auth := []string{"Authorization", "Basic Q0xPVURLRVk6Y2xvdWRzZWNyZXQ="} // CLOUDKEY:cloudsecret
	services := "/networking/v1/network-link-services"

	r := env.Do(http.MethodGet, services+"?environment=env-a", nil)
	wantCloudError(t, r, http.StatusUnauthorized, "user_unauthenticated", "Authentication Required", "Valid authentication credentials must be provided")
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	r = env.Do(http.MethodGet, services+"?environment=env-a", nil, "Authorization", "Basic Q0xPVURLRVk6d3Jvbmc=") // CLOUDKEY:wrong
	wantCloudError(t, r, http.StatusUnauthorized, "user_unauthenticated", "Authentication Required")
	if !strings.Contains(r.Header.Get("WWW-Authenticate"), "invalid_key") {
		t.Errorf("WWW-Authenticate for a wrong key: %q", r.Header.Get("WWW-Authenticate"))
	}
	if r := env.Do(http.MethodGet, "/v3/clusters", nil); r.Status != http.StatusOK {
		t.Errorf("Cloud API keys guard the Kafka REST API: %d %s", r.Status, r.Body)
	}

	// The SDK with the key, as Terraform sends it.
	sdk := env.NetworkingSDK()
	ctx := context.WithValue(context.Background(), networkingv1.ContextBasicAuth, networkingv1.BasicAuth{UserName: "CLOUDKEY", Password: "cloudsecret"})
	if l, _, err := sdk.NetworkLinkServicesNetworkingV1Api.ListNetworkingV1NetworkLinkServices(ctx).Environment("env-a").Execute(); err != nil || l.Data == nil {
		t.Fatalf("list with the key: %v %+v", err, l)
	}
	if _, resp, _ := sdk.NetworkLinkServicesNetworkingV1Api.ListNetworkingV1NetworkLinkServices(context.Background()).Environment("env-a").Execute(); resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("list without the key: %v", resp)
	}

	ref := func(id string) map[string]string { return map[string]string{"id": id} }
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code, title        string
		parts              []string
	}{
		{"missing environment", "GET", services, nil, 400, "bad_request", "Bad Request", []string{"query parameter environment is required"}},
		{"unknown environment", "GET", services + "?environment=env-zz", nil, 404, "not_found", "Not Found", []string{"Environment env-zz not found", "env-a, env-b, env-default"}},
		{"bad page size", "GET", services + "?environment=env-a&page_size=1001", nil, 400, "bad_request", "Bad Request", []string{"page_size"}},
		{"bad page token", "GET", services + "?environment=env-a&page_token=%25%25", nil, 400, "bad_request", "Bad Request", []string{"page_token"}},
		{"unknown service", "GET", services + "/nls-nope?environment=env-a", nil, 404, "not_found", "Not Found", []string{"Network link service nls-nope not found in environment env-a"}},
		{"malformed body", "POST", services, `{"spec":`, 400, "bad_request", "Bad Request", []string{"Malformed JSON"}},
		{"no spec", "POST", services, map[string]any{}, 422, "invalid_configuration", "Validation Failed", []string{"no spec"}},
		{"public network", "POST", services, map[string]any{"spec": map[string]any{"environment": ref("env-default"), "network": ref("n-public")}}, 422, "invalid_configuration", "Validation Failed", []string{"n-public is the public network"}},
		{"network of another environment", "POST", services, map[string]any{"spec": map[string]any{"environment": ref("env-a"), "network": ref("n-east")}}, 400, "bad_request", "Bad Request", []string{"Network n-east not found in environment env-a"}},
		{"create in unknown environment", "POST", services, map[string]any{"spec": map[string]any{"environment": ref("env-zz"), "network": ref("n-east")}}, 400, "bad_request", "Bad Request", []string{"Environment env-zz not found"}},
		{"endpoint to unknown service", "POST", "/networking/v1/network-link-endpoints", map[string]any{"spec": map[string]any{"environment": ref("env-a"), "network": ref("n-west"), "network_link_service": ref("nls-nope")}}, 400, "bad_request", "Bad Request", []string{"Network link service nls-nope not found"}},
		{"endpoint without service", "POST", "/networking/v1/network-link-endpoints", map[string]any{"spec": map[string]any{"environment": ref("env-a"), "network": ref("n-west")}}, 422, "invalid_configuration", "Validation Failed", []string{"spec.network_link_service.id is required"}},
		{"associations without service", "GET", "/networking/v1/network-link-service-associations?environment=env-b", nil, 400, "bad_request", "Bad Request", []string{"spec.network_link_service is required"}},
		{"unknown route", "GET", "/networking/v1/networks", nil, 404, "not_found", "Not Found", []string{"No route GET /networking/v1/networks"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := env.Do(tc.method, tc.path, tc.body, auth...)
			if tc.name == "unknown route" {
				if r.Status != tc.status || !strings.Contains(string(r.Body), tc.parts[0]) || r.Header.Get("Content-Type") != "application/json" {
					t.Fatalf("got %d %s", r.Status, r.Body)
				}
				return
			}
			wantCloudError(t, r, tc.status, tc.code, tc.title, tc.parts...)
		})
	}
	if r := env.Do(http.MethodPut, services+"/nls-x", map[string]any{}, auth...); r.Status != http.StatusMethodNotAllowed || !strings.Contains(string(r.Body), `"code":"method_not_allowed"`) {
		t.Errorf("PUT: %d %s", r.Status, r.Body)
	}
	// A method no router knows answers in the Cloud shape too.
	if r := env.Do("FROB", services+"/nls-x", nil, auth...); r.Status != http.StatusMethodNotAllowed || !strings.Contains(string(r.Body), `"code":"method_not_allowed"`) {
		t.Errorf("FROB: %d %s", r.Status, r.Body)
	}
}
