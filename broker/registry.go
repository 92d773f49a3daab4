package broker

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Admin runs administrative requests (topics, configs, ACLs, groups) on one
// cluster through a franz-go client. Cluster embeds one with the emulator's
// credentials; the manager makes others over a link's own connection.
type Admin struct {
	client *kgo.Client
	admin  *kadm.Client
}

// NewAdmin returns an Admin over cl; it does not own cl.
func NewAdmin(cl *kgo.Client) *Admin { return &Admin{client: cl, admin: kadm.NewClient(cl)} }

// Cluster is one Kafka cluster the emulator serves.
type Cluster struct {
	ID       string
	Embedded *Embedded // nil for an external cluster
	*Admin

	conn ConnConfig
}

// NewEmbeddedCluster wraps a started embedded cluster.
func NewEmbeddedCluster(e *Embedded) (*Cluster, error) {
	return newCluster(e.ID(), e, e.ConnConfig())
}

// ConnectExternal connects to an external cluster and checks that its
// brokers report the expected cluster ID.
func ConnectExternal(ctx context.Context, id string, cc ConnConfig, timeout time.Duration) (*Cluster, error) {
	got, err := Probe(ctx, cc, timeout)
	if err != nil {
		return nil, fmt.Errorf("cluster %s at %s: %w", id, strings.Join(cc.Bootstrap, ","), err)
	}
	if got != id {
		return nil, fmt.Errorf("cluster %s at %s: the brokers report cluster ID %q; register it as --cluster %s=%s", id, strings.Join(cc.Bootstrap, ","), got, got, strings.Join(cc.Bootstrap, ","))
	}
	return newCluster(id, nil, cc)
}

func newCluster(id string, e *Embedded, cc ConnConfig) (*Cluster, error) {
	cl, err := NewClient(cc, kgo.ClientID("linkemu-admin"), kgo.RetryTimeout(10*time.Second))
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", id, err)
	}
	return &Cluster{ID: id, Embedded: e, conn: cc, Admin: NewAdmin(cl)}, nil
}

// Bootstrap returns the cluster's bootstrap addresses.
func (c *Cluster) Bootstrap() []string { return slices.Clone(c.conn.Bootstrap) }

// BootstrapFor returns the addresses a client with security.protocol
// protocol uses: an embedded cluster's SASL_SSL listener for SSL and
// SASL_SSL when it has one, else Bootstrap.
func (c *Cluster) BootstrapFor(protocol string) []string {
	if c.Embedded != nil && (protocol == ProtoSSL || protocol == ProtoSASLSSL) {
		if a := c.Embedded.SASLSSLAddr(); a != "" {
			return []string{a}
		}
	}
	return c.Bootstrap()
}

// Conn returns how the emulator connects to the cluster.
func (c *Cluster) Conn() ConnConfig { return c.conn }

// Client returns the emulator's franz-go client for the cluster.
func (c *Cluster) Client() *kgo.Client { return c.client }

// Ping checks that the cluster answers, within timeout.
func (c *Cluster) Ping(ctx context.Context, timeout time.Duration) error {
	if c.Embedded != nil && !c.Embedded.Running() {
		return &ProbeError{Kind: linkemu.LinkErrBootstrapTCPConnection, Message: fmt.Sprintf("embedded cluster %s is stopped", c.ID)}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, err := clusterID(ctx, c.client)
	return err
}

// Close closes the emulator's clients and, for an embedded cluster, the broker.
func (c *Cluster) Close() {
	c.client.Close()
	if c.Embedded != nil {
		c.Embedded.Close()
	}
}

// Registry holds the clusters the emulator serves.
type Registry struct {
	mu       sync.RWMutex
	clusters map[string]*Cluster
	trustPEM []byte // CA certificates links trust besides the system's
}

// NewRegistry returns an empty registry. Links over TLS trust the system's
// roots and the PEM certificates trustPEM (linkemu's CA; nil for none).
func NewRegistry(trustPEM []byte) *Registry {
	return &Registry{clusters: make(map[string]*Cluster), trustPEM: trustPEM}
}

// LinkConn is the package's LinkConn, trusting the registry's CA.
func (r *Registry) LinkConn(l *linkemu.Link, prefix string, bootstrap []string) (ConnConfig, error) {
	return LinkConn(l, prefix, bootstrap, r.trustPEM)
}

// Add registers a cluster; IDs must be unique.
func (r *Registry) Add(c *Cluster) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.clusters[c.ID]; dup {
		return fmt.Errorf("cluster %s is registered twice", c.ID)
	}
	r.clusters[c.ID] = c
	return nil
}

// Get returns the cluster id, or ENOTFOUND with Confluent's message
// followed by the served cluster IDs and the closest one to id.
func (r *Registry) Get(id string) (*Cluster, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if c, ok := r.clusters[id]; ok {
		return c, nil
	}
	ids := make([]string, 0, len(r.clusters))
	for k := range r.clusters {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	served := "This emulator serves no cluster."
	if len(ids) > 0 {
		served = "This emulator serves " + strings.Join(ids, ", ") + "."
	}
	return nil, linkemu.Errorf(linkemu.ENOTFOUND, "Cluster %s cannot be found. %s%s", id, served, linkemu.DidYouMean(id, ids))
}

// List returns the clusters sorted by ID.
func (r *Registry) List() []*Cluster {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Cluster, 0, len(r.clusters))
	for _, c := range r.clusters {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Cluster) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Close closes every cluster.
func (r *Registry) Close() {
	// At once: an embedded cluster saves its data as it closes, which
	// takes a while with thousands of partitions.
	var wg sync.WaitGroup
	for _, c := range r.List() {
		wg.Go(c.Close)
	}
	wg.Wait()
}
