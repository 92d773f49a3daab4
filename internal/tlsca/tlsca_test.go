package tlsca

import (
	"bytes"
	"crypto/tls"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadOrCreateKeepsTheCAAcrossStarts(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.CertPEM(), second.CertPEM()) {
		t.Fatal("a second start made a new CA")
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v, want 0600", st.Mode().Perm())
	}
}

func TestLoadOrCreateRefusesBrokenFiles(t *testing.T) {
	for name, setup := range map[string]func(dir string){
		"garbage certificate": func(dir string) {
			os.WriteFile(filepath.Join(dir, CertFile), []byte("nope"), 0o644)
			os.WriteFile(filepath.Join(dir, KeyFile), []byte("nope"), 0o600)
		},
		"key missing": func(dir string) {
			if _, err := LoadOrCreate(dir); err != nil {
				panic(err)
			}
			os.Remove(filepath.Join(dir, KeyFile))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			setup(dir)
			if _, err := LoadOrCreate(dir); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestIssuedCertificateVerifiesOverTLS(t *testing.T) {
	ca, err := LoadOrCreate("")
	if err != nil {
		t.Fatal(err)
	}
	srvCfg, err := ca.ServerConfig("localhost", "127.0.0.1", "*.linkemu.test")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", srvCfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("hi"))
			c.Close()
		}
	}()
	for _, name := range []string{"localhost", "127.0.0.1", "pkc-1.linkemu.test"} {
		cfg := ca.ClientConfig()
		cfg.ServerName = name
		c, err := tls.Dial("tcp", ln.Addr().String(), cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := io.ReadAll(c)
		c.Close()
		if string(b) != "hi" {
			t.Fatalf("%s: read %q", name, b)
		}
	}
	cfg := ca.ClientConfig()
	cfg.ServerName = "other.example"
	if c, err := tls.Dial("tcp", ln.Addr().String(), cfg); err == nil {
		c.Close()
		t.Fatal("a name not in the certificate verified")
	}
}
