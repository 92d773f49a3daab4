package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/kafkatest"
	"github.com/twmb/franz-go/pkg/kgo"
)

// linkSide creates one side of a link and returns the response.
func linkSide(env *apitest.Env, cluster, name string, body map[string]any) *apitest.Response {
	return env.Do(http.MethodPost, apitest.ClusterPath(cluster, "/links?link_name="+name), body)
}

func cfgs(kv ...string) []map[string]string {
	var out []map[string]string
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, map[string]string{"name": kv[i], "value": kv[i+1]})
	}
	return out
}

func linkState(t *testing.T, env *apitest.Env, cluster, name string) map[string]any {
	t.Helper()
	return env.Do(http.MethodGet, apitest.ClusterPath(cluster, "/links/", name), nil).Map(t)
}

func waitLinkState(t *testing.T, env *apitest.Env, cluster, name, state string) map[string]any {
	t.Helper()
	var got map[string]any
	apitest.Eventually(t, apitest.Timeout, cluster+" "+name+" "+state, func() bool {
		got = linkState(t, env, cluster, name)
		return got["link_state"] == state
	})
	return got
}

// TestSourceInitiatedLink creates the destination side (INBOUND) first,
// which waits, then the source side, and mirrors over it.
func TestSourceInitiatedLink(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	east, west := client(t, env.Bootstrap("lkc-east")), client(t, env.Bootstrap("lkc-west"))
	if r := linkSide(env, "lkc-west", "si", map[string]any{"source_cluster_id": "lkc-east", "configs": cfgs("link.mode", "DESTINATION", "connection.mode", "INBOUND")}); r.Status != 204 {
		t.Fatalf("destination side: %d %s", r.Status, r.Body)
	}
	waiting := waitLinkState(t, env, "lkc-west", "si", "UNAVAILABLE")
	if msg, _ := waiting["link_error_message"].(string); !strings.Contains(msg, "Waiting for cluster lkc-east to create the source side") {
		t.Errorf("waiting destination side says %q", msg)
	}
	r := linkSide(env, "lkc-east", "si", map[string]any{"destination_cluster_id": "lkc-west", "configs": cfgs("link.mode", "SOURCE", "bootstrap.servers", env.Bootstrap("lkc-west"))})
	if r.Status != 204 {
		t.Fatalf("source side: %d %s", r.Status, r.Body)
	}
	dst := waitLinkState(t, env, "lkc-west", "si", "ACTIVE")
	src := waitLinkState(t, env, "lkc-east", "si", "ACTIVE")
	if dst["cluster_link_id"] != src["cluster_link_id"] || dst["source_cluster_id"] != "lkc-east" || src["destination_cluster_id"] != "lkc-west" {
		t.Errorf("sides do not pair: %v / %v", dst, src)
	}
	apitest.ValidateSpec(t, env.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/links/si"), nil))

	env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 2})
	kafkatest.Produce(t, east, "orders", kafkatest.Keyed(100, 7)...)
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links/si/mirrors"), map[string]any{"source_topic_name": "orders"}); r.Status != 204 {
		t.Fatalf("mirror on the destination side: %d %s", r.Status, r.Body)
	}
	kafkatest.WaitExact(t, east, west, "orders", "orders", apitest.Timeout)
	if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/links/si/mirrors"), map[string]any{"source_topic_name": "orders"}); r.Status != 400 {
		t.Errorf("mirror on the source side: %d %s", r.Status, r.Body)
	}

	// The source side alone is not a link: delete it and the destination
	// side waits again, with its mirror cut off.
	if r := env.Do(http.MethodDelete, apitest.ClusterPath("lkc-east", "/links/si"), nil); r.Status != 200 {
		t.Fatalf("delete source side: %d %s", r.Status, r.Body)
	}
	waitLinkState(t, env, "lkc-west", "si", "UNAVAILABLE")
}

// TestBidirectionalLink pairs two BIDIRECTIONAL sides, mirrors in both
// directions with prefixes, and checks what deleting one side does.
func TestBidirectionalLink(t *testing.T) {
	env := apitest.Start(t, emulator.Options{})
	east, west := client(t, env.Bootstrap("lkc-east")), client(t, env.Bootstrap("lkc-west"))
	side := func(cluster, remote, prefix string, extra map[string]any) *apitest.Response {
		body := map[string]any{"remote_cluster_id": remote, "configs": cfgs("link.mode", "BIDIRECTIONAL", "cluster.link.prefix", prefix)}
		for k, v := range extra {
			body[k] = v
		}
		return linkSide(env, cluster, "bd", body)
	}
	if r := side("lkc-east", "lkc-west", "west.", nil); r.Status != 204 {
		t.Fatalf("east side: %d %s", r.Status, r.Body)
	}
	first := waitLinkState(t, env, "lkc-east", "bd", "UNAVAILABLE")
	if msg, _ := first["link_error_message"].(string); !strings.Contains(msg, "other side of bidirectional link 'bd' does not exist") {
		t.Errorf("lone side says %q", msg)
	}
	// The second side must not claim another cluster_link_id.
	r := side("lkc-west", "lkc-east", "east.", map[string]any{"cluster_link_id": "AAAAAAAAAAAAAAAAAAAAAA"})
	if r.Status != 400 || !strings.Contains(r.Map(t)["message"].(string), "does not match") {
		t.Fatalf("second side with another cluster_link_id: %d %s", r.Status, r.Body)
	}
	if r := side("lkc-west", "lkc-east", "east.", map[string]any{"cluster_link_id": first["cluster_link_id"]}); r.Status != 204 {
		t.Fatalf("west side: %d %s", r.Status, r.Body)
	}
	w := waitLinkState(t, env, "lkc-west", "bd", "ACTIVE")
	e := waitLinkState(t, env, "lkc-east", "bd", "ACTIVE")
	if w["cluster_link_id"] != e["cluster_link_id"] || w["remote_cluster_id"] != "lkc-east" {
		t.Errorf("sides do not pair: %v / %v", w, e)
	}
	// Group prefixing is refused on bidirectional links.
	if r := env.Do(http.MethodPut, apitest.ClusterPath("lkc-west", "/links/bd/configs/consumer.group.prefix.enable"), map[string]any{"value": "true"}); r.Status != 400 || !strings.Contains(r.Map(t)["message"].(string), "Invalid configuration") {
		t.Errorf("consumer.group.prefix.enable on a bidirectional link: %d %s", r.Status, r.Body)
	}

	env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 1})
	env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 1})
	kafkatest.Produce(t, east, "orders", kafkatest.Plain(20, 10)...)
	kafkatest.Produce(t, west, "orders", kafkatest.Plain(30, 10)...)
	for _, m := range []struct{ cluster, mirror string }{{"lkc-east", "west.orders"}, {"lkc-west", "east.orders"}} {
		if r := env.Do(http.MethodPost, apitest.ClusterPath(m.cluster, "/links/bd/mirrors"), map[string]any{"source_topic_name": "orders", "mirror_topic_name": m.mirror}); r.Status != 204 {
			t.Fatalf("mirror %s on %s: %d %s", m.mirror, m.cluster, r.Status, r.Body)
		}
	}
	kafkatest.WaitExact(t, west, east, "orders", "west.orders", apitest.Timeout)
	kafkatest.WaitExact(t, east, west, "orders", "east.orders", apitest.Timeout)

	// Deleting one side stops the flow both ways, and both sides show it.
	if r := env.Do(http.MethodDelete, apitest.ClusterPath("lkc-west", "/links/bd?force=true"), nil); r.Status != 200 {
		t.Fatalf("delete west side: %d %s", r.Status, r.Body)
	}
	waitLinkState(t, env, "lkc-east", "bd", "UNAVAILABLE")
	apitest.Eventually(t, apitest.Timeout, "east's mirror cut off", func() bool {
		return env.Do(http.MethodGet, apitest.ClusterPath("lkc-east", "/links/bd/mirrors/west.orders"), nil).Map(t)["mirror_status"] == "SOURCE_UNAVAILABLE"
	})
	kafkatest.Produce(t, west, "orders", kafkatest.Plain(5, 10)...)
	time.Sleep(time.Second)
	if err := kafkatest.Diff(t.Context(), west, east, "orders", "west.orders"); err == nil {
		t.Error("records still flow into east after the west side was deleted")
	}
}

// TestBidirectionalOneWayConnectivity builds the advanced variant: the less
// privileged side (east) is INBOUND and created first; the other (west)
// connects OUTBOUND and declares credentials for its own cluster with
// local.*, which east's side uses to read from west.
func TestBidirectionalOneWayConnectivity(t *testing.T) {
	env := apitest.Start(t, emulator.Options{Embedded: []emulator.EmbeddedSpec{
		{ID: "lkc-east", Listen: "127.0.0.1:0"},
		{ID: "lkc-west", Listen: "127.0.0.1:0", Users: []broker.SASLUser{{Mechanism: "PLAIN", Username: "west-admin", Password: "west-secret"}}},
	}})
	east := client(t, env.Bootstrap("lkc-east"))
	westSASL := saslClient(t, env.Bootstrap("lkc-west"), "west-admin", "west-secret")
	if r := linkSide(env, "lkc-east", "ow", map[string]any{"remote_cluster_id": "lkc-west", "configs": cfgs("link.mode", "BIDIRECTIONAL", "connection.mode", "INBOUND")}); r.Status != 204 {
		t.Fatalf("inbound side: %d %s", r.Status, r.Body)
	}
	r := linkSide(env, "lkc-west", "ow", map[string]any{"remote_cluster_id": "lkc-east", "configs": cfgs(
		"link.mode", "BIDIRECTIONAL", "bootstrap.servers", env.Bootstrap("lkc-east"),
		"local.security.protocol", "SASL_PLAINTEXT", "local.sasl.mechanism", "PLAIN",
		"local.sasl.jaas.config", `org.apache.kafka.common.security.plain.PlainLoginModule required username="west-admin" password="west-secret";`)})
	if r.Status != 204 {
		t.Fatalf("outbound side: %d %s", r.Status, r.Body)
	}
	waitLinkState(t, env, "lkc-east", "ow", "ACTIVE")
	waitLinkState(t, env, "lkc-west", "ow", "ACTIVE")

	env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/topics"), map[string]any{"topic_name": "w", "partitions_count": 1})
	env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "e", "partitions_count": 1})
	kafkatest.Produce(t, westSASL, "w", kafkatest.Plain(10, 10)...)
	kafkatest.Produce(t, east, "e", kafkatest.Plain(10, 10)...)
	for _, m := range []struct{ cluster, source string }{{"lkc-east", "w"}, {"lkc-west", "e"}} {
		if r := env.Do(http.MethodPost, apitest.ClusterPath(m.cluster, "/links/ow/mirrors"), map[string]any{"source_topic_name": m.source}); r.Status != 204 {
			t.Fatalf("mirror of %s on %s: %d %s", m.source, m.cluster, r.Status, r.Body)
		}
	}
	kafkatest.WaitExact(t, westSASL, east, "w", "w", apitest.Timeout)
	kafkatest.WaitExact(t, east, westSASL, "e", "e", apitest.Timeout)
}

// saslClient is a client of a SASL PLAIN cluster.
func saslClient(t *testing.T, bootstrap, user, pass string) *kgo.Client {
	t.Helper()
	opts, err := broker.ConnConfig{Bootstrap: []string{bootstrap}, SecurityProtocol: broker.ProtoSASLPlaintext, SASLMechanism: "PLAIN", Username: user, Password: pass}.Opts()
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}
