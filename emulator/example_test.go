package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Start linkemu in-process, link lkc-east to lkc-west through the REST API,
// and move a record through lkc-east's bootstrap address. This is the body
// of a typical integration test; Close stops everything Start started.
func Example() {
	ctx := context.Background()
	emu, err := emulator.Start(ctx, emulator.Options{})
	if err != nil {
		log.Printf("start linkemu: %v", err)
		return
	}
	defer emu.Close()

	for _, c := range emu.Clusters {
		fmt.Println("cluster", c.ID, "embedded:", c.Embedded)
	}

	// Create the link on its destination cluster, as with Confluent's
	// Kafka REST v3 API: POST /kafka/v3/clusters/{cluster_id}/links.
	resp, err := http.Post(emu.RESTURL+"/kafka/v3/clusters/lkc-west/links?link_name=east-to-west",
		"application/json", strings.NewReader(`{"source_cluster_id": "lkc-east"}`))
	if err != nil {
		log.Printf("create link: %v", err)
		return
	}
	resp.Body.Close()
	fmt.Println("create link:", resp.Status)
	state, err := waitLinkState(emu.RESTURL, "lkc-west", "east-to-west", "ACTIVE")
	if err != nil {
		log.Print(err)
		return
	}
	fmt.Println("link_state:", state)

	// The clusters are real Kafka brokers over TCP: any client works.
	east, _ := emu.Cluster("lkc-east")
	cl, err := kgo.NewClient(kgo.SeedBrokers(east.Bootstrap), kgo.DefaultProduceTopic("orders"),
		kgo.ConsumeTopics("orders"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		log.Printf("kafka client: %v", err)
		return
	}
	defer cl.Close()
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, 1, 1, nil, "orders"); err != nil {
		log.Printf("create topic: %v", err)
		return
	}
	if err := cl.ProduceSync(ctx, kgo.StringRecord("hello")).FirstErr(); err != nil {
		log.Printf("produce: %v", err)
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	fetches := cl.PollFetches(pctx)
	fetches.EachRecord(func(r *kgo.Record) { fmt.Println("consumed:", string(r.Value)) })

	// Output:
	// cluster lkc-east embedded: true
	// cluster lkc-west embedded: true
	// create link: 204 No Content
	// link_state: ACTIVE
	// consumed: hello
}

// Choose the embedded clusters' IDs; each gets a free loopback port.
func ExampleEmbeddedClusters() {
	emu, err := emulator.Start(context.Background(), emulator.Options{
		Embedded: emulator.EmbeddedClusters("lkc-prod", "lkc-dr"),
	})
	if err != nil {
		log.Printf("start linkemu: %v", err)
		return
	}
	defer emu.Close()

	for _, c := range emu.Clusters {
		fmt.Println(c.ID, strings.HasPrefix(c.Bootstrap, "127.0.0.1:"))
	}

	// Output:
	// lkc-prod true
	// lkc-dr true
}

// Look a cluster up by ID and reach it with an admin client: the broker
// reports the cluster ID linkemu serves it under.
func ExampleEmulator_Cluster() {
	ctx := context.Background()
	emu, err := emulator.Start(ctx, emulator.Options{})
	if err != nil {
		log.Printf("start linkemu: %v", err)
		return
	}
	defer emu.Close()

	west, ok := emu.Cluster("lkc-west")
	if !ok {
		log.Print("no cluster lkc-west")
		return
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(west.Bootstrap))
	if err != nil {
		log.Printf("kafka client: %v", err)
		return
	}
	defer cl.Close()
	meta, err := kadm.NewClient(cl).BrokerMetadata(ctx)
	if err != nil {
		log.Printf("metadata: %v", err)
		return
	}
	fmt.Println("cluster ID:", meta.Cluster)

	// Output:
	// cluster ID: lkc-west
}

// Stop an embedded cluster for an outage drill: the links that reach it
// turn UNAVAILABLE, and ACTIVE again once it is back with its data.
func ExampleEmulator_Registry() {
	emu, err := emulator.Start(context.Background(), emulator.Options{HealthInterval: 200 * time.Millisecond})
	if err != nil {
		log.Printf("start linkemu: %v", err)
		return
	}
	defer emu.Close()
	resp, err := http.Post(emu.RESTURL+"/kafka/v3/clusters/lkc-west/links?link_name=east-to-west",
		"application/json", strings.NewReader(`{"source_cluster_id": "lkc-east"}`))
	if err != nil {
		log.Printf("create link: %v", err)
		return
	}
	resp.Body.Close()

	east, err := emu.Registry().Get("lkc-east")
	if err != nil {
		log.Print(err)
		return
	}
	east.Embedded.Stop()
	state, err := waitLinkState(emu.RESTURL, "lkc-west", "east-to-west", "UNAVAILABLE")
	fmt.Println("lkc-east stopped:", state, err)

	if err := east.Embedded.Start(); err != nil {
		log.Print(err)
		return
	}
	state, err = waitLinkState(emu.RESTURL, "lkc-west", "east-to-west", "ACTIVE")
	fmt.Println("lkc-east started:", state, err)

	// Output:
	// lkc-east stopped: UNAVAILABLE <nil>
	// lkc-east started: ACTIVE <nil>
}

// Turn on HTTP Basic auth for the v3 API with API keys, as Confluent Cloud
// requires them. /healthz, /readyz and /metrics stay open.
func ExampleOptions_apiKeys() {
	emu, err := emulator.Start(context.Background(), emulator.Options{
		APIKeys: map[string]string{"my-key": "my-secret"},
	})
	if err != nil {
		log.Printf("start linkemu: %v", err)
		return
	}
	defer emu.Close()

	get := func(path string, auth bool) string {
		req, _ := http.NewRequest(http.MethodGet, emu.RESTURL+path, nil)
		if auth {
			req.SetBasicAuth("my-key", "my-secret")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		resp.Body.Close()
		return resp.Status
	}
	fmt.Println("no key:  ", get("/kafka/v3/clusters", false))
	fmt.Println("with key:", get("/kafka/v3/clusters", true))
	fmt.Println("metrics: ", get("/metrics", false))

	// Output:
	// no key:   401 Unauthorized
	// with key: 200 OK
	// metrics:  200 OK
}

// Scrape linkemu's Prometheus metrics: each link's state, mirror statuses
// and lags, task states, REST request counts and latencies.
func Example_metrics() {
	emu, err := emulator.Start(context.Background(), emulator.Options{})
	if err != nil {
		log.Printf("start linkemu: %v", err)
		return
	}
	defer emu.Close()
	resp, err := http.Post(emu.RESTURL+"/kafka/v3/clusters/lkc-west/links?link_name=east-to-west",
		"application/json", strings.NewReader(`{"source_cluster_id": "lkc-east"}`))
	if err != nil {
		log.Printf("create link: %v", err)
		return
	}
	resp.Body.Close()

	resp, err = http.Get(emu.RESTURL + "/metrics")
	if err != nil {
		log.Printf("scrape: %v", err)
		return
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	for line := range strings.Lines(string(text)) {
		if strings.HasPrefix(line, `linkemu_link_state{`) && strings.HasSuffix(line, " 1\n") {
			fmt.Print(line)
		}
	}

	// Output:
	// linkemu_link_state{cluster="lkc-west",link="east-to-west",state="ACTIVE"} 1
}

// waitLinkState polls GET .../links/{link} until its link_state is want,
// for at most 30 seconds, and returns the last state seen.
func waitLinkState(restURL, cluster, link, want string) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	var state string
	for {
		resp, err := http.Get(restURL + "/kafka/v3/clusters/" + cluster + "/links/" + link)
		if err == nil {
			var body struct {
				LinkState string `json:"link_state"`
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			state = body.LinkState
		}
		if state == want {
			return state, nil
		}
		if time.Now().After(deadline) {
			return state, errors.Join(fmt.Errorf("link %s is %s after 30s, want %s", link, state, want), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
