package aclsync

import (
	"strconv"
	"time"

	"github.com/linkemu/linkemu"
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
	if v := configs[linkemu.CfgACLSyncEnable]; v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s: use true or false.", v, linkemu.CfgACLSyncEnable)
		}
		c.Enabled = b
	}
	c.Interval = DefaultInterval
	if v, ok := configs[linkemu.CfgACLSyncMs]; ok {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms <= 0 {
			return c, linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s: use a positive number of milliseconds, e.g. 5000.", v, linkemu.CfgACLSyncMs)
		}
		c.Interval = time.Duration(ms) * time.Millisecond
	}
	var err error
	c.Filters, err = linkemu.ParseACLFilters(configs[linkemu.CfgACLFilters])
	return c, err
}
