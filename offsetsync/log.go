package offsetsync

import "github.com/linkemu/linkemu/internal/linktask"

// logState rate-limits logs: errors as linktask.ErrorLog does; a group in
// use is logged when it becomes in use.
type logState struct {
	errs  linktask.ErrorLog
	inUse map[string]bool // destination groups found in use by the last pass
}

// logOutcome logs what a pass synced, the groups that became in use, and
// its errors, rate-limited by s.lastLog.
func (s *Syncer) logOutcome(cfg Config, res result, err error) {
	msg := ""
	switch {
	case err != nil:
		msg = err.Error()
	case len(res.failed) > 0:
		msg = res.failedErr().Error()
	}
	for _, g := range res.inUse {
		if !s.lastLog.inUse[g.group] {
			s.log.Warn("consumer group is in use on the destination; not syncing its offsets", "group", g.group)
		}
	}
	inUse := make(map[string]bool, len(res.inUse))
	for _, g := range res.inUse {
		inUse[g.group] = true
	}
	s.lastLog.inUse = inUse

	if msg == "" {
		if s.lastLog.errs.Succeeded() {
			s.log.Info("consumer offset sync recovered")
		}
		if res.committed > 0 || len(res.inUse) > 0 {
			s.log.Debug("consumer offsets synced", "groups", res.groups, "partitions", res.committed,
				"clamped", res.clamped, "groups_in_use", len(res.inUse))
		}
		return
	}
	if s.lastLog.errs.Failed(msg) {
		s.log.Error("consumer offset sync failed", "error", msg, "interval", cfg.Interval)
	}
}
