package manager

import (
	"context"
	"log/slog"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/replication"
	"github.com/twmb/franz-go/pkg/kgo"
)

// startReplication starts the link's replication worker, which copies its
// mirror topics from the remote cluster into the local one.
func (rt *linkRuntime) startReplication(ctx context.Context, local *kgo.Client) {
	l, m := rt.link, rt.m
	rt.repl = replication.New(replication.Config{
		LinkName:           l.Name,
		ClusterLinkID:      l.ClusterLinkID,
		Source:             rt.remote,
		Dest:               local,
		Store:              replicationStore{s: m.store, cluster: l.ClusterID},
		Logger:             m.log.With(slog.String("cluster", l.ClusterID)), // the worker adds the link
		ConfigSyncInterval: l.ConfigDuration(linkemu.CfgTopicConfigSyncMs),
		ConfigSyncInclude:  l.ConfigList(linkemu.CfgTopicConfigSyncInclude),
		OnChange:           rt.m.cfg.OnMirrorChange,
		MaxPartitions:      m.cfg.Limits.PartitionsPerTopic,
	})
	// The worker ends with stop, not with the runtime's context: the health
	// loop and the tasks stop first.
	if err := rt.repl.Start(context.WithoutCancel(ctx)); err != nil {
		m.log.Error("replication worker did not start", "cluster", l.ClusterID, "link", l.Name, "err", err)
		rt.repl = nil
		return
	}
	rt.applyMirrors()
}

// applyMirrors hands the worker the link's ACTIVE and PAUSED mirrors. While
// the link is paused or its network policy refuses it, every mirror is
// handed over paused: nothing flows. Writers call it after they published a
// change, the health check when the hold changes; applyMu makes the last
// call hand over the latest view, so a stale list never wins.
func (rt *linkRuntime) applyMirrors() {
	if rt.repl == nil {
		return
	}
	rt.applyMu.Lock()
	defer rt.applyMu.Unlock()
	mirrors := rt.m.view().mirrorsOf(rt.link.ClusterID, rt.link.Name)
	hold := rt.holding()
	var want []replication.Mirror
	for _, mr := range mirrors {
		if mr.Status != linkemu.MirrorActive && mr.Status != linkemu.MirrorPaused {
			continue
		}
		want = append(want, replication.Mirror{
			Name: mr.Name, SourceTopic: mr.SourceTopic, StartSpec: mr.StartSpec, StartOffsets: mr.StartOffsets,
			Paused: hold || mr.Status == linkemu.MirrorPaused,
		})
	}
	rt.repl.SetMirrors(want)
}

// holding reports whether the link must not move data now: it is paused,
// or the emulated network does not let its clusters reach each other.
func (rt *linkRuntime) holding() bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.hold
}

// translate maps a source offset to the mirror's, for offset sync.
func (rt *linkRuntime) translate(mirror string, partition int32, offset int64) (int64, bool) {
	if rt.repl == nil {
		return 0, false
	}
	return rt.repl.TranslateOffset(mirror, partition, offset)
}
