package apitest

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	apikeysv2 "github.com/confluentinc/ccloud-sdk-go-v2/apikeys/v2"
	cmkv2 "github.com/confluentinc/ccloud-sdk-go-v2/cmk/v2"
	cmkapi "github.com/confluentinc/ccloud-sdk-go-v2/cmk/v2/api"
	iamv2 "github.com/confluentinc/ccloud-sdk-go-v2/iam/v2"
	mdsv2 "github.com/confluentinc/ccloud-sdk-go-v2/mds/v2"
	orgv2 "github.com/confluentinc/ccloud-sdk-go-v2/org/v2"
	orgapi "github.com/confluentinc/ccloud-sdk-go-v2/org/v2/api"
)

// Confluent's Cloud API specs, as the SDK modules ship them: org and cmk
// embed theirs (GetSpec); iam, apikeys and mds (role bindings) ship only the file, read from the
// module cache (the module is in it: this package imports it).
var (
	orgSpec     = &openAPISpec{data: orgapi.GetSpec, host: "https://api.confluent.cloud"}
	cmkSpec     = &openAPISpec{data: cmkapi.GetSpec, host: "https://api.confluent.cloud"}
	iamSpec     = &openAPISpec{data: moduleFile("github.com/confluentinc/ccloud-sdk-go-v2/iam", "v2/api/openapi.yaml"), host: "https://api.confluent.cloud"}
	apiKeysSpec = &openAPISpec{data: moduleFile("github.com/confluentinc/ccloud-sdk-go-v2/apikeys", "v2/api/openapi.yaml"), host: "https://api.confluent.cloud"}
	mdsSpec     = &openAPISpec{data: moduleFile("github.com/confluentinc/ccloud-sdk-go-v2/mds", "v2/api/openapi.yaml"), host: "https://api.confluent.cloud"}
)

// moduleFile reads a file of a module in the module cache, at the version
// go.mod requires.
func moduleFile(module, path string) func() []byte {
	return func() []byte {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
		if err != nil {
			panic(fmt.Sprintf("locate module %s: %v", module, err))
		}
		b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), path))
		if err != nil {
			panic(fmt.Sprintf("read %s of %s: %v", path, module, err))
		}
		return b
	}
}

// CloudMounts are the prefixes the Cloud API is served under: the root (as
// api.confluent.cloud), /api (the CLI's Cloud API base for a login URL that
// is not confluent.cloud) and /confluent.cloud/api.
var CloudMounts = []string{"", "/api", "/confluent.cloud/api"}

// ValidateCloudSpec checks a Cloud API response against the spec of its API
// group (org/v2, cmk/v2, iam/v2 users and service accounts, iam/v2
// api-keys, iam/v2 role-bindings), whatever mount it came through. Error statuses a route's spec
// does not list are checked against the Failure schema alone.
func ValidateCloudSpec(t testing.TB, r *Response) {
	t.Helper()
	if err := cloudSpecError(r); err != nil {
		t.Errorf("response %d to %s %s does not match Confluent's Cloud API spec: %.1500v\nbody: %s", r.Status, r.Req.Method, r.Req.URL, err, r.Body)
	}
}

func cloudSpecError(r *Response) error {
	path := r.Req.URL.Path
	for _, m := range CloudMounts[1:] {
		path = strings.TrimPrefix(path, m)
	}
	var spec *openAPISpec
	switch {
	case strings.HasPrefix(path, "/org/v2/"):
		spec = orgSpec
	case strings.HasPrefix(path, "/cmk/v2/"):
		spec = cmkSpec
	case strings.HasPrefix(path, "/iam/v2/api-keys"):
		spec = apiKeysSpec
	case strings.HasPrefix(path, "/iam/v2/role-bindings"):
		spec = mdsSpec
	case strings.HasPrefix(path, "/iam/v2/"):
		spec = iamSpec
	default:
		return fmt.Errorf("no Cloud API spec for %s", path)
	}
	err := spec.validate(r, path, r.Body)
	if err != nil && r.Status >= 400 && strings.Contains(err.Error(), "status is not supported") {
		return failureShape(r.Body)
	}
	return err
}

// CloudTransport is an HTTP transport that checks every Cloud API response
// it carries: JSON whenever it has a body, and matching the spec. With a
// TLS config it speaks HTTPS.
func (e *Env) CloudTransport(tlsCfg *tls.Config) http.RoundTripper {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.TLSClientConfig = tlsCfg
	return checkingTransport{t: e.t, base: base, validate: ValidateCloudSpec}
}

// CloudClients are Confluent's Go SDK clients of the Cloud API (the
// versions Terraform pins: org v0.9.0, cmk v0.21.0, iam v0.10.0; apikeys
// and mds v0.4.0 as the CLI), pointed at one base URL, every answer checked.
type CloudClients struct {
	Org     *orgv2.APIClient
	CMK     *cmkv2.APIClient
	IAM     *iamv2.APIClient
	APIKeys *apikeysv2.APIClient
	MDS     *mdsv2.APIClient // role bindings
}

// CloudSDK returns the Cloud API clients for base (RESTURL, HTTPSURL, or
// either plus a mount). tlsCfg is needed for HTTPS.
func (e *Env) CloudSDK(base string, tlsCfg *tls.Config) CloudClients {
	hc := &http.Client{Transport: e.CloudTransport(tlsCfg)}
	oc := orgv2.NewConfiguration()
	oc.Servers, oc.HTTPClient = orgv2.ServerConfigurations{{URL: base}}, hc
	cc := cmkv2.NewConfiguration()
	cc.Servers, cc.HTTPClient = cmkv2.ServerConfigurations{{URL: base}}, hc
	ic := iamv2.NewConfiguration()
	ic.Servers, ic.HTTPClient = iamv2.ServerConfigurations{{URL: base}}, hc
	kc := apikeysv2.NewConfiguration()
	kc.Servers, kc.HTTPClient = apikeysv2.ServerConfigurations{{URL: base}}, hc
	mc := mdsv2.NewConfiguration()
	mc.Servers, mc.HTTPClient = mdsv2.ServerConfigurations{{URL: base}}, hc
	return CloudClients{Org: orgv2.NewAPIClient(oc), CMK: cmkv2.NewAPIClient(cc), IAM: iamv2.NewAPIClient(ic), APIKeys: apikeysv2.NewAPIClient(kc), MDS: mdsv2.NewAPIClient(mc)}
}
