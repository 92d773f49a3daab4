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
// Each embedded cluster also serves SASL_SSL (ClusterInfo.SASLSSLBootstrap)
// with a certificate from CA(), linkemu's certificate authority, loaded or
// created once in the data directory (ca.pem) and served at
// GET /emulator/v1/ca.pem.
//
// The same API, Kafka REST and the Cloud control plane (package cloudapi),
// is served over HTTPS too, at emu.HTTPSURL, with a certificate from
// linkemu's CA: emu.CA(), loaded once at start from the data directory
// (ca.pem), the one CA of every TLS listener linkemu serves.
//
// Every port is chosen by the operating system unless Options say
// otherwise, every registry (clusters, metrics) belongs to the Emulator, and
// nothing is global: several emulators run side by side in one process.
// Close stops everything Start started, goroutines and listeners included,
// and waits for it.
//
// Start fails with a *ListenError when the REST API or an embedded cluster
// cannot listen (InUse reports a port taken by another process). Embedded
// clusters create topics on produce only with Options.AutoCreateTopics,
// off like Confluent Cloud.
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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/cloudapi"
	"github.com/linkemu/linkemu/demo"
	"github.com/linkemu/linkemu/internal/tlsca"
	"github.com/linkemu/linkemu/manager"
	"github.com/linkemu/linkemu/metrics"
	"github.com/linkemu/linkemu/networking"
	"github.com/linkemu/linkemu/server"
	"github.com/linkemu/linkemu/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/twmb/franz-go/pkg/kgo"
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
	// StorageFault injects write failures into the broker's data dir (see
	// broker.EmbeddedConfig).
	StorageFault func(op, path string) error
	// SASLSSLListen is the host:port of the cluster's SASL_SSL listener,
	// whose certificate linkemu's CA issues. Empty means the host of Listen
	// and its port + 1 (a free port when Listen's port is 0); "none" means
	// no SASL_SSL listener.
	SASLSSLListen string
	// SASLSSLAdvertised is the host:port clients are told for it. Empty
	// means Advertised's host and port + 1 when Advertised is set and
	// SASLSSLListen is the default, else derived from SASLSSLListen.
	SASLSSLAdvertised string
}

// saslSSLAdvertised returns the SASL_SSL advertised address of sp.
func (sp EmbeddedSpec) saslSSLAdvertised() string {
	if sp.SASLSSLAdvertised != "" || sp.Advertised == "" || sp.SASLSSLListen != "" {
		return sp.SASLSSLAdvertised
	}
	host, port, err := net.SplitHostPort(sp.Advertised)
	p, perr := strconv.Atoi(port)
	if err != nil || perr != nil || p <= 0 || p >= 65535 {
		return ""
	}
	return net.JoinHostPort(host, strconv.Itoa(p+1))
}

// NoSASLSSL is the SASLSSLListen of a cluster without a SASL_SSL listener.
const NoSASLSSL = "none"

// saslSSLListen returns the SASL_SSL listen address of sp ("" for none).
func (sp EmbeddedSpec) saslSSLListen() (string, error) {
	switch sp.SASLSSLListen {
	case NoSASLSSL:
		return "", nil
	case "":
		host, port, err := net.SplitHostPort(sp.Listen)
		if err != nil {
			return "", fmt.Errorf("embedded cluster %s: listen address %q is not host:port", sp.ID, sp.Listen)
		}
		p, err := strconv.Atoi(port)
		if err != nil || p < 0 || p >= 65535 {
			return "", fmt.Errorf("embedded cluster %s: listen address %q has an invalid port", sp.ID, sp.Listen)
		}
		if p > 0 {
			p++
		}
		return net.JoinHostPort(host, strconv.Itoa(p)), nil
	}
	return sp.SASLSSLListen, nil
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
	// HTTPSAddr is the listen address of the same API (REST and Cloud API)
	// over HTTPS, with a certificate from the CA (CA()); "127.0.0.1:0" when
	// empty, "none" for no HTTPS listener.
	HTTPSAddr string
	// TLSNames are extra names (DNS names, wildcards such as
	// "*.confluent.cloud", or IP addresses) the HTTPS certificate is valid
	// for, besides localhost, the loopback addresses, the bound host and
	// PublicURL's host.
	TLSNames []string
	// CloudEmail and CloudPassword are the login of the Cloud API's one
	// user (package cloudapi): with no password, any email and password log
	// in.
	CloudEmail, CloudPassword string
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
	// APIKeys turns on HTTP Basic auth for the v3 API and the admin API
	// under /emulator/v1: key to secret.
	APIKeys map[string]string
	// MetricsAuth requires one of APIKeys on GET /metrics too, which is
	// open otherwise (its series name links and topics).
	MetricsAuth bool
	// AutoCreateTopics lets clients create topics on the embedded clusters
	// by naming them (Apache Kafka's auto.create.topics.enable). Off, as in
	// Confluent Cloud, producing to a missing topic fails.
	AutoCreateTopics bool
	// Networks declares private networks and places clusters in them.
	// Clusters not placed are in the public network n-public of environment
	// env-default, and public clusters need no network links. See
	// docs/networking.md.
	Networks []NetworkSpec
	// NetworkLinkReadyDelay is how long a new network link service or
	// endpoint is PROVISIONING: 500ms when zero, none when negative.
	NetworkLinkReadyDelay time.Duration
	// CloudAPIKeys turns on auth for the Cloud API routes (/networking/v1,
	// /org/v2, /cmk/v2, /iam/v2): Cloud API key to secret. Cloud API keys
	// created through /iam/v2/api-keys and login session tokens are valid
	// too then.
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
	// SASLSSLBootstrap is an embedded cluster's SASL_SSL listener, host:port;
	// empty without one. Its certificate is issued by CA().
	SASLSSLBootstrap string
	Embedded         bool
}

// Emulator is a running linkemu.
type Emulator struct {
	// RESTURL is the base URL of the REST API, e.g. http://127.0.0.1:8090.
	// The Cloud API is served under the same base (package cloudapi).
	RESTURL string
	// HTTPSURL is the base URL of the same API over HTTPS, e.g.
	// https://127.0.0.1:8443, or "" with no HTTPS listener.
	HTTPSURL string
	// Clusters lists the served clusters in start order.
	Clusters []ClusterInfo
	// DataDir is where state lives.
	DataDir string

	log       *slog.Logger
	ca        *tlsca.CA
	store     *store.Store
	registry  *broker.Registry
	mgr       *manager.Manager
	metrics   *prometheus.Registry
	net       *networking.Fabric
	cloud     *cloudapi.Cloud
	demo      *demo.Runner
	http      *http.Server
	https     *http.Server
	httpsDone chan struct{} // closed when the HTTPS server returns
	serveErr  chan error    // the HTTP server's failure, if any
	serveDone chan struct{} // closed when the HTTP server returns
	tempDir   string

	closeOnce sync.Once
	closeErr  error
}

// Start starts an emulator. On error, everything already started is stopped.
func Start(ctx context.Context, opts Options) (_ *Emulator, err error) {
	opts = withDefaults(opts)
	e := &Emulator{log: opts.Logger, serveErr: make(chan error, 1), serveDone: make(chan struct{})}
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
	if err = checkStoreNotLost(opts.DataDir); err != nil {
		return nil, err
	}
	// The CA is loaded once, here, for every TLS listener linkemu serves.
	if e.ca, err = tlsca.LoadOrCreate(opts.DataDir); err != nil {
		return nil, err
	}
	e.registry = broker.NewRegistry(e.ca.CertPEM())
	if e.store, err = store.Open(opts.DataDir, store.Options{}); err != nil {
		return nil, err
	}
	if e.net, err = newFabric(e.store, opts); err != nil {
		return nil, err
	}
	// The Cloud model exists before the clusters: their SASL listeners ask
	// it about API keys. It reads e.Clusters when asked, not now.
	if e.cloud, err = e.newCloud(opts); err != nil {
		return nil, err
	}
	if err = e.startClusters(ctx, opts); err != nil {
		return nil, err
	}
	if len(opts.Embedded) > 0 {
		mark := markMirrors(e.store, opts.DataDir, e.log)
		e.store.OnCommit(mark)
		mark()
	}
	e.mgr = manager.New(manager.Config{Store: e.store, Clusters: e.registry, Logger: opts.Logger, HealthInterval: opts.HealthInterval, Network: e.net, Limits: opts.Limits})
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
	if opts.HTTPSAddr == "" {
		opts.HTTPSAddr = "127.0.0.1:0"
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

// checkPorts refuses embedded clusters whose listeners would share a port,
// as a default SASL_SSL port (plaintext + 1) does with a cluster on the next
// port, with a message that says how to move it.
func checkPorts(specs []EmbeddedSpec) error {
	owner := map[string]string{} // port -> "cluster's listener"
	claim := func(addr, who string) error {
		_, port, err := net.SplitHostPort(addr)
		if err != nil || port == "0" || addr == "" {
			return nil //nolint:nilerr // bad addresses fail with their own message at listen time
		}
		if prev, ok := owner[port]; ok {
			return fmt.Errorf("%s and %s would both listen on port %s: move the SASL_SSL listener with --sasl-ssl ID=HOST:PORT (sasl_ssl_listen in --config; it defaults to the plaintext port + 1) or turn it off with --sasl-ssl ID=none", prev, who, port)
		}
		owner[port] = who
		return nil
	}
	for _, sp := range specs {
		if err := claim(sp.Listen, "embedded cluster "+sp.ID); err != nil {
			return err
		}
	}
	for _, sp := range specs {
		addr, err := sp.saslSSLListen()
		if err != nil {
			return err
		}
		if err := claim(addr, "the SASL_SSL listener of "+sp.ID); err != nil {
			return err
		}
	}
	return nil
}

func (e *Emulator) startClusters(ctx context.Context, opts Options) error {
	if err := checkPorts(opts.Embedded); err != nil {
		return err
	}
	cfgs := make([]broker.EmbeddedConfig, len(opts.Embedded))
	for i, spec := range opts.Embedded {
		cfg := broker.EmbeddedConfig{
			ID: spec.ID, ListenAddr: spec.Listen, AdvertisedAddr: spec.Advertised,
			DataDir: filepath.Join(opts.DataDir, "clusters", spec.ID), Users: spec.Users, Logger: opts.Logger,
			APIKeys: opts.APIKeys, SASLSSLAdvertised: spec.saslSSLAdvertised(),
			StorageFault: spec.StorageFault, Credential: e.clusterCredential(spec.ID),
			AutoCreateTopics: opts.AutoCreateTopics,
		}
		var err error
		if cfg.SASLSSLAddr, err = spec.saslSSLListen(); err != nil {
			return err
		}
		if cfg.SASLSSLAddr != "" {
			if cfg.TLS, err = e.ca.ServerConfig(tlsNames(spec)...); err != nil {
				return fmt.Errorf("embedded cluster %s: certificate: %w", spec.ID, err)
			}
		}
		cfgs[i] = cfg
	}
	// The clusters load their data at once: with thousands of partitions
	// each, loading one after the other doubled the start.
	embs := make([]*broker.Embedded, len(cfgs))
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	for i := range cfgs {
		wg.Go(func() { embs[i], errs[i] = broker.StartEmbedded(cfgs[i]) })
	}
	wg.Wait()
	for i, spec := range opts.Embedded {
		if errs[i] != nil {
			closeEmbedded(embs[i:])
			return listenError(spec, cfgs[i].SASLSSLAddr, errs[i])
		}
		c, err := broker.NewEmbeddedCluster(embs[i])
		if err != nil {
			closeEmbedded(embs[i:])
			return err
		}
		if err := e.register(c); err != nil {
			closeEmbedded(embs[i+1:])
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

// closeEmbedded closes the started clusters that were not registered.
func closeEmbedded(embs []*broker.Embedded) {
	for _, emb := range embs {
		if emb != nil {
			emb.Close()
		}
	}
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
	info := ClusterInfo{ID: c.ID, Bootstrap: joinComma(c.Bootstrap()), Embedded: c.Embedded != nil}
	if c.Embedded != nil {
		info.SASLSSLBootstrap = c.Embedded.SASLSSLAddr()
	}
	e.Clusters = append(e.Clusters, info)
	e.log.Info("cluster registered", "cluster", c.ID, "bootstrap", info.Bootstrap, "sasl_ssl_bootstrap", info.SASLSSLBootstrap, "embedded", info.Embedded)
	return nil
}

func (e *Emulator) serve(opts Options) error {
	ln, err := net.Listen("tcp", opts.HTTPAddr)
	if err != nil {
		return &ListenError{Addr: opts.HTTPAddr, Err: err}
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
	e.demo = demo.NewRunner(demo.Config{Dial: e.dial, Logger: opts.Logger})
	srv := server.New(server.Config{Manager: e.mgr, Logger: opts.Logger, PublicURL: opts.PublicURL, APIKeys: opts.APIKeys,
		Networking: e.net, Cloud: e.cloud, CloudAPIKeys: opts.CloudAPIKeys, CACertPEM: e.ca.CertPEM(), MetricsAuth: opts.MetricsAuth,
		Limits:  opts.Limits,
		Observe: requests.Observe, Metrics: metrics.Handler(reg, opts.Logger), Demo: e.demo})
	handler := srv.Handler()
	if opts.HTTPSAddr != "none" {
		if err := e.serveHTTPS(handler, opts); err != nil {
			ln.Close()
			return err
		}
	}
	e.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	e.RESTURL = "http://" + restHost(ln.Addr().(*net.TCPAddr))
	go func() {
		defer close(e.serveDone)
		if err := e.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.serveErr <- err
		}
	}()
	return nil
}

// dial returns a new client of a served cluster, for demo traffic.
func (e *Emulator) dial(cluster string, opts ...kgo.Opt) (*kgo.Client, error) {
	c, err := e.registry.Get(cluster)
	if err != nil {
		return nil, err
	}
	return broker.NewClient(c.Conn(), opts...)
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

// CA returns linkemu's certificate authority, kept in the data directory:
// it issues the certificates of every TLS listener the emulator serves.
func (e *Emulator) CA() *tlsca.CA { return e.ca }

// tlsNames are the names an embedded cluster's certificate is valid for:
// loopback, the host's name, and the hosts of its addresses.
func tlsNames(sp EmbeddedSpec) []string {
	names := []string{"localhost", "127.0.0.1", "::1"}
	if h, err := os.Hostname(); err == nil && h != "" {
		names = append(names, h)
	}
	for _, a := range []string{sp.Listen, sp.Advertised, sp.SASLSSLListen, sp.SASLSSLAdvertised} {
		if h, _, err := net.SplitHostPort(a); err == nil && h != "" && !slices.Contains(names, h) && h != "0.0.0.0" && h != "::" {
			names = append(names, h)
		}
	}
	return names
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
	if e.https != nil {
		if err := e.https.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("https: %w", err))
			_ = e.https.Close()
		}
		<-e.httpsDone
	}
	if e.http != nil {
		if err := e.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http: %w", err))
			_ = e.http.Close()
		}
		<-e.serveDone
	}
	if e.demo != nil {
		e.demo.Close()
	}
	if e.metrics != nil {
		metrics.Unregister(e.metrics)
	}
	if e.mgr != nil {
		e.mgr.Close()
	}
	if e.registry != nil {
		e.registry.Close()
	}
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

// listenError names the listener of an embedded cluster that could not
// start: its SASL_SSL one when the failed listen was on saslAddr.
func listenError(spec EmbeddedSpec, saslAddr string, err error) *ListenError {
	le := &ListenError{Cluster: spec.ID, Addr: spec.Listen, Err: err}
	var oe *net.OpError
	if saslAddr != "" && errors.As(err, &oe) && oe.Addr != nil && oe.Addr.String() == saslAddr {
		le.Addr, le.SASLSSL = saslAddr, true
	}
	return le
}
