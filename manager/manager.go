package manager

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
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
	// Limits bound mirror topics as they bound topics: a mirror of a source
	// topic with more partitions than Limits.PartitionsPerTopic is refused,
	// and one whose source grows past it stops (see CreateMirror).
	// linkemu.DefaultLimits for zero fields.
	Limits linkemu.Limits
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

	lanes lanes                // serialize the changes of one link or mirror
	state atomic.Pointer[view] // the published links and mirrors

	rtMu sync.Mutex                               // serializes changes of rts
	rts  atomic.Pointer[map[linkKey]*linkRuntime] // running link sides, copy-on-write
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
	cfg.Limits = cfg.Limits.WithDefaults()
	m := &Manager{
		cfg:      cfg,
		store:    cfg.Store,
		clusters: cfg.Clusters,
		log:      cfg.Logger,
	}
	m.state.Store(emptyView())
	m.rts.Store(&map[linkKey]*linkRuntime{})
	return m
}

// Start resumes every stored link whose cluster the emulator serves, all at
// once: a link whose remote cluster does not answer delays no other.
func (m *Manager) Start(ctx context.Context) error {
	v, err := loadView(m.store)
	if err != nil {
		return err
	}
	m.state.Store(v)
	m.installGuards()
	var wg sync.WaitGroup
	links := v.linksOf("")
	resumed := 0
	for _, l := range links {
		if _, err := m.clusters.Get(l.ClusterID); err != nil {
			m.log.Warn("not resuming link: its cluster is not served by this emulator", "link", l.Name, "cluster", l.ClusterID)
			continue
		}
		resumed++
		wg.Go(func() { m.startLink(l) })
	}
	wg.Wait()
	m.logRestored(links, resumed)
	return nil
}

// Close stops every link runtime and waits for them.
func (m *Manager) Close() {
	for k := range *m.rts.Load() {
		if rt := m.setRuntime(k, nil); rt != nil {
			rt.stop()
		}
	}
}

// storageErrorWindow is how long /readyz reports an embedded broker's
// failed write to its data dir.
const storageErrorWindow = 10 * time.Second

// Ready reports whether the store is open and writable, every cluster
// answers, and every embedded broker can write its data.
func (m *Manager) Ready(ctx context.Context) map[string]error {
	out := map[string]error{"store": m.store.Ping()}
	for _, c := range m.clusters.List() {
		out["cluster "+c.ID] = c.Ping(ctx, m.cfg.ProbeTimeout)
		if c.Embedded != nil {
			out["storage "+c.ID] = c.Embedded.StorageError(storageErrorWindow)
		}
	}
	return out
}

// Clusters returns the cluster registry.
func (m *Manager) Clusters() *broker.Registry { return m.clusters }

// cluster returns a served cluster or ENOTFOUND.
func (m *Manager) cluster(id string) (*broker.Cluster, error) { return m.clusters.Get(id) }

// startLink starts the runtime of a stored link, replacing the one running.
// The old runtime stops first (two replication workers must never write the
// same mirrors) but stays published until the new one has run its first
// health check, so readers see a link state throughout. The caller holds
// the link's lane exclusive.
func (m *Manager) startLink(l *linkemu.Link) {
	k := linkKey{l.ClusterID, l.Name}
	for {
		old := m.runtime(l.ClusterID, l.Name)
		if old != nil {
			old.stop()
		}
		rt := newLinkRuntime(m, l)
		if old != nil {
			// A config change restarts the runtime: start from the old state so
			// that its first check logs a change (PAUSED back to ACTIVE) once.
			rt.health = old.Health()
		}
		rt.start()
		m.setRuntime(k, rt)
		// A task-config alter that published meanwhile may have
		// reconfigured the old runtime: bring the new one to the view too.
		latest := m.view().findLink(l.ClusterID, l.Name)
		if latest == nil || latest == l || rt.reconfigureTasks() {
			return
		}
		l = latest
	}
}

// stopLink stops and forgets a link's runtime. The caller holds the link's
// lane exclusive.
func (m *Manager) stopLink(cluster, name string) {
	if rt := m.setRuntime(linkKey{cluster, name}, nil); rt != nil {
		rt.stop()
	}
}

// setRuntime publishes rt (nil: none) as the runtime of k and returns the
// one it replaces.
func (m *Manager) setRuntime(k linkKey, rt *linkRuntime) *linkRuntime {
	m.rtMu.Lock()
	defer m.rtMu.Unlock()
	cur := *m.rts.Load()
	next := make(map[linkKey]*linkRuntime, len(cur)+1)
	for kk, v := range cur {
		next[kk] = v
	}
	old := next[k]
	if rt == nil {
		delete(next, k)
	} else {
		next[k] = rt
	}
	m.rts.Store(&next)
	return old
}

// runtime returns the published runtime of a link side, or nil.
func (m *Manager) runtime(cluster, name string) *linkRuntime {
	return (*m.rts.Load())[linkKey{cluster, name}]
}
