package manager

import (
	"context"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
)

// ClusterState is what the emulator admin API reports of a served cluster.
type ClusterState struct {
	ID        string
	Bootstrap []string
	// SASLSSLBootstrap is an embedded cluster's SASL_SSL listener; empty
	// without one.
	SASLSSLBootstrap []string
	Embedded         bool
	Running          bool
}

// ClusterStates lists the served clusters with whether they run.
func (m *Manager) ClusterStates() []ClusterState {
	var out []ClusterState
	for _, c := range m.clusters.List() {
		out = append(out, clusterState(c))
	}
	return out
}

func clusterState(c *broker.Cluster) ClusterState {
	st := ClusterState{ID: c.ID, Bootstrap: c.Bootstrap(), SASLSSLBootstrap: []string{}, Embedded: c.Embedded != nil, Running: c.Embedded == nil || c.Embedded.Running()}
	if c.Embedded != nil && c.Embedded.SASLSSLAddr() != "" {
		st.SASLSSLBootstrap = []string{c.Embedded.SASLSSLAddr()}
	}
	return st
}

// StopCluster takes an embedded cluster down, as an outage would: its
// clients lose their connections and links that read from it go UNAVAILABLE.
// Its data stays for StartCluster.
func (m *Manager) StopCluster(_ context.Context, id string) (ClusterState, error) {
	c, err := m.embedded(id)
	if err != nil {
		return ClusterState{}, err
	}
	c.Embedded.Stop()
	m.log.Warn("embedded cluster stopped (outage drill)", "cluster", id)
	return clusterState(c), nil
}

// StartCluster brings a stopped embedded cluster back on the same address
// with its data.
func (m *Manager) StartCluster(_ context.Context, id string) (ClusterState, error) {
	c, err := m.embedded(id)
	if err != nil {
		return ClusterState{}, err
	}
	if err := c.Embedded.Start(); err != nil {
		return ClusterState{}, linkemu.Errorf(linkemu.EUNAVAILABLE, "Cannot start embedded cluster %s again: %v", id, err)
	}
	m.log.Info("embedded cluster started", "cluster", id)
	return clusterState(c), nil
}

func (m *Manager) embedded(id string) (*broker.Cluster, error) {
	c, err := m.cluster(id)
	if err != nil {
		return nil, err
	}
	if c.Embedded == nil {
		return nil, linkemu.Errorf(linkemu.EINVALID, "Cluster %s is an external cluster: only embedded clusters can be stopped and started by the emulator.", id)
	}
	return c, nil
}
