package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// logRecorder is a slog.Handler that keeps every record as one line:
// message, then key=value attributes.
type logRecorder struct {
	mu    *sync.Mutex
	lines *[]string
	attrs []slog.Attr
}

func newLogRecorder() *logRecorder { return &logRecorder{mu: &sync.Mutex{}, lines: new([]string)} }

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &logRecorder{mu: r.mu, lines: r.lines, attrs: append(append([]slog.Attr(nil), r.attrs...), as...)}
}
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	b.WriteString(rec.Message)
	for _, a := range r.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	rec.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	r.mu.Lock()
	*r.lines = append(*r.lines, b.String())
	r.mu.Unlock()
	return nil
}

// count returns how many lines contain every part.
func (r *logRecorder) count(parts ...string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, l := range *r.lines {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			n++
		}
	}
	return n
}

// TestStateChangesAreLoggedOnce checks that a link's PAUSED and its return
// to ACTIVE, and a mirror's pause and resume, are each logged once, and that
// a restart says what it restored.
func TestStateChangesAreLoggedOnce(t *testing.T) {
	logs := newLogRecorder()
	dir := t.TempDir()
	l := newLabWith(t, emulator.Options{DataDir: dir, Logger: slog.New(logs)})
	l.topic(t, "orders", 1)
	l.mustStatus(t, 204, http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "orders"})

	waitLogged := func(parts ...string) {
		t.Helper()
		apitest.Eventually(t, apitest.Timeout, strings.Join(parts, " "), func() bool { return logs.count(parts...) > 0 })
	}
	l.alter(t, map[string]string{"cluster.link.paused": "true"})
	waitLogged("link state changed", "link=east-to-west", "state=PAUSED")
	l.alter(t, map[string]string{"cluster.link.paused": "false"})
	waitLogged("link state changed", "link=east-to-west", "state=ACTIVE")

	l.action(t, "pause", "orders")
	waitLogged("mirror topic state changed", "mirror=orders", "from=ACTIVE", "to=PAUSED")
	l.action(t, "resume", "orders")
	waitLogged("mirror topic state changed", "mirror=orders", "from=PAUSED", "to=ACTIVE")
	l.action(t, "resume", "orders") // no change, nothing logged

	for _, parts := range [][]string{
		{"link state changed", "state=PAUSED"},
		{"link state changed", "state=ACTIVE"},
		{"mirror topic state changed", "to=PAUSED"},
		{"mirror topic state changed", "to=ACTIVE"},
	} {
		if n := logs.count(parts...); n != 1 {
			t.Errorf("%v logged %d times, want once", parts, n)
		}
	}

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	apitest.Start(t, emulator.Options{DataDir: dir, Logger: slog.New(logs)})
	waitLogged("restored state", "links=1", "links_resumed=1", "mirror_topics=1", "mirrors_active=1", "link_names=lkc-west/east-to-west")
}
