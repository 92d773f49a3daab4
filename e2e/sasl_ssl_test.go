package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

// The links Terraform makes: the provider always gives an outgoing side
// Confluent Cloud's settings (resource_cluster_link.go, construct*Config),
// which the embedded clusters' SASL_SSL listeners serve as they are.

// tfJAAS is the sasl.jaas.config the provider sends for an API key.
func tfJAAS(key, secret string) string {
	return `org.apache.kafka.common.security.plain.PlainLoginModule required username="` + key + `" password="` + secret + `";`
}

// saslSSL returns the SASL_SSL listener of a cluster.
func saslSSL(t *testing.T, env *apitest.Env, id string) string {
	t.Helper()
	c, ok := env.Cluster(id)
	if !ok || c.SASLSSLBootstrap == "" {
		t.Fatalf("cluster %s has no SASL_SSL listener: %+v", id, c)
	}
	return c.SASLSSLBootstrap
}

// tlsClient is a franz-go client of a SASL_SSL listener that trusts the CA
// served at GET /emulator/v1/ca.pem, as a user's client would.
func tlsClient(t *testing.T, env *apitest.Env, bootstrap, key, secret string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	r := env.Do(http.MethodGet, "/emulator/v1/ca.pem", nil)
	pool := x509.NewCertPool()
	if r.Status != 200 || !pool.AppendCertsFromPEM(r.Body) {
		t.Fatalf("GET /emulator/v1/ca.pem: %d %s", r.Status, r.Body)
	}
	return client(t, bootstrap, append([]kgo.Opt{
		kgo.DialTLSConfig(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}),
		kgo.SASL(plain.Auth{User: key, Pass: secret}.AsMechanism())}, opts...)...)
}

// TestTerraformLinksOverSASLSSL makes a destination-initiated, a
// source-initiated and a bidirectional link with exactly the configs the
// Terraform provider sends, over the SASL_SSL listeners, with host:port and
// with SASL_SSL:// bootstrap entries, and mirrors data exactly over each.
func TestTerraformLinksOverSASLSSL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prefix string // of bootstrap.servers entries
	}{{"host:port", ""}, {"SASL_SSL:// entries", "SASL_SSL://"}} {
		t.Run(tc.name, func(t *testing.T) {
			env := apitest.Start(t, emulator.Options{})
			eastBS, westBS := tc.prefix+saslSSL(t, env, "lkc-east"), tc.prefix+saslSSL(t, env, "lkc-west")
			// Clients reach the data over the same listeners, with any key.
			east := tlsClient(t, env, saslSSL(t, env, "lkc-east"), "EASTKEY", "east-secret")
			west := tlsClient(t, env, saslSSL(t, env, "lkc-west"), "WESTKEY", "west-secret")
			topic := func(cluster, name string) {
				t.Helper()
				if r := env.Do(http.MethodPost, apitest.ClusterPath(cluster, "/topics"), map[string]any{"topic_name": name, "partitions_count": 2}); r.Status != 201 {
					t.Fatalf("create %s on %s: %d %s", name, cluster, r.Status, r.Body)
				}
			}
			mirror := func(cluster, link, source, name string) {
				t.Helper()
				if r := env.Do(http.MethodPost, apitest.ClusterPath(cluster, "/links/"+link+"/mirrors"), map[string]any{"source_topic_name": source, "mirror_topic_name": name}); r.Status != 204 {
					t.Fatalf("mirror %s on %s: %d %s", name, cluster, r.Status, r.Body)
				}
			}

			// Destination-initiated (constructCloudConfigForDestinationOutboundMode).
			if r := linkSide(env, "lkc-west", "tf-dst", map[string]any{"source_cluster_id": "lkc-east", "configs": cfgs(
				"connection.mode", "OUTBOUND", "link.mode", "DESTINATION", "bootstrap.servers", eastBS,
				"security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", tfJAAS("EASTKEY", "east-secret"))}); r.Status != 204 {
				t.Fatalf("destination-initiated link: %d %s", r.Status, r.Body)
			}
			waitLinkState(t, env, "lkc-west", "tf-dst", "ACTIVE")
			topic("lkc-east", "orders")
			kafkatest.Produce(t, east, "orders", kafkatest.Keyed(200, 9)...)
			mirror("lkc-west", "tf-dst", "orders", "orders")
			kafkatest.WaitExact(t, east, west, "orders", "orders", apitest.Timeout)

			// Source-initiated: the destination side first
			// (constructCloudConfigForDestinationInboundMode), then the
			// source side (constructCloudConfigForSourceOutboundMode).
			if r := linkSide(env, "lkc-east", "tf-si", map[string]any{"source_cluster_id": "lkc-west", "configs": cfgs(
				"connection.mode", "INBOUND", "link.mode", "DESTINATION", "bootstrap.servers", westBS)}); r.Status != 204 {
				t.Fatalf("source-initiated link, destination side: %d %s", r.Status, r.Body)
			}
			if r := linkSide(env, "lkc-west", "tf-si", map[string]any{"destination_cluster_id": "lkc-east", "configs": cfgs(
				"connection.mode", "OUTBOUND", "link.mode", "SOURCE", "bootstrap.servers", eastBS,
				"local.security.protocol", "SASL_SSL", "security.protocol", "SASL_SSL",
				"local.sasl.mechanism", "PLAIN", "local.sasl.jaas.config", tfJAAS("WESTKEY", "west-secret"),
				"sasl.mechanism", "PLAIN", "sasl.jaas.config", tfJAAS("EASTKEY", "east-secret"))}); r.Status != 204 {
				t.Fatalf("source-initiated link, source side: %d %s", r.Status, r.Body)
			}
			waitLinkState(t, env, "lkc-east", "tf-si", "ACTIVE")
			waitLinkState(t, env, "lkc-west", "tf-si", "ACTIVE")
			topic("lkc-west", "payments")
			kafkatest.Produce(t, west, "payments", kafkatest.Keyed(150, 5)...)
			mirror("lkc-east", "tf-si", "payments", "payments")
			kafkatest.WaitExact(t, west, east, "payments", "payments", apitest.Timeout)

			// Bidirectional, both sides OUTBOUND
			// (constructCloudConfigForBidirectionalOutboundMode).
			bidi := func(local, remote, remoteBS, localKey, localSecret, remoteKey, remoteSecret string) {
				t.Helper()
				if r := linkSide(env, local, "tf-bd", map[string]any{"remote_cluster_id": remote, "configs": cfgs(
					"connection.mode", "OUTBOUND", "remote.link.connection.mode", "INBOUND", "link.mode", "BIDIRECTIONAL",
					"bootstrap.servers", remoteBS, "local.security.protocol", "SASL_SSL", "security.protocol", "SASL_SSL",
					"local.sasl.mechanism", "PLAIN", "local.sasl.jaas.config", tfJAAS(localKey, localSecret),
					"sasl.mechanism", "PLAIN", "sasl.jaas.config", tfJAAS(remoteKey, remoteSecret))}); r.Status != 204 {
					t.Fatalf("bidirectional side on %s: %d %s", local, r.Status, r.Body)
				}
			}
			bidi("lkc-east", "lkc-west", westBS, "EASTKEY", "east-secret", "WESTKEY", "west-secret")
			bidi("lkc-west", "lkc-east", eastBS, "WESTKEY", "west-secret", "EASTKEY", "east-secret")
			waitLinkState(t, env, "lkc-east", "tf-bd", "ACTIVE")
			waitLinkState(t, env, "lkc-west", "tf-bd", "ACTIVE")
			topic("lkc-east", "clicks")
			topic("lkc-west", "views")
			kafkatest.Produce(t, east, "clicks", kafkatest.Plain(80, 4)...)
			kafkatest.Produce(t, west, "views", kafkatest.Plain(60, 4)...)
			mirror("lkc-west", "tf-bd", "clicks", "clicks")
			mirror("lkc-east", "tf-bd", "views", "views")
			kafkatest.WaitExact(t, east, west, "clicks", "clicks", apitest.Timeout)
			kafkatest.WaitExact(t, west, east, "views", "views", apitest.Timeout)
		})
	}
}

// TestProtocolMismatchFailsAtOnce: a plaintext link to the SASL_SSL port,
// and a SASL_SSL link to a plaintext-only broker, fail at once with a
// message naming the mismatch, not after the 5 s probe timeout.
func TestProtocolMismatchFailsAtOnce(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	plainOnly := kafkatest.NewCluster(t)
	for _, tc := range []struct {
		name    string
		configs []map[string]string
		want    []string
	}{
		{"plaintext to the SASL_SSL listener", cfgs("bootstrap.servers", saslSSL(t, env, "lkc-east")),
			[]string{"BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR", "is a TLS listener", "security.protocol=PLAINTEXT", "SASL_SSL"}},
		{"SASL_SSL to a plaintext broker", cfgs("bootstrap.servers", "SASL_SSL://"+plainOnly.Addr(), "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", tfJAAS("k", "s")),
			[]string{"AUTHENTICATION_ERROR", "speaks plaintext Kafka, not TLS", "security.protocol=SASL_PLAINTEXT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r := linkSide(env, "lkc-west", "mismatch", map[string]any{"source_cluster_id": "lkc-east", "configs": tc.configs})
			took := time.Since(start)
			msg, _ := r.Map(t)["message"].(string)
			if r.Status != 400 {
				t.Fatalf("got %d %s", r.Status, r.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "TIMEOUT_ERROR") || took >= 5*time.Second {
				t.Errorf("the mismatch took %s and says %q: it must be named at once, not as a timeout", took, msg)
			}
		})
	}
}

// TestSASLSSLListenerCredentialsAndSniffing: with API keys configured, only
// they log in on the SASL_SSL listener; the plaintext port also takes TLS
// (first-byte sniffing), so SASL_SSL clients may bootstrap from either; the
// CA and both listeners are served by the admin API.
func TestSASLSSLListenerCredentialsAndSniffing(t *testing.T) {
	env := apitest.Start(t, emulator.Options{APIKeys: map[string]string{"KEY1": "SECRET1"}})
	auth := []string{"Authorization", "Basic S0VZMTpTRUNSRVQx"} // KEY1:SECRET1
	ping := func(cl *kgo.Client) error {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		return cl.Ping(ctx)
	}
	tlsBS := saslSSL(t, env, "lkc-east")
	if err := ping(tlsClient(t, env, tlsBS, "KEY1", "SECRET1")); err != nil {
		t.Errorf("the API key on the SASL_SSL listener: %v", err)
	}
	bad := tlsClient(t, env, tlsBS, "KEY1", "wrong", kgo.RequestRetries(0))
	if err := ping(bad); err == nil {
		t.Error("a wrong secret logs in on the SASL_SSL listener")
	}
	sniffed := tlsClient(t, env, env.Bootstrap("lkc-east"), "KEY1", "SECRET1")
	if err := ping(sniffed); err != nil {
		t.Errorf("SASL_SSL on the plaintext port: %v", err)
	}
	if err := ping(client(t, env.Bootstrap("lkc-east"))); err != nil {
		t.Errorf("plaintext on the plaintext port: %v", err)
	}

	r := env.Do(http.MethodGet, "/emulator/v1/clusters", nil, auth...)
	var body struct {
		Data []struct {
			ClusterID string   `json:"cluster_id"`
			Bootstrap []string `json:"bootstrap_servers"`
			SASLSSL   []string `json:"sasl_ssl_bootstrap_servers"`
			Listeners []struct {
				SecurityProtocol string `json:"security_protocol"`
				Bootstrap        string `json:"bootstrap_servers"`
			} `json:"listeners"`
		} `json:"data"`
	}
	r.JSON(t, &body)
	if len(body.Data) != 2 || body.Data[0].ClusterID != "lkc-east" || len(body.Data[0].SASLSSL) != 1 || body.Data[0].SASLSSL[0] != tlsBS ||
		len(body.Data[0].Listeners) != 2 || body.Data[0].Listeners[1].Bootstrap != "SASL_SSL://"+tlsBS {
		t.Errorf("GET /emulator/v1/clusters: %s", r.Body)
	}
	// The CA is public: no API key needed, and it is the CA of the data dir.
	resp, err := http.Get(env.RESTURL + "/emulator/v1/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	pem, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(pem) != string(env.CA().CertPEM()) {
		t.Errorf("GET /emulator/v1/ca.pem without auth: %d %s", resp.StatusCode, pem)
	}
}
