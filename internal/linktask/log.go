package linktask

import "time"

// errLogEvery is how often a failure that repeats is logged again.
const errLogEvery = time.Minute

// ErrorLog rate-limits a worker's error logs: a failure is logged when its
// message differs from the last one logged, or when errLogEvery has passed
// since; the first success after a logged failure is logged as a recovery.
// The zero value is ready to use. It is not safe for concurrent use: use it
// from passes, which never overlap.
type ErrorLog struct {
	msg string
	at  time.Time
}

// Failed reports whether to log a failure with message msg at now, and if
// so remembers it as the last one logged.
func (l *ErrorLog) Failed(msg string, now time.Time) bool {
	if msg == l.msg && now.Sub(l.at) < errLogEvery {
		return false
	}
	l.msg, l.at = msg, now
	return true
}

// Succeeded forgets the last failure and reports whether one was logged,
// which makes this success a recovery worth logging.
func (l *ErrorLog) Succeeded() (recovered bool) {
	recovered = l.msg != ""
	*l = ErrorLog{}
	return recovered
}
