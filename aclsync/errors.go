package aclsync

import (
	"time"
)

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
