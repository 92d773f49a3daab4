package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/blackhole"
)

// The REST section drives a full emulator (two embedded clusters, the REST
// API over loopback HTTP) with many concurrent clients mixing reads and
// writes, once plain and once with a blackholed link present: a link whose
// bootstrap.servers is a listener that accepts TCP and never answers.
//
// It runs the mix two ways. Paced, each client sends its requests at random
// (Poisson) times at a given mean rate, one at a time, as the users of a
// shared lab do; a request's latency runs from the time it was due, not
// from when a late client got round to sending it, so a stall counts in
// full (no coordinated omission). The latency targets apply here.
// Saturated, each client sends its next request as soon as the last one
// answered: that measures throughput, and latency there is queueing by
// Little's law (clients / throughput), whatever the server does.

// restOp is one kind of request of the mixed workload.
type restOp struct {
	route  string
	weight int
	read   bool
}

// restOps is the mix: mostly reads, a shared link's configs altered, and
// distinct links and mirrors created and deleted by each client.
var restOps = []restOp{
	{"GET link", 25, true},
	{"GET mirror", 25, true},
	{"GET links", 15, true},
	{"PUT link configs:alter", 15, false},
	{"POST/DELETE link", 10, false},
	{"POST/DELETE mirror", 10, false},
}

// restStats collects the latencies of one route.
type restStats struct {
	mu   sync.Mutex
	lats []time.Duration
	errs int
	// timeouts counts requests that got no answer within the client's 30 s:
	// a wedged API, not a slow one.
	timeouts int
	msgs     []string
}

func (s *restStats) add(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lats = append(s.lats, d)
	if err != nil {
		s.errs++
		if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
			s.timeouts++
		}
		if len(s.msgs) < 1 {
			msg := err.Error()
			if len(msg) > 200 {
				msg = msg[:200] + "…"
			}
			s.msgs = append(s.msgs, msg)
		}
	}
}

func (s *restStats) quantile(f float64) time.Duration {
	if len(s.lats) == 0 {
		return 0
	}
	return s.lats[int(f*float64(len(s.lats)-1))]
}

// p99Target is the paced mix's latency target for reads (read true) or
// writes.
func p99Target(read bool) time.Duration {
	if read {
		return 5 * time.Millisecond
	}
	return 50 * time.Millisecond
}

// ms is d in milliseconds, for the tables.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// restResult is one phase of the REST section.
type restResult struct {
	name   string
	routes map[string]*restStats
	total  int
	// Paced only: wake is how late each client woke for a request it was
	// waiting to send (the load generator's timers; 0 when the request was
	// already late), and trip the read routes' latency from the moment the
	// request was sent. The route latencies include both.
	wake, trip *restStats
}

// restLoad is how the clients send: rate requests per second each, at
// random times; 0 sends each request as soon as the last one answered.
type restLoad struct {
	clients int
	rate    float64
	d       time.Duration
}

func (l restLoad) String() string {
	if l.rate == 0 {
		return fmt.Sprintf("%d clients, each sending its next request when the last answers (saturated), for %v", l.clients, l.d)
	}
	return fmt.Sprintf("%d clients, each sending %.3g requests/s at random times (%.0f/s offered), for %v", l.clients, l.rate, l.rate*float64(l.clients), l.d)
}

// restClient is a tiny REST client that checks statuses.
type restClient struct {
	base string
	hc   *http.Client
}

func (c *restClient) do(ctx context.Context, method, path, body string, want int) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	// The load generator shares the process with the emulator: it reads
	// answers without keeping them, so as not to feed the collector.
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (c *restClient) must(ctx context.Context, method, path, body string, want int) {
	check(c.do(ctx, method, path, body, want))
}

func newRESTClient(base string, conns int) *restClient {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &restClient{base: base, hc: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// restRun runs the mixed workload with load, with a blackholed link
// present when withBlackhole is set.
func restRun(ctx context.Context, load restLoad, withBlackhole bool) restResult {
	clients, d := load.clients, load.d
	emu, err := emulator.Start(ctx, emulator.Options{})
	check(err)
	defer closeWithin(emu, 30*time.Second)
	c := newRESTClient(emu.RESTURL, clients+8)
	const east, west = "/kafka/v3/clusters/lkc-east", "/kafka/v3/clusters/lkc-west"

	// A shared link with ten mirrors for the reads and the config alters,
	// and one source topic per client for its own mirror to come and go.
	for i := range 10 {
		c.must(ctx, "POST", east+"/topics", fmt.Sprintf(`{"topic_name":"shared-%d","partitions_count":4}`, i), 201)
	}
	for i := range clients {
		c.must(ctx, "POST", east+"/topics", fmt.Sprintf(`{"topic_name":"own-%d","partitions_count":2}`, i), 201)
	}
	c.must(ctx, "POST", west+"/links?link_name=shared", `{"source_cluster_id":"lkc-east"}`, 204)
	for i := range 10 {
		c.must(ctx, "POST", west+"/links/shared/mirrors", fmt.Sprintf(`{"source_topic_name":"shared-%d"}`, i), 204)
	}
	name := "plain"
	if withBlackhole {
		name = "with a blackholed link"
		hole, err := blackhole.Listen()
		check(err)
		defer hole.Close()
		addr := hole.Addr()
		// The create itself may wait on the blackhole; it runs beside the
		// workload, as a user's would.
		go func() {
			_ = c.do(ctx, "POST", west+"/links?link_name=blackholed&validate_link=false",
				fmt.Sprintf(`{"source_cluster_id":"lkc-black","configs":[{"name":"bootstrap.servers","value":%q}]}`, addr), 204)
		}()
		time.Sleep(500 * time.Millisecond) // let the create reach the manager first
	}

	res := restResult{name: name, routes: map[string]*restStats{}, wake: &restStats{}, trip: &restStats{}}
	for _, op := range restOps {
		res.routes[op.route] = &restStats{}
	}
	var total atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for id := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(id), 7))
			var linkUp, mirrorUp bool
			linkN := 0
			due := time.Now()
			for {
				start := time.Now()
				if load.rate > 0 {
					due = due.Add(time.Duration(rng.ExpFloat64() / load.rate * float64(time.Second)))
					if !due.Before(deadline) {
						break
					}
					var late time.Duration
					if wait := time.Until(due); wait > 0 {
						time.Sleep(wait)
						late = time.Since(due)
					}
					res.wake.add(late, nil)
					start = due
				} else if !start.Before(deadline) {
					break
				}
				op := pick(rng)
				sent := time.Now()
				var err error
				switch op.route {
				case "GET link":
					err = c.do(ctx, "GET", west+"/links/shared", "", 200)
				case "GET mirror":
					err = c.do(ctx, "GET", fmt.Sprintf("%s/links/shared/mirrors/shared-%d", west, rng.IntN(10)), "", 200)
				case "GET links":
					err = c.do(ctx, "GET", west+"/links", "", 200)
				case "PUT link configs:alter":
					err = c.do(ctx, "PUT", west+"/links/shared/configs:alter",
						fmt.Sprintf(`{"data":[{"name":"consumer.offset.sync.ms","value":"%d"}]}`, 1000+rng.IntN(100000)), 204)
				case "POST/DELETE link":
					if linkUp {
						err = c.do(ctx, "DELETE", fmt.Sprintf("%s/links/c%d-%d", west, id, linkN), "", 200)
						linkN++
					} else {
						err = c.do(ctx, "POST", fmt.Sprintf("%s/links?link_name=c%d-%d", west, id, linkN), `{"source_cluster_id":"lkc-east"}`, 204)
					}
					linkUp = !linkUp
				case "POST/DELETE mirror":
					if mirrorUp {
						err = c.do(ctx, "DELETE", fmt.Sprintf("%s/topics/own-%d", west, id), "", 204)
					} else {
						err = c.do(ctx, "POST", west+"/links/shared/mirrors", fmt.Sprintf(`{"source_topic_name":"own-%d"}`, id), 204)
					}
					mirrorUp = !mirrorUp
				}
				res.routes[op.route].add(time.Since(start), err)
				if op.read && load.rate > 0 {
					res.trip.add(time.Since(sent), nil)
				}
				total.Add(1)
			}
		}()
	}
	wg.Wait()
	res.total = int(total.Load())
	for _, s := range res.routes {
		slices.Sort(s.lats)
	}
	slices.Sort(res.wake.lats)
	slices.Sort(res.trip.lats)
	return res
}

func pick(rng *rand.Rand) restOp {
	sum := 0
	for _, op := range restOps {
		sum += op.weight
	}
	n := rng.IntN(sum)
	for _, op := range restOps {
		if n < op.weight {
			return op
		}
		n -= op.weight
	}
	return restOps[0]
}

// closeWithin closes emu, giving up after d so that a wedged emulator
// cannot hang the bench.
func closeWithin(emu *emulator.Emulator, d time.Duration) {
	done := make(chan struct{})
	go func() { _ = emu.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		fmt.Printf("  (the emulator did not close within %v; left running)\n", d)
	}
}

// printREST prints the phases of one load side by side. With targets it
// checks them: reads p99 ≤ 5 ms, writes p99 ≤ 50 ms, no errors, and the
// blackholed link changing no route's p99 by more than 2×; without, only
// the errors and the blackholed link's effect.
func printREST(load restLoad, targets bool, plain, black restResult) {
	fmt.Printf("\nREST: %v, mixed workload (ms)\n", load)
	fmt.Printf("%-24s %8s %8s %8s %6s | %8s %8s %8s %6s | %6s\n", "route", "n", "p50", "p99", "errs", "n", "p50", "p99", "errs", "p99 ×")
	fmt.Printf("%-24s %-35s | %-35s |\n", "", "plain", "with a blackholed link")
	var fails []string
	for _, op := range restOps {
		p, b := plain.routes[op.route], black.routes[op.route]
		ratio := 0.0
		if p.quantile(0.99) > 0 {
			ratio = float64(b.quantile(0.99)) / float64(p.quantile(0.99))
		}
		fmt.Printf("%-24s %8d %8.2f %8.2f %6d | %8d %8.2f %8.2f %6d | %6.2f\n", op.route,
			len(p.lats), ms(p.quantile(0.5)), ms(p.quantile(0.99)), p.errs,
			len(b.lats), ms(b.quantile(0.5)), ms(b.quantile(0.99)), b.errs, ratio)
		limit := p99Target(op.read)
		for _, r := range []struct {
			name string
			s    *restStats
		}{{plain.name, p}, {black.name, b}} {
			if targets && r.s.quantile(0.99) > limit {
				fails = append(fails, fmt.Sprintf("%s %s: p99 %.2f ms > %v", op.route, r.name, ms(r.s.quantile(0.99)), limit))
			}
			if r.s.errs > 0 {
				fails = append(fails, fmt.Sprintf("%s %s: %d errors (%d unanswered after 30 s), e.g. %s", op.route, r.name, r.s.errs, r.s.timeouts, strings.Join(r.s.msgs, " | ")))
			}
		}
		if ratio > 2 {
			fails = append(fails, fmt.Sprintf("%s: the blackholed link multiplies p99 by %.2f", op.route, ratio))
		}
	}
	if load.rate > 0 {
		fmt.Println("where the read latency comes from: the clients' wake-up delay (their timers, due → sent) and the round trip (sent → answered)")
		for _, r := range []restResult{plain, black} {
			fmt.Printf("  %-24s wake-up p50 %5.2f p99 %5.2f | read round trip p50 %5.2f p99 %5.2f\n", r.name+":",
				ms(r.wake.quantile(0.5)), ms(r.wake.quantile(0.99)), ms(r.trip.quantile(0.5)), ms(r.trip.quantile(0.99)))
		}
	}
	d := load.d
	fmt.Printf("requests: %d plain (%.0f/s), %d with the blackholed link (%.0f/s)\n", plain.total, float64(plain.total)/d.Seconds(), black.total, float64(black.total)/d.Seconds())
	what := "targets (reads p99 ≤ 5 ms, writes p99 ≤ 50 ms, 0 errors, blackhole ≤ 2×)"
	if !targets {
		what = "checks (0 errors, blackhole ≤ 2×; latency here is queueing, no target)"
	}
	if len(fails) == 0 {
		fmt.Println(what + ": met")
		return
	}
	fmt.Println(what + ": NOT met")
	for _, f := range fails {
		fmt.Println("  -", f)
	}
}

// restPair runs the mixed workload with load, plain and then with a
// blackholed link. Before each it collects garbage and returns free memory
// to the system, so that neither pays for an earlier section's garbage or
// for the runtime returning its memory in the background (the
// proof-of-exactness section before it holds a million records in memory).
func restPair(ctx context.Context, load restLoad) (plain, black restResult) {
	debug.FreeOSMemory()
	plain = restRun(ctx, load, false)
	debug.FreeOSMemory()
	black = restRun(ctx, load, true)
	return plain, black
}

// restPoint is the paced mix at one offered load.
type restPoint struct {
	load         restLoad
	plain, black restResult
}

// parseRates reads a comma-separated list of per-client rates.
func parseRates(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		r, err := strconv.ParseFloat(f, 64)
		if err != nil || r <= 0 {
			return nil, fmt.Errorf("-rest-curve: %q is not a positive number of requests per second", f)
		}
		out = append(out, r)
	}
	return out, nil
}

// worst is the largest p99 over the routes that are reads (read true) or
// writes (read false), with the errors of those routes.
func (r restResult) worst(read bool) (p99 time.Duration, errs int) {
	for _, op := range restOps {
		if op.read != read {
			continue
		}
		s := r.routes[op.route]
		p99 = max(p99, s.quantile(0.99))
		errs += s.errs
	}
	return p99, errs
}

// printCurve prints the worst read and write p99 of the paced mix at each
// offered load, lowest first, and marks the loads at which the latency
// targets hold: what a user can expect of the API below the load the
// targets are set at.
func printCurve(points []restPoint) {
	if len(points) < 2 {
		return
	}
	slices.SortFunc(points, func(a, b restPoint) int { return cmp.Compare(a.load.rate, b.load.rate) })
	fmt.Printf("\nREST latency against load: %d clients, paced, %v per phase; worst p99 over the read routes and over the write routes (ms)\n", points[0].load.clients, points[0].load.d)
	fmt.Printf("%10s %8s | %9s %9s %6s | %9s %9s %6s | %s\n", "req/s/cli", "offered", "reads", "writes", "errs", "reads", "writes", "errs", "targets")
	fmt.Printf("%19s | %-26s | %-26s |\n", "", "plain", "with a blackholed link")
	for _, p := range points {
		met := "met"
		var cells []any
		for _, r := range []restResult{p.plain, p.black} {
			rp, re := r.worst(true)
			wp, we := r.worst(false)
			if rp > p99Target(true) || wp > p99Target(false) || re+we > 0 {
				met = "not met"
			}
			cells = append(cells, ms(rp), ms(wp), re+we)
		}
		fmt.Printf("%10.3g %8.0f | %9.2f %9.2f %6d | %9.2f %9.2f %6d | %s\n", append(append([]any{p.load.rate, p.load.rate * float64(p.load.clients)}, cells...), met)...)
	}
}
