package automirror

import (
	"errors"
	"strings"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// taskError classifies err as a task error with a code of Confluent's
// LinkTaskErrorCode enum. CreateMirror errors carry linkemu error codes,
// which say why a mirror could not be created (ECONFLICT: the topic
// exists, EQUOTA: over a partition limit); broker errors carry Kafka error codes, which linktask classifies.
func taskError(err error) linkemu.TaskError {
	var le *linkemu.Error
	if !errors.As(err, &le) {
		return linktask.TaskError(err)
	}
	code := linkemu.TaskErrInternal
	switch le.Code {
	case linkemu.ECONFLICT:
		code = linkemu.TaskErrTopicExists
	case linkemu.EINVALID:
		code = linkemu.TaskErrInvalidTopic
	case linkemu.EQUOTA:
		code = linkemu.TaskErrPolicyViolation
	case linkemu.EUNKNOWNTOPIC, linkemu.ENOTFOUND:
		code = linkemu.TaskErrUnknownTopic
	case linkemu.EUNAUTHORIZED:
		code = linkemu.TaskErrAuthentication
	case linkemu.EFORBIDDEN:
		code = linkemu.TaskErrAuthorization
	}
	return linkemu.TaskError{Code: code, Message: err.Error()}
}

// logOutcome logs the mirrors a pass created, and its error rate-limited by
// w.lastLog.
func (w *Worker) logOutcome(cfg Config, created []string, err error) {
	if len(created) > 0 {
		w.log.Info("auto-created mirror topics", "source_topics", strings.Join(created, ","))
	}
	if err == nil {
		if w.lastLog.Succeeded() {
			w.log.Info("auto-create mirror topics recovered")
		}
		return
	}
	if w.lastLog.Failed(err.Error()) {
		w.log.Error("auto-create mirror topics failed", "error", err, "interval", cfg.Interval)
	}
}
