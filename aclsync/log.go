package aclsync

// logOutcome logs what a pass synced, and its error rate-limited by
// s.lastLog.
func (s *Syncer) logOutcome(cfg Config, res result, err error) {
	if err == nil {
		if s.lastLog.Succeeded() {
			s.log.Info("ACL sync recovered")
		}
		if res.created > 0 || res.deleted > 0 {
			s.log.Info("ACLs synced", "created", res.created, "deleted", res.deleted)
		}
		return
	}
	if s.lastLog.Failed(err.Error()) {
		s.log.Error("ACL sync failed", "error", err, "created", res.created, "deleted", res.deleted, "interval", cfg.Interval)
	}
}
