package automirror

import (
	"time"

	"github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/internal/linktask"
)

// DefaultInterval is how often a Worker looks for new source topics.
// Confluent has no config for it; linkemu picks a few seconds so that new
// topics show up quickly.
const DefaultInterval = 5 * time.Second

// Config is what a link's configs say about auto-create. A Worker takes a
// new Config through Reconfigure whenever the link's configs change.
type Config struct {
	Enabled  bool                 // auto.create.mirror.topics.enable
	Filters  linkemu.TopicFilters // auto.create.mirror.topics.filters
	Interval time.Duration        // DefaultInterval when not positive
}

// ConfigFromLinkConfigs reads a Config from a link's configs, with the
// documented defaults for configs that are absent. Errors are EINVALID
// *linkemu.Error.
func ConfigFromLinkConfigs(configs map[string]string) (Config, error) {
	c := Config{Interval: DefaultInterval}
	var err error
	if c.Enabled, err = linktask.ParseBool(configs, linkemu.CfgAutoCreateEnable); err != nil {
		return c, err
	}
	c.Filters, err = linkemu.ParseTopicFilters(configs[linkemu.CfgAutoCreateFilters])
	return c, err
}
