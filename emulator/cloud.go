package emulator

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/linkemu/linkemu/cloudapi"
)

// CloudAPI returns the Cloud control plane model (for tests).
func (e *Emulator) CloudAPI() *cloudapi.Cloud { return e.cloud }

// ClusterCredential reports whether user and password are an API key that
// was created through the Cloud API for cluster: the lookup a cluster's
// SASL listener calls to accept Cloud-style API keys.
func (e *Emulator) ClusterCredential(cluster, user, password string) bool {
	return e.cloud.ClusterCredential(cluster, user, password)
}

// newCloud builds the Cloud control plane over the served clusters.
func (e *Emulator) newCloud(opts Options) (*cloudapi.Cloud, error) {
	return cloudapi.New(cloudapi.Config{
		Store: e.store, Networking: e.net,
		Clusters: func() []string {
			ids := make([]string, 0, len(e.Clusters))
			for _, c := range e.Clusters {
				ids = append(ids, c.ID)
			}
			return ids
		},
		Endpoints: e.clusterEndpoints,
		Email:     opts.CloudEmail, Password: opts.CloudPassword,
	})
}

// clusterEndpoints says where Cloud-mode clients reach a cluster: its REST
// base path on linkemu's listeners (its own mount, /clusters/{id}, whose
// GET …/v3/clusters lists it alone, as a Confluent Cloud cluster's endpoint
// does) and its bootstrap, its SASL_SSL listener in Cloud's SASL_SSL://
// form. A cluster without a SASL_SSL listener gives its plain bootstrap,
// with no prefix, so that no client is told to speak TLS to a plaintext
// port.
func (e *Emulator) clusterEndpoints(id string) cloudapi.Endpoints {
	c, ok := e.Cluster(id)
	if !ok {
		return cloudapi.Endpoints{}
	}
	ep := cloudapi.Endpoints{RESTPath: "/clusters/" + id, Bootstrap: c.Bootstrap}
	if c.SASLSSLBootstrap != "" {
		ep.Bootstrap = "SASL_SSL://" + c.SASLSSLBootstrap
	}
	return ep
}

// httpsNames are the names the HTTPS certificate is valid for: the loopback
// names, the bound host, PublicURL's host and the configured extra names.
func httpsNames(addr *net.TCPAddr, opts Options) []string {
	names := []string{"localhost", "127.0.0.1", "::1"}
	if !addr.IP.IsUnspecified() {
		names = append(names, addr.IP.String())
	}
	if u, err := url.Parse(opts.PublicURL); err == nil && u.Hostname() != "" {
		names = append(names, u.Hostname())
	}
	names = append(names, opts.TLSNames...)
	slices.Sort(names[3:])
	return slices.Compact(names)
}

// serveHTTPS serves handler on the HTTPS listener with a certificate from
// the CA.
func (e *Emulator) serveHTTPS(handler http.Handler, opts Options) error {
	ln, err := net.Listen("tcp", opts.HTTPSAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (HTTPS): %w", opts.HTTPSAddr, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	cfg, err := e.ca.ServerConfig(httpsNames(addr, opts)...)
	if err != nil {
		ln.Close()
		return err
	}
	e.https = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	e.HTTPSURL = "https://" + restHost(addr)
	e.httpsDone = make(chan struct{})
	go func() {
		defer close(e.httpsDone)
		if err := e.https.Serve(tls.NewListener(ln, cfg)); err != nil && !errors.Is(err, http.ErrServerClosed) {
			select {
			case e.serveErr <- err:
			default:
			}
		}
	}()
	return nil
}

// clusterCredential is the check an embedded cluster's SASL listeners make
// last: whether a PLAIN login is an API key created for that cluster
// through the Cloud API.
func (e *Emulator) clusterCredential(cluster string) func(user, pass string) bool {
	return func(user, pass string) bool { return e.ClusterCredential(cluster, user, pass) }
}
