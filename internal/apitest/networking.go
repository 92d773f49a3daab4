package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	networkingv1 "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1"
	networkingapi "github.com/confluentinc/ccloud-sdk-go-v2/networking/v1/api"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// NetworkingSDK returns Confluent's networking/v1 Go client (the version
// Terraform pins) pointed at the emulator. Every response it receives is
// checked: JSON whenever it has a body, and matching the spec.
func (e *Env) NetworkingSDK() *networkingv1.APIClient {
	cfg := networkingv1.NewConfiguration()
	cfg.Servers = networkingv1.ServerConfigurations{{URL: e.RESTURL}}
	cfg.HTTPClient = &http.Client{Transport: checkingTransport{t: e.t}}
	return networkingv1.NewAPIClient(cfg)
}

// checkingTransport checks every networking/v1 response it carries.
type checkingTransport struct{ t testing.TB }

func (c checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
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
	ValidateNetworkingSpec(c.t, &Response{Status: resp.StatusCode, Header: resp.Header, Body: body, Req: req})
	return resp, nil
}

var (
	netSpecOnce   sync.Once
	netSpecRouter routers.Router
	netSpecErr    error
)

// cloudAPIHost is the server of Confluent's networking spec.
const cloudAPIHost = "https://api.confluent.cloud"

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
	netSpecOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(networkingapi.GetSpec())
		if err != nil {
			netSpecErr = err
			return
		}
		netSpecRouter, netSpecErr = gorillamux.NewRouter(doc)
	})
	if netSpecErr != nil {
		return netSpecErr
	}
	u, _ := url.Parse(cloudAPIHost + r.Req.URL.Path)
	u.RawQuery = r.Req.URL.RawQuery
	req, _ := http.NewRequest(r.Req.Method, u.String(), nil)
	req.Header = r.Req.Header.Clone()
	route, params, err := netSpecRouter.FindRoute(req)
	if err != nil {
		return err
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Body: io.NopCloser(bytes.NewReader(r.Body)), Options: in.Options,
	})
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
