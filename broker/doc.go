// Package broker is linkemu's access to Kafka clusters: the embedded
// clusters it runs itself (franz-go's kfake, one broker each, real Kafka
// protocol on TCP) and the external clusters it is pointed at.
//
// A Registry holds every cluster the emulator serves, keyed by the Kafka
// cluster ID the brokers report, which is also the REST cluster_id. Each
// Cluster has an admin client with the emulator's own credentials. Links do
// not use those: they connect with the credentials in their configs
// (ConnConfig, built from bootstrap.servers, security.protocol,
// sasl.mechanism, sasl.jaas.config and ssl.*), as a real link would, and
// Probe classifies connection failures into Confluent's link_error values.
// bootstrap.servers entries may carry a PROTOCOL:// prefix, which is dropped;
// Probe first asks the first reachable server whether it speaks TLS or
// plaintext Kafka, so a protocol mismatch is named at once (mismatch.go).
//
// An embedded cluster serves plaintext on its port and, given a TLS
// configuration, SASL_SSL on a second port, through kfake's SASLListener
// (listeners.go): every connection there must authenticate, and brokers are
// advertised at that port. The plaintext port hands TLS connections (first
// byte 0x16) to the SASL_SSL side, so SASL_SSL clients may bootstrap from
// either. PLAIN credentials are the cluster's PLAIN users and API keys, or
// any when it has neither, as Confluent Cloud accepts any API key a test
// uses. Over TLS without a truststore, links trust the system's roots and
// the Registry's CA (linkemu's own).
//
// Embedded clusters can be stopped and started again with their data (for
// outage drills), and carry a write guard that makes mirror topics
// read-only to every client except linkemu's own replication, which marks
// its produce requests with linkemu.LinkWriterPrefix. External clusters get
// no such guard: nothing stops a client writing to a mirror there.
package broker
