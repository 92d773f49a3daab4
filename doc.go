// Package linkemu is the domain of a local, Confluent-compatible emulator of
// Cluster Linking: links, their configs, mirror topics and their states, and
// the one error type every other package returns, and the bounds of a
// request (limits.go: partitions per topic and per request, integer ranges,
// topic names).
//
// This package knows nothing about HTTP, bbolt or Kafka clients. The server/
// package translates HTTP to calls on the manager, store/ persists these
// types, and the replication, offsetsync and aclsync workers act on brokers.
package linkemu
