// Command emulator runs linkemu: a local, Confluent-compatible emulator of
// Cluster Linking with its own embedded Kafka clusters. See --help.
//
// It is a thin wiring of package emulator: flags over EMULATOR_* variables
// (config.go), the effective configuration and the ready line, text or JSON
// (main.go, console.go), the build (version.go), --secure (security.go),
// and errors that name what to change: unknown or malformed environment
// variables (envcheck.go), --config errors in YAML terms (yamlerr.go), a
// port in use (console.go). SIGINT and SIGTERM shut down gracefully: the
// last log line is "linkemu stopped" and the exit status 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/buildinfo"
	"github.com/linkemu/linkemu/internal/tlsca"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		if errors.Is(err, errLogged) {
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(args[1:], getenv, stdout)
	}
	if wantsVersion(args) {
		return printVersion(stdout, args)
	}
	s, err := parseSettings(args, getenv, stdout)
	if err != nil {
		return err
	}
	logger, err := newLogger(s, stderr)
	if err != nil {
		return err
	}
	warnUnknownEnv(logger, os.Environ())
	// With --log-format json, the error that stops the emulator is a JSON
	// line of the log too.
	fail := func(err error) error {
		if s.LogFormat != "json" {
			return err
		}
		logger.Error("linkemu failed", "err", err.Error())
		return errLogged
	}
	opts, err := s.options()
	if err != nil {
		return fail(err)
	}
	opts.Logger = logger
	if s.LogFormat == "json" {
		logEffective(stdout, s, opts)
	} else {
		printEffective(stdout, s, opts)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	emu, err := emulator.Start(ctx, opts)
	if err != nil {
		return fail(explainStartError(err, s))
	}
	if s.LogFormat == "json" {
		logReady(stdout, emu)
	} else {
		printReady(stdout, emu)
	}

	select {
	case <-ctx.Done():
		logger.Info("shutting down", "deadline", s.ShutdownTimeout)
	case err := <-emu.Err():
		logger.Error("REST server failed", "err", err)
	}
	if err := shutdown(emu, s.ShutdownTimeout, logger); err != nil {
		return fail(err)
	}
	return nil
}

// errLogged is a failure already written to the log.
var errLogged = errors.New("logged")

func newLogger(s *settings, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(s.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", s.LogLevel)
	}
	hopts := &slog.HandlerOptions{Level: level, ReplaceAttr: humanDurations}
	switch s.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, hopts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, hopts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", s.LogFormat)
}

// printEffective prints the configuration in force, secrets masked.
func printEffective(w io.Writer, s *settings, opts emulator.Options) {
	fmt.Fprintln(w, "linkemu effective configuration:")
	for _, r := range effectiveRows(s, opts) {
		fmt.Fprintf(w, "  %-24s %s\n", r[0], r[1])
	}
}

// effectiveRows lists the configuration in force as name, value pairs,
// secrets masked: printEffective prints them as text, logEffective as JSON.
func effectiveRows(s *settings, opts emulator.Options) [][2]string {
	var rows [][2]string
	row := func(k, v string) { rows = append(rows, [2]string{k, v}) }
	orNone := func(v, none string) string {
		if v == "" {
			return none
		}
		return v
	}
	row("version", buildinfo.Get().Version)
	row("http-addr", s.HTTPAddr)
	row("public-url", orNone(s.PublicURL, "(derived from each request)"))
	row("data-dir", s.DataDir)
	var emb []string
	for _, e := range opts.Embedded {
		v := e.ID + "=" + e.Listen
		if e.Advertised != "" {
			v += " (advertised " + e.Advertised + ")"
		}
		if len(e.Users) > 0 {
			v += fmt.Sprintf(" (SASL, %d users)", len(e.Users))
		}
		v += " (SASL_SSL " + orNone(e.SASLSSLListen, "port + 1") + ")"

		emb = append(emb, v)
	}
	row("embedded", orNone(strings.Join(emb, ", "), "none"))
	var ext []string
	for _, c := range opts.External {
		ext = append(ext, c.ID+"="+c.Conn.Masked())
	}
	row("cluster", orNone(strings.Join(ext, "; "), "none"))
	row("config", orNone(s.ConfigFile, "none"))
	row("max-partitions-per-topic", fmt.Sprint(opts.Limits.PartitionsPerTopic))
	row("max-partitions-per-request", fmt.Sprint(opts.Limits.PartitionsPerRequest))
	row("max-request-bytes", fmt.Sprint(opts.Limits.MaxRequestBytes))
	var keys []string
	for k := range opts.APIKeys {
		keys = append(keys, k+":****")
	}
	sort.Strings(keys)
	row("secure", orNone(mask(s.Secure), "off (only what --api-key/--cloud-api-key close needs a key)"))
	row("api-key", orNone(strings.Join(keys, ", "), "none (REST auth off)"))
	keys = keys[:0]
	for k := range opts.CloudAPIKeys {
		keys = append(keys, k+":****")
	}
	sort.Strings(keys)
	row("cloud-api-key", orNone(strings.Join(keys, ", "), "none (Cloud API auth off)"))
	row("https-addr", s.HTTPSAddr)
	row("tls-name", orNone(strings.Join(s.TLSNames, ", "), "none"))
	row("cloud-user", orNone(opts.CloudEmail, "any email and password"))
	var nets []string
	for _, n := range opts.Networks {
		nets = append(nets, fmt.Sprintf("%s (%s: %s)", n.ID, n.Environment, orNone(strings.Join(n.Clusters, " "), "no clusters")))
	}
	row("networks", orNone(strings.Join(nets, ", "), "none (every cluster in n-public, env-default)"))
	row("network-link-ready-delay", s.NLReadyDelay.String())
	row("log-level", s.LogLevel)
	row("log-format", s.LogFormat)
	row("shutdown-timeout", s.ShutdownTimeout.String())
	row("auto-create-topics", fmt.Sprint(s.AutoCreateTopics))
	return rows
}

// printReady prints the single line that says the emulator is up, and
// which build it is.
func printReady(w io.Writer, emu *emulator.Emulator) {
	parts := []string{"REST " + emu.RESTURL}
	if emu.HTTPSURL != "" {
		parts = append(parts, "HTTPS "+emu.HTTPSURL+" (CA "+filepath.Join(emu.DataDir, tlsca.CertFile)+")")
	}
	for _, c := range emu.Clusters {
		kind := "external"
		if c.Embedded {
			kind = "embedded"
		}
		if c.SASLSSLBootstrap != "" {
			parts = append(parts, fmt.Sprintf("%s=%s (%s; SASL_SSL %s)", c.ID, c.Bootstrap, kind, c.SASLSSLBootstrap))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%s (%s)", c.ID, c.Bootstrap, kind))
	}
	parts = append(parts, buildinfo.Get().Short())
	fmt.Fprintln(w, "linkemu ready: "+strings.Join(parts, " | "))
}
