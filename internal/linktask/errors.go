package linktask

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/linkemu/linkemu"
)

// maxTaskErrors caps the errors a task reports; the rest are counted in one
// SUPPRESSED_ERRORS entry.
const maxTaskErrors = 10

// taskErrSecurityDisabled is Confluent's task error code for a cluster
// without an authorizer; linkemu's task.go lists only the common codes.
const taskErrSecurityDisabled = "SECURITY_DISABLED_ERROR"

// TaskError classifies err as a task error with a code of Confluent's
// LinkTaskErrorCode enum, by the Kafka error in its chain; any other error
// is an INTERNAL_ERROR. The message is err's.
func TaskError(err error) linkemu.TaskError {
	code := linkemu.TaskErrInternal
	switch {
	case errors.Is(err, kerr.SaslAuthenticationFailed), errors.Is(err, kerr.IllegalSaslState),
		errors.Is(err, kerr.UnsupportedSaslMechanism):
		code = linkemu.TaskErrAuthentication
	case errors.Is(err, kerr.ClusterAuthorizationFailed), errors.Is(err, kerr.TopicAuthorizationFailed),
		errors.Is(err, kerr.GroupAuthorizationFailed), errors.Is(err, kerr.TransactionalIDAuthorizationFailed),
		errors.Is(err, kerr.DelegationTokenAuthorizationFailed):
		code = linkemu.TaskErrAuthorization
	case errors.Is(err, kerr.SecurityDisabled):
		code = taskErrSecurityDisabled
	case errors.Is(err, kerr.UnknownTopicOrPartition), errors.Is(err, kerr.UnknownTopicID):
		code = linkemu.TaskErrUnknownTopic
	case errors.Is(err, kerr.TopicAlreadyExists):
		code = linkemu.TaskErrTopicExists
	case errors.Is(err, kerr.InvalidTopicException):
		code = linkemu.TaskErrInvalidTopic
	case errors.Is(err, kerr.InvalidRequest):
		code = linkemu.TaskErrInvalidRequest
	case errors.Is(err, kerr.PolicyViolation):
		code = linkemu.TaskErrPolicyViolation
	}
	return linkemu.TaskError{Code: code, Message: err.Error()}
}

// NewTask returns the task name in state with errs; its Errors is never nil.
func NewTask(name string, state linkemu.TaskState, errs ...linkemu.TaskError) linkemu.Task {
	return linkemu.Task{Name: name, State: state, Errors: append([]linkemu.TaskError{}, errs...)}
}

// passTask returns the task name after a pass with errs: ACTIVE without
// errors, else IN_ERROR with the first errors and one SUPPRESSED_ERRORS
// entry that counts the rest.
func passTask(name string, errs []linkemu.TaskError) linkemu.Task {
	if len(errs) == 0 {
		return NewTask(name, linkemu.TaskActive)
	}
	return NewTask(name, linkemu.TaskInError, capErrors(errs)...)
}

// capErrors keeps the first maxTaskErrors errors and counts the rest.
func capErrors(errs []linkemu.TaskError) []linkemu.TaskError {
	if len(errs) <= maxTaskErrors {
		return errs
	}
	out := append([]linkemu.TaskError{}, errs[:maxTaskErrors]...)
	return append(out, linkemu.TaskError{
		Code:    linkemu.TaskErrSuppressed,
		Message: fmt.Sprintf("%d more errors were suppressed.", len(errs)-maxTaskErrors),
	})
}
