package broker

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

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
	// AutoCreateTopics lets a client's metadata request create a topic it
	// names, as Apache Kafka's auto.create.topics.enable=true does. Off by
	// default, like Confluent Cloud: producing to a missing topic fails.
	AutoCreateTopics bool
	Logger           *slog.Logger
}

// Embedded is an in-process single-broker Kafka cluster (kfake) that can be
// stopped and started again with its data.
type Embedded struct {
	cfg EmbeddedConfig

	mu    sync.Mutex
	kc    *kfake.Cluster // nil while stopped
	port  int
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

func (e *Embedded) advertised() string {
	if e.cfg.AdvertisedAddr != "" {
		return e.cfg.AdvertisedAddr
	}
	host, _, _ := splitHostPort(e.cfg.ListenAddr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, strconv.Itoa(e.port))
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
	host, _, _ := splitHostPort(e.cfg.ListenAddr)
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ClusterID(e.cfg.ID),
		kfake.DefaultNumPartitions(1),
		kfake.WithLogger(kfakeLogger{e.cfg.Logger}),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			ln, err := net.Listen(network, net.JoinHostPort(host, strconv.Itoa(e.port)))
			if err != nil {
				return nil, err
			}
			e.port = ln.Addr().(*net.TCPAddr).Port
			return &advertisedListener{Listener: ln, addr: e.advertised()}, nil
		}),
	}
	if e.cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(e.cfg.DataDir))
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
		return fmt.Errorf("start embedded cluster %s on %s: %w", e.cfg.ID, e.cfg.ListenAddr, err)
	}
	e.kc = kc
	kc.ControlKey(int16(kmsg.Produce), e.controlProduce)
	return nil
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
