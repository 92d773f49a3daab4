package linkemu

// TaskStatus returns a task as the wire reports it on a link in the given
// state. A task that is not configured stays NOT_CONFIGURED. On a link that
// is not ACTIVE, the link's state overrides the task's own: FAILED gives
// LINK_FAILED, UNAVAILABLE gives LINK_UNAVAILABLE, PAUSED gives LINK_PAUSED
// and UNKNOWN gives UNKNOWN, each without the task's own errors, which are
// stale or caused by the link. Errors is never nil, so it encodes as [].
func TaskStatus(own Task, link LinkState) Task {
	t := Task{Name: own.Name, State: own.State, Errors: append([]TaskError{}, own.Errors...)}
	if own.State == TaskNotConfigured {
		t.Errors = []TaskError{}
		return t
	}
	switch link {
	case LinkActive:
		return t
	case LinkFailed:
		t.State = TaskLinkFailed
	case LinkUnavailable:
		t.State = TaskLinkUnavailable
	case LinkPaused:
		t.State = TaskLinkPaused
	default:
		t.State = TaskUnknown
	}
	t.Errors = []TaskError{}
	return t
}
