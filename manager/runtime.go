package manager

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/replication"
	"github.com/linkemu/linkemu/store"
	"github.com/twmb/franz-go/pkg/kgo"
)

// linkRuntime is the running side of one stored link: the connection to the
// remote cluster and the health check that keeps link_state real.
type linkRuntime struct {
	m    *Manager
	link *linkemu.Link // snapshot; a config change restarts the runtime

	conn    broker.ConnConfig
	connErr error       // why there is no outbound connection, if any
	remote  *kgo.Client // nil for INBOUND links and when connErr is set
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	workers taskWorkers
	repl    *replication.Worker // nil unless this side receives data

	mu     sync.Mutex
	health linkHealth
	hold   bool // paused, or refused by the network policy: no data moves
}

// linkHealth is the result of the latest health check.
type linkHealth struct {
	state   linkemu.LinkState
	err     linkemu.LinkError
	message string
	at      time.Time
	// networkRefused is set when the emulated network keeps the clusters
	// apart; the real connection may still work, but no data may move.
	networkRefused bool
}

func newLinkRuntime(m *Manager, l *linkemu.Link) *linkRuntime {
	rt := &linkRuntime{m: m, link: l.Clone()}
	rt.health = linkHealth{state: linkemu.LinkActive, err: linkemu.LinkNoError}
	if l.ConnectionMode() == linkemu.ConnOutbound {
		rt.conn, rt.connErr = m.remoteConn(l)
		if rt.connErr == nil {
			rt.remote, rt.connErr = broker.NewClient(rt.conn, kgo.ClientID("linkemu-link-"+l.Name), kgo.RetryTimeout(m.cfg.ProbeTimeout))
		}
	}
	return rt
}

func (rt *linkRuntime) start() {
	ctx, cancel := context.WithCancel(context.Background())
	rt.cancel = cancel
	rt.check(ctx)
	if rt.remote != nil && receivesData(rt.link) {
		if local, err := rt.m.clusters.Get(rt.link.ClusterID); err == nil {
			rt.startReplication(ctx, local.Client())
			rt.startTasks(ctx, local.Client())
		}
	}
	rt.wg.Add(1)
	go func() {
		defer rt.wg.Done()
		rt.healthLoop(ctx)
	}()
}

// stop cancels the runtime's goroutines, waits for them and closes the
// remote client.
func (rt *linkRuntime) stop() {
	if rt.cancel != nil {
		rt.cancel()
	}
	rt.wg.Wait()
	rt.stopTasks()
	if rt.repl != nil {
		rt.repl.Stop()
	}
	if rt.remote != nil {
		rt.remote.Close()
	}
}

func (rt *linkRuntime) healthLoop(ctx context.Context) {
	t := time.NewTicker(rt.m.cfg.HealthInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rt.check(ctx)
		}
	}
}

// check runs one health check and records its result.
func (rt *linkRuntime) check(ctx context.Context) {
	h := rt.probe(ctx)
	if ctx.Err() != nil {
		return
	}
	if rt.link.ConfigBool(linkemu.CfgLinkPaused) && h.state == linkemu.LinkActive {
		h.state = linkemu.LinkPaused
	}
	h.at = rt.m.cfg.Now()
	hold := h.state == linkemu.LinkPaused || h.networkRefused
	rt.mu.Lock()
	prev, prevHold := rt.health, rt.hold
	rt.health, rt.hold = h, hold
	rt.mu.Unlock()
	if hold != prevHold {
		rt.applyMirrors()
	}
	if h.state == linkemu.LinkActive && prev.state != linkemu.LinkActive {
		rt.wakeTasks()
	}
	if prev.state != h.state || prev.err != h.err {
		rt.m.log.Info("link state changed", "cluster", rt.link.ClusterID, "link", rt.link.Name, "state", h.state, "link_error", h.err, "message", h.message)
	}
}

func (rt *linkRuntime) probe(ctx context.Context) linkHealth {
	l := rt.link
	if net := rt.m.cfg.Network; net != nil {
		if err := net.CheckLink(l); err != nil {
			return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrBootstrapTCPConnection, message: linkemu.ErrorMessage(err), networkRefused: true}
		}
	}
	if l.ConnectionMode() == linkemu.ConnInbound {
		return rt.m.inboundHealth(l)
	}
	if rt.connErr != nil {
		return linkHealth{state: linkemu.LinkFailed, err: linkemu.LinkErrUnknown, message: linkemu.ErrorMessage(rt.connErr)}
	}
	cctx, cancel := context.WithTimeout(ctx, rt.m.cfg.ProbeTimeout)
	id, err := broker.ClusterID(cctx, rt.remote)
	cancel()
	if err != nil {
		// The long-lived client hides why it failed behind retries; a
		// fresh probe names the cause.
		_, err = broker.Probe(ctx, rt.conn, rt.m.cfg.ProbeTimeout)
		if err == nil {
			return linkHealth{state: linkemu.LinkActive, err: linkemu.LinkNoError}
		}
		var pe *broker.ProbeError
		if errors.As(err, &pe) {
			return linkHealth{state: linkemu.LinkUnavailable, err: pe.Kind, message: pe.Message}
		}
		return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrUnknown, message: err.Error()}
	}
	if want := l.RemoteID(); id != want {
		return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrUnknown,
			message: fmt.Sprintf("bootstrap.servers %s lead to cluster %q, but the link expects %q.", strings.Join(rt.conn.Bootstrap, ","), id, want)}
	}
	return linkHealth{state: linkemu.LinkActive, err: linkemu.LinkNoError}
}

// Health returns the latest health check result.
func (rt *linkRuntime) Health() linkHealth {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.health
}

// remoteConn resolves how a link reaches its remote cluster: its own
// bootstrap.servers and security configs, or, when bootstrap.servers is not
// set, the emulator's own connection to a cluster it serves.
func (m *Manager) remoteConn(l *linkemu.Link) (broker.ConnConfig, error) {
	if bs := l.ConfigList(linkemu.CfgBootstrapServers); len(bs) > 0 {
		return broker.LinkConn(l, "", bs)
	}
	c, err := m.clusters.Get(l.RemoteID())
	if err != nil {
		return broker.ConnConfig{}, linkemu.Errorf(linkemu.EINVALID, "The config %s is required: cluster %s is not served by this emulator, so give its brokers' host:port list.", linkemu.CfgBootstrapServers, l.RemoteID())
	}
	return c.Conn(), nil
}

// inboundHealth reports an INBOUND link: it is up once the other side of the
// link exists on the remote cluster.
func (m *Manager) inboundHealth(l *linkemu.Link) linkHealth {
	var peer *linkemu.Link
	_ = m.store.View(func(tx *store.Tx) error {
		peer, _ = tx.Link(l.RemoteID(), l.Name)
		return nil
	})
	if peer == nil {
		return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrUnknown,
			message: fmt.Sprintf("Waiting for cluster %s to create its side of link '%s' (connection.mode=INBOUND: this side does not connect out).", l.RemoteID(), l.Name)}
	}
	return linkHealth{state: linkemu.LinkActive, err: linkemu.LinkNoError}
}
