package kfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// linkemu change "topics.log": a topic change appends the changed topics to
// topics.log instead of rewriting topics.json with every topic.
//
// Model. topics.json holds every topic as of its last write and the
// generation of that write (log_gen). topics.log starts with a header entry
// naming the generation it continues, then holds one entry per changed
// topic: the topic's whole persisted state after the change, or a
// tombstone for a deleted topic. A change is appended and fsynced (once per
// request) before its response is sent, the durability topics.json gave.
//
// Load reads topics.json and replays topics.log over it when the log
// continues topics.json's generation: the latest entry of a topic wins, a
// tombstone removes the topic. A torn trailing entry is discarded with a
// warning, and cut off before the next append.
//
// Compaction (when the log passes state.log.compact.bytes) and a clean
// shutdown write topics.json from the live topics with the next generation,
// make that durable (file and directory), then remove topics.log. A crash
// between the two leaves a log of the older generation, which load skips:
// everything in it is already in topics.json, and nothing it holds can
// bring back a topic deleted since.
//
// A change that cannot be appended falls back to rewriting topics.json, as
// before; if that fails too, the topic is logged again with the next
// change.

const topicsLogFile = "topics.log"

// topicLogEntry is one entry of topics.log: exactly one field is set.
type topicLogEntry struct {
	Gen     *uint64       `json:"gen,omitempty"`     // header: the topics.json generation this log continues
	Topic   *persistTopic `json:"topic,omitempty"`   // a topic's whole state after a change
	Deleted string        `json:"deleted,omitempty"` // the topic was deleted
}

// topicState returns topic's persisted state, false if it does not exist.
func (c *Cluster) topicState(t string) (persistTopic, bool) {
	id, ok := c.data.t2id[t]
	if !ok {
		return persistTopic{}, false
	}
	var cfgs map[string]string
	for k, v := range c.data.tcfgs[t] {
		if v != nil {
			if cfgs == nil {
				cfgs = make(map[string]string)
			}
			cfgs[k] = *v
		}
	}
	return persistTopic{
		Name:       t,
		ID:         id,
		Partitions: len(c.data.tps[t]),
		Replicas:   c.data.treplicas[t],
		Configs:    cfgs,
	}, true
}

// persistTopicChanges stores the current state of the named topics, which
// a request (or admin function) just created, changed or deleted.
func (c *Cluster) persistTopicChanges(names ...string) {
	if !c.persist() || len(names) == 0 {
		return
	}
	for t := range c.topicsUnlogged {
		names = append(names, t)
	}
	err := c.appendTopicEntries(names)
	if err == nil && c.topicsLogSize < c.stateLogCompactBytes() {
		c.topicsUnlogged = nil
		return
	}
	if err != nil {
		c.cfg.logger.Logf(LogLevelWarn, "persist topics: append to %s: %v; rewriting topics.json", topicsLogFile, err)
	}
	if err := c.saveTopics(c.fs, c.cfg.dataDir); err != nil {
		c.cfg.logger.Logf(LogLevelWarn, "persist topics: %v", err)
		if c.topicsUnlogged == nil {
			c.topicsUnlogged = make(map[string]struct{})
		}
		for _, t := range names {
			c.topicsUnlogged[t] = struct{}{}
		}
	}
}

// appendTopicEntries appends one entry per name to topics.log and fsyncs
// it. On error the file is closed; the next open cuts off what this call
// wrote.
func (c *Cluster) appendTopicEntries(names []string) error {
	f, err := c.openTopicsLog()
	if err != nil {
		return err
	}
	size := c.topicsLogSize
	write := func(e topicLogEntry) error {
		n, err := appendLogEntry(f, e, false)
		size += int64(n)
		return err
	}
	if size == 0 {
		gen := c.topicsLogGen
		err = write(topicLogEntry{Gen: &gen})
	}
	for _, t := range names {
		if err != nil {
			break
		}
		if pt, ok := c.topicState(t); ok {
			err = write(topicLogEntry{Topic: &pt})
		} else {
			err = write(topicLogEntry{Deleted: t})
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		c.closeTopicsLog()
		return err
	}
	c.topicsLogSize = size
	return nil
}

// openTopicsLog returns topics.log open for appending, its size cut to the
// bytes of whole entries written so far (topicsLogSize).
func (c *Cluster) openTopicsLog() (file, error) {
	if c.topicsLogFile != nil {
		return c.topicsLogFile, nil
	}
	f, err := c.fs.OpenFile(filepath.Join(c.cfg.dataDir, topicsLogFile), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	end, err := f.Seek(0, io.SeekEnd)
	switch {
	case err != nil:
	case end < c.topicsLogSize:
		err = fmt.Errorf("%s has %d bytes, %d were written", topicsLogFile, end, c.topicsLogSize)
	case end > c.topicsLogSize:
		err = f.Truncate(c.topicsLogSize)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	c.topicsLogFile = f
	return f, nil
}

func (c *Cluster) closeTopicsLog() {
	if c.topicsLogFile != nil {
		c.topicsLogFile.Close()
		c.topicsLogFile = nil
	}
}

// resetTopicsLog removes topics.log once topics.json of generation
// topicsLogGen holds everything in it, and makes that durable first.
func (c *Cluster) resetTopicsLog(fsys fs, dir string) error {
	c.closeTopicsLog()
	c.topicsLogSize = 0
	c.topicsUnlogged = nil
	if err := syncDir(fsys, dir); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	// If the remove fails, the log of an older generation is skipped at
	// load and cut to nothing before the next append.
	if err := fsys.Remove(filepath.Join(dir, topicsLogFile)); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// replayTopicsLog applies topics.log to the topics read from topics.json
// (by name), if the log continues topics.json's generation.
func (c *Cluster) replayTopicsLog(fsys fs, dir string, topics map[string]persistTopic) error {
	raw, err := fsys.ReadFile(filepath.Join(dir, topicsLogFile))
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	entries, validBytes := readEntries(raw)
	if validBytes < len(raw) {
		c.cfg.logger.Logf(LogLevelWarn, "%s: discarding %d corrupt trailing bytes", topicsLogFile, len(raw)-validBytes)
	}
	var header topicLogEntry
	if len(entries) == 0 || json.Unmarshal(entries[0].data, &header) != nil || header.Gen == nil {
		if len(entries) > 0 {
			c.cfg.logger.Logf(LogLevelWarn, "%s: no header, ignoring the log", topicsLogFile)
		}
		return nil // the next append starts it again
	}
	switch gen := *header.Gen; {
	case gen < c.topicsLogGen:
		// Written before topics.json's generation, which holds it all.
		return nil
	case gen > c.topicsLogGen:
		c.cfg.logger.Logf(LogLevelWarn, "%s: generation %d is newer than topics.json's %d, replaying it", topicsLogFile, gen, c.topicsLogGen)
		c.topicsLogGen = gen
	}
	for _, e := range entries[1:] {
		var entry topicLogEntry
		if err := json.Unmarshal(e.data, &entry); err != nil {
			c.cfg.logger.Logf(LogLevelWarn, "%s: skipping corrupt entry: %v", topicsLogFile, err)
			continue
		}
		switch {
		case entry.Topic != nil:
			topics[entry.Topic.Name] = *entry.Topic
		case entry.Deleted != "":
			delete(topics, entry.Deleted)
		}
	}
	c.topicsLogSize = int64(validBytes)
	return nil
}
