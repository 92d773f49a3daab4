package aclsync

import (
	"time"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// DefaultInterval is the default of acl.sync.ms.
const DefaultInterval = 5 * time.Second

// MisconfiguredMessage is the task error message when ACL sync is enabled
// without filters, in Confluent's words.
const MisconfiguredMessage = "ACL migration is enabled but acl.filters is not set. Please set acl.filters to migrate ACLs."

// Config is what a link's configs say about ACL sync. A Syncer takes a new
// Config through Reconfigure whenever the link's configs change.
type Config struct {
	Enabled  bool               // acl.sync.enable
	Interval time.Duration      // acl.sync.ms; DefaultInterval when not positive
	Filters  linkemu.ACLFilters // acl.filters
}

// ConfigFromLinkConfigs reads a Config from a link's configs, with the
// documented defaults for configs that are absent. Errors are EINVALID
// *linkemu.Error.
func ConfigFromLinkConfigs(configs map[string]string) (Config, error) {
	var c Config
	var err error
	if c.Enabled, err = linktask.ParseBool(configs, linkemu.CfgACLSyncEnable); err != nil {
		return c, err
	}
	if c.Interval, err = linktask.ParseInterval(configs, linkemu.CfgACLSyncMs, DefaultInterval); err != nil {
		return c, err
	}
	c.Filters, err = linkemu.ParseACLFilters(configs[linkemu.CfgACLFilters])
	return c, err
}
