package offsetsync

import (
	"time"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
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
	if c.Enabled, err = linktask.ParseBool(configs, linkemu.CfgOffsetSyncEnable); err != nil {
		return c, err
	}
	if c.Interval, err = linktask.ParseInterval(configs, linkemu.CfgOffsetSyncMs, DefaultInterval); err != nil {
		return c, err
	}
	if c.Filters, err = linkemu.ParseGroupFilters(configs[linkemu.CfgOffsetGroupFilter]); err != nil {
		return c, err
	}
	prefixGroups, err := linktask.ParseBool(configs, linkemu.CfgConsumerGroupPrefix)
	if err != nil {
		return c, err
	}
	if prefixGroups {
		c.GroupPrefix = configs[linkemu.CfgClusterLinkPrefix]
	}
	return c, nil
}
