package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/emulator"
	"gopkg.in/yaml.v3"
)

// settings are the command-line settings, each also an EMULATOR_<NAME>
// environment variable; flags win over the environment.
type settings struct {
	HTTPAddr        string
	HTTPSAddr       string
	TLSNames        multiFlag
	CloudUser       string
	PublicURL       string
	DataDir         string
	Embedded        multiFlag
	Clusters        multiFlag
	ConfigFile      string
	APIKeys         multiFlag
	CloudAPIKeys    multiFlag
	NLReadyDelay    time.Duration // --network-link-ready-delay
	LogLevel        string
	LogFormat       string
	ShutdownTimeout time.Duration
	saslSSLSettings // config_sasl_ssl.go
	// Secure is the one KEY:SECRET that closes every endpoint at once
	// (security.go); AutoCreateTopics lets embedded clusters create topics
	// on produce.
	Secure           string
	AutoCreateTopics bool
	Limits           linkemu.Limits
}

// multiFlag is a repeatable flag. From the environment, values are separated
// by whitespace or semicolons.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// fileConfig is the YAML file given with --config. It carries what does not
// fit on a command line: credentials and TLS for external clusters, SASL
// users of embedded clusters, API keys, and the private networks of network
// linking (docs/networking.md).
type fileConfig struct {
	Clusters []struct {
		ID               string           `yaml:"id"`
		Bootstrap        []string         `yaml:"bootstrap"`
		SecurityProtocol string           `yaml:"security_protocol"`
		SASLMechanism    string           `yaml:"sasl_mechanism"`
		Username         string           `yaml:"username"`
		Password         string           `yaml:"password"`
		TLS              *broker.TLSFiles `yaml:"tls"`
	} `yaml:"clusters"`
	Embedded []struct {
		ID         string            `yaml:"id"`
		Listen     string            `yaml:"listen"`
		Advertised string            `yaml:"advertised"`
		SASLUsers  []broker.SASLUser `yaml:"sasl_users"`
		// SASL_SSL listener, see config_sasl_ssl.go.
		SASLSSLListen     string `yaml:"sasl_ssl_listen"`
		SASLSSLAdvertised string `yaml:"sasl_ssl_advertised"`
	} `yaml:"embedded"`
	APIKeys []struct {
		Key    string `yaml:"key"`
		Secret string `yaml:"secret"`
	} `yaml:"api_keys"`
	CloudAPIKeys []struct {
		Key    string `yaml:"key"`
		Secret string `yaml:"secret"`
	} `yaml:"cloud_api_keys"`
	Networks []struct {
		ID          string   `yaml:"id"`
		Environment string   `yaml:"environment"`
		Clusters    []string `yaml:"clusters"`
	} `yaml:"networks"`
}

const usageHeader = `linkemu: a local, Confluent-compatible emulator of Cluster Linking.

Usage: emulator [flags]
       emulator healthcheck [URL]   exit 0 if URL (default: local /readyz) answers 200
       emulator version             print the build (also: emulator --version)

Every flag can also be set with an environment variable EMULATOR_<NAME>, e.g.
EMULATOR_HTTP_ADDR=:8090; flags win. Repeatable flags take several values from
the environment separated by spaces or semicolons.

Flags:
`

func newFlagSet(s *settings, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&s.HTTPAddr, "http-addr", ":8090", "REST API listen address")
	fs.StringVar(&s.HTTPSAddr, "https-addr", ":8443", "listen address of the same API (Kafka REST and Cloud API) over HTTPS, with a certificate from linkemu's CA (<data-dir>/ca.pem); 'none' serves no HTTPS")
	fs.Var(&s.TLSNames, "tls-name", "extra name the HTTPS certificate is valid for, besides localhost and 127.0.0.1 (repeatable), e.g. '*.confluent.cloud' or linkemu.internal")
	fs.StringVar(&s.CloudUser, "cloud-user", "", "EMAIL:PASSWORD of the Cloud API's one user, for `confluent login`; empty means any email and password log in")
	fs.StringVar(&s.PublicURL, "public-url", "", "base URL of metadata.self links, e.g. http://linkemu:8090 behind a proxy or in compose (default: from each request's Host)")
	fs.StringVar(&s.DataDir, "data-dir", "./data", "directory of all state: the bbolt store (linkemu.db) and the embedded brokers' logs (clusters/<ID>)")
	fs.Var(&s.Embedded, "embedded", "embedded cluster ID=HOST:PORT[@ADVERTISED_HOST:PORT] (repeatable; replaces the defaults lkc-east=127.0.0.1:19092 and lkc-west=127.0.0.1:29092); the broker binds HOST:PORT and tells clients ADVERTISED (default: HOST:PORT); 'none' starts none")
	fs.Var(&s.Clusters, "cluster", "external cluster ID=HOST:PORT[,HOST:PORT...] (repeatable); credentials and TLS go in --config")
	fs.StringVar(&s.ConfigFile, "config", "", "YAML file with cluster credentials, TLS, embedded SASL users, API keys and private networks (see README and docs/networking.md)")
	fs.Var(&s.APIKeys, "api-key", "KEY:SECRET required as HTTP Basic auth on every REST v3 call and on the admin API /emulator/v1 (repeatable); none means no auth. Prefer EMULATOR_API_KEY: a flag's secret shows in ps")
	fs.Var(&s.CloudAPIKeys, "cloud-api-key", "Cloud API KEY:SECRET required as HTTP Basic auth on every /networking/v1 call (repeatable); none means no auth. Prefer EMULATOR_CLOUD_API_KEY: a flag's secret shows in ps")
	fs.DurationVar(&s.NLReadyDelay, "network-link-ready-delay", 500*time.Millisecond, "how long a new network link service or endpoint is PROVISIONING before it can be READY; 0s makes it READY at once")
	fs.StringVar(&s.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&s.LogFormat, "log-format", "text", "text or json")
	fs.IntVar(&s.Limits.PartitionsPerTopic, linkemu.PartitionsPerTopicFlag, linkemu.DefaultPartitionsPerTopic, "most partitions a topic may have (partitions_count of a topic create or PATCH, and a mirror topic, at creation and as its source grows); the default is Confluent Cloud's Basic and Standard limit")
	fs.IntVar(&s.Limits.PartitionsPerRequest, "max-partitions-per-request", linkemu.DefaultPartitionsPerRequest, "most partitions one REST request may add (a new topic, or a PATCH's growth)")
	fs.Int64Var(&s.Limits.MaxRequestBytes, "max-request-bytes", linkemu.DefaultMaxRequestBytes, "largest REST request body accepted; larger ones get 413")
	fs.DurationVar(&s.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "deadline for a graceful shutdown on SIGINT/SIGTERM")
	addSASLSSLFlags(fs, &s.saslSSLSettings)
	fs.StringVar(&s.Secure, "secure", "", "KEY:SECRET that secures every endpoint at once: HTTP Basic auth with it is then required on the REST API (/kafka/v3, /v3), the admin API (/emulator/v1), /networking/v1 and /metrics; /healthz and /readyz stay open. Prefer EMULATOR_SECURE: a flag's secret shows in ps")
	fs.BoolVar(&s.AutoCreateTopics, "auto-create-topics", false, "let clients create topics on the embedded clusters by producing to them or asking for their metadata (Apache Kafka's auto.create.topics.enable); off like Confluent Cloud, where producing to a missing topic fails")
	fs.Usage = func() {
		fmt.Fprint(out, usageHeader)
		fs.PrintDefaults()
	}
	return fs
}

// parseSettings reads flags over environment variables.
func parseSettings(args []string, getenv func(string) string, out io.Writer) (*settings, error) {
	s := &settings{}
	fs := newFlagSet(s, out)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; see --help", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		v := getenv(envName(f.Name))
		if v == "" {
			return
		}
		if _, multi := f.Value.(*multiFlag); multi {
			for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ' ' || r == '\n' || r == '\t' }) {
				errs = append(errs, f.Value.Set(part))
			}
			return
		}
		if err := f.Value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not valid: expected %s", envName(f.Name), v, expectedFormat(f)))
		}
	})
	return s, errors.Join(errs...)
}

func envName(flagName string) string {
	return "EMULATOR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// options turns settings (and the YAML file) into emulator options.
func (s *settings) options() (emulator.Options, error) {
	opts := emulator.Options{HTTPAddr: s.HTTPAddr, HTTPSAddr: s.HTTPSAddr, TLSNames: s.TLSNames, PublicURL: s.PublicURL, DataDir: s.DataDir, APIKeys: map[string]string{}}
	if s.CloudUser != "" {
		email, password, ok := strings.Cut(s.CloudUser, ":")
		if !ok || email == "" || password == "" {
			return opts, fmt.Errorf("--cloud-user %q: expected EMAIL:PASSWORD", mask(s.CloudUser))
		}
		opts.CloudEmail, opts.CloudPassword = email, password
	}
	if s.Limits.PartitionsPerTopic < 1 || s.Limits.PartitionsPerRequest < 1 || s.Limits.MaxRequestBytes < 1 {
		return opts, fmt.Errorf("--max-partitions-per-topic, --max-partitions-per-request and --max-request-bytes take a number of 1 or more")
	}
	opts.Limits = s.Limits
	var fc fileConfig
	if s.ConfigFile != "" {
		b, err := os.ReadFile(s.ConfigFile)
		if err != nil {
			return opts, fmt.Errorf("--config: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) {
			return opts, fmt.Errorf("--config %s: %s", s.ConfigFile, yamlError(err))
		}
	}
	if err := s.embedded(&opts, fc); err != nil {
		return opts, err
	}
	if err := s.applySASLSSL(&opts, fc); err != nil {
		return opts, err
	}
	if err := s.external(&opts, fc); err != nil {
		return opts, err
	}
	for _, k := range fc.APIKeys {
		opts.APIKeys[k.Key] = k.Secret
	}
	for _, kv := range s.APIKeys {
		key, secret, ok := strings.Cut(kv, ":")
		if !ok || key == "" || secret == "" {
			return opts, fmt.Errorf("--api-key %q: expected KEY:SECRET", mask(kv))
		}
		opts.APIKeys[key] = secret
	}
	if err := s.networking(&opts, fc); err != nil {
		return opts, err
	}
	if err := s.secure(&opts); err != nil {
		return opts, err
	}
	opts.AutoCreateTopics = s.AutoCreateTopics
	return opts, nil
}

// networking fills the network linking options: private networks from the
// file, the ready delay and Cloud API keys.
func (s *settings) networking(opts *emulator.Options, fc fileConfig) error {
	for _, n := range fc.Networks {
		opts.Networks = append(opts.Networks, emulator.NetworkSpec{ID: n.ID, Environment: n.Environment, Clusters: n.Clusters})
	}
	switch {
	case s.NLReadyDelay < 0:
		return fmt.Errorf("--network-link-ready-delay %s: give a duration of 0s or more", s.NLReadyDelay)
	case s.NLReadyDelay == 0:
		opts.NetworkLinkReadyDelay = -1 // READY at once; zero in Options means the default
	default:
		opts.NetworkLinkReadyDelay = s.NLReadyDelay
	}
	opts.CloudAPIKeys = map[string]string{}
	for _, k := range fc.CloudAPIKeys {
		opts.CloudAPIKeys[k.Key] = k.Secret
	}
	for _, kv := range s.CloudAPIKeys {
		key, secret, ok := strings.Cut(kv, ":")
		if !ok || key == "" || secret == "" {
			return fmt.Errorf("--cloud-api-key %q: expected KEY:SECRET", mask(kv))
		}
		opts.CloudAPIKeys[key] = secret
	}
	return nil
}

func (s *settings) embedded(opts *emulator.Options, fc fileConfig) error {
	specs := map[string]*emulator.EmbeddedSpec{}
	var order []string
	add := func(id string) *emulator.EmbeddedSpec {
		if sp := specs[id]; sp != nil {
			return sp
		}
		specs[id] = &emulator.EmbeddedSpec{ID: id}
		order = append(order, id)
		return specs[id]
	}
	for _, v := range s.Embedded {
		if v == "none" {
			if len(s.Embedded) > 1 {
				return errors.New("--embedded none cannot be combined with other --embedded values")
			}
			opts.NoEmbedded = true
			return nil
		}
		id, addr, ok := strings.Cut(v, "=")
		listen, advertised, _ := strings.Cut(addr, "@")
		if !ok || id == "" || !strings.Contains(listen, ":") || (advertised != "" && !strings.Contains(advertised, ":")) {
			return fmt.Errorf("--embedded %q: expected ID=HOST:PORT[@ADVERTISED_HOST:PORT], e.g. lkc-east=127.0.0.1:19092", v)
		}
		sp := add(id)
		sp.Listen, sp.Advertised = listen, advertised
	}
	for _, e := range fc.Embedded {
		sp := add(e.ID)
		if sp.Listen == "" {
			sp.Listen = e.Listen
		}
		if sp.Advertised == "" {
			sp.Advertised = e.Advertised
		}
		sp.Users = e.SASLUsers
	}
	if len(order) == 0 {
		opts.Embedded = emulator.DefaultEmbedded(19092, 29092)
		return nil
	}
	for _, id := range order {
		if specs[id].Listen == "" {
			return fmt.Errorf("embedded cluster %s has no listen address: pass --embedded %s=HOST:PORT", id, id)
		}
		opts.Embedded = append(opts.Embedded, *specs[id])
	}
	return nil
}

func (s *settings) external(opts *emulator.Options, fc fileConfig) error {
	boot := map[string][]string{}
	var order []string
	for _, v := range s.Clusters {
		id, list, ok := strings.Cut(v, "=")
		if !ok || id == "" || list == "" {
			return fmt.Errorf("--cluster %q: expected ID=HOST:PORT[,HOST:PORT...]", v)
		}
		if _, dup := boot[id]; !dup {
			order = append(order, id)
		}
		boot[id] = strings.Split(list, ",")
	}
	fromFile := map[string]int{}
	for i, c := range fc.Clusters {
		fromFile[c.ID] = i
		if _, dup := boot[c.ID]; !dup {
			order = append(order, c.ID)
			boot[c.ID] = c.Bootstrap
		}
	}
	for _, id := range order {
		cc := broker.ConnConfig{Bootstrap: boot[id], SecurityProtocol: broker.ProtoPlaintext}
		if i, ok := fromFile[id]; ok {
			c := fc.Clusters[i]
			if c.SecurityProtocol != "" {
				cc.SecurityProtocol = strings.ToUpper(c.SecurityProtocol)
			}
			cc.SASLMechanism, cc.Username, cc.Password = strings.ToUpper(c.SASLMechanism), c.Username, c.Password
			if c.TLS != nil {
				tc, err := c.TLS.Config()
				if err != nil {
					return fmt.Errorf("cluster %s tls: %w", id, err)
				}
				cc.TLS = tc
			}
		}
		if len(cc.Bootstrap) == 0 {
			return fmt.Errorf("cluster %s has no bootstrap servers: pass --cluster %s=HOST:PORT", id, id)
		}
		opts.External = append(opts.External, emulator.ExternalSpec{ID: id, Conn: cc})
	}
	return nil
}

func mask(s string) string {
	if k, _, ok := strings.Cut(s, ":"); ok {
		return k + ":****"
	}
	return "****"
}
