package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	linkemu "github.com/linkemu/linkemu"
	bolt "go.etcd.io/bbolt"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestOpenCreatesPrivateFileAndLocks(t *testing.T) {
	s, dir := openTemp(t)
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("store file mode %o, want 600", perm)
	}
	start := time.Now()
	_, err = Open(dir, Options{Timeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "in use by another linkemu process") {
		t.Fatalf("second open: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second open took %s; it must fail fast", d)
	}
	_ = s
}

func TestRefusesNewerSchema(t *testing.T) {
	s, dir := openTemp(t)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, []byte{0, 0, 0, 0, 0, 0, 0, 99})
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "newer than this linkemu") {
		t.Fatalf("open of a newer schema: %v", err)
	}
}

func TestLinksRoundTripInOneTransaction(t *testing.T) {
	s, dir := openTemp(t)
	l := &linkemu.Link{Name: "a", ClusterID: "west", LinkID: "id", ClusterLinkID: "cid", SourceClusterID: "east",
		Configs: map[string]string{"acl.sync.ms": "6000", "sasl.jaas.config": "secret"}}
	if err := s.Update(func(tx *Tx) error { return tx.CreateLink(l) }); err != nil {
		t.Fatal(err)
	}
	err := s.Update(func(tx *Tx) error { return tx.CreateLink(l) })
	if linkemu.ErrorCode(err) != linkemu.ECONFLICT {
		t.Fatalf("duplicate create: %v", err)
	}
	// A failing transaction leaves nothing behind.
	_ = s.Update(func(tx *Tx) error {
		if err := tx.PutMirror(&linkemu.Mirror{ClusterID: "west", LinkName: "a", Name: "m"}); err != nil {
			return err
		}
		return linkemu.Errorf(linkemu.EINVALID, "abort")
	})
	s.Close()

	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	_ = s2.View(func(tx *Tx) error {
		got, err := tx.Link("west", "a")
		if err != nil {
			t.Fatal(err)
		}
		if got.Configs["sasl.jaas.config"] != "secret" || got.Configs["acl.sync.ms"] != "6000" || got.SourceClusterID != "east" {
			t.Errorf("link after reopen: %+v", got)
		}
		if ms, _ := tx.Mirrors("west", ""); len(ms) != 0 {
			t.Errorf("aborted transaction left mirrors: %v", ms)
		}
		return nil
	})
	if err := s2.Update(func(tx *Tx) error { return tx.DeleteLink("west", "a") }); err != nil {
		t.Fatal(err)
	}
	if err := s2.View(func(tx *Tx) error { _, err := tx.Link("west", "a"); return err }); linkemu.ErrorCode(err) != linkemu.ENOTFOUND {
		t.Fatalf("deleted link: %v", err)
	}
}

func TestKVNamespaces(t *testing.T) {
	s, _ := openTemp(t)
	ns := []string{"replication", "west", "a"}
	if err := s.Update(func(tx *Tx) error {
		if err := tx.KVPut(ns, "k2", []byte("2")); err != nil {
			return err
		}
		return tx.KVPut(ns, "k1", []byte("1"))
	}); err != nil {
		t.Fatal(err)
	}
	var keys []string
	_ = s.View(func(tx *Tx) error {
		return tx.KVForEach(ns, func(k string, v []byte) error { keys = append(keys, k+"="+string(v)); return nil })
	})
	if strings.Join(keys, ",") != "k1=1,k2=2" {
		t.Errorf("keys %v", keys)
	}
	if err := s.Update(func(tx *Tx) error { return tx.KVDropNamespace(ns) }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		v, err := tx.KVGet(ns, "k1")
		if v != nil || err != nil {
			t.Errorf("dropped namespace still has k1=%q (%v)", v, err)
		}
		return nil
	})
}
