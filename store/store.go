// Package store persists linkemu's state in one bbolt file: the clusters seen
// at start, links and their configs, mirror topics, and the state the
// workers keep (replication offset maps, ACLs a link created, ...).
//
// Every write runs in one bbolt transaction, so a crash leaves either the
// old state or the new one. Concurrent writes share a transaction and its
// fsyncs (group commit, commit.go), each with its own outcome. Objects are JSON-encoded, keyed by cluster ID and
// name in nested buckets. The file carries a schema version; a newer file
// than this binary understands is refused rather than misread.
//
// bbolt holds an exclusive file lock: a second process opening the same file
// fails after Options.Timeout with an error that says so.
//
// Faults are loud. Open checks every page of the file, so a damaged file
// fails Open with ErrCorrupted and a message naming it, instead of bbolt
// panicking later on the bad page. A commit the file system refuses (full
// disk, read-only) fails with linkemu.ESTORAGE, whose message says so; Ping
// reports it until a write succeeds again.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	linkemu "github.com/linkemu/linkemu"
	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the version of the layout this package writes.
const SchemaVersion = 1

// FileName is the name of the bbolt file inside the data directory.
const FileName = "linkemu.db"

// Top-level buckets.
var (
	bucketMeta        = []byte("meta")
	bucketClusters    = []byte("clusters")
	bucketLinks       = []byte("links")
	bucketLinkConfigs = []byte("link_configs")
	bucketMirrors     = []byte("mirrors")
	bucketWorkers     = []byte("workers")

	keySchemaVersion = []byte("schema_version")
)

// Options configures Open.
type Options struct {
	// Timeout bounds the wait for the file lock held by another process.
	// Zero means one second.
	Timeout time.Duration
}

// Store is the bbolt-backed state of one emulator.
type Store struct {
	db   *bolt.DB
	path string

	writeErr atomic.Pointer[writeFailure] // the last write's failure, nil once one succeeds
	// failHold is how long Ping keeps reporting a failed write before it
	// tries a write of its own.
	failHold time.Duration
	onCommit atomic.Pointer[func()]
	commits  committer
}

// OnCommit sets a function called after every committed transaction, outside
// it.
func (s *Store) OnCommit(fn func()) { s.onCommit.Store(&fn) }

// HasMirrors reports whether the store holds any mirror topic.
func (s *Store) HasMirrors() (bool, error) {
	has := false
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMirrors).ForEachBucket(func(k []byte) error {
			if b := tx.Bucket(bucketMirrors).Bucket(k); b != nil && b.Stats().KeyN > 0 {
				has = true
			}
			return nil
		})
	})
	return has, err
}

type writeFailure struct {
	err error
	at  time.Time
}

// Open opens (creating if needed) the store in dir. The file is created with
// mode 0600.
func Open(dir string, opts Options) (*Store, error) {
	if opts.Timeout == 0 {
		opts.Timeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openChecked(path, opts)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("data dir %s is in use by another linkemu process (could not lock %s within %s); stop it or pass a different --data-dir", dir, path, opts.Timeout)
	}
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, failHold: 10 * time.Second}
	if err := s.init(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// ErrCorrupted is wrapped by Open's error when the file is damaged.
var ErrCorrupted = errors.New("store file is corrupted")

// openChecked opens the file and checks every page of it: bbolt panics on
// a damaged page when it first reads it, so a damaged file is found here,
// at start, and reported as an error naming the file, never as a panic
// later.
func openChecked(path string, opts Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			if db != nil {
				db.Close()
			}
			db, err = nil, corrupted(path, fmt.Errorf("%v", r))
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout})
	switch {
	case errors.Is(err, bolt.ErrTimeout):
		return nil, err
	case errors.Is(err, bolt.ErrInvalid), errors.Is(err, bolt.ErrChecksum), errors.Is(err, bolt.ErrVersionMismatch):
		return nil, corrupted(path, err)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var problems []error
	if err := db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			problems = append(problems, e)
		}
		return nil
	}); err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		db.Close()
		return nil, corrupted(path, errors.Join(problems...))
	}
	return db, nil
}

func corrupted(path string, cause error) error {
	return fmt.Errorf("%w: %s cannot be read (%v); restore it from a backup, or move it away to start with no links", ErrCorrupted, path, cause)
}

func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketClusters, bucketLinks, bucketLinkConfigs, bucketMirrors, bucketWorkers} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchemaVersion); v != nil {
			if got := binary.BigEndian.Uint64(v); got > SchemaVersion {
				return fmt.Errorf("%s has schema version %d, newer than this linkemu understands (%d); upgrade linkemu or use another --data-dir", s.path, got, SchemaVersion)
			}
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], SchemaVersion)
		return meta.Put(keySchemaVersion, v[:])
	})
}

// Path returns the path of the bbolt file.
func (s *Store) Path() string { return s.path }

// Close closes the file and releases its lock.
func (s *Store) Close() error { return s.db.Close() }

// Ping reports whether the store is open and readable, and whether its last
// write failed: that failure is reported for a while (a small write might
// fit where the failed one did not), then Ping tries a small write of its
// own, so that it reports the store healthy again once space returns.
func (s *Store) Ping() error {
	if f := s.writeErr.Load(); f != nil {
		if time.Since(f.at) < s.failHold {
			return f.err
		}
		if err := s.Update(func(t *Tx) error { return t.tx.Bucket(bucketMeta).Put([]byte("write_probe"), []byte{1}) }); err != nil {
			return err
		}
	}
	return s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return linkemu.Errorf(linkemu.EINTERNAL, "store is not initialized")
		}
		return nil
	})
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx: tx}) })
}

// Update runs fn in a read-write transaction; it commits only if fn returns
// nil. A commit the file system refuses (disk full, read-only, I/O error)
// fails with ESTORAGE, whose message names the file and the cause.
// Concurrent Updates share transactions (see commit.go), so fn may run more
// than once: it must change nothing outside tx but its own results.
func (s *Store) Update(fn func(*Tx) error) error { return s.UpdateThen(fn, nil) }

// writeError describes a commit the file system refused.
func writeError(path string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return linkemu.Errorf(linkemu.ESTORAGE, "linkemu could not save the change: the disk holding %s is full (%v). Free space on it and retry.", path, err)
	case errors.Is(err, syscall.EROFS), errors.Is(err, bolt.ErrDatabaseReadOnly):
		return linkemu.Errorf(linkemu.ESTORAGE, "linkemu could not save the change: %s is read-only (%v).", path, err)
	}
	return linkemu.Errorf(linkemu.ESTORAGE, "linkemu could not save the change to %s: %v", path, err)
}

// Tx is a transaction over the store's objects.
type Tx struct{ tx *bolt.Tx }

// nested returns the bucket top/keys..., creating it when create is set. It
// returns nil when a bucket is missing and create is false.
func (t *Tx) nested(create bool, top []byte, keys ...string) (*bolt.Bucket, error) {
	b := t.tx.Bucket(top)
	for _, k := range keys {
		if b == nil {
			return nil, nil
		}
		next := b.Bucket([]byte(k))
		if next == nil && create {
			var err error
			if next, err = b.CreateBucket([]byte(k)); err != nil {
				return nil, err
			}
		}
		b = next
	}
	return b, nil
}

// value returns the value of name in the bucket top/cluster, or nil. Like
// every bbolt value, it is valid only until the transaction ends.
func (t *Tx) value(top []byte, cluster, name string) ([]byte, error) {
	b, err := t.nested(false, top, cluster)
	if err != nil || b == nil {
		return nil, err
	}
	return b.Get([]byte(name)), nil
}

// clusters returns cluster, or when it is "" every cluster that has a
// bucket under top.
func (t *Tx) clusters(top []byte, cluster string) []string {
	if cluster == "" {
		return t.childBuckets(top)
	}
	return []string{cluster}
}

// childBuckets lists the names of the buckets directly under top.
func (t *Tx) childBuckets(top []byte) []string {
	var out []string
	_ = t.tx.Bucket(top).ForEachBucket(func(k []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out
}
