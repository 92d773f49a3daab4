// Package linktask holds what the task workers of a cluster link share:
// consumer offset sync (offsetsync), ACL sync (aclsync) and auto-create
// mirror topics (automirror). Each worker keeps its own API, its own pass
// and the meaning of its task; a Runner runs the passes and keeps the
// config and the task.
//
// # Model
//
// A Runner runs one goroutine per worker, from Start to Stop. It runs a
// pass at once, then every interval of the worker's config, and sooner on
// Notify or Reconfigure. After a pass that fails as a whole it waits twice
// as long each time, up to five minutes (or the interval, if longer); a
// pass in which only some items fail is not a failed pass. While the config
// disables passes (Spec.Runs) the loop is idle until Reconfigure, and a
// Reconfigure that starts or stops passes resets the task to the new
// config's initial one. Reconfigure also cancels the loop's pass in flight,
// so that no pass finishes under a replaced config (one stuck on an
// unreachable cluster would otherwise act on the old filters when the
// cluster returns). Passes never overlap: the loop's and those a worker
// runs on demand go through Exclusive.
//
// A pass reports its errors to Record, which makes the task ACTIVE, or
// IN_ERROR with at most ten errors and one SUPPRESSED_ERRORS entry counting
// the rest. TaskError turns a Kafka error into a task error with a code of
// Confluent's LinkTaskErrorCode enum; it knows every Kafka error that any of
// the workers classifies, so all classify them alike. ErrorLog limits a
// worker's error logs to changes of state: a failure that repeats every pass
// is logged once (again only if its message changes), and the first success
// after it once; the task status reports the failure meanwhile. ParseBool and ParseInterval
// read a worker's enable and interval link configs.
//
// # Caveats
//
// A pass cut short by Stop, or by its caller giving up, should not be
// recorded: the task keeps the last real outcome. A Runner does not log;
// the worker knows what its passes did.
package linktask
