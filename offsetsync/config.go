package offsetsync

import (
	"strconv"
	"time"

	"github.com/linkemu/linkemu"
)

// DefaultInterval is the default of consumer.offset.sync.ms.
const DefaultInterval = 30 * time.Second

// Config is what a link's configs say about offset sync. A Syncer takes a
// new Config through Reconfigure whenever the link's configs change.
type Config struct {
	Enabled  bool                 // consumer.offset.sync.enable
	Interval time.Duration        // consumer.offset.sync.ms; DefaultInterval when not positive
	Filters  linkemu.GroupFilters // consumer.offset.group.filters

	// GroupPrefix starts the name of every destination group: the link's
	// cluster.link.prefix when consumer.group.prefix.enable=true, else "".
	GroupPrefix string

	// TopicType is the direction this Syncer serves: LOCAL_MIRROR (the
	// default, "") syncs groups onto this side's mirror topics;
	// REMOTE_MIRROR syncs groups from the other side's mirrors of local
	// topics back onto those topics, on bidirectional links. Each selects
	// the groups whose filters list its topic type.
	TopicType string
}

// topicType returns the direction, LOCAL_MIRROR by default.
func (c Config) topicType() string {
	if c.TopicType == "" {
		return linkemu.TopicTypeLocalMirror
	}
	return c.TopicType
}

// ConfigFromLinkConfigs reads a Config from a link's configs, with the
// documented defaults for configs that are absent. GroupPrefix is the
// link's cluster.link.prefix when consumer.group.prefix.enable is true.
// Errors are EINVALID *linkemu.Error.
func ConfigFromLinkConfigs(configs map[string]string) (Config, error) {
	var c Config
	var err error
	if c.Enabled, err = parseBool(configs, linkemu.CfgOffsetSyncEnable); err != nil {
		return c, err
	}
	c.Interval = DefaultInterval
	if v, ok := configs[linkemu.CfgOffsetSyncMs]; ok {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms <= 0 {
			return c, linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s: use a positive number of milliseconds, e.g. 30000.", v, linkemu.CfgOffsetSyncMs)
		}
		c.Interval = time.Duration(ms) * time.Millisecond
	}
	if c.Filters, err = linkemu.ParseGroupFilters(configs[linkemu.CfgOffsetGroupFilter]); err != nil {
		return c, err
	}
	prefixGroups, err := parseBool(configs, linkemu.CfgConsumerGroupPrefix)
	if err != nil {
		return c, err
	}
	if prefixGroups {
		c.GroupPrefix = configs[linkemu.CfgClusterLinkPrefix]
	}
	return c, nil
}

func parseBool(configs map[string]string, name string) (bool, error) {
	v, ok := configs[name]
	if !ok || v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, linkemu.Errorf(linkemu.EINVALID, "Invalid value %q for %s: use true or false.", v, name)
	}
	return b, nil
}
