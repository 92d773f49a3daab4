package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestConcurrentUpdatesCommitTogetherWithTheirOwnOutcome runs many Updates
// at once, some failing after they wrote, and checks what group commit
// promises: a failed Update changes nothing and returns its own error, a
// successful one is stored, and the then functions run in commit order, so
// the last one run for a key names the value the store holds.
func TestConcurrentUpdatesCommitTogetherWithTheirOwnOutcome(t *testing.T) {
	s, _ := openTemp(t)
	ns := []string{"test"}
	errRefused := errors.New("refused")
	var mu sync.Mutex
	last := map[string]string{} // key -> value of the last then run for it
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 40 {
				key, val := fmt.Sprintf("k%d", (g+i)%5), fmt.Sprintf("g%d-%d", g, i)
				fail := (g+i)%6 == 0
				err := s.UpdateThen(func(tx *Tx) error {
					if err := tx.KVPut(ns, key, []byte(val)); err != nil {
						return err
					}
					if fail {
						return fmt.Errorf("update %s: %w", val, errRefused)
					}
					return nil
				}, func() {
					mu.Lock()
					last[key] = val
					mu.Unlock()
				})
				switch {
				case fail && !errors.Is(err, errRefused):
					t.Errorf("update %s: %v, want its own error", val, err)
				case !fail && err != nil:
					t.Errorf("update %s: %v", val, err)
				}
			}
		})
	}
	wg.Wait()
	err := s.View(func(tx *Tx) error {
		for key, want := range last {
			got, err := tx.KVGet(ns, key)
			if err != nil {
				return err
			}
			if string(got) != want {
				t.Errorf("%s holds %q, but the last committed update of it was %q", key, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 5 {
		t.Errorf("committed keys %v, want 5", last)
	}
}
