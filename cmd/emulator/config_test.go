package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFlagsWinOverEnvironment(t *testing.T) {
	s, err := parseSettings([]string{"--http-addr", ":9999", "--embedded", "a=127.0.0.1:1"}, env(map[string]string{
		"EMULATOR_HTTP_ADDR":  ":1111",
		"EMULATOR_PUBLIC_URL": "http://proxy:8090",
		"EMULATOR_EMBEDDED":   "b=127.0.0.1:2",
		"EMULATOR_API_KEY":    "k1:s1;k2:s2",
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if s.HTTPAddr != ":9999" {
		t.Errorf("flag lost to env: http-addr=%s", s.HTTPAddr)
	}
	if s.PublicURL != "http://proxy:8090" {
		t.Errorf("env not applied: public-url=%s", s.PublicURL)
	}
	if strings.Join(s.Embedded, " ") != "a=127.0.0.1:1" {
		t.Errorf("repeatable flag lost to env: %v", s.Embedded)
	}
	if len(s.APIKeys) != 2 {
		t.Errorf("repeatable env value not split: %v", s.APIKeys)
	}
}

func TestOptionsFromSettings(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "linkemu.yaml")
	if err := os.WriteFile(cfg, []byte(`
clusters:
  - id: prod
    bootstrap: ["b1:9092", "b2:9092"]
    security_protocol: sasl_plaintext
    sasl_mechanism: scram-sha-512
    username: admin
    password: hunter2
embedded:
  - id: lkc-east
    listen: 127.0.0.1:0
    sasl_users: [{mechanism: PLAIN, username: u, password: p}]
api_keys:
  - {key: K, secret: S}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := parseSettings([]string{"--config", cfg, "--embedded", "lkc-west=0.0.0.0:0@localhost:29092", "--api-key", "K2:S2"}, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Embedded) != 2 || opts.Embedded[0].ID != "lkc-west" || opts.Embedded[0].Advertised != "localhost:29092" || len(opts.Embedded[1].Users) != 1 {
		t.Errorf("embedded: %+v", opts.Embedded)
	}
	if len(opts.External) != 1 || opts.External[0].Conn.SASLMechanism != "SCRAM-SHA-512" || opts.External[0].Conn.SecurityProtocol != "SASL_PLAINTEXT" || len(opts.External[0].Conn.Bootstrap) != 2 {
		t.Errorf("external: %+v", opts.External)
	}
	if opts.APIKeys["K"] != "S" || opts.APIKeys["K2"] != "S2" {
		t.Errorf("api keys: %v", opts.APIKeys)
	}
	var out bytes.Buffer
	printEffective(&out, s, opts)
	if strings.Contains(out.String(), "hunter2") || strings.Contains(out.String(), ":S2") {
		t.Errorf("effective configuration shows a secret:\n%s", out.String())
	}
}

func TestCloudAndHTTPSSettings(t *testing.T) {
	s, err := parseSettings([]string{"--https-addr", "127.0.0.1:9443", "--tls-name", "api.confluent.cloud", "--cloud-user", "dev@example.com:p:w"},
		env(map[string]string{"EMULATOR_TLS_NAME": "ignored.example"}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	if opts.HTTPSAddr != "127.0.0.1:9443" || strings.Join(opts.TLSNames, " ") != "api.confluent.cloud" ||
		opts.CloudEmail != "dev@example.com" || opts.CloudPassword != "p:w" {
		t.Errorf("options %q %v %q %q", opts.HTTPSAddr, opts.TLSNames, opts.CloudEmail, opts.CloudPassword)
	}
	s, _ = parseSettings(nil, env(map[string]string{"EMULATOR_TLS_NAME": "a.test;*.b.test"}), &bytes.Buffer{})
	if opts, _ := s.options(); opts.HTTPSAddr != ":8443" || strings.Join(opts.TLSNames, " ") != "a.test *.b.test" {
		t.Errorf("defaults and env: %q %v", opts.HTTPSAddr, opts.TLSNames)
	}
}

func TestBadSettings(t *testing.T) {
	for _, args := range [][]string{
		{"--embedded", "nohostport"},
		{"--embedded", "none", "--embedded", "a=127.0.0.1:1"},
		{"--cluster", "idonly"},
		{"--api-key", "nosecret"},
		{"--cloud-user", "nopassword"},
		{"--cloud-user", ":pw"},
		{"--max-partitions-per-topic", "0"},
		{"--max-request-bytes", "-1"},
	} {
		s, err := parseSettings(args, env(nil), &bytes.Buffer{})
		if err == nil {
			_, err = s.options()
		}
		if err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
	if _, err := parseSettings([]string{"--help"}, env(nil), &bytes.Buffer{}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
}

func TestLimitsFromFlagsAndEnvironment(t *testing.T) {
	s, err := parseSettings([]string{"--max-partitions-per-topic", "100"}, env(map[string]string{
		"EMULATOR_MAX_PARTITIONS_PER_TOPIC":   "7",
		"EMULATOR_MAX_PARTITIONS_PER_REQUEST": "50",
	}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	if l := opts.Limits; l.PartitionsPerTopic != 100 || l.PartitionsPerRequest != 50 || l.MaxRequestBytes != 1<<20 {
		t.Errorf("limits %+v: want 100 per topic (flag over env), 50 per request (env), 1 MiB bodies (default)", l)
	}
}

// TestComposeUsesRealFlags parses docker-compose.yml and checks every flag
// the emulator service passes exists: no Docker engine runs here, so this is
// how the file is kept honest.
func TestComposeUsesRealFlags(t *testing.T) {
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]any    `yaml:"depends_on"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
			Ports []string `yaml:"ports"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	emu, ok := compose.Services["linkemu"]
	if !ok {
		t.Fatal("no linkemu service")
	}
	fs := newFlagSet(&settings{}, &bytes.Buffer{})
	for _, arg := range emu.Command {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if fs.Lookup(name) == nil {
			t.Errorf("compose passes unknown flag %q", arg)
		}
	}
	s, err := parseSettings(emu.Command, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatalf("compose command does not parse: %v", err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatalf("compose command: %v", err)
	}
	ids := map[string]bool{}
	for _, c := range opts.External {
		ids[c.ID] = true
	}
	for name, svc := range compose.Services {
		if name == "linkemu" {
			continue
		}
		if !strings.Contains(svc.Image, ":") || strings.HasSuffix(svc.Image, ":latest") {
			t.Errorf("service %s image %q is not pinned", name, svc.Image)
		}
		if id := svc.Environment["CLUSTER_ID"]; !ids[id] {
			t.Errorf("service %s has CLUSTER_ID %q, which the emulator does not register with --cluster", name, id)
		}
		if len(svc.Healthcheck.Test) == 0 {
			t.Errorf("service %s has no healthcheck", name)
		}
		if _, ok := emu.DependsOn[name]; !ok {
			t.Errorf("linkemu does not wait for %s", name)
		}
	}
	if len(emu.Healthcheck.Test) < 2 || emu.Healthcheck.Test[1] != "/emulator" || emu.Healthcheck.Test[2] != "healthcheck" {
		t.Errorf("linkemu healthcheck %v does not use the healthcheck subcommand", emu.Healthcheck.Test)
	}
	if len(emu.Ports) == 0 || !strings.HasPrefix(emu.Ports[0], "8090:") {
		t.Errorf("linkemu does not publish the REST port: %v", emu.Ports)
	}
}
