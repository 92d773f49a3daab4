package networking

import (
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	"github.com/linkemu/linkemu/store"
)

// DefaultReadyDelay is how long services and endpoints stay PROVISIONING
// when Config.ReadyDelay is zero.
const DefaultReadyDelay = 500 * time.Millisecond

// Organization is the organization ID in resource names.
const Organization = "linkemu"

// Config configures a Fabric.
type Config struct {
	Store *store.Store
	// Networks are the private networks and the clusters in them. Clusters
	// not listed are in the public network.
	Networks []Network
	// ReadyDelay is how long a new service or endpoint is PROVISIONING:
	// DefaultReadyDelay when zero, none when negative.
	ReadyDelay time.Duration
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// Fabric is the emulated network fabric: the topology, the network link
// services and endpoints, and the policy they impose on cluster links. Its
// methods are safe for concurrent use: each runs in one store transaction.
type Fabric struct {
	store *store.Store
	topo  *topology
	delay time.Duration
	now   func() time.Time
	log   *slog.Logger
}

// New validates the topology and returns a Fabric.
func New(cfg Config) (*Fabric, error) {
	topo, err := newTopology(cfg.Networks)
	if err != nil {
		return nil, err
	}
	f := &Fabric{store: cfg.Store, topo: topo, delay: cfg.ReadyDelay, now: cfg.Now, log: cfg.Logger}
	switch {
	case f.delay == 0:
		f.delay = DefaultReadyDelay
	case f.delay < 0:
		f.delay = 0
	}
	if f.now == nil {
		f.now = time.Now
	}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	return f, nil
}

// Networks returns every network, the public one included, by ID.
func (f *Fabric) Networks() []Network { return f.topo.list() }

// NetworkOf returns the network a cluster is in.
func (f *Fabric) NetworkOf(cluster string) Network { return f.topo.networkOf(cluster) }

// Namespaces of the store.
var (
	nsServices  = []string{"networking", "services"}
	nsEndpoints = []string{"networking", "endpoints"}
)

// state is every service and endpoint, read in one transaction.
type state struct {
	services  map[string]*LinkService
	endpoints map[string]*LinkEndpoint
}

func loadState(tx *store.Tx) (*state, error) {
	st := &state{services: map[string]*LinkService{}, endpoints: map[string]*LinkEndpoint{}}
	if err := tx.KVForEach(nsServices, func(k string, v []byte) error {
		s := &LinkService{}
		st.services[k] = s
		return json.Unmarshal(v, s)
	}); err != nil {
		return nil, err
	}
	if err := tx.KVForEach(nsEndpoints, func(k string, v []byte) error {
		e := &LinkEndpoint{}
		st.endpoints[k] = e
		return json.Unmarshal(v, e)
	}); err != nil {
		return nil, err
	}
	return st, nil
}

func putJSON(tx *store.Tx, ns []string, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.KVPut(ns, key, b)
}

// view reads the state and computes every phase at the current time.
func (f *Fabric) view(fn func(st *state) error) error {
	return f.store.View(func(tx *store.Tx) error {
		st, err := loadState(tx)
		if err != nil {
			return err
		}
		f.phases(st)
		return fn(st)
	})
}

// update runs fn over the state, phases computed, in one write transaction.
func (f *Fabric) update(fn func(tx *store.Tx, st *state) error) error {
	return f.store.Update(func(tx *store.Tx) error {
		st, err := loadState(tx)
		if err != nil {
			return err
		}
		f.phases(st)
		return fn(tx, st)
	})
}

func (f *Fabric) phases(st *state) {
	now := f.now()
	for _, s := range st.services {
		s.Phase = servicePhase(s, now, f.delay)
	}
	for _, e := range st.endpoints {
		e.Phase, e.ErrorMessage = endpointPhase(e, st.services[e.Service], now, f.delay)
	}
}

// sorted returns the values of m ordered by key.
func sorted[T any](m map[string]*T) []*T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*T, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// matches reports whether v passes a filter of allowed values; an empty
// filter passes everything.
func matches(filter []string, v string) bool {
	return len(filter) == 0 || slices.Contains(filter, v)
}

const idChars = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns prefix plus 6 random lowercase letters and digits, the form
// of Confluent Cloud IDs, that taken does not report as used.
func newID(prefix string, taken func(string) bool) string {
	for {
		var b [6]byte
		_, _ = rand.Read(b[:])
		for i := range b {
			b[i] = idChars[int(b[i])%len(idChars)]
		}
		if id := prefix + string(b[:]); !taken(id) {
			return id
		}
	}
}
