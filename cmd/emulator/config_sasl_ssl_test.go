package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/linkemu/linkemu/emulator"
)

func TestSASLSSLSettings(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "linkemu.yaml")
	if err := os.WriteFile(cfg, []byte(`
embedded:
  - {id: lkc-east, listen: 127.0.0.1:19092, sasl_ssl_listen: 127.0.0.1:19443, sasl_ssl_advertised: kafka.test:19443}
  - {id: lkc-west, listen: 127.0.0.1:29092}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		args       []string
		east, west string // SASLSSLListen
		eastAdv    string
	}{
		{"defaults: derived from the listen port", nil, "", "", ""},
		{"file", []string{"--config", cfg}, "127.0.0.1:19443", "", "kafka.test:19443"},
		{"flag wins over the file", []string{"--config", cfg, "--sasl-ssl", "lkc-east=127.0.0.1:19999"}, "127.0.0.1:19999", "", ""},
		{"one off", []string{"--sasl-ssl", "lkc-west=none"}, "", emulator.NoSASLSSL, ""},
		{"all off", []string{"--sasl-ssl", "none"}, emulator.NoSASLSSL, emulator.NoSASLSSL, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseSettings(tc.args, env(nil), &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			opts, err := s.options()
			if err != nil {
				t.Fatal(err)
			}
			if len(opts.Embedded) != 2 || opts.Embedded[0].SASLSSLListen != tc.east || opts.Embedded[1].SASLSSLListen != tc.west || opts.Embedded[0].SASLSSLAdvertised != tc.eastAdv {
				t.Errorf("embedded: %+v", opts.Embedded)
			}
		})
	}
	for _, args := range [][]string{
		{"--sasl-ssl", "lkc-nope=127.0.0.1:1"},
		{"--sasl-ssl", "lkc-east"},
		{"--sasl-ssl", "none", "--sasl-ssl", "lkc-east=127.0.0.1:1"},
	} {
		s, err := parseSettings(args, env(nil), &bytes.Buffer{})
		if err == nil {
			_, err = s.options()
		}
		if err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}
