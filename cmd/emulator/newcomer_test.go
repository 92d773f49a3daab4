package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnknownEnvironmentVariablesWarn(t *testing.T) {
	got := unknownEnv([]string{"EMULATOR_HTTP_ADDR=:8090", "EMULATOR_HTTPADDR=:9", "HOME=/root", "EMULATOR_SECURE=k:s", "EMULATOR_ZZZ=1"})
	want := []string{
		"environment variable EMULATOR_HTTPADDR is not a setting of the emulator and is ignored. Did you mean 'EMULATOR_HTTP_ADDR'? See emulator --help for the EMULATOR_* variables.",
		"environment variable EMULATOR_ZZZ is not a setting of the emulator and is ignored. See emulator --help for the EMULATOR_* variables.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadEnvironmentValueSaysTheFormat(t *testing.T) {
	for _, tt := range []struct{ name, value, want string }{
		{"EMULATOR_SHUTDOWN_TIMEOUT", "abc", `EMULATOR_SHUTDOWN_TIMEOUT="abc" is not valid: expected a duration such as 500ms, 15s or 2m`},
		{"EMULATOR_AUTO_CREATE_TOPICS", "yes please", `EMULATOR_AUTO_CREATE_TOPICS="yes please" is not valid: expected true or false`},
	} {
		_, err := parseSettings(nil, env(map[string]string{tt.name: tt.value}), &bytes.Buffer{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s=%s: %v, want %s", tt.name, tt.value, err, tt.want)
		}
	}
}

func TestConfigFileErrorsInYAMLTerms(t *testing.T) {
	for _, tt := range []struct{ name, yaml, want string }{
		{"unknown top-level key", "api_keyz:\n  - {key: K, secret: S}\n",
			`line 1: unknown key "api_keyz". Did you mean "api_keys"? The keys here are: api_keys, cloud_api_keys, clusters, embedded, networks.`},
		{"unknown nested key", "clusters:\n  - id: prod\n    bootstrp: [b:9092]\n",
			`line 3: unknown key "bootstrp". Did you mean "bootstrap"? The keys here are: bootstrap, id, password, sasl_mechanism, security_protocol, tls, username.`},
		{"wrong kind", "clusters:\n  - id: prod\n    bootstrap: b:9092\n",
			`line 3: expected a list, found a string "b:9092"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "linkemu.yaml")
			if err := os.WriteFile(cfg, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := parseSettings([]string{"--config", cfg}, env(nil), &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.options()
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "main.") || strings.Contains(err.Error(), "[]string") {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestSecureOpensEverythingWithOneKey(t *testing.T) {
	s, err := parseSettings([]string{"--api-key", "REST:r"}, env(map[string]string{"EMULATOR_SECURE": "ALL:s3cret"}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	if opts.APIKeys["ALL"] != "s3cret" || opts.APIKeys["REST"] != "r" || opts.CloudAPIKeys["ALL"] != "s3cret" || !opts.MetricsAuth {
		t.Errorf("api keys %v, cloud keys %v, metrics auth %v", opts.APIKeys, opts.CloudAPIKeys, opts.MetricsAuth)
	}
	var out bytes.Buffer
	printEffective(&out, s, opts)
	if strings.Contains(out.String(), "s3cret") || !strings.Contains(out.String(), "ALL:****") {
		t.Errorf("effective configuration:\n%s", out.String())
	}
	s, _ = parseSettings([]string{"--secure", "nosecret"}, env(nil), &bytes.Buffer{})
	if _, err := s.options(); err == nil || !strings.Contains(err.Error(), "expected KEY:SECRET") {
		t.Errorf("--secure without a secret: %v", err)
	}
}

func TestEmbeddedPortInUseNamesTheFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	err = run([]string{"--http-addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--embedded", "lkc-east=" + ln.Addr().String()}, env(nil), &stdout, &stderr)
	want := "is in use by another process (another linkemu?): stop it, or move embedded cluster lkc-east with --embedded lkc-east=127.0.0.1:PORT (EMULATOR_EMBEDDED)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
