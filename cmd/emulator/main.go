// Command emulator runs linkemu: a local, Confluent-compatible emulator of
// Cluster Linking with its own embedded Kafka clusters. See --help.
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
	"sort"
	"strings"
	"syscall"

	"github.com/linkemu/linkemu/emulator"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(args[1:], getenv, stdout)
	}
	s, err := parseSettings(args, getenv, stdout)
	if err != nil {
		return err
	}
	logger, err := newLogger(s, stderr)
	if err != nil {
		return err
	}
	opts, err := s.options()
	if err != nil {
		return err
	}
	opts.Logger = logger
	printEffective(stdout, s, opts)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	emu, err := emulator.Start(ctx, opts)
	if err != nil {
		return err
	}
	printReady(stdout, emu)

	select {
	case <-ctx.Done():
		logger.Info("shutting down", "deadline", s.ShutdownTimeout)
	case err := <-emu.Err():
		logger.Error("REST server failed", "err", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.ShutdownTimeout)
	defer cancel()
	return emu.Shutdown(sctx)
}

func newLogger(s *settings, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(s.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", s.LogLevel)
	}
	hopts := &slog.HandlerOptions{Level: level}
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
	row := func(k, v string) { fmt.Fprintf(w, "  %-24s %s\n", k, v) }
	orNone := func(v, none string) string {
		if v == "" {
			return none
		}
		return v
	}
	fmt.Fprintln(w, "linkemu effective configuration:")
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
	row("api-key", orNone(strings.Join(keys, ", "), "none (REST auth off)"))
	keys = keys[:0]
	for k := range opts.CloudAPIKeys {
		keys = append(keys, k+":****")
	}
	sort.Strings(keys)
	row("cloud-api-key", orNone(strings.Join(keys, ", "), "none (/networking/v1 auth off)"))
	var nets []string
	for _, n := range opts.Networks {
		nets = append(nets, fmt.Sprintf("%s (%s: %s)", n.ID, n.Environment, orNone(strings.Join(n.Clusters, " "), "no clusters")))
	}
	row("networks", orNone(strings.Join(nets, ", "), "none (every cluster in n-public, env-default)"))
	row("network-link-ready-delay", s.NLReadyDelay.String())
	row("log-level", s.LogLevel)
	row("log-format", s.LogFormat)
	row("shutdown-timeout", s.ShutdownTimeout.String())
}

// printReady prints the single line that says the emulator is up.
func printReady(w io.Writer, emu *emulator.Emulator) {
	parts := []string{"REST " + emu.RESTURL}
	for _, c := range emu.Clusters {
		kind := "external"
		if c.Embedded {
			kind = "embedded"
		}
		parts = append(parts, fmt.Sprintf("%s=%s (%s)", c.ID, c.Bootstrap, kind))
	}
	fmt.Fprintln(w, "linkemu ready: "+strings.Join(parts, " | "))
}
