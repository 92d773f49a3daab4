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
	"github.com/twmb/franz-go/pkg/kgo"
)

// linkRuntime is the running side of one stored link: the connection to the
// remote cluster and the health check that keeps link_state real.
type linkRuntime struct {
	m    *Manager
	link *linkemu.Link // snapshot; a config change restarts the runtime
	src  *linkemu.Link // the value link was cloned from, to tell whether a view still matches

	conn    broker.ConnConfig
	connErr error       // why there is no outbound connection, if any
	remote  *kgo.Client // nil for INBOUND links and when connErr is set
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	workers taskWorkers
	repl    *replication.Worker // nil unless this side receives data

	applyMu *sync.Mutex // serializes applyMirrors

	tasksMu  sync.Mutex    // orders reconfigurations of the task workers
	tasksSrc *linkemu.Link // the view's version the task workers were last reconfigured to

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
	// blocked is set when no data may move although the real connection
	// may work: the emulated network keeps the clusters apart, or the
	// other side of a two-sided link is missing.
	blocked bool
	// localDown is set when the cluster the link lives on (the
	// destination of its mirrors) is down: the source is not the cause.
	localDown bool
}

func newLinkRuntime(m *Manager, l *linkemu.Link) *linkRuntime {
	rt := &linkRuntime{m: m, link: l.Clone(), src: l, applyMu: new(sync.Mutex)}
	rt.health = linkHealth{state: linkemu.LinkActive, err: linkemu.LinkNoError}
	rt.conn, rt.connErr = m.remoteConn(l)
	if rt.connErr == nil {
		rt.remote, rt.connErr = broker.NewClient(rt.conn, kgo.ClientID("linkemu-link-"+l.Name), kgo.RetryTimeout(m.cfg.ProbeTimeout))
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

// runs reports whether the runtime runs l, a version of its link from the
// view: it started with it, or its task workers were reconfigured to it.
func (rt *linkRuntime) runs(l *linkemu.Link) bool {
	rt.tasksMu.Lock()
	defer rt.tasksMu.Unlock()
	return rt.runsLocked(l)
}

// runsLocked is runs; tasksMu is held.
func (rt *linkRuntime) runsLocked(l *linkemu.Link) bool { return rt.src == l || rt.tasksSrc == l }

// reconfigureTasks brings the task workers to the link's latest configs in
// the view when those differ from the runtime's only in task configs (see
// tasksOnly): the connection and replication keep running. It reports
// false when the runtime must restart instead. It reads the view under
// tasksMu, so concurrent calls end with the latest configs applied.
func (rt *linkRuntime) reconfigureTasks() bool {
	rt.tasksMu.Lock()
	defer rt.tasksMu.Unlock()
	latest := rt.m.view().findLink(rt.link.ClusterID, rt.link.Name)
	if latest == nil {
		return true // deleted: its delete stops the runtime
	}
	if rt.runsLocked(latest) {
		return true
	}
	if !tasksOnly(rt.link, latest) {
		return false
	}
	rt.tasksSrc = latest
	rt.workers.reconfigure(rt.m.taskConfigsOf(latest))
	return true
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
	// Hold or release the mirrors before the new state shows: a client that
	// sees the link UNAVAILABLE can rely on nothing moving any more.
	hold := h.state == linkemu.LinkPaused || h.blocked
	rt.mu.Lock()
	prevHold := rt.hold
	rt.hold = hold
	rt.mu.Unlock()
	if hold != prevHold {
		rt.applyMirrors()
	}
	rt.mu.Lock()
	prev := rt.health
	rt.health = h
	rt.mu.Unlock()
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
			return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrBootstrapTCPConnection, message: linkemu.ErrorMessage(err), blocked: true}
		}
	}
	if local, err := rt.m.clusters.Get(l.ClusterID); err == nil && local.Embedded != nil && !local.Embedded.Running() {
		// Not a failure to reach the remote cluster's bootstrap servers:
		// Confluent's link_error values have no code for the link's own
		// cluster being down, so UNKNOWN, with the message saying why.
		return linkHealth{state: linkemu.LinkUnavailable, err: linkemu.LinkErrUnknown, blocked: true, localDown: true,
			message: fmt.Sprintf("Cluster %s, where this side of the link lives, is down.", l.ClusterID)}
	}
	if h, missing := rt.m.peerMissing(l); missing {
		return h
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
