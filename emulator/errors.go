package emulator

import (
	"errors"
	"fmt"
	"syscall"
)

// ListenError is a failure to start listening: the REST API's (Cluster is
// empty) or an embedded cluster's. cmd/emulator turns it into the flag to
// change.
type ListenError struct {
	Cluster string // embedded cluster ID; "" for the REST API
	Addr    string
	// SASLSSL is set when the address is the cluster's SASL_SSL listener,
	// not its plaintext one.
	SASLSSL bool
	Err     error
}

func (e *ListenError) Error() string {
	if e.Cluster == "" {
		return fmt.Sprintf("listen on %s: %v", e.Addr, e.Err)
	}
	return e.Err.Error() // the broker package names the cluster and address
}

func (e *ListenError) Unwrap() error { return e.Err }

// InUse reports whether the address is taken by another process.
func (e *ListenError) InUse() bool { return errors.Is(e.Err, syscall.EADDRINUSE) }
