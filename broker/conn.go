package broker

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// Security protocols.
const (
	ProtoPlaintext     = "PLAINTEXT"
	ProtoSSL           = "SSL"
	ProtoSASLPlaintext = "SASL_PLAINTEXT"
	ProtoSASLSSL       = "SASL_SSL"
)

// ConnConfig says how to reach a cluster: where, and with which credentials.
type ConnConfig struct {
	Bootstrap        []string
	SecurityProtocol string // PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL
	SASLMechanism    string // PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
	Username         string
	Password         string
	TLS              *tls.Config // used with SSL and SASL_SSL; nil means system roots
}

// usesTLS reports whether the protocol runs over TLS.
func (c ConnConfig) usesTLS() bool {
	return c.SecurityProtocol == ProtoSSL || c.SecurityProtocol == ProtoSASLSSL
}

// usesSASL reports whether the protocol authenticates with SASL.
func (c ConnConfig) usesSASL() bool {
	return c.SecurityProtocol == ProtoSASLPlaintext || c.SecurityProtocol == ProtoSASLSSL
}

// Masked returns a printable form with the password hidden.
func (c ConnConfig) Masked() string {
	s := fmt.Sprintf("%s %s", strings.Join(c.Bootstrap, ","), orDefault(c.SecurityProtocol, ProtoPlaintext))
	if c.usesSASL() {
		s += fmt.Sprintf(" %s user=%s password=****", c.SASLMechanism, c.Username)
	}
	return s
}

// Opts returns the franz-go options that connect with this configuration.
func (c ConnConfig) Opts() ([]kgo.Opt, error) {
	if len(c.Bootstrap) == 0 {
		return nil, errors.New("no bootstrap servers")
	}
	opts := []kgo.Opt{
		kgo.SeedBrokers(c.Bootstrap...),
		kgo.DialTimeout(5 * time.Second),
	}
	switch c.SecurityProtocol {
	case "", ProtoPlaintext, ProtoSSL, ProtoSASLPlaintext, ProtoSASLSSL:
	default:
		return nil, fmt.Errorf("unsupported security.protocol %q", c.SecurityProtocol)
	}
	if c.usesTLS() {
		tc := c.TLS
		if tc == nil {
			tc = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		opts = append(opts, kgo.DialTLSConfig(tc.Clone()))
	}
	if c.usesSASL() {
		switch c.SASLMechanism {
		case "PLAIN":
			opts = append(opts, kgo.SASL(plain.Auth{User: c.Username, Pass: c.Password}.AsMechanism()))
		case "SCRAM-SHA-256":
			opts = append(opts, kgo.SASL(scram.Auth{User: c.Username, Pass: c.Password}.AsSha256Mechanism()))
		case "SCRAM-SHA-512":
			opts = append(opts, kgo.SASL(scram.Auth{User: c.Username, Pass: c.Password}.AsSha512Mechanism()))
		default:
			return nil, fmt.Errorf("sasl.mechanism %q is not supported by linkemu; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", c.SASLMechanism)
		}
	}
	return opts, nil
}

// NewClient returns a franz-go client for the configuration plus extra options.
func NewClient(c ConnConfig, extra ...kgo.Opt) (*kgo.Client, error) {
	opts, err := c.Opts()
	if err != nil {
		return nil, err
	}
	return kgo.NewClient(append(opts, extra...)...)
}

// jaasPairRE matches key="value" pairs of a JAAS login line.
var jaasPairRE = regexp.MustCompile(`(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"`)

// ParseJAAS returns the username and password of a PlainLoginModule or
// ScramLoginModule JAAS line.
func ParseJAAS(jaas string) (user, pass string, err error) {
	for _, m := range jaasPairRE.FindAllStringSubmatch(jaas, -1) {
		v := strings.ReplaceAll(m[2], `\"`, `"`)
		switch m[1] {
		case "username":
			user = v
		case "password":
			pass = v
		}
	}
	if user == "" {
		return "", "", errors.New(`sasl.jaas.config has no username="..." entry`)
	}
	return user, pass, nil
}

// LinkConn builds the connection a link uses to reach its remote cluster
// from the link's configs. prefix is "" for the remote cluster and "local."
// for the local side of a source-initiated link. Bootstrap entries may carry
// a PROTOCOL:// prefix, which is dropped. Over TLS without a truststore in
// the configs, the link trusts the system's roots and the PEM certificates
// trustPEM (linkemu's CA; nil for none), as a Confluent Cloud link trusts
// public CAs.
func LinkConn(l *linkemu.Link, prefix string, bootstrap []string, trustPEM []byte) (ConnConfig, error) {
	get := func(name string) string { return l.Config(prefix + name) }
	addrs := make([]string, len(bootstrap))
	for i, b := range bootstrap {
		addrs[i] = linkemu.BootstrapAddress(b)
	}
	cc := ConnConfig{Bootstrap: addrs, SecurityProtocol: orDefault(get(linkemu.CfgSecurityProtocol), ProtoPlaintext)}
	if cc.usesSASL() {
		cc.SASLMechanism = get(linkemu.CfgSASLMechanism)
		jaas := get(linkemu.CfgSASLJAASConfig)
		if jaas == "" {
			return cc, linkemu.Errorf(linkemu.EINVALID, "%s%s=%s needs %s%s with the credentials, e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username=\"KEY\" password=\"SECRET\";", prefix, linkemu.CfgSecurityProtocol, cc.SecurityProtocol, prefix, linkemu.CfgSASLJAASConfig)
		}
		user, pass, err := ParseJAAS(jaas)
		if err != nil {
			return cc, linkemu.Errorf(linkemu.EINVALID, "Invalid %s%s: %v.", prefix, linkemu.CfgSASLJAASConfig, err)
		}
		cc.Username, cc.Password = user, pass
		switch cc.SASLMechanism {
		case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
		default:
			return cc, linkemu.Errorf(linkemu.EINVALID, "%s%s=%s is not supported by linkemu; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.", prefix, linkemu.CfgSASLMechanism, cc.SASLMechanism)
		}
	}
	if cc.usesTLS() {
		tc, err := linkTLS(get, trustPEM)
		if err != nil {
			return cc, linkemu.Errorf(linkemu.EINVALID, "Invalid %sssl.* configuration: %v.", prefix, err)
		}
		cc.TLS = tc
	}
	return cc, nil
}

// TLSFiles names PEM files for a TLS connection.
type TLSFiles struct {
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	ServerName         string `yaml:"server_name"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// Config returns the tls.Config for the files.
func (f TLSFiles) Config() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: f.ServerName, InsecureSkipVerify: f.InsecureSkipVerify} //nolint:gosec // opt-in for self-signed test clusters
	if f.CAFile != "" {
		pem, err := os.ReadFile(f.CAFile)
		if err != nil {
			return nil, err
		}
		if tc.RootCAs, err = certPool(pem); err != nil {
			return nil, fmt.Errorf("%s: %w", f.CAFile, err)
		}
	}
	if f.CertFile != "" || f.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// linkTLS builds a tls.Config from a link's ssl.* configs, reading PEM.
func linkTLS(get func(string) string, trustPEM []byte) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: withSystemRoots(trustPEM)}
	caPEM := []byte(get("ssl.truststore.certificates"))
	if loc := get("ssl.truststore.location"); loc != "" {
		b, err := os.ReadFile(loc)
		if err != nil {
			return nil, err
		}
		caPEM = b
	}
	if len(caPEM) > 0 {
		pool, err := certPool(caPEM)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	certPEM, keyPEM := []byte(get("ssl.keystore.certificate.chain")), []byte(get("ssl.keystore.key"))
	if loc := get("ssl.keystore.location"); loc != "" {
		b, err := os.ReadFile(loc)
		if err != nil {
			return nil, err
		}
		certPEM, keyPEM = b, b
	}
	if len(certPEM) > 0 {
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if get("ssl.endpoint.identification.algorithm") == "" {
		skipHostnameCheck(tc)
	}
	return tc, nil
}

// skipHostnameCheck keeps chain verification but drops the host name check,
// as ssl.endpoint.identification.algorithm="" does in Kafka clients.
func skipHostnameCheck(tc *tls.Config) {
	roots := tc.RootCAs
	tc.InsecureSkipVerify = true //nolint:gosec // the chain is verified below
	tc.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("no server certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
		return err
	}
}

// withSystemRoots returns the system's roots plus the PEM certificates
// extra, or nil (the system's roots) when extra is empty.
func withSystemRoots(extra []byte) *x509.CertPool {
	if len(extra) == 0 {
		return nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	pool.AppendCertsFromPEM(extra)
	return pool
}

func certPool(pem []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no PEM certificates found")
	}
	return pool, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
