package linkemu

import (
	"errors"
	"fmt"
)

// Error codes. Each names a class of failure that the HTTP layer maps to a
// status and a Confluent error body in exactly one place (server/errors.go).
const (
	EINVALID        = "invalid"         // the request is wrong; the message says how to fix it
	EMALFORMED      = "malformed"       // the body or a parameter could not be decoded
	ETOOLARGE       = "too_large"       // the request body is larger than linkemu accepts
	ECONFLICT       = "conflict"        // the request clashes with current state
	EQUOTA          = "quota"           // a limit on how many objects may exist is reached
	ENOTFOUND       = "not_found"       // a cluster, link, mirror, config or other object is missing
	EUNKNOWNTOPIC   = "unknown_topic"   // a Kafka topic is missing (Confluent's 40403)
	EUNAUTHORIZED   = "unauthorized"    // credentials missing or wrong
	EFORBIDDEN      = "forbidden"       // credentials fine, action not allowed
	EUNAVAILABLE    = "unavailable"     // a broker or remote cluster cannot be reached
	ENOTIMPLEMENTED = "not_implemented" // part of Confluent's API that linkemu does not serve yet
	ESTORAGE        = "storage"         // linkemu's own data dir cannot be written (disk full, read-only)
	EINTERNAL       = "internal"        // a bug in linkemu
)

// Error is the one error type of linkemu. Code is one of the E* constants;
// Message is written for the user and says what to do.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("linkemu error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of the first *Error in err's chain. Other
// errors get a generic message so internal details never reach the wire.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	default:
		return "Internal Server Error"
	}
}
