package aclsync

import (
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/linkemu/linkemu"
)

// taskErrSecurityDisabled is Confluent's task error code for a cluster
// without an authorizer; linkemu's task.go lists only the common codes.
const taskErrSecurityDisabled = "SECURITY_DISABLED_ERROR"

// maxTaskErrors caps the errors a task reports; the rest are counted in one
// SUPPRESSED_ERRORS entry.
const maxTaskErrors = 10

// taskError classifies err as a task error with a code of Confluent's
// LinkTaskErrorCode enum.
func taskError(err error) linkemu.TaskError {
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
	case errors.Is(err, kerr.InvalidRequest):
		code = linkemu.TaskErrInvalidRequest
	case errors.Is(err, kerr.PolicyViolation):
		code = linkemu.TaskErrPolicyViolation
	}
	return linkemu.TaskError{Code: code, Message: err.Error()}
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

// logState rate-limits error logs: an error is logged when it differs from
// the last one logged, or when errLogEvery has passed.
type logState struct {
	msg string
	at  time.Time
}

const errLogEvery = time.Minute

func (s *Syncer) logOutcome(cfg Config, res result, err error) {
	if err == nil {
		if s.lastLog.msg != "" {
			s.log.Info("ACL sync recovered")
		}
		s.lastLog = logState{}
		if res.created > 0 || res.deleted > 0 {
			s.log.Info("ACLs synced", "created", res.created, "deleted", res.deleted)
		}
		return
	}
	now := s.now()
	if err.Error() == s.lastLog.msg && now.Sub(s.lastLog.at) < errLogEvery {
		return
	}
	s.lastLog = logState{msg: err.Error(), at: now}
	s.log.Error("ACL sync failed", "error", err, "created", res.created, "deleted", res.deleted, "interval", cfg.Interval)
}
