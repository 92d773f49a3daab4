package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/linkemu/linkemu/emulator"
)

// The SASL_SSL listeners of the embedded clusters (issue 11) are configured
// here, apart from the other flags: --sasl-ssl and the YAML keys
// sasl_ssl_listen and sasl_ssl_advertised of an embedded cluster.

// saslSSLSettings are the SASL_SSL listener flags.
type saslSSLSettings struct {
	SASLSSL multiFlag // --sasl-ssl ID=HOST:PORT[@ADVERTISED] or none
}

func addSASLSSLFlags(fs *flag.FlagSet, s *saslSSLSettings) {
	fs.Var(&s.SASLSSL, "sasl-ssl", "SASL_SSL listener of an embedded cluster, ID=HOST:PORT[@ADVERTISED_HOST:PORT] (repeatable; default: the cluster's host and port + 1, e.g. lkc-east on 127.0.0.1:19093); its certificate comes from linkemu's CA (GET /emulator/v1/ca.pem); 'none' turns the SASL_SSL listeners off")

}

// applySASLSSL sets the SASL_SSL listen addresses of opts.Embedded from the
// flags, which win over the file's.
func (s *saslSSLSettings) applySASLSSL(opts *emulator.Options, fc fileConfig) error {
	byID := map[string]*emulator.EmbeddedSpec{}
	for i := range opts.Embedded {
		byID[opts.Embedded[i].ID] = &opts.Embedded[i]
	}
	for _, e := range fc.Embedded {
		if sp := byID[e.ID]; sp != nil {
			sp.SASLSSLListen, sp.SASLSSLAdvertised = e.SASLSSLListen, e.SASLSSLAdvertised
		}
	}
	for _, v := range s.SASLSSL {
		if v == emulator.NoSASLSSL {
			if len(s.SASLSSL) > 1 {
				return errors.New("--sasl-ssl none cannot be combined with other --sasl-ssl values")
			}
			for _, sp := range byID {
				sp.SASLSSLListen, sp.SASLSSLAdvertised = emulator.NoSASLSSL, ""
			}
			return nil
		}
		id, addr, ok := strings.Cut(v, "=")
		listen, advertised, _ := strings.Cut(addr, "@")
		if !ok || id == "" || (listen != emulator.NoSASLSSL && !strings.Contains(listen, ":")) || (advertised != "" && !strings.Contains(advertised, ":")) {
			return fmt.Errorf("--sasl-ssl %q: expected ID=HOST:PORT[@ADVERTISED_HOST:PORT] or ID=none, e.g. lkc-east=127.0.0.1:19093", v)
		}
		sp := byID[id]
		if sp == nil {
			return fmt.Errorf("--sasl-ssl %q: %s is not an embedded cluster", v, id)
		}
		sp.SASLSSLListen, sp.SASLSSLAdvertised = listen, advertised
	}
	return nil
}
