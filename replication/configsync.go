package replication

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// AlwaysSyncedConfigs are the topic configs a mirror always takes from its
// source topic; they cannot be overridden on the mirror.
var AlwaysSyncedConfigs = []string{
	"cleanup.policy",
	"max.message.bytes",
	"message.timestamp.type",
	"message.timestamp.difference.max.ms",
}

// ConfigurableSyncedConfigs are the topic configs a mirror takes from its
// source topic only when the link lists them in topic.config.sync.include.
// Any other config is independent: never synced, and not allowed in the
// include list.
var ConfigurableSyncedConfigs = []string{
	"min.compaction.lag.ms",
	"max.compaction.lag.ms",
	"compression.type",
	"segment.bytes",
	"segment.ms",
	"min.insync.replicas",
	"segment.jitter.ms",
	"segment.index.bytes",
	"flush.messages",
	"flush.ms",
	"index.interval.bytes",
	"min.cleanable.dirty.ratio",
	"file.delete.delay.ms",
	"preallocate",
	"confluent.segment.speculative.prefetch.enable",
	"unclean.leader.election.enable",
	"message.downconversion.enable",
	"delete.retention.ms",
	"retention.bytes",
	"retention.ms",
	"message.timestamp.before.max.ms",
	"message.timestamp.after.max.ms",
}

// SyncedConfigs returns the configs a mirror topic must have, given its
// source topic's configs (every config with a value, defaults included) and
// the link's topic.config.sync.include list. Names in include that are not
// configurable are ignored. The manager uses it when it creates a mirror;
// the worker applies it every Config.ConfigSyncInterval.
func SyncedConfigs(source map[string]string, include []string) map[string]string {
	out := make(map[string]string)
	for name, v := range source {
		if slices.Contains(AlwaysSyncedConfigs, name) ||
			(slices.Contains(include, name) && slices.Contains(ConfigurableSyncedConfigs, name)) {
			out[name] = v
		}
	}
	return out
}

// topicConfigs describes the configs of topics, by topic. A topic that
// cannot be described maps to nil and its error is joined into err.
func topicConfigs(ctx context.Context, adm *kadm.Client, topics []string) (map[string]map[string]string, error) {
	rcs, err := adm.DescribeTopicConfigs(ctx, topics...)
	out := make(map[string]map[string]string, len(rcs))
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, rc := range rcs {
		if rc.Err != nil {
			errs = append(errs, fmt.Errorf("topic %q: %w", rc.Name, rc.Err))
			continue
		}
		m := make(map[string]string, len(rc.Configs))
		for _, c := range rc.Configs {
			if c.Value != nil && !c.Sensitive {
				m[c.Key] = *c.Value
			}
		}
		out[rc.Name] = m
	}
	return out, errors.Join(errs...)
}

// syncConfigs brings the synced configs of each mirror in line with its
// source topic. It returns each mirror's outcome, nil for success.
func (w *Worker) syncConfigs(ctx context.Context, mirrors map[string]string) map[string]error {
	results := make(map[string]error, len(mirrors))
	if len(mirrors) == 0 {
		return results
	}
	var srcTopics, dstTopics []string
	for m, s := range mirrors {
		srcTopics = append(srcTopics, s)
		dstTopics = append(dstTopics, m)
	}
	src, srcErr := topicConfigs(ctx, w.srcAdm, srcTopics)
	w.noteSource(srcErr)
	dst, dstErr := topicConfigs(ctx, w.dstAdm, dstTopics)

	req := kmsg.NewPtrIncrementalAlterConfigsRequest()
	for m, s := range mirrors {
		switch {
		case src[s] == nil:
			results[m] = fmt.Errorf("describing configs of source topic %q: %w", s, srcErr)
			continue
		case dst[m] == nil:
			results[m] = fmt.Errorf("describing configs of mirror topic %q: %w", m, dstErr)
			continue
		}
		results[m] = nil
		want := SyncedConfigs(src[s], w.cfg.ConfigSyncInclude)
		r := kmsg.NewIncrementalAlterConfigsRequestResource()
		r.ResourceType = kmsg.ConfigResourceTypeTopic
		r.ResourceName = m
		for _, name := range sortedKeys(want) {
			if cur, ok := dst[m][name]; ok && cur == want[name] {
				continue
			}
			c := kmsg.NewIncrementalAlterConfigsRequestResourceConfig()
			c.Name = name
			c.Op = kmsg.IncrementalAlterConfigOpSet
			c.Value = kmsg.StringPtr(want[name])
			r.Configs = append(r.Configs, c)
		}
		if len(r.Configs) > 0 {
			req.Resources = append(req.Resources, r)
		}
	}
	if len(req.Resources) == 0 {
		return results
	}
	resp, err := req.RequestWith(ctx, w.cfg.Dest)
	if err != nil {
		for _, r := range req.Resources {
			results[r.ResourceName] = fmt.Errorf("altering configs of mirror topic %q: %w", r.ResourceName, err)
		}
		return results
	}
	for _, r := range resp.Resources {
		if err := kerr.ErrorForCode(r.ErrorCode); err != nil {
			msg := ""
			if r.ErrorMessage != nil {
				msg = ": " + *r.ErrorMessage
			}
			results[r.ResourceName] = fmt.Errorf("altering configs of mirror topic %q: %w%s", r.ResourceName, err, msg)
		}
	}
	return results
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
