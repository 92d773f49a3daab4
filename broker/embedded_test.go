package broker

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/tlsca"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestEmbeddedSASLSSLSurvivesRestart: an embedded cluster serves plaintext,
// SASL_SSL on its own port and SASL_SSL on the plaintext port, and keeps
// both ports across Stop and Start.
func TestEmbeddedSASLSSLSurvivesRestart(t *testing.T) {
	ca, err := tlsca.LoadOrCreate("")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ca.ServerConfig("127.0.0.1", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	e, err := StartEmbedded(EmbeddedConfig{ID: "lkc-t", ListenAddr: "127.0.0.1:0", SASLSSLAddr: "127.0.0.1:0", TLS: sc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	plain, tlsAddr := e.Addr(), e.SASLSSLAddr()
	if plain == tlsAddr || tlsAddr == "" {
		t.Fatalf("addresses %s and %s", plain, tlsAddr)
	}
	ping := func(name string, cc ConnConfig) {
		t.Helper()
		cl, err := NewClient(cc, kgo.RequestRetries(2))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if id, err := ClusterID(ctx, cl); err != nil || id != "lkc-t" {
			t.Errorf("%s: cluster ID %q, %v", name, id, err)
		}
	}
	sasl := func(bootstrap string) ConnConfig {
		return ConnConfig{Bootstrap: []string{bootstrap}, SecurityProtocol: ProtoSASLSSL, SASLMechanism: "PLAIN", Username: "any-key", Password: "any-secret", TLS: ca.ClientConfig()}
	}
	for round := range 2 {
		ping("plaintext", ConnConfig{Bootstrap: []string{plain}})
		ping("SASL_SSL", sasl(tlsAddr))
		ping("SASL_SSL on the plaintext port", sasl(plain))
		if round == 0 {
			e.Stop()
			if c, err := net.DialTimeout("tcp", tlsAddr, time.Second); err == nil {
				c.Close()
				t.Error("the SASL_SSL port still accepts while the cluster is stopped")
			}
			if err := e.Start(); err != nil {
				t.Fatal(err)
			}
			if e.Addr() != plain || e.SASLSSLAddr() != tlsAddr {
				t.Errorf("restart moved the ports: %s %s", e.Addr(), e.SASLSSLAddr())
			}
		}
	}
}
