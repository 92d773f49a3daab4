package automirror

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/linkemu/linkemu"
)

// maxTaskErrors caps the errors a task reports; the rest are counted in one
// SUPPRESSED_ERRORS entry.
const maxTaskErrors = 10

// taskError classifies err as a task error with a code of Confluent's
// LinkTaskErrorCode enum. CreateMirror errors carry linkemu error codes;
// broker errors carry Kafka error codes.
func taskError(err error) linkemu.TaskError {
	code := linkemu.TaskErrInternal
	var le *linkemu.Error
	switch {
	case errors.As(err, &le):
		switch le.Code {
		case linkemu.ECONFLICT:
			code = linkemu.TaskErrTopicExists
		case linkemu.EINVALID:
			code = linkemu.TaskErrInvalidTopic
		case linkemu.EUNKNOWNTOPIC, linkemu.ENOTFOUND:
			code = linkemu.TaskErrUnknownTopic
		case linkemu.EUNAUTHORIZED:
			code = linkemu.TaskErrAuthentication
		case linkemu.EFORBIDDEN:
			code = linkemu.TaskErrAuthorization
		}
	case errors.Is(err, kerr.TopicAlreadyExists):
		code = linkemu.TaskErrTopicExists
	case errors.Is(err, kerr.InvalidTopicException):
		code = linkemu.TaskErrInvalidTopic
	case errors.Is(err, kerr.PolicyViolation):
		code = linkemu.TaskErrPolicyViolation
	case errors.Is(err, kerr.UnknownTopicOrPartition):
		code = linkemu.TaskErrUnknownTopic
	case errors.Is(err, kerr.SaslAuthenticationFailed), errors.Is(err, kerr.IllegalSaslState),
		errors.Is(err, kerr.UnsupportedSaslMechanism):
		code = linkemu.TaskErrAuthentication
	case errors.Is(err, kerr.TopicAuthorizationFailed), errors.Is(err, kerr.ClusterAuthorizationFailed):
		code = linkemu.TaskErrAuthorization
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

func (w *Worker) logOutcome(cfg Config, created []string, err error) {
	if len(created) > 0 {
		w.log.Info("auto-created mirror topics", "source_topics", strings.Join(created, ","))
	}
	if err == nil {
		if w.lastLog.msg != "" {
			w.log.Info("auto-create mirror topics recovered")
		}
		w.lastLog = logState{}
		return
	}
	now := w.now()
	if err.Error() == w.lastLog.msg && now.Sub(w.lastLog.at) < errLogEvery {
		return
	}
	w.lastLog = logState{msg: err.Error(), at: now}
	w.log.Error("auto-create mirror topics failed", "error", err, "interval", cfg.Interval)
}
