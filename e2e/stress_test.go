package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/linkemu/linkemu/internal/blackhole"
	"github.com/linkemu/linkemu/internal/kafkatest"
)

// TestControlPlaneUnderLoad drives the REST API with many concurrent
// clients mixing read and write routes while mirrors of topics with
// thousands of partitions are created and deleted, a link points at a
// listener that accepts connections and never answers, and a mirror keeps
// replicating. It asserts that every request completes (within a deadline
// far above any normal latency: it detects deadlock, not slowness), that
// every successful write is visible to the next read, and that replication
// stays exact.
func TestControlPlaneUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	l := newLab(t)
	l.topic(t, "steady", 4)
	l.createMirror(t, "steady")
	hole := blackholeAddr(t)

	s := &stress{t: t, base: l.RESTURL, http: &http.Client{Timeout: stressDeadline}}
	until := time.Now().Add(12 * time.Second)
	var wg sync.WaitGroup
	run := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }

	run(func() { // a link whose remote cluster never answers
		s.expect(204, http.MethodPost, west("/links?link_name=hole&validate_link=false"), map[string]any{"source_cluster_id": "lkc-hole",
			"configs": []map[string]string{{"name": "bootstrap.servers", "value": hole}}})
		s.expect(200, http.MethodGet, west("/links/hole"), nil)
	})
	run(func() { // mirrors of big topics, created and deleted
		for n := 0; time.Now().Before(until); n++ {
			name := fmt.Sprintf("big-%d", n)
			s.expect(201, http.MethodPost, east("/topics"), map[string]any{"topic_name": name, "partitions_count": 2000})
			s.expect(204, http.MethodPost, west("/links/east-to-west/mirrors"), map[string]any{"source_topic_name": name})
			if m := s.expect(200, http.MethodGet, west("/links/east-to-west/mirrors/"+name), nil); m != nil && m["num_partitions"] != float64(2000) {
				t.Errorf("mirror %s right after create: num_partitions %v", name, m["num_partitions"])
			}
			s.expect(204, http.MethodDelete, west("/topics/"+name), nil)
			s.expect(404, http.MethodGet, west("/links/east-to-west/mirrors/"+name), nil)
			s.expect(204, http.MethodDelete, east("/topics/"+name), nil)
		}
	})
	run(func() { // data keeps flowing into the steady mirror
		for n := 0; time.Now().Before(until); n++ {
			kafkatest.Produce(t, l.east, "steady", kafkatest.Keyed(50, 7)...)
			time.Sleep(50 * time.Millisecond)
		}
	})
	run(func() { // one client pauses and resumes the steady mirror
		for time.Now().Before(until) {
			for _, step := range []struct{ action, status string }{{"pause", "PAUSED"}, {"resume", "ACTIVE"}} {
				s.expect(200, http.MethodPost, west("/links/east-to-west/mirrors:"+step.action), map[string]any{"mirror_topic_names": []string{"steady"}})
				if m := s.expect(200, http.MethodGet, west("/links/east-to-west/mirrors/steady"), nil); m != nil && m["mirror_status"] != step.status {
					t.Errorf("mirror status %v right after %s", m["mirror_status"], step.action)
				}
			}
		}
	})
	for i := range 12 {
		run(func() { s.user(i, until) })
	}
	wg.Wait()
	kafkatest.WaitExact(t, l.east, l.west, "steady", "steady", apitest.Timeout)
	t.Logf("%d requests", s.count())
}

// stressDeadline is the longest any request may take: far above any normal
// latency, even on a loaded machine under -race, so that only a request
// that never completes fails the test.
const stressDeadline = 90 * time.Second

func east(path string) string { return apitest.ClusterPath("lkc-east", path) }
func west(path string) string { return apitest.ClusterPath("lkc-west", path) }

// user runs one HTTP client's mix of reads and checked writes on objects
// of its own, and writes on the shared link.
func (s *stress) user(i int, until time.Time) {
	principal := url.QueryEscape(fmt.Sprintf("User:stress-%d", i))
	acl := east("/acls?resource_type=TOPIC&resource_name=stress&pattern_type=LITERAL&principal=" + principal + "&host=*&operation=READ&permission=ALLOW")
	link := fmt.Sprintf("c-%d", i)
	for n := 0; time.Now().Before(until); n++ {
		for _, p := range []string{"/links", "/links/east-to-west", "/links/east-to-west?include_tasks=true", "/links/east-to-west/mirrors",
			"/links/-/mirrors", "/links/east-to-west/mirrors/steady", "/links/east-to-west/configs", "/links/east-to-west/configs/consumer.offset.sync.ms",
			"/topics", "/topics/steady", "/topics/steady/partitions", "/topics/steady/configs", "/consumer-groups", "/brokers", "/acls"} {
			s.expect(200, http.MethodGet, west(p), nil)
		}
		topic := fmt.Sprintf("t-%d-%d", i, n)
		s.expect(201, http.MethodPost, east("/topics"), map[string]any{"topic_name": topic, "partitions_count": 2})
		s.expect(200, http.MethodGet, east("/topics/"+topic), nil)
		s.expect(204, http.MethodPut, east("/topics/"+topic+"/configs/retention.ms"), map[string]any{"value": fmt.Sprint(60000 + n)})
		if c := s.expect(200, http.MethodGet, east("/topics/"+topic+"/configs/retention.ms"), nil); c != nil && c["value"] != fmt.Sprint(60000+n) {
			s.t.Errorf("retention.ms %v right after setting %d", c["value"], 60000+n)
		}
		s.expect(204, http.MethodDelete, east("/topics/"+topic), nil)
		s.expect(404, http.MethodGet, east("/topics/"+topic), nil)

		s.expect(201, http.MethodPost, east("/acls"), map[string]string{"resource_type": "TOPIC", "resource_name": "stress", "pattern_type": "LITERAL",
			"principal": fmt.Sprintf("User:stress-%d", i), "host": "*", "operation": "READ", "permission": "ALLOW"})
		if a := s.expect(200, http.MethodGet, acl, nil); a != nil && len(a["data"].([]any)) != 1 {
			s.t.Errorf("%d ACLs right after creating one", len(a["data"].([]any)))
		}
		s.expect(200, http.MethodDelete, acl, nil)

		switch n % 3 {
		case 0: // a link of its own: create, configure, delete
			s.expect(204, http.MethodPost, west("/links?link_name="+link), map[string]any{"source_cluster_id": "lkc-east"})
			s.expect(200, http.MethodGet, west("/links/"+link), nil)
			s.expect(204, http.MethodPut, west("/links/"+link+"/configs/consumer.offset.sync.ms"), map[string]any{"value": fmt.Sprint(1000 + n)})
			if c := s.expect(200, http.MethodGet, west("/links/"+link+"/configs/consumer.offset.sync.ms"), nil); c != nil && c["value"] != fmt.Sprint(1000+n) {
				s.t.Errorf("link config %v right after setting %d", c["value"], 1000+n)
			}
			s.expect(200, http.MethodDelete, west("/links/"+link), nil)
			s.expect(404, http.MethodGet, west("/links/"+link), nil)
		case 1: // the shared link, which restarts its runtime
			s.expect(204, http.MethodPut, west("/links/east-to-west/configs:alter"), map[string]any{"data": []map[string]string{{"name": "consumer.offset.sync.ms", "value": fmt.Sprint(5000 + i)}}})
		}
	}
}

// stress sends requests and checks their outcome; it is safe for
// concurrent use.
type stress struct {
	t    *testing.T
	base string
	http *http.Client
	mu   sync.Mutex
	n    int
}

func (s *stress) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// expect sends a request and reports an error unless it completes in time
// with the status want; it returns the decoded JSON object body, if any.
func (s *stress) expect(want int, method, path string, body any) map[string]any {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, s.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Errorf("%s %s did not complete after %v (deadlock?): %v", method, path, time.Since(start).Round(time.Millisecond), err)
		return nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		s.t.Errorf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
		return nil
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// blackholeAddr returns the address of a listener that accepts connections and
// never answers, closed when the test ends.
func blackholeAddr(t *testing.T) string {
	t.Helper()
	hole, err := blackhole.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hole.Close)
	return hole.Addr()
}

// TestNothingWaitsForAnUnansweringLink creates a link whose remote cluster
// accepts connections and never answers, which takes its first health
// check (several seconds of probe timeouts), and checks that while that
// request is still in flight, reads and changes of other objects complete.
func TestNothingWaitsForAnUnansweringLink(t *testing.T) {
	l := newLab(t)
	l.topic(t, "orders", 2)
	l.createMirror(t, "orders")
	s := &stress{t: t, base: l.RESTURL, http: &http.Client{Timeout: stressDeadline}}
	created := make(chan struct{})
	go func() {
		defer close(created)
		s.expect(204, http.MethodPost, west("/links?link_name=hole&validate_link=false"), map[string]any{"source_cluster_id": "lkc-hole",
			"configs": []map[string]string{{"name": "bootstrap.servers", "value": blackholeAddr(t)}}})
	}()
	// The link is stored (and so listed) before its first health check.
	apitest.Eventually(t, apitest.Timeout, "link hole listed", func() bool {
		return l.Do(http.MethodGet, west("/links/hole"), nil).Status == 200
	})
	s.expect(200, http.MethodGet, west("/links"), nil)
	s.expect(200, http.MethodGet, west("/links/east-to-west/mirrors/orders"), nil)
	s.expect(200, http.MethodPost, west("/links/east-to-west/mirrors:pause"), map[string]any{"mirror_topic_names": []string{"orders"}})
	s.expect(204, http.MethodPut, west("/links/east-to-west/configs/consumer.offset.sync.ms"), map[string]any{"value": "4000"})
	s.expect(201, http.MethodPost, east("/topics"), map[string]any{"topic_name": "more", "partitions_count": 1})
	s.expect(204, http.MethodPost, west("/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "more"})
	select {
	case <-created:
		t.Fatal("the other requests completed only after the unanswering link's creation: they waited for its health check")
	default:
	}
	<-created
	if st := l.Do(http.MethodGet, west("/links/hole"), nil).Map(t)["link_state"]; st != "UNAVAILABLE" {
		t.Errorf("link hole is %v after its first health check, want UNAVAILABLE", st)
	}
}
