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
//
// Embedded clusters can be stopped and started again with their data (for
// outage drills), and carry a write guard that makes mirror topics
// read-only to every client except linkemu's own replication, which marks
// its produce requests with linkemu.LinkWriterPrefix. External clusters get
// no such guard: nothing stops a client writing to a mirror there.
package broker
