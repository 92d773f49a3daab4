package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "linkemu.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNetworkingOptions(t *testing.T) {
	cfg := writeConfig(t, `
networks:
  - id: n-west
    environment: env-a
    clusters: [lkc-west]
  - id: n-east
    environment: env-b
    clusters: [lkc-east, lkc-other]
cloud_api_keys:
  - {key: CK, secret: cloudsecret}
`)
	s, err := parseSettings([]string{"--config", cfg, "--cloud-api-key", "CK2:cloudsecret2"},
		env(map[string]string{"EMULATOR_NETWORK_LINK_READY_DELAY": "2s"}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Networks) != 2 || opts.Networks[1].ID != "n-east" || opts.Networks[1].Environment != "env-b" || strings.Join(opts.Networks[1].Clusters, ",") != "lkc-east,lkc-other" {
		t.Errorf("networks: %+v", opts.Networks)
	}
	if opts.NetworkLinkReadyDelay != 2*time.Second {
		t.Errorf("ready delay from the environment: %s", opts.NetworkLinkReadyDelay)
	}
	if opts.CloudAPIKeys["CK"] != "cloudsecret" || opts.CloudAPIKeys["CK2"] != "cloudsecret2" || len(opts.APIKeys) != 0 {
		t.Errorf("cloud api keys %v, api keys %v", opts.CloudAPIKeys, opts.APIKeys)
	}
	var out bytes.Buffer
	printEffective(&out, s, opts)
	for _, want := range []string{"n-west (env-a: lkc-west)", "n-east (env-b: lkc-east lkc-other)", "CK:****", "network-link-ready-delay 2s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("effective configuration lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "cloudsecret") {
		t.Errorf("effective configuration shows a Cloud API secret:\n%s", out.String())
	}
}

func TestNetworkingDefaults(t *testing.T) {
	s, err := parseSettings(nil, env(nil), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.options()
	if err != nil {
		t.Fatal(err)
	}
	if len(opts.Networks) != 0 || opts.NetworkLinkReadyDelay != 500*time.Millisecond || len(opts.CloudAPIKeys) != 0 {
		t.Errorf("defaults: networks %v, delay %s, cloud keys %v", opts.Networks, opts.NetworkLinkReadyDelay, opts.CloudAPIKeys)
	}
	s, _ = parseSettings([]string{"--network-link-ready-delay", "0s"}, env(nil), &bytes.Buffer{})
	if opts, err := s.options(); err != nil || opts.NetworkLinkReadyDelay >= 0 {
		t.Errorf("0s must mean READY at once (a negative Options value): %v %s", err, opts.NetworkLinkReadyDelay)
	}
}

func TestBadNetworkingSettings(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		yaml string
	}{
		"negative delay":        {args: []string{"--network-link-ready-delay", "-1s"}},
		"cloud key sans secret": {args: []string{"--cloud-api-key", "CK"}},
		"unknown network field": {yaml: "networks:\n  - id: n-west\n    environment: env-a\n    cluster: [lkc-west]\n"},
	} {
		t.Run(name, func(t *testing.T) {
			args := tc.args
			if tc.yaml != "" {
				args = append(args, "--config", writeConfig(t, tc.yaml))
			}
			s, err := parseSettings(args, env(nil), &bytes.Buffer{})
			if err == nil {
				_, err = s.options()
			}
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
