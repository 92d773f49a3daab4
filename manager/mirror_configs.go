package manager

import (
	"slices"
	"sort"
	"strings"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/replication"
	"github.com/linkemu/linkemu/store"
)

// checkMirrorConfigs refuses to set or reset a config that a mirror topic
// syncs from its source topic, as Confluent does (Kafka's
// InvalidConfigurationException, 400 with error_code 40002 on the REST
// API): the next config sync would silently undo the change. The message
// lists what the mirror syncs. A stopped mirror is a plain topic and takes
// any change; configs the mirror does not sync stay changeable.
func (m *Manager) checkMirrorConfigs(cluster, topic string, changes map[string]*string) error {
	mr, err := m.mirror(cluster, topic)
	if err != nil || mr == nil || mr.Status == linkemu.MirrorStopped {
		return err
	}
	var l *linkemu.Link
	if err := m.store.View(func(tx *store.Tx) error {
		var err error
		l, err = tx.Link(cluster, mr.LinkName)
		return err
	}); err != nil {
		return err
	}
	synced := MirrorSyncedConfigs(l.ConfigList(linkemu.CfgTopicConfigSyncInclude))
	var refused []string
	for name := range changes {
		if slices.Contains(synced, name) {
			refused = append(refused, name)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	sort.Strings(refused)
	return linkemu.Errorf(linkemu.EINVALID, "Cannot alter config %s of mirror topic '%s': a mirror topic syncs it from its source topic '%s' over cluster link '%s'. Change it on the source topic, or promote or fail over the mirror topic first. Mirror topic '%s' syncs: %s.",
		strings.Join(refused, ", "), topic, mr.SourceTopic, mr.LinkName, topic, strings.Join(synced, ", "))
}

// MirrorSyncedConfigs returns, sorted, the topic configs a mirror topic
// syncs from its source topic on a link whose topic.config.sync.include is
// include: the configs always synced, and those of include that may be.
func MirrorSyncedConfigs(include []string) []string {
	out := slices.Clone(replication.AlwaysSyncedConfigs)
	for _, name := range include {
		if slices.Contains(replication.ConfigurableSyncedConfigs, name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
