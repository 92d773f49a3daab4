// Package apitest starts a whole emulator for end-to-end tests and gives
// them an HTTP helper, Confluent's Go SDK pointed at it, and a validator of
// responses against Confluent's OpenAPI spec.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	kafkarestv3 "github.com/confluentinc/ccloud-sdk-go-v2/kafkarest/v3"
	"github.com/linkemu/linkemu/emulator"
)

// Env is a running emulator under test.
type Env struct {
	*emulator.Emulator
	Opts emulator.Options
	t    testing.TB
}

// Start starts an emulator with opts (free ports, temp data dir unless set)
// and closes it when the test ends.
func Start(t testing.TB, opts emulator.Options) *Env {
	t.Helper()
	if opts.HealthInterval == 0 {
		opts.HealthInterval = 200 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	emu, err := emulator.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	env := &Env{Emulator: emu, Opts: opts, t: t}
	t.Cleanup(func() {
		if err := emu.Close(); err != nil {
			t.Errorf("close emulator: %v", err)
		}
	})
	return env
}

// Bootstrap returns the bootstrap address of a served cluster.
func (e *Env) Bootstrap(id string) string {
	for _, c := range e.Clusters {
		if c.ID == id {
			return c.Bootstrap
		}
	}
	e.t.Fatalf("no cluster %s", id)
	return ""
}

// Response is a recorded HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Req    *http.Request
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends a request to path (relative to RESTURL) with an optional body
// (a string sent as is, or a value encoded as JSON).
func (e *Env) Do(method, path string, body any, hdr ...string) *Response {
	e.t.Helper()
	return Request(e.t, http.DefaultClient, method, e.RESTURL+path, body, hdr...)
}

// Request sends a request to an absolute URL over hc with an optional body
// (a string sent as is, or a value encoded as JSON) and header name/value
// pairs, and records the answer.
func Request(t testing.TB, hc *http.Client, method, url string, body any, hdr ...string) *Response {
	t.Helper()
	var rd io.Reader
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if raw != nil {
		req.Body = io.NopCloser(bytes.NewReader(raw))
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: out, Req: req}
}

// SDK returns Confluent's kafkarest v3 Go client pointed at the emulator.
func (e *Env) SDK() *kafkarestv3.APIClient {
	cfg := kafkarestv3.NewConfiguration()
	cfg.Servers = kafkarestv3.ServerConfigurations{{URL: e.RESTURL}}
	cfg.HTTPClient = http.DefaultClient
	return kafkarestv3.NewAPIClient(cfg)
}

// Eventually polls cond until it is true or the deadline passes.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// V3 is the path prefix of the Cloud-style API.
const V3 = "/kafka/v3"

// Timeout is the generous deadline of Eventually in tests on a noisy machine.
const Timeout = 20 * time.Second

// ClusterPath returns /kafka/v3/clusters/<id> plus the rest.
func ClusterPath(id string, rest ...string) string {
	return V3 + "/clusters/" + id + strings.Join(rest, "")
}
