package automirror

import (
	"slices"
	"strings"

	"github.com/linkemu/linkemu"
)

// IsSystemTopic reports whether topic is an internal or system topic by its
// name: every name that starts with '_' (__consumer_offsets,
// __transaction_state, _schemas, _confluent-*, ...). Such topics are never
// mirrored automatically.
func IsSystemTopic(topic string) bool { return strings.HasPrefix(topic, "_") }

// Select returns, sorted, the source topics that filters select and that
// are not system topics and not in skip (topics the link already mirrors,
// and topics that are mirrors themselves on the source cluster).
func Select(filters linkemu.TopicFilters, sourceTopics []string, skip map[string]bool) []string {
	var out []string
	for _, t := range sourceTopics {
		if IsSystemTopic(t) || skip[t] || !filters.Match(t) {
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
