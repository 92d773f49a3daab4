package offsetsync

import (
	"time"
)

// logState rate-limits logs: an error is logged when it differs from the
// last one logged, or when errLogEvery has passed; a group in use is logged
// when it becomes in use.
type logState struct {
	msg   string
	at    time.Time
	inUse map[string]bool // destination groups found in use by the last pass
}

const errLogEvery = time.Minute

func (s *Syncer) logOutcome(cfg Config, res result, err error) {
	now := s.now()
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
		if s.lastLog.msg != "" {
			s.log.Info("consumer offset sync recovered")
		}
		s.lastLog.msg, s.lastLog.at = "", time.Time{}
		if res.committed > 0 || len(res.inUse) > 0 {
			s.log.Debug("consumer offsets synced", "groups", res.groups, "partitions", res.committed,
				"clamped", res.clamped, "groups_in_use", len(res.inUse))
		}
		return
	}
	if msg == s.lastLog.msg && now.Sub(s.lastLog.at) < errLogEvery {
		return
	}
	s.lastLog.msg, s.lastLog.at = msg, now
	s.log.Error("consumer offset sync failed", "error", msg, "interval", cfg.Interval)
}
