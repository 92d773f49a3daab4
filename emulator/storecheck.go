package emulator

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// checkStoreNotLost refuses to start when the store file is missing or
// empty while the embedded clusters' data under dataDir/clusters holds
// topics that cluster links wrote (their producer state names
// linkemu.LinkWriterPrefix transactional IDs). Starting would serve those
// mirror topics as plain, writable topics with no link, and a link created
// again would copy over them. The store is not rebuilt from the brokers'
// data: the link configs, the mirror start offsets and the offset maps are
// not there, so no rebuild could be exact.
func checkStoreNotLost(dataDir string) error {
	path := filepath.Join(dataDir, store.FileName)
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Size() > 0:
		return nil
	case err != nil && !os.IsNotExist(err):
		return fmt.Errorf("checking %s: %w", path, err)
	}
	logs, err := filepath.Glob(filepath.Join(dataDir, "clusters", "*", "pids.log"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(mirrorMarker(dataDir)); err == nil {
		return lostStore(path, fi != nil, filepath.Join(dataDir, "clusters"), dataDir)
	}
	for _, l := range logs {
		raw, err := os.ReadFile(l)
		if err != nil {
			return fmt.Errorf("checking %s: %w", l, err)
		}
		if bytes.Contains(raw, []byte(linkemu.LinkWriterPrefix)) {
			return lostStore(path, fi != nil, filepath.Dir(l), dataDir)
		}
	}
	return nil
}

func lostStore(path string, empty bool, data, dataDir string) error {
	state := "missing"
	if empty {
		state = "empty"
	}
	return fmt.Errorf("%s is %s, but the embedded cluster data in %s holds mirror topics of cluster links: "+
		"linkemu will not serve them without the links that own them. Restore %s from a backup, "+
		"or remove %s to start with empty clusters",
		path, state, data, path, filepath.Join(dataDir, "clusters"))
}

// mirrorMarker is a file beside the embedded clusters' data that exists
// while the store holds mirror topics (see markMirrors).
func mirrorMarker(dataDir string) string {
	return filepath.Join(dataDir, "clusters", ".linkemu-has-mirrors")
}

// markMirrors creates or removes the mirror marker after each store
// commit, so that the brokers' data says whether a store with mirrors goes
// with it.
func markMirrors(s *store.Store, dataDir string, log *slog.Logger) func() {
	var marked atomic.Int32 // 0 unknown, 1 no marker, 2 marker
	return func() {
		has, err := s.HasMirrors()
		if err != nil {
			return
		}
		want := int32(1)
		if has {
			want = 2
		}
		if marked.Swap(want) == want {
			return
		}
		path := mirrorMarker(dataDir)
		if has {
			err = os.WriteFile(path, []byte(s.Path()+" holds mirror topics whose data is in this directory\n"), 0o600)
		} else if err = os.Remove(path); os.IsNotExist(err) {
			err = nil
		}
		if err != nil {
			marked.Store(0)
			log.Warn("could not update the mirror marker", "path", path, "err", err)
		}
	}
}
