package broker

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// SASLUser is a user of an embedded cluster with SASL enabled.
type SASLUser struct {
	Mechanism string `yaml:"mechanism"` // PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
	Username  string `yaml:"username"`
	Password  string `yaml:"password"`
}

// EmbeddedConfig configures an embedded cluster.
type EmbeddedConfig struct {
	ID string
	// ListenAddr is the host:port the broker binds. Port 0 picks a free port
	// once; restarts keep it.
	ListenAddr string
	// AdvertisedAddr is the host:port clients are told to use. Empty means
	// ListenAddr, with an unspecified host replaced by 127.0.0.1.
	AdvertisedAddr string
	// DataDir keeps the broker's logs and metadata across restarts; empty
	// keeps them in memory.
	DataDir string
	// Users, when set, turn SASL on; each is a superuser.
	Users []SASLUser
	// SASLSSLAddr, when set, is the host:port of the cluster's SASL_SSL
	// listener, which needs TLS. Port 0 picks a free port once.
	SASLSSLAddr string
	// SASLSSLAdvertised is the host:port clients are told for it; empty
	// derives it from SASLSSLAddr.
	SASLSSLAdvertised string
	// TLS is the server configuration of the SASL_SSL listener.
	TLS *tls.Config
	// APIKeys (key to secret) are valid PLAIN credentials on the cluster
	// besides Users. With neither, any PLAIN username and password is
	// accepted, as Confluent Cloud accepts any API key a test may use.
	APIKeys map[string]string
	// Credential, if set, is asked last whether a PLAIN login is valid: the
	// API keys created through the Cloud API for this cluster.
	Credential func(user, pass string) bool
	Logger     *slog.Logger
	// StorageFault, if set, is asked before each write to DataDir and fails
	// it with the error it returns (syscall.ENOSPC for a full disk): fault
	// injection for disk-full drills where no small file system can be
	// mounted.
	StorageFault func(op, path string) error
	// AutoCreateTopics lets a client's metadata request create a topic it
	// names, as Apache Kafka's auto.create.topics.enable=true does. Off by
	// default, like Confluent Cloud: producing to a missing topic fails.
	AutoCreateTopics bool
}

// Embedded is an in-process single-broker Kafka cluster (kfake) that can be
// stopped and started again with its data.
type Embedded struct {
	cfg EmbeddedConfig

	mu    sync.Mutex
	kc    *kfake.Cluster // nil while stopped
	port  int
	tport int // SASL_SSL port
	guard func(topic string) (reason string, readOnly bool)
	// topicIDs caches the write guard's topic ID lookups.
	topicIDs map[[16]byte]string
}

// StartEmbedded starts an embedded cluster.
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.ID == "" {
		return nil, errors.New("embedded cluster needs an ID")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	_, port, err := splitHostPort(cfg.ListenAddr)
	if err != nil {
		return nil, fmt.Errorf("embedded cluster %s: %w", cfg.ID, err)
	}
	e := &Embedded{cfg: cfg, port: port}
	if cfg.SASLSSLAddr != "" {
		if cfg.TLS == nil {
			return nil, fmt.Errorf("embedded cluster %s: a SASL_SSL listener needs a TLS configuration", cfg.ID)
		}
		if _, e.tport, err = splitHostPort(cfg.SASLSSLAddr); err != nil {
			return nil, fmt.Errorf("embedded cluster %s: %w", cfg.ID, err)
		}
	}
	if err := e.Start(); err != nil {
		return nil, err
	}
	return e, nil
}

// ID returns the cluster ID.
func (e *Embedded) ID() string { return e.cfg.ID }

// Addr returns the advertised bootstrap address.
func (e *Embedded) Addr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.advertised()
}

// SASLSSLAddr returns the advertised address of the SASL_SSL listener, or ""
// without one.
func (e *Embedded) SASLSSLAddr() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.advertisedSASLSSL()
}

func (e *Embedded) advertised() string {
	return advertise(e.cfg.AdvertisedAddr, e.cfg.ListenAddr, e.port)
}

func (e *Embedded) advertisedSASLSSL() string {
	if e.cfg.SASLSSLAddr == "" {
		return ""
	}
	return advertise(e.cfg.SASLSSLAdvertised, e.cfg.SASLSSLAddr, e.tport)
}

func advertise(advertised, listen string, port int) string {
	if advertised != "" {
		return advertised
	}
	host, _, _ := splitHostPort(listen)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// Running reports whether the broker is up.
func (e *Embedded) Running() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.kc != nil
}

// Start starts a stopped cluster on the same address with the same data. It
// is a no-op on a running cluster.
func (e *Embedded) Start() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.kc != nil {
		return nil
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ClusterID(e.cfg.ID),
		kfake.DefaultNumPartitions(1),
		kfake.WithLogger(kfakeLogger{e.cfg.Logger}),
		kfake.PlainAuthenticator(e.plainAuth),
	}
	lnOpts, closeLn, err := e.listen()
	if err != nil {
		return fmt.Errorf("start embedded cluster %s: %w", e.cfg.ID, err)
	}
	opts = append(opts, lnOpts...)
	if e.cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(e.cfg.DataDir))
		if e.cfg.StorageFault != nil {
			opts = append(opts, kfake.StorageFault(e.cfg.StorageFault))
		}
	}
	if e.cfg.AutoCreateTopics {
		opts = append(opts, kfake.AllowAutoTopicCreation())
	}
	if len(e.cfg.Users) > 0 {
		opts = append(opts, kfake.EnableSASL())
		for _, u := range e.cfg.Users {
			opts = append(opts, kfake.Superuser(u.Mechanism, u.Username, u.Password))
		}
	}
	kc, err := kfake.NewCluster(opts...)
	if err != nil {
		closeLn()
		return fmt.Errorf("start embedded cluster %s on %s: %w", e.cfg.ID, e.cfg.ListenAddr, err)
	}
	e.kc = kc
	kc.ControlKey(int16(kmsg.Produce), e.controlProduce)
	return nil
}

// listen binds the broker's ports and returns the kfake options that serve
// them. Without a SASL_SSL listener the plaintext listener is kfake's only
// one; with it, a listenerPair serves both (see listeners.go).
// closeFn closes the listeners if kfake fails to start.
func (e *Embedded) listen() (_ []kfake.Opt, closeFn func(), _ error) {
	host, _, _ := splitHostPort(e.cfg.ListenAddr)
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(e.port)))
	if err != nil {
		return nil, nil, err
	}
	e.port = ln.Addr().(*net.TCPAddr).Port
	if e.cfg.SASLSSLAddr == "" {
		l := &advertisedListener{Listener: ln, addr: e.advertised()}
		return []kfake.Opt{kfake.ListenFn(func(string, string) (net.Listener, error) { return l, nil })}, func() { ln.Close() }, nil
	}
	thost, _, _ := splitHostPort(e.cfg.SASLSSLAddr)
	tln, err := net.Listen("tcp", net.JoinHostPort(thost, strconv.Itoa(e.tport)))
	if err != nil {
		ln.Close()
		return nil, nil, fmt.Errorf("SASL_SSL listener: %w", err)
	}
	e.tport = tln.Addr().(*net.TCPAddr).Port
	p := newListenerPair(ln, tln, e.advertised(), e.advertisedSASLSSL(), e.cfg.TLS)
	return []kfake.Opt{
		kfake.ListenFn(func(string, string) (net.Listener, error) { return p.plain, nil }),
		kfake.SASLListener(func(int32) (net.Listener, error) { return p.sasl, nil }),
	}, p.closeAll, nil
}

// plainAuth decides which PLAIN credentials the cluster accepts: its PLAIN
// users and API keys, or, with neither configured, any.
func (e *Embedded) plainAuth(user, pass string) bool {
	if len(e.cfg.Users) == 0 && len(e.cfg.APIKeys) == 0 {
		return true
	}
	for _, u := range e.cfg.Users {
		if u.Mechanism == "PLAIN" && u.Username == user && u.Password == pass {
			return true
		}
	}
	if secret, ok := e.cfg.APIKeys[user]; ok && secret == pass {
		return true
	}
	return e.cfg.Credential != nil && e.cfg.Credential(user, pass)
}

// Stop shuts the broker down, keeping its data for Start. Clients see the
// broker go away as a real outage.
func (e *Embedded) Stop() {
	e.mu.Lock()
	kc := e.kc
	e.kc = nil
	e.mu.Unlock()
	if kc != nil {
		kc.Close()
	}
}

// Close stops the broker for good.
func (e *Embedded) Close() { e.Stop() }

// Fake returns the running kfake cluster, or nil while stopped. Tests use it
// for kfake's control hooks (compaction, faults).
func (e *Embedded) Fake() *kfake.Cluster {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.kc
}

// ConnConfig returns how the emulator itself connects to this cluster.
func (e *Embedded) ConnConfig() ConnConfig {
	cc := ConnConfig{Bootstrap: []string{e.Addr()}, SecurityProtocol: ProtoPlaintext}
	if len(e.cfg.Users) > 0 {
		u := e.cfg.Users[0]
		cc.SecurityProtocol, cc.SASLMechanism, cc.Username, cc.Password = ProtoSASLPlaintext, u.Mechanism, u.Username, u.Password
	}
	return cc
}

// advertisedListener reports the advertised address as its own, so kfake
// tells clients where to connect rather than the bound address.
type advertisedListener struct {
	net.Listener
	addr string
}

func (l *advertisedListener) Addr() net.Addr { return advertisedAddr(l.addr) }

type advertisedAddr string

func (a advertisedAddr) Network() string { return "tcp" }
func (a advertisedAddr) String() string  { return string(a) }

func splitHostPort(hp string) (string, int, error) {
	host, p, err := net.SplitHostPort(hp)
	if err != nil {
		return "", 0, fmt.Errorf("address %q is not host:port", hp)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("address %q has an invalid port", hp)
	}
	return host, port, nil
}

// kfakeLogger sends kfake's warnings and errors to slog.
type kfakeLogger struct{ l *slog.Logger }

func (k kfakeLogger) Logf(level kfake.LogLevel, msg string, args ...any) {
	switch level {
	case kfake.LogLevelError:
		k.l.Error(fmt.Sprintf(msg, args...), "component", "kfake")
	case kfake.LogLevelWarn:
		k.l.Warn(fmt.Sprintf(msg, args...), "component", "kfake")
	}
}

// StorageError reports the broker's last failed write to its data dir if it
// happened within the last window: produce requests meanwhile answer
// KAFKA_STORAGE_ERROR. Nil when the broker runs in memory or writes fine.
func (e *Embedded) StorageError(window time.Duration) error {
	kc := e.Fake()
	if kc == nil {
		return nil
	}
	err, at := kc.LastStorageError()
	if err == nil || time.Since(at) > window {
		return nil
	}
	return fmt.Errorf("embedded cluster %s cannot write its data (%v, %s ago); free space in its data dir", e.cfg.ID, err, time.Since(at).Round(time.Second))
}
