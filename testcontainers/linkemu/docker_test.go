//go:build docker

package linkemu_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/testcontainers/linkemu"
	"github.com/testcontainers/testcontainers-go"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// image returns the customizers that give the linkemu image: LINKEMU_IMAGE
// if set (e.g. linkemu:dev from make docker), else a build of the
// repository's Dockerfile.
func image() (string, []testcontainers.ContainerCustomizer) {
	if img := os.Getenv("LINKEMU_IMAGE"); img != "" {
		return img, nil
	}
	return "", []testcontainers.ContainerCustomizer{testcontainers.WithDockerfile(testcontainers.FromDockerfile{
		Context: "../..", Dockerfile: "Dockerfile",
	})}
}

// TestContainer runs the linkemu image and uses it from the host: the REST
// API, a link whose bootstrap.servers is the host-side address of its
// source (it must work inside the container too), records produced and
// consumed through the advertised addresses, and /metrics.
//
// It needs a Docker engine and skips without one: go test -tags docker.
func TestContainer(t *testing.T) {
	testcontainers.SkipIfProviderIsNotHealthy(t)
	ctx := context.Background()
	img, build := image()
	ctr, err := linkemu.Run(ctx, img, append(build, linkemu.WithClusters("lkc-east", "lkc-west"), linkemu.WithAPIKey("key", "secret"))...)
	testcontainers.CleanupContainer(t, ctr)
	if err != nil {
		t.Fatal(err)
	}
	restURL, err := ctr.RESTURL(ctx)
	if err != nil {
		t.Fatal(err)
	}
	east, err := ctr.Bootstrap("lkc-east")
	if err != nil {
		t.Fatal(err)
	}
	west, _ := ctr.Bootstrap("lkc-west")

	rest := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, method, restURL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth("key", "secret")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		return resp.StatusCode, out
	}

	if status, _ := rest(http.MethodPost, "/kafka/v3/clusters/lkc-west/links?link_name=east-to-west",
		`{"source_cluster_id":"lkc-east","configs":[{"name":"bootstrap.servers","value":"`+east+`"}]}`); status != http.StatusNoContent {
		t.Fatalf("create link with bootstrap.servers=%s: status %d", east, status)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, l := rest(http.MethodGet, "/kafka/v3/clusters/lkc-west/links/east-to-west", "")
		if l["link_state"] == "ACTIVE" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("link not ACTIVE after 60s: %v", l)
		}
		time.Sleep(200 * time.Millisecond)
	}

	for _, bootstrap := range []string{east, west} {
		cl, err := kgo.NewClient(kgo.SeedBrokers(bootstrap), kgo.DefaultProduceTopic("orders"),
			kgo.ConsumeTopics("orders"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kadm.NewClient(cl).CreateTopic(ctx, 1, 1, nil, "orders"); err != nil {
			t.Fatalf("create topic on %s: %v", bootstrap, err)
		}
		if err := cl.ProduceSync(ctx, kgo.StringRecord("hello")).FirstErr(); err != nil {
			t.Fatalf("produce to %s: %v", bootstrap, err)
		}
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		if recs := fs.Records(); len(recs) != 1 || string(recs[0].Value) != "hello" {
			t.Errorf("consumed %v from %s (errors %v)", recs, bootstrap, fs.Errors())
		}
		cl.Close()
	}

	resp, err := http.Get(restURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `linkemu_link_state{cluster="lkc-west",link="east-to-west",state="ACTIVE"} 1`; !strings.Contains(string(text), want) {
		t.Errorf("/metrics lacks %s", want)
	}
}
