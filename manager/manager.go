package manager

import (
	"context"
	"log/slog"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/store"
)

// Config configures a Manager.
type Config struct {
	Store    *store.Store
	Clusters *broker.Registry
	Logger   *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// HealthInterval is how often a link checks its remote cluster; 2s when zero.
	HealthInterval time.Duration
	// ProbeTimeout bounds one connection attempt to a remote cluster; 5s when zero.
	ProbeTimeout time.Duration
	// Network decides whether a link's clusters can reach each other over
	// the emulated networks; nil means every cluster reaches every other.
	Network NetworkPolicy
	// OnMirrorChange, if set, is called when a mirror's runtime status
	// changes (source availability, errors, partition counts).
	OnMirrorChange func()
}

// NetworkPolicy emulates private networking between clusters (Confluent
// Cloud's network links). CheckLink returns nil when the link's two clusters
// can reach each other, and otherwise a *linkemu.Error whose message says
// what is missing. The manager asks it when a link is created with
// validate_link and at every health check, and a link it refuses is
// UNAVAILABLE and does not replicate.
type NetworkPolicy interface {
	CheckLink(l *linkemu.Link) error
}

// Manager is the control plane. Create it with New, Start it, Close it.
type Manager struct {
	cfg      Config
	store    *store.Store
	clusters *broker.Registry
	log      *slog.Logger

	mu    opLock                   // serializes state-changing operations
	links map[linkKey]*linkRuntime // running links
	guard readOnlyIndex            // mirror topics producers may not write to
}

type linkKey struct{ cluster, name string }

// New returns a Manager; it starts nothing until Start.
func New(cfg Config) *Manager {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HealthInterval == 0 {
		cfg.HealthInterval = 2 * time.Second
	}
	if cfg.ProbeTimeout == 0 {
		cfg.ProbeTimeout = 5 * time.Second
	}
	return &Manager{
		cfg:      cfg,
		store:    cfg.Store,
		clusters: cfg.Clusters,
		log:      cfg.Logger,
		links:    make(map[linkKey]*linkRuntime),
		mu:       newOpLock(),
	}
}

// Start resumes every stored link whose cluster the emulator serves.
func (m *Manager) Start(ctx context.Context) error {
	var links []*linkemu.Link
	if err := m.store.View(func(tx *store.Tx) error {
		var err error
		links, err = tx.Links("")
		return err
	}); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.installGuards()
	resumed := 0
	for _, l := range links {
		if _, err := m.clusters.Get(l.ClusterID); err != nil {
			m.log.Warn("not resuming link: its cluster is not served by this emulator", "link", l.Name, "cluster", l.ClusterID)
			continue
		}
		m.startLink(l)
		resumed++
	}
	m.logRestored(links, resumed)
	return nil
}

// Close stops every link runtime and waits for them.
func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, rt := range m.links {
		rt.stop()
		delete(m.links, k)
	}
}

// Ready reports whether the store is open and every cluster answers.
func (m *Manager) Ready(ctx context.Context) map[string]error {
	out := map[string]error{"store": m.store.Ping()}
	for _, c := range m.clusters.List() {
		out["cluster "+c.ID] = c.Ping(ctx, m.cfg.ProbeTimeout)
	}
	return out
}

// Clusters returns the cluster registry.
func (m *Manager) Clusters() *broker.Registry { return m.clusters }

// cluster returns a served cluster or ENOTFOUND.
func (m *Manager) cluster(id string) (*broker.Cluster, error) { return m.clusters.Get(id) }

func (m *Manager) startLink(l *linkemu.Link) {
	k := linkKey{l.ClusterID, l.Name}
	old := m.links[k]
	if old != nil {
		old.stop()
	}
	rt := newLinkRuntime(m, l)
	if old != nil {
		// A config change restarts the runtime: start from the old state so
		// that its first check logs a change (PAUSED back to ACTIVE) once.
		rt.health = old.Health()
	}
	m.links[k] = rt
	rt.start()
}

func (m *Manager) stopLink(cluster, name string) {
	k := linkKey{cluster, name}
	if rt := m.links[k]; rt != nil {
		rt.stop()
		delete(m.links, k)
	}
}

func (m *Manager) runtime(cluster, name string) *linkRuntime {
	return m.links[linkKey{cluster, name}]
}
