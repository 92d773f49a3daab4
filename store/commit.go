package store

import (
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Group commit. Every commit of a bbolt file costs two fsyncs, and bbolt
// takes one writer at a time, so writers that each commit alone queue
// behind each other's fsyncs. Updates that arrive while a commit runs wait
// for it and then share the next transaction, and with it one commit: the
// first of them leads that commit and the others wait for it. A lone
// Update is never delayed (unlike bbolt's DB.Batch, which waits
// MaxBatchDelay for company).
//
// A function that fails rolls back the whole shared transaction; the
// others then commit together without it, and it runs once more alone,
// so each caller gets its own outcome, as if it had committed alone (the
// order of concurrent Updates is the store's to choose). So a function may
// run more than once: it must change nothing outside tx but the results it
// returns through its closure, which hold the last run's.

// maxBatch bounds the functions one transaction runs.
const maxBatch = 256

// update is one queued Update.
type update struct {
	fn   func(*Tx) error
	then func()
	err  error
	done chan struct{} // closed when the update committed or failed
	lead chan struct{} // closed when this update is to lead the next commit
}

// committer queues Updates; leading is set while a leader commits.
type committer struct {
	mu      sync.Mutex
	queue   []*update
	leading bool
}

// UpdateThen is Update with a function run after the commit, before
// UpdateThen returns, in commit order: concurrent callers that publish what
// they wrote (the manager's view) publish in then, so publications follow
// the commits. then must not call the store.
func (s *Store) UpdateThen(fn func(*Tx) error, then func()) error {
	u := &update{fn: fn, then: then, done: make(chan struct{}), lead: make(chan struct{})}
	c := &s.commits
	c.mu.Lock()
	c.queue = append(c.queue, u)
	if !c.leading {
		c.leading = true
		close(u.lead)
	}
	c.mu.Unlock()
	select {
	case <-u.done:
		return u.err
	case <-u.lead:
	}
	// u is first in the queue: commit it with those behind it, then hand
	// the lead to the next in the queue.
	c.mu.Lock()
	n := min(len(c.queue), maxBatch)
	batch := slices.Clone(c.queue[:n])
	c.queue = slices.Delete(c.queue, 0, n)
	c.mu.Unlock()
	s.commit(batch)
	c.mu.Lock()
	if len(c.queue) > 0 {
		close(c.queue[0].lead)
	} else {
		c.leading = false
	}
	c.mu.Unlock()
	return u.err
}

// commit runs batch in one transaction and finishes every update in it.
func (s *Store) commit(batch []*update) {
	failed := -1
	var fnErr error
	err := s.db.Update(func(tx *bolt.Tx) error {
		for i, u := range batch {
			if fnErr = u.fn(&Tx{tx: tx}); fnErr != nil {
				failed = i
				return fnErr
			}
		}
		return nil
	})
	switch {
	case err == nil:
		s.writeErr.Store(nil)
		for _, u := range batch {
			if u.then != nil {
				u.then()
			}
		}
		if fn := s.onCommit.Load(); fn != nil {
			(*fn)()
		}
		for _, u := range batch {
			close(u.done)
		}
	case failed >= 0 && len(batch) == 1:
		batch[0].err = fnErr
		close(batch[0].done)
	case failed >= 0:
		bad := batch[failed]
		s.commit(slices.Delete(slices.Clone(batch), failed, failed+1))
		s.commit([]*update{bad})
	default:
		// The file system refused the commit: none of the changes is saved.
		err = writeError(s.path, err)
		s.writeErr.Store(&writeFailure{err, time.Now()})
		for _, u := range batch {
			u.err = err
			close(u.done)
		}
	}
}
