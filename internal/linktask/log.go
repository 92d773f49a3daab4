package linktask

// ErrorLog rate-limits a worker's error logs to changes of state: a
// failure is logged when its message differs from the last one logged, and
// the first success after a logged failure is logged as a recovery. A task
// that keeps failing the same way says so once; its status (the link's
// tasks) reports it for as long as it lasts. The zero value is ready to
// use. It is not safe for concurrent use: use it from passes, which never
// overlap.
type ErrorLog struct {
	msg string
}

// Failed reports whether to log a failure with message msg, and if so
// remembers it as the last one logged.
func (l *ErrorLog) Failed(msg string) bool {
	if msg == l.msg {
		return false
	}
	l.msg = msg
	return true
}

// Succeeded forgets the last failure and reports whether one was logged,
// which makes this success a recovery worth logging.
func (l *ErrorLog) Succeeded() (recovered bool) {
	recovered = l.msg != ""
	*l = ErrorLog{}
	return recovered
}
