package emulator_test

import (
	"bytes"
	"crypto/tls"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/tlsca"
)

// TestHTTPSListener checks the HTTPS listener serves the API with a
// certificate from the data directory's CA for the loopback names and the
// extra names, and that the CA outlives a restart.
func TestHTTPSListener(t *testing.T) {
	dir := t.TempDir()
	opts := emulator.Options{DataDir: dir, NoEmbedded: true, TLSNames: []string{"*.linkemu.test", "api.confluent.cloud"}}
	emu := start(t, opts)
	caPEM, err := os.ReadFile(filepath.Join(dir, tlsca.CertFile))
	if err != nil || !bytes.Equal(caPEM, emu.CA().CertPEM()) {
		t.Fatalf("ca.pem in the data dir: %v", err)
	}
	u, _ := url.Parse(emu.HTTPSURL)
	for _, tc := range []struct {
		serverName string
		ok         bool
	}{
		{"localhost", true}, {"127.0.0.1", true}, {"lkc-west.linkemu.test", true}, {"api.confluent.cloud", true},
		{"a.b.linkemu.test", false}, {"example.com", false},
	} {
		t.Run(tc.serverName, func(t *testing.T) {
			conn, err := tls.Dial("tcp", u.Host, &tls.Config{RootCAs: emu.CA().Pool(), ServerName: tc.serverName})
			if (err == nil) != tc.ok {
				t.Fatalf("handshake as %s: %v, want ok=%v", tc.serverName, err, tc.ok)
			}
			if err == nil {
				conn.Close()
			}
		})
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: emu.CA().Pool()}}}
	for _, path := range []string{"/healthz", "/kafka/v3/clusters", "/org/v2/environments"} {
		resp, err := hc.Get(emu.HTTPSURL + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s over HTTPS: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	hc.CloseIdleConnections()
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
	again := start(t, opts)
	if !bytes.Equal(again.CA().CertPEM(), caPEM) {
		t.Error("the CA changed across a restart on the same data dir")
	}
}

// TestNoHTTPS turns the HTTPS listener off.
func TestNoHTTPS(t *testing.T) {
	emu := start(t, emulator.Options{NoEmbedded: true, HTTPSAddr: "none"})
	if emu.HTTPSURL != "" {
		t.Errorf("HTTPSURL %q with HTTPS off", emu.HTTPSURL)
	}
}
