package automirror

import (
	"errors"
	"strings"
	"time"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// taskError classifies err as a task error with a code of Confluent's
// LinkTaskErrorCode enum. CreateMirror errors carry linkemu error codes,
// which say why a mirror could not be created (ECONFLICT: the topic
// exists); broker errors carry Kafka error codes, which linktask classifies.
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
	case linkemu.EUNKNOWNTOPIC, linkemu.ENOTFOUND:
		code = linkemu.TaskErrUnknownTopic
	case linkemu.EUNAUTHORIZED:
		code = linkemu.TaskErrAuthentication
	case linkemu.EFORBIDDEN:
		code = linkemu.TaskErrAuthorization
	}
	return linkemu.TaskError{Code: code, Message: err.Error()}
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
