// Package emulator starts a whole linkemu in-process: its store, embedded
// Kafka clusters, connections to external clusters, the control plane, the
// REST API and its Prometheus metrics. cmd/emulator is a thin wrapper
// around it, and Go tests use it directly (library mode):
//
//	emu, err := emulator.Start(ctx, emulator.Options{})
//	if err != nil { ... }
//	defer emu.Close()
//	east, _ := emu.Cluster("lkc-east") // east.Bootstrap is "127.0.0.1:PORT"
//	// REST API under emu.RESTURL + "/kafka/v3", metrics at emu.RESTURL + "/metrics"
//
// With zero Options it starts two embedded clusters, lkc-east and lkc-west,
// on free loopback ports, a REST API on a free loopback port, and keeps its
// state in a temporary directory removed by Close. Options.Embedded (see
// EmbeddedClusters) chooses other cluster IDs; Options.External serves real
// clusters next to or instead of embedded ones. Every cluster is in one
// public network unless Options.Networks places it in a private one.
//
// Every port is chosen by the operating system unless Options say
// otherwise, every registry (clusters, metrics) belongs to the Emulator, and
// nothing is global: several emulators run side by side in one process.
// Close stops everything Start started, goroutines and listeners included,
// and waits for it.
//
// Caveats: embedded clusters are kfake brokers, one per cluster, each a
// whole cluster of one broker. Registry().Get(id).Embedded stops and starts
// one for outage drills; the REST API and the links see the outage as they
// would a real one. Metrics families are documented in docs/metrics.md.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/manager"
	"github.com/linkemu/linkemu/metrics"
	"github.com/linkemu/linkemu/networking"
	"github.com/linkemu/linkemu/server"
	"github.com/linkemu/linkemu/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// EmbeddedSpec describes one embedded cluster.
type EmbeddedSpec struct {
	ID string
	// Listen is the host:port the broker binds; port 0 picks a free one.
	// Empty means 127.0.0.1:0.
	Listen string
	// Advertised is the host:port clients are told; empty derives it from Listen.
	Advertised string
	// Users turn on SASL for the cluster; each is a superuser.
	Users []broker.SASLUser
}

// NetworkSpec declares one private network of Confluent Cloud's network
// linking emulation (package networking) and the clusters in it.
type NetworkSpec struct {
	ID          string   // n-…, e.g. n-west
	Environment string   // env-…, e.g. env-a; environments exist through their networks
	Clusters    []string // IDs of the clusters in the network, served or not
}

// ExternalSpec describes a real Kafka cluster to serve.
type ExternalSpec struct {
	ID   string
	Conn broker.ConnConfig
}

// Options configures Start. The zero value is a complete lab on free ports.
type Options struct {
	// HTTPAddr is the REST listen address; "127.0.0.1:0" when empty.
	HTTPAddr string
	// PublicURL is the base URL of metadata.self links; empty derives it
	// from each request.
	PublicURL string
	// DataDir holds all state. Empty means a temporary directory that Close
	// removes.
	DataDir string
	// Embedded lists the embedded clusters. Nil means the two defaults,
	// lkc-east and lkc-west on free loopback ports; set NoEmbedded for none.
	Embedded   []EmbeddedSpec
	NoEmbedded bool
	// External lists real clusters to serve.
	External []ExternalSpec
	// APIKeys turns on HTTP Basic auth for the v3 API: key to secret.
	APIKeys map[string]string
	// Networks declares private networks and places clusters in them.
	// Clusters not placed are in the public network n-public of environment
	// env-default, and public clusters need no network links. See
	// docs/networking.md.
	Networks []NetworkSpec
	// NetworkLinkReadyDelay is how long a new network link service or
	// endpoint is PROVISIONING: 500ms when zero, none when negative.
	NetworkLinkReadyDelay time.Duration
	// CloudAPIKeys turns on HTTP Basic auth for the Cloud API routes under
	// /networking/v1: Cloud API key to secret.
	CloudAPIKeys map[string]string
	// Logger receives structured logs; discarded when nil.
	Logger *slog.Logger
	// HealthInterval is how often links check their remote cluster.
	HealthInterval time.Duration
	// ConnectTimeout bounds connecting to an external cluster at start.
	ConnectTimeout time.Duration
	// MetricsRegistry receives linkemu's metrics, served at /metrics. Nil
	// means a registry of the emulator's own, with Go runtime and process
	// metrics too. One registry serves one emulator at a time: Start fails
	// if it already holds linkemu's metrics, and Close removes them.
	MetricsRegistry *prometheus.Registry
	// Limits bound what one REST request may ask for: partitions per topic
	// and per request, and the request body size. Zero fields take
	// Confluent Cloud's limits (linkemu.DefaultLimits).
	Limits linkemu.Limits
}

// DefaultEmbedded returns the two default embedded clusters on the given
// ports (0 for free ones).
func DefaultEmbedded(eastPort, westPort int) []EmbeddedSpec {
	return []EmbeddedSpec{
		{ID: "lkc-east", Listen: fmt.Sprintf("127.0.0.1:%d", eastPort)},
		{ID: "lkc-west", Listen: fmt.Sprintf("127.0.0.1:%d", westPort)},
	}
}

// EmbeddedClusters returns embedded clusters with the given IDs on free
// loopback ports, for Options.Embedded:
//
//	emulator.Options{Embedded: emulator.EmbeddedClusters("lkc-a", "lkc-b", "lkc-c")}
func EmbeddedClusters(ids ...string) []EmbeddedSpec {
	out := make([]EmbeddedSpec, len(ids))
	for i, id := range ids {
		out[i] = EmbeddedSpec{ID: id, Listen: "127.0.0.1:0"}
	}
	return out
}

// ClusterInfo is what a caller needs to reach one served cluster.
type ClusterInfo struct {
	ID        string
	Bootstrap string // comma-separated host:port list
	Embedded  bool
}

// Emulator is a running linkemu.
type Emulator struct {
	// RESTURL is the base URL of the REST API, e.g. http://127.0.0.1:8090.
	RESTURL string
	// Clusters lists the served clusters in start order.
	Clusters []ClusterInfo
	// DataDir is where state lives.
	DataDir string

	log       *slog.Logger
	store     *store.Store
	registry  *broker.Registry
	mgr       *manager.Manager
	metrics   *prometheus.Registry
	net       *networking.Fabric
	http      *http.Server
	serveErr  chan error    // the HTTP server's failure, if any
	serveDone chan struct{} // closed when the HTTP server returns
	tempDir   string

	closeOnce sync.Once
	closeErr  error
}

// Start starts an emulator. On error, everything already started is stopped.
func Start(ctx context.Context, opts Options) (_ *Emulator, err error) {
	opts = withDefaults(opts)
	e := &Emulator{log: opts.Logger, registry: broker.NewRegistry(), serveErr: make(chan error, 1), serveDone: make(chan struct{})}
	defer func() {
		if err != nil {
			e.shutdown(context.Background())
		}
	}()
	if opts.DataDir == "" {
		if e.tempDir, err = os.MkdirTemp("", "linkemu-"); err != nil {
			return nil, err
		}
		opts.DataDir = e.tempDir
	}
	e.DataDir = opts.DataDir
	if e.store, err = store.Open(opts.DataDir, store.Options{}); err != nil {
		return nil, err
	}
	if e.net, err = newFabric(e.store, opts); err != nil {
		return nil, err
	}
	if err = e.startClusters(ctx, opts); err != nil {
		return nil, err
	}
	e.mgr = manager.New(manager.Config{Store: e.store, Clusters: e.registry, Logger: opts.Logger, HealthInterval: opts.HealthInterval, Network: e.net})
	if err = e.mgr.Start(ctx); err != nil {
		return nil, err
	}
	if err = e.serve(opts); err != nil {
		return nil, err
	}
	return e, nil
}

func withDefaults(opts Options) Options {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPAddr == "" {
		opts.HTTPAddr = "127.0.0.1:0"
	}
	if opts.Embedded == nil && !opts.NoEmbedded {
		opts.Embedded = DefaultEmbedded(0, 0)
	}
	if opts.NoEmbedded {
		opts.Embedded = nil
	}
	specs := make([]EmbeddedSpec, len(opts.Embedded))
	for i, sp := range opts.Embedded {
		if sp.Listen == "" {
			sp.Listen = "127.0.0.1:0"
		}
		specs[i] = sp
	}
	opts.Embedded = specs
	if opts.ConnectTimeout == 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	opts.Limits = opts.Limits.WithDefaults()
	return opts
}

func (e *Emulator) startClusters(ctx context.Context, opts Options) error {
	for _, spec := range opts.Embedded {
		emb, err := broker.StartEmbedded(broker.EmbeddedConfig{
			ID: spec.ID, ListenAddr: spec.Listen, AdvertisedAddr: spec.Advertised,
			DataDir: filepath.Join(opts.DataDir, "clusters", spec.ID), Users: spec.Users, Logger: opts.Logger,
		})
		if err != nil {
			return err
		}
		c, err := broker.NewEmbeddedCluster(emb)
		if err != nil {
			emb.Close()
			return err
		}
		if err := e.register(c); err != nil {
			return err
		}
	}
	for _, spec := range opts.External {
		c, err := broker.ConnectExternal(ctx, spec.ID, spec.Conn, opts.ConnectTimeout)
		if err != nil {
			return err
		}
		if err := e.register(c); err != nil {
			return err
		}
	}
	return nil
}

func (e *Emulator) register(c *broker.Cluster) error {
	if err := e.registry.Add(c); err != nil {
		c.Close()
		return err
	}
	now := time.Now().UTC()
	if err := e.store.Update(func(tx *store.Tx) error {
		rec, err := tx.Cluster(c.ID)
		if err != nil {
			return err
		}
		if rec == nil {
			rec = &store.ClusterRecord{ID: c.ID, FirstSeen: now}
		}
		rec.Bootstrap, rec.Embedded, rec.LastSeen = c.Bootstrap(), c.Embedded != nil, now
		return tx.PutCluster(rec)
	}); err != nil {
		return err
	}
	e.Clusters = append(e.Clusters, ClusterInfo{ID: c.ID, Bootstrap: joinComma(c.Bootstrap()), Embedded: c.Embedded != nil})
	e.log.Info("cluster registered", "cluster", c.ID, "bootstrap", joinComma(c.Bootstrap()), "embedded", c.Embedded != nil)
	return nil
}

func (e *Emulator) serve(opts Options) error {
	ln, err := net.Listen("tcp", opts.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", opts.HTTPAddr, err)
	}
	reg := opts.MetricsRegistry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	requests, err := metrics.Register(reg, e.mgr)
	if err != nil {
		ln.Close()
		return err
	}
	e.metrics = reg // registered: shutdown unregisters
	srv := server.New(server.Config{Manager: e.mgr, Logger: opts.Logger, PublicURL: opts.PublicURL, APIKeys: opts.APIKeys,
		Networking: e.net, CloudAPIKeys: opts.CloudAPIKeys, Limits: opts.Limits,
		Observe: requests.Observe, Metrics: metrics.Handler(reg, opts.Logger)})
	e.http = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	e.RESTURL = "http://" + restHost(ln.Addr().(*net.TCPAddr))
	go func() {
		defer close(e.serveDone)
		if err := e.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.serveErr <- err
		}
	}()
	return nil
}

// restHost turns a bound address into one a local client can dial.
func restHost(a *net.TCPAddr) string {
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// Cluster returns the served cluster id, and false if there is none.
func (e *Emulator) Cluster(id string) (ClusterInfo, bool) {
	for _, c := range e.Clusters {
		if c.ID == id {
			return c, true
		}
	}
	return ClusterInfo{}, false
}

// MetricsRegistry returns the registry /metrics serves, for tests that
// gather metrics without HTTP.
func (e *Emulator) MetricsRegistry() *prometheus.Registry { return e.metrics }

// Registry returns the served clusters (for tests and outage drills).
func (e *Emulator) Registry() *broker.Registry { return e.registry }

// Networking returns the emulated network fabric (for tests).
func (e *Emulator) Networking() *networking.Fabric { return e.net }

// newFabric builds the network fabric of the configured networks.
func newFabric(st *store.Store, opts Options) (*networking.Fabric, error) {
	nets := make([]networking.Network, 0, len(opts.Networks))
	for _, n := range opts.Networks {
		nets = append(nets, networking.Network{ID: n.ID, Environment: n.Environment, Clusters: n.Clusters})
	}
	f, err := networking.New(networking.Config{Store: st, Networks: nets, ReadyDelay: opts.NetworkLinkReadyDelay, Logger: opts.Logger})
	if err != nil {
		return nil, fmt.Errorf("networks: %w", err)
	}
	return f, nil
}

// Manager returns the control plane (for tests).
func (e *Emulator) Manager() *manager.Manager { return e.mgr }

// Err returns a channel that yields an error if the HTTP server fails
// unexpectedly.
func (e *Emulator) Err() <-chan error { return e.serveErr }

// Shutdown stops everything in reverse start order, waiting at most until
// ctx is done for in-flight HTTP requests.
func (e *Emulator) Shutdown(ctx context.Context) error {
	e.closeOnce.Do(func() { e.closeErr = e.shutdown(ctx) })
	return e.closeErr
}

// Close is Shutdown with a 10 second deadline.
func (e *Emulator) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return e.Shutdown(ctx)
}

func (e *Emulator) shutdown(ctx context.Context) error {
	var errs []error
	if e.http != nil {
		if err := e.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http: %w", err))
			_ = e.http.Close()
		}
		<-e.serveDone
	}
	if e.metrics != nil {
		metrics.Unregister(e.metrics)
	}
	if e.mgr != nil {
		e.mgr.Close()
	}
	e.registry.Close()
	if e.store != nil {
		if err := e.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("store: %w", err))
		}
	}
	if e.tempDir != "" {
		if err := os.RemoveAll(e.tempDir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func joinComma(s []string) string { return strings.Join(s, ",") }
