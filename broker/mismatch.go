package broker

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// mismatchTimeout bounds each step of the protocol check. Loopback and LAN
// brokers answer in milliseconds; the check only decides between "speaks
// TLS" and "speaks plaintext Kafka", never whether the cluster is healthy.
const mismatchTimeout = 3 * time.Second

// protocolMismatch checks that the server at addr speaks what
// security.protocol says, TLS or plaintext Kafka, so that a mismatch fails at
// once with a message naming it instead of as a timeout: a TLS client on a
// plaintext port and a plaintext client on a TLS port both just see the
// connection stall or drop. It returns nil when the server speaks the
// protocol or when the check cannot tell.
func protocolMismatch(ctx context.Context, cc ConnConfig, addr string) *ProbeError {
	// The plaintext question comes first: a TLS server drops a Kafka
	// request at once, while a plaintext broker may wait for the rest of a
	// ClientHello it takes for a huge request.
	if cc.usesTLS() {
		if !speaksPlaintextKafka(ctx, addr) {
			return nil
		}
		return &ProbeError{Kind: linkemu.LinkErrAuthentication, Message: fmt.Sprintf(
			"Bootstrap server %s speaks plaintext Kafka, not TLS, so security.protocol=%s cannot work there. Use security.protocol=%s for this address, or the cluster's SASL_SSL listener (GET /emulator/v1/clusters lists it for linkemu's clusters).",
			addr, cc.SecurityProtocol, plaintextTwin(cc.SecurityProtocol))}
	}
	if speaksPlaintextKafka(ctx, addr) || !speaksTLS(ctx, addr) {
		return nil
	}
	return &ProbeError{Kind: linkemu.LinkErrBootstrapTCPConnection, Message: fmt.Sprintf(
		"Bootstrap server %s is a TLS listener, so security.protocol=%s cannot work there. Use security.protocol=%s (with sasl.mechanism and sasl.jaas.config for SASL_SSL).",
		addr, cc.SecurityProtocol, tlsTwin(cc.SecurityProtocol))}
}

func plaintextTwin(p string) string {
	if p == ProtoSSL {
		return ProtoPlaintext
	}
	return ProtoSASLPlaintext
}

func tlsTwin(p string) string {
	if p == ProtoSASLPlaintext {
		return ProtoSASLSSL
	}
	return "SASL_SSL or SSL"
}

// stepContext bounds one step of the check by mismatchTimeout and ctx.
func stepContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, mismatchTimeout)
}

// speaksTLS reports whether addr completes a TLS handshake. The certificate
// is not checked here; the real client checks it and reports it as such.
func speaksTLS(ctx context.Context, addr string) bool {
	ctx, cancel := stepContext(ctx)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}} //nolint:gosec // only asks whether the port speaks TLS
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// speaksPlaintextKafka reports whether addr answers a plaintext ApiVersions
// v0 request with a response to it. Every broker answers ApiVersions before
// authentication.
func speaksPlaintextKafka(ctx context.Context, addr string) bool {
	ctx, cancel := stepContext(ctx)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	const corr = 0x4c4b // any correlation ID; the answer must echo it
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version = 0
	buf := kmsg.NewRequestFormatter(kmsg.FormatterClientID("linkemu-probe")).AppendRequest(nil, req, corr)
	if _, err := conn.Write(buf); err != nil {
		return false
	}
	var head [8]byte // response size, correlation ID
	if _, err := io.ReadFull(conn, head[:]); err != nil {
		return false
	}
	return binary.BigEndian.Uint32(head[4:]) == corr
}
