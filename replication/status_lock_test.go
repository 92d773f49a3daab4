package replication

import (
	"sync"
	"testing"
	"time"
)

// stallingStore is a StateStore whose saves wait until released, as a
// bbolt write waits while it grows the file and a read transaction is open.
type stallingStore struct {
	*MemoryStore
	saving  chan struct{} // receives once a save waits
	release chan struct{}
	once    sync.Once
}

func (s *stallingStore) SaveReplicationState(link, mirror string, doc []byte) error {
	s.once.Do(func() { close(s.saving) })
	<-s.release
	return s.MemoryStore.SaveReplicationState(link, mirror, doc)
}

// TestStatusDuringSave checks that Status answers while the worker waits
// on a store write: a caller may hold the store's read transaction that
// the write waits for, so Status waiting for the write would deadlock.
func TestStatusDuringSave(t *testing.T) {
	e := newEnv(t)
	e.topic("orders", 3, nil)
	st := &stallingStore{MemoryStore: e.store, saving: make(chan struct{}), release: make(chan struct{})}
	defer close(st.release)
	w, _, _ := e.worker([]Mirror{{Name: "orders", SourceTopic: "orders"}}, func(c *Config) { c.Store = st })
	select {
	case <-st.saving:
	case <-time.After(20 * time.Second):
		t.Fatal("the worker never saved its state")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, ok := w.Status("orders"); !ok {
			t.Error("Status does not know the mirror")
		}
		w.TranslateOffset("orders", 0, 0)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Status waited for a store write")
	}
}
