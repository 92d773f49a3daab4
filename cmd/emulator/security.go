package main

import (
	"fmt"
	"strings"

	"github.com/linkemu/linkemu/emulator"
)

// secure applies --secure: its key opens, and is then required on, every
// endpoint but /healthz and /readyz. It joins the --api-key keys (REST v3
// and /emulator/v1) and the --cloud-api-key keys (/networking/v1), and puts
// /metrics behind the REST keys. The finer flags keep working beside it.
func (s *settings) secure(opts *emulator.Options) error {
	if s.Secure == "" {
		return nil
	}
	key, secret, ok := strings.Cut(s.Secure, ":")
	if !ok || key == "" || secret == "" {
		return fmt.Errorf("--secure %q: expected KEY:SECRET", mask(s.Secure))
	}
	if opts.APIKeys == nil {
		opts.APIKeys = map[string]string{}
	}
	if opts.CloudAPIKeys == nil {
		opts.CloudAPIKeys = map[string]string{}
	}
	opts.APIKeys[key] = secret
	opts.CloudAPIKeys[key] = secret
	opts.MetricsAuth = true
	return nil
}
