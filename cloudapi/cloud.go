package cloudapi

import (
	"crypto/rand"
	"slices"
	"sort"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/networking"
	"github.com/linkemu/linkemu/store"
)

// Organization is the ID of the one organization.
const Organization = networking.Organization

// Endpoints is where clients reach one served cluster.
type Endpoints struct {
	// RESTPath is the path of the cluster's Kafka REST base on linkemu's
	// REST listeners ("" for the root, under which /kafka/v3 is served).
	RESTPath string
	// Bootstrap is the cluster's bootstrap in Confluent Cloud's form,
	// SASL_SSL://host:port, or a plain host:port where the cluster serves no
	// SASL_SSL listener.
	Bootstrap string
}

// Config configures a Cloud.
type Config struct {
	Store      *store.Store
	Networking *networking.Fabric
	// Clusters lists the IDs of the served clusters.
	Clusters func() []string
	// Endpoints says where clients reach a served cluster.
	Endpoints func(cluster string) Endpoints
	// Email and Password are the login of the one user; see the package doc.
	Email, Password string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Cloud is the control plane model.
type Cloud struct {
	cfg     Config
	signKey []byte
}

// DefaultEmail is the user's email when Config.Email is empty.
const DefaultEmail = "admin@linkemu.local"

// UserID is the resource ID of the one user.
const UserID = "u-linkemu"

// New returns a Cloud. The key that signs session tokens is kept in the
// store, so sessions outlive a restart; with no store it lives in memory.
func New(cfg Config) (*Cloud, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Email == "" {
		cfg.Email = DefaultEmail
	}
	if cfg.Clusters == nil {
		cfg.Clusters = func() []string { return nil }
	}
	if cfg.Endpoints == nil {
		cfg.Endpoints = func(string) Endpoints { return Endpoints{} }
	}
	key, err := signingKey(cfg.Store)
	if err != nil {
		return nil, err
	}
	return &Cloud{cfg: cfg, signKey: key}, nil
}

var nsKeys = []string{"cloudapi", "keys"}

// signingKey loads the session signing key from st, creating it on first
// use.
func signingKey(st *store.Store) ([]byte, error) {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	if st == nil {
		return key, nil
	}
	err := st.Update(func(tx *store.Tx) error {
		old, err := tx.KVGet(nsKeys, "session_signing")
		if err != nil || len(old) == len(key) {
			key = old
			return err
		}
		return tx.KVPut(nsKeys, "session_signing", key)
	})
	return key, err
}

// Environment is an environment (env-…).
type Environment struct {
	ID          string
	DisplayName string
}

// Cluster is a served Kafka cluster as the Cloud API shows it.
type Cluster struct {
	ID          string
	Environment string
	Network     string // "" for the public network
	Endpoints
}

// Environments lists the environments by ID.
func (c *Cloud) Environments() []Environment {
	out := []Environment{}
	for _, id := range c.envIDs() {
		out = append(out, Environment{ID: id, DisplayName: id})
	}
	return out
}

func (c *Cloud) envIDs() []string {
	ids := []string{networking.DefaultEnvironment}
	if c.cfg.Networking != nil {
		for _, n := range c.cfg.Networking.Networks() {
			ids = append(ids, n.Environment)
		}
	}
	sort.Strings(ids)
	return slices.Compact(ids)
}

// Environment returns one environment.
func (c *Cloud) Environment(id string) (Environment, error) {
	if !slices.Contains(c.envIDs(), id) {
		return Environment{}, linkemu.Errorf(linkemu.ENOTFOUND, "Environment %q was not found: linkemu's environments are %v.", id, c.envIDs())
	}
	return Environment{ID: id, DisplayName: id}, nil
}

// Clusters lists the clusters of an environment by ID. An unknown
// environment is forbidden, as Confluent Cloud answers a list filtered by an
// environment the caller cannot see.
func (c *Cloud) Clusters(env string) ([]Cluster, error) {
	if _, err := c.Environment(env); err != nil {
		return nil, linkemu.Errorf(linkemu.EFORBIDDEN, "%s", linkemu.ErrorMessage(err))
	}
	out := []Cluster{}
	ids := c.cfg.Clusters()
	sort.Strings(ids)
	for _, id := range ids {
		if cl := c.cluster(id); cl.Environment == env {
			out = append(out, cl)
		}
	}
	return out, nil
}

// Cluster returns one cluster of an environment.
func (c *Cloud) Cluster(env, id string) (Cluster, error) {
	if _, err := c.Environment(env); err != nil {
		return Cluster{}, err
	}
	if !slices.Contains(c.cfg.Clusters(), id) {
		return Cluster{}, linkemu.Errorf(linkemu.ENOTFOUND, "Kafka cluster %q was not found in environment %s.", id, env)
	}
	cl := c.cluster(id)
	if cl.Environment != env {
		return Cluster{}, linkemu.Errorf(linkemu.ENOTFOUND, "Kafka cluster %q was not found in environment %s: it is in environment %s.", id, env, cl.Environment)
	}
	return cl, nil
}

// findCluster returns a served cluster in whatever environment it is.
func (c *Cloud) findCluster(id string) (Cluster, bool) {
	if !slices.Contains(c.cfg.Clusters(), id) {
		return Cluster{}, false
	}
	return c.cluster(id), true
}

func (c *Cloud) cluster(id string) Cluster {
	cl := Cluster{ID: id, Environment: networking.DefaultEnvironment, Endpoints: c.cfg.Endpoints(id)}
	if c.cfg.Networking != nil {
		n := c.cfg.Networking.NetworkOf(id)
		cl.Environment = n.Environment
		if n.Private() {
			cl.Network = n.ID
		}
	}
	return cl
}
