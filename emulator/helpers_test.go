package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
)

// timeout is the generous deadline of every wait on this noisy machine.
const timeout = 30 * time.Second

// start starts an emulator for t with quick health checks and closes it
// when t ends, unless the test closed it already.
func start(t *testing.T, opts emulator.Options) *emulator.Emulator {
	t.Helper()
	if opts.HealthInterval == 0 {
		opts.HealthInterval = 200 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	emu, err := emulator.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := emu.Close(); err != nil {
			t.Errorf("close emulator: %v", err)
		}
	})
	return emu
}

// restClient talks JSON to one emulator's REST API with a transport of its
// own, so that closing it leaves no connection goroutines behind.
type restClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func newREST(t *testing.T, base string) *restClient {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &restClient{t: t, base: base, http: &http.Client{Transport: tr, Timeout: timeout}}
}

// do sends body (nil or a value encoded as JSON) and returns the status and
// the decoded JSON answer (nil when empty).
func (c *restClient) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	var out map[string]any
	if len(bytes.TrimSpace(raw)) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, out
}

// must is do that fails the test unless the status is want.
func (c *restClient) must(want int, method, path string, body any) map[string]any {
	c.t.Helper()
	status, out := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %v", method, path, status, want, out)
	}
	return out
}

// linkState returns a link's link_state, "" if it cannot be read.
func (c *restClient) linkState(cluster, link string) string {
	c.t.Helper()
	status, out := c.do(http.MethodGet, "/kafka/v3/clusters/"+cluster+"/links/"+link, nil)
	if status != http.StatusOK {
		return ""
	}
	s, _ := out["link_state"].(string)
	return s
}

// eventually polls cond every 100ms until it holds or timeout passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// addrs returns the host:port of the REST API and every cluster.
func addrs(t *testing.T, emu *emulator.Emulator) []string {
	t.Helper()
	u, err := url.Parse(emu.RESTURL)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{u.Host}
	for _, c := range emu.Clusters {
		out = append(out, strings.Split(c.Bootstrap, ",")...)
	}
	return out
}

// assertClosed fails unless nothing accepts connections on addr.
func assertClosed(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		conn.Close()
		t.Errorf("%s still accepts connections after Close", addr)
	}
}
