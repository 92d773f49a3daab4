// Package kafkatest holds test helpers shared by linkemu's packages: embedded
// one-broker Kafka clusters (franz-go's kfake) on loopback TCP, clients,
// producers of every shape of data the replication engine must copy (plain,
// keyed, with headers, compressed, transactional, compacted, with offset
// holes), and an exactness checker that compares a mirror topic with its
// source offset by offset. The checker reads logs and compares records with
// package verify (the emulator's proof of exactness), and is stricter than
// it: it also compares log start, high watermark and last stable offsets,
// and what read_committed consumers see.
//
// Every helper takes a testing.TB, fails the test on error, and registers its
// own cleanup. Nothing here mocks Kafka: tests talk to real brokers over TCP
// with real clients.
package kafkatest

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Cluster is a one-broker kfake cluster listening on a loopback port. The
// embedded *kfake.Cluster gives access to kfake's control hooks (Compact,
// Fault, ControlKey...); it changes on Restart.
type Cluster struct {
	*kfake.Cluster
	t       testing.TB
	port    int
	dataDir string
	opts    []kfake.Opt
	closed  bool
}

// Option configures NewCluster.
type Option func(*Cluster)

// WithDataDir persists the cluster's data under dir, so that Restart brings
// it back. Use t.TempDir().
func WithDataDir(dir string) Option { return func(c *Cluster) { c.dataDir = dir } }

// WithKfake passes options to kfake.NewCluster (BrokerConfigs, SeedTopics...).
func WithKfake(opts ...kfake.Opt) Option {
	return func(c *Cluster) { c.opts = append(c.opts, opts...) }
}

// NewCluster starts a cluster on a random loopback port and closes it when
// the test ends.
func NewCluster(t testing.TB, opts ...Option) *Cluster {
	t.Helper()
	c := &Cluster{t: t}
	for _, o := range opts {
		o(c)
	}
	c.start()
	t.Cleanup(c.Close)
	return c
}

func (c *Cluster) start() {
	c.t.Helper()
	opts := append([]kfake.Opt{kfake.NumBrokers(1), kfake.Ports(c.port)}, c.opts...)
	if c.dataDir != "" {
		opts = append(opts, kfake.DataDir(c.dataDir))
	}
	var err error
	for attempt := 0; ; attempt++ {
		c.Cluster, err = kfake.NewCluster(opts...)
		if err == nil || c.port == 0 || attempt == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond) // the port may linger after Close
	}
	if err != nil {
		c.t.Fatalf("starting kfake cluster: %v", err)
	}
	c.closed = false
	if c.port == 0 {
		_, port, _ := net.SplitHostPort(c.ListenAddrs()[0])
		c.port, _ = strconv.Atoi(port)
	}
}

// Addr returns the broker's host:port.
func (c *Cluster) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)) }

// Close shuts the cluster down, as an outage would; clients see connection
// errors until Restart. It is idempotent.
func (c *Cluster) Close() {
	if !c.closed {
		c.closed = true
		c.Cluster.Close()
	}
}

// Restart closes the cluster if it is running and starts it again on the
// same port, with the same data if the cluster has a data dir.
func (c *Cluster) Restart() {
	c.t.Helper()
	c.Close()
	c.start()
}

// Client returns a client of the cluster, closed when the test ends.
func (c *Cluster) Client(opts ...kgo.Opt) *kgo.Client {
	c.t.Helper()
	opts = append([]kgo.Opt{kgo.SeedBrokers(c.Addr()), kgo.RetryTimeout(10 * time.Second)}, opts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		c.t.Fatalf("creating client: %v", err)
	}
	c.t.Cleanup(cl.Close)
	return cl
}

// Admin returns an admin client of the cluster, closed when the test ends.
func (c *Cluster) Admin() *kadm.Client { return kadm.NewClient(c.Client()) }

// CreateTopic creates a topic and returns its ID.
func (c *Cluster) CreateTopic(topic string, partitions int32, configs map[string]*string) [16]byte {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.Admin().CreateTopic(ctx, partitions, 1, configs, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		c.t.Fatalf("creating topic %q: %v", topic, err)
	}
	return resp.ID
}

// DeleteTopic deletes a topic.
func (c *Cluster) DeleteTopic(topic string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.Admin().DeleteTopic(ctx, topic)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		c.t.Fatalf("deleting topic %q: %v", topic, err)
	}
}
