package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/buildinfo"
)

// humanDurations writes durations as Go duration strings ("1.5s"), not
// nanoseconds: JSON logs are read by people too.
func humanDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

// jsonLine returns a logger that writes JSON lines to w, as --log-format
// json does for the log itself.
func jsonLine(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: humanDurations}))
}

// logEffective is printEffective for --log-format json: one JSON line whose
// "config" object holds the same rows.
func logEffective(w io.Writer, s *settings, opts emulator.Options) {
	rows := effectiveRows(s, opts)
	attrs := make([]any, 0, len(rows))
	for _, r := range rows {
		attrs = append(attrs, slog.String(r[0], r[1]))
	}
	jsonLine(w).Info("linkemu effective configuration", slog.Group("config", attrs...))
}

// logReady is printReady for --log-format json.
func logReady(w io.Writer, emu *emulator.Emulator) {
	type cluster struct {
		ID        string `json:"id"`
		Bootstrap string `json:"bootstrap"`
		Embedded  bool   `json:"embedded"`
	}
	cs := make([]cluster, 0, len(emu.Clusters))
	for _, c := range emu.Clusters {
		cs = append(cs, cluster{c.ID, c.Bootstrap, c.Embedded})
	}
	jsonLine(w).Info("linkemu ready", "rest", emu.RESTURL, "clusters", cs, "build", buildinfo.Get())
}

// shutdown stops the emulator within timeout and says what it saved: the
// store is synced and closed, the embedded brokers' logs are on disk, and
// the links and mirror topics resume from there at the next start.
func shutdown(emu *emulator.Emulator, timeout time.Duration, log *slog.Logger) error {
	snap := emu.Manager().Snapshot()
	embedded := 0
	for _, c := range emu.Clusters {
		if c.Embedded {
			embedded++
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := emu.Shutdown(ctx); err != nil {
		log.Error("linkemu stopped with errors", "err", err, "took", time.Since(start))
		return err
	}
	log.Info("linkemu stopped", "store", filepath.Join(emu.DataDir, "linkemu.db"), "links", len(snap.Links), "mirror_topics", len(snap.Mirrors),
		"embedded_clusters_flushed", embedded, "took", time.Since(start))
	return nil
}

// explainStartError adds to a failed start the setting to change.
func explainStartError(err error, s *settings) error {
	var le *emulator.ListenError
	if !errors.As(err, &le) || !le.InUse() {
		return err
	}
	if le.Cluster == "" {
		return fmt.Errorf("%w\n  %s is in use by another process: stop it, or give the REST API another address with --http-addr (EMULATOR_HTTP_ADDR), e.g. --http-addr :8091", err, le.Addr)
	}
	if le.SASLSSL {
		return fmt.Errorf("%w\n  %s is in use by another process (another linkemu?): stop it, or move the SASL_SSL listener of embedded cluster %s with --sasl-ssl %s=127.0.0.1:PORT (EMULATOR_SASL_SSL), or turn it off with --sasl-ssl %s=none", err, le.Addr, le.Cluster, le.Cluster, le.Cluster)
	}
	hint := fmt.Sprintf("--embedded %s=127.0.0.1:PORT (EMULATOR_EMBEDDED)", le.Cluster)
	if len(s.Embedded) == 0 {
		hint += "; --embedded replaces both default clusters, so give lkc-east and lkc-west each a port, e.g. --embedded lkc-east=127.0.0.1:19192 --embedded lkc-west=127.0.0.1:29192 (each also takes the next port for SASL_SSL)"
	}
	return fmt.Errorf("%w\n  %s is in use by another process (another linkemu?): stop it, or move embedded cluster %s with %s", err, le.Addr, le.Cluster, hint)
}
