package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	networkingv1 "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1"
	networkingapi "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1/api"
)

// NetworkingSDK returns Confluent's networking/v1 Go client (the version
// Terraform pins) pointed at the emulator. Every response it receives is
// checked: JSON whenever it has a body, and matching the spec.
func (e *Env) NetworkingSDK() *networkingv1.APIClient {
	cfg := networkingv1.NewConfiguration()
	cfg.Servers = networkingv1.ServerConfigurations{{URL: e.RESTURL}}
	cfg.HTTPClient = &http.Client{Transport: checkingTransport{t: e.t, validate: ValidateNetworkingSpec}}
	return networkingv1.NewAPIClient(cfg)
}

// checkingTransport carries requests over base (http.DefaultTransport when
// nil) and checks every response: JSON content type, and the spec check
// validate.
type checkingTransport struct {
	t        testing.TB
	base     http.RoundTripper
	validate func(testing.TB, *Response)
}

func (c checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := c.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if ct := resp.Header.Get("Content-Type"); len(body) > 0 && ct != "application/json" {
		c.t.Errorf("%s %s: Content-Type %q, want application/json", req.Method, req.URL, ct)
	}
	c.validate(c.t, &Response{Status: resp.StatusCode, Header: resp.Header, Body: body, Req: req})
	return resp, nil
}

// networkingSpec is Confluent's networking/v1 spec.
var networkingSpec = &openAPISpec{data: networkingapi.GetSpec, host: "https://api.confluent.cloud"}

// ValidateNetworkingSpec checks a /networking/v1 response against the
// OpenAPI spec shipped in ccloud-sdk-go-v2/networking v0.14.0: its body must
// match the schema of its status. An error status the spec does not list
// for the operation (409 on delete, say) is checked against the Failure
// schema alone.
func ValidateNetworkingSpec(t testing.TB, r *Response) {
	t.Helper()
	if err := networkingSpecError(r); err != nil {
		t.Errorf("response %d to %s %s does not match Confluent's networking/v1 spec: %.1500v\nbody: %s", r.Status, r.Req.Method, r.Req.URL, err, r.Body)
	}
}

func networkingSpecError(r *Response) error {
	err := networkingSpec.validate(r, r.Req.URL.Path, r.Body)
	if err != nil && r.Status >= 400 && strings.Contains(err.Error(), "status is not supported") {
		return failureShape(r.Body)
	}
	return err
}

// failureShape checks a body against the Failure schema as linkemu fills
// it: one error with string id, status, code, title and detail.
func failureShape(body []byte) error {
	var f struct {
		Errors []map[string]any `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || len(f.Errors) != 1 {
		return fmt.Errorf("error body %s is not {errors: [one error]}: %v", body, err)
	}
	for _, k := range []string{"id", "status", "code", "title", "detail"} {
		if s, ok := f.Errors[0][k].(string); !ok || s == "" {
			return fmt.Errorf("error body %s has no string %s", body, k)
		}
	}
	return nil
}
