package broker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// ProbeError is why a cluster could not be reached, classified as
// Confluent's link_error.
type ProbeError struct {
	Kind    linkemu.LinkError
	Message string
}

func (e *ProbeError) Error() string { return e.Message }

// Probe connects to the cluster as cc says and returns the cluster ID the
// brokers report. Failures are *ProbeError. Probe checks name resolution and
// TCP reachability of the bootstrap servers itself, so that each failure gets
// the right link_error instead of a bare timeout.
func Probe(ctx context.Context, cc ConnConfig, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr, err := reachable(ctx, cc.Bootstrap)
	if err != nil {
		return "", err
	}
	if pe := protocolMismatch(ctx, cc, addr); pe != nil {
		return "", pe
	}
	cl, err := NewClient(cc, kgo.RequestRetries(1), kgo.RetryTimeout(timeout))
	if err != nil {
		return "", &ProbeError{Kind: linkemu.LinkErrUnknown, Message: err.Error()}
	}
	defer cl.Close()
	id, err := askClusterID(ctx, cl)
	if err == nil {
		return id, nil
	}
	if cc.usesSASL() && droppedConnection(err) && speaksKafka(ctx, cc) {
		// Brokers close the connection on a failed SASL exchange (kfake
		// without even an error code): the broker answers without
		// credentials, so the credentials are what it refused.
		return "", &ProbeError{Kind: linkemu.LinkErrAuthentication, Message: fmt.Sprintf("The remote cluster closed the connection during SASL %s authentication of user %q: the credentials in sasl.jaas.config were rejected.", cc.SASLMechanism, cc.Username)}
	}
	return "", classify(ctx, err)
}

// droppedConnection reports whether err is the peer closing the connection.
func droppedConnection(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// speaksKafka reports whether the brokers answer ApiVersions without SASL,
// which every broker does before authentication.
func speaksKafka(ctx context.Context, cc ConnConfig) bool {
	plain := cc
	plain.SecurityProtocol = ProtoPlaintext
	if cc.usesTLS() {
		plain.SecurityProtocol = ProtoSSL
	}
	cl, err := NewClient(plain, kgo.RequestRetries(0))
	if err != nil {
		return false
	}
	defer cl.Close()
	_, err = kmsg.NewPtrApiVersionsRequest().RequestWith(ctx, cl)
	return err == nil
}

// ClusterID asks a connected client for the cluster ID, classifying failures
// like Probe.
func ClusterID(ctx context.Context, cl *kgo.Client) (string, error) {
	return clusterID(ctx, cl)
}

func clusterID(ctx context.Context, cl *kgo.Client) (string, error) {
	id, err := askClusterID(ctx, cl)
	if err != nil {
		var pe *ProbeError
		if errors.As(err, &pe) {
			return "", err
		}
		return "", classify(ctx, err)
	}
	return id, nil
}

// askClusterID sends a Metadata request for no topics (health checks run
// every few seconds per link; the metadata of every topic would cost the
// cluster more than the check) and returns the raw error.
//
// franz-go does not give up on a connection that accepted but never
// answers until its own timeouts (about 10s), whatever ctx says; the
// request runs aside so that the probe ends when ctx does.
func askClusterID(ctx context.Context, cl *kgo.Client) (string, error) {
	req := kmsg.NewPtrMetadataRequest()
	req.Topics = []kmsg.MetadataRequestTopic{}
	type answer struct {
		resp *kmsg.MetadataResponse
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		resp, err := req.RequestWith(ctx, cl)
		done <- answer{resp, err}
	}()
	var resp *kmsg.MetadataResponse
	select {
	case a := <-done:
		if a.err != nil {
			return "", a.err
		}
		resp = a.resp
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if resp.ClusterID == nil {
		return "", &ProbeError{Kind: linkemu.LinkErrUnknown, Message: "the brokers did not report a cluster ID (Kafka older than 0.10.1?)"}
	}
	return *resp.ClusterID, nil
}

func classify(ctx context.Context, err error) *ProbeError {
	var ke *kerr.Error
	switch {
	case errors.Is(err, kerr.SaslAuthenticationFailed), errors.Is(err, kerr.IllegalSaslState),
		errors.Is(err, kerr.UnsupportedSaslMechanism):
		return &ProbeError{Kind: linkemu.LinkErrAuthentication, Message: fmt.Sprintf("Authentication with the remote cluster failed: %v. Check the credentials in sasl.jaas.config and sasl.mechanism.", err)}
	case isTLSError(err):
		return &ProbeError{Kind: linkemu.LinkErrAuthentication, Message: fmt.Sprintf("TLS handshake with the remote cluster failed: %v. Check security.protocol and the ssl.* configs.", err)}
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		return &ProbeError{Kind: linkemu.LinkErrTimeout, Message: "Timed out waiting for the remote cluster to answer. Check bootstrap.servers and security.protocol (a TLS or SASL mismatch can look like a timeout)."}
	case errors.As(err, &ke):
		return &ProbeError{Kind: linkemu.LinkErrUnknown, Message: fmt.Sprintf("The remote cluster refused the connection: %v.", err)}
	default:
		return &ProbeError{Kind: linkemu.LinkErrBootstrapTCPConnection, Message: fmt.Sprintf("Cannot talk to the remote cluster: %v.", err)}
	}
}

func isTLSError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "tls:") || strings.Contains(s, "x509:")
}

// reachable resolves and dials every bootstrap server; it succeeds as soon as
// one accepts a TCP connection, and returns that address.
func reachable(ctx context.Context, bootstrap []string) (string, error) {
	if len(bootstrap) == 0 {
		return "", &ProbeError{Kind: linkemu.LinkErrUnresolvableBootstrap, Message: "No bootstrap servers: set bootstrap.servers."}
	}
	var resolved []string
	var lastDNS, lastDial error
	for _, hp := range bootstrap {
		host, port, err := net.SplitHostPort(hp)
		if err != nil {
			return "", &ProbeError{Kind: linkemu.LinkErrUnresolvableBootstrap, Message: fmt.Sprintf("Bootstrap server %q is not host:port.", hp)}
		}
		addrs, err := net.DefaultResolver.LookupHost(ctx, host)
		if err != nil {
			lastDNS = err
			continue
		}
		for _, a := range addrs {
			resolved = append(resolved, net.JoinHostPort(a, port))
		}
	}
	if len(resolved) == 0 {
		if ctx.Err() != nil {
			return "", &ProbeError{Kind: linkemu.LinkErrTimeout, Message: "Timed out resolving bootstrap.servers."}
		}
		return "", &ProbeError{Kind: linkemu.LinkErrUnresolvableBootstrap, Message: fmt.Sprintf("Cannot resolve any of bootstrap.servers %s: %v.", strings.Join(bootstrap, ","), lastDNS)}
	}
	var d net.Dialer
	for _, a := range resolved {
		conn, err := d.DialContext(ctx, "tcp", a)
		if err == nil {
			conn.Close()
			return a, nil
		}
		lastDial = err
	}
	if ctx.Err() != nil {
		return "", &ProbeError{Kind: linkemu.LinkErrTimeout, Message: fmt.Sprintf("Timed out connecting to bootstrap.servers %s.", strings.Join(bootstrap, ","))}
	}
	return "", &ProbeError{Kind: linkemu.LinkErrBootstrapTCPConnection, Message: fmt.Sprintf("Cannot open a TCP connection to any of bootstrap.servers %s: %v.", strings.Join(bootstrap, ","), lastDial)}
}
