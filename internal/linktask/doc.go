// Package linktask holds what the task workers of a cluster link share:
// consumer offset sync (offsetsync), ACL sync (aclsync) and auto-create
// mirror topics (automirror). Each worker keeps its own API, its own pass
// and the meaning of its task.
//
// # Model
//
// A pass's errors make the worker's task ACTIVE, or IN_ERROR with at most
// ten errors and one SUPPRESSED_ERRORS entry counting the rest (PassTask).
// TaskError turns a Kafka error into a task error with a code of
// Confluent's LinkTaskErrorCode enum; it knows every Kafka error that any of
// the workers classifies, so each classifies them alike.
package linktask
