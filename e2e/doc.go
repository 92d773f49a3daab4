// Package e2e holds end-to-end tests: each starts a whole emulator with
// embedded Kafka clusters on free loopback ports and drives it over HTTP with
// curl-like requests and Confluent's own Go SDK, checking responses against
// Confluent's OpenAPI spec.
package e2e
