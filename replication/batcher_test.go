package replication

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBatcherMergesWaitingLookups: lookups made while a request is in
// flight share the next request; each gets its own keys' values or errors;
// none is answered by a request that began before it was made.
func TestBatcherMergesWaitingLookups(t *testing.T) {
	var (
		requests atomic.Int32
		version  atomic.Int64 // "the log": bumped by writes
		release  = make(chan struct{})
		first    = make(chan struct{})
	)
	b := &batcher[int, int64]{do: func(_ context.Context, keys []int) (map[int]int64, map[int]error, error) {
		n := requests.Add(1)
		v := version.Load()
		if n == 1 {
			close(first)
			<-release
		}
		vals, errs := map[int]int64{}, map[int]error{}
		for _, k := range keys {
			if k < 0 {
				errs[k] = fmt.Errorf("key %d: %w", k, errBadKey)
				continue
			}
			vals[k] = v*1000 + int64(k)
		}
		return vals, errs, nil
	}}

	ctx := context.Background()
	res1 := make(chan map[int]int64, 1)
	go func() {
		r, _ := b.get(ctx, []int{1})
		res1 <- r
	}()
	<-first // the first request is in flight, holding version 0
	version.Store(1)

	const waiters = 50
	var wg sync.WaitGroup
	got := make([]map[int]int64, waiters)
	errs := make([]error, waiters)
	for i := range waiters {
		wg.Go(func() { got[i], errs[i] = b.get(ctx, []int{i, -1 - i%2}) })
	}
	time.Sleep(50 * time.Millisecond) // let them queue behind the first request
	close(release)
	wg.Wait()

	if r := <-res1; r[1] != 1 {
		t.Fatalf("first lookup: %v", r)
	}
	for i := range waiters {
		if got[i][i] != 1000+int64(i) {
			t.Errorf("lookup %d: %v, want %d from a request sent after it", i, got[i], 1000+i)
		}
		if !errors.Is(errs[i], errBadKey) {
			t.Errorf("lookup %d: error %v, want its key's error", i, errs[i])
		}
	}
	if n := requests.Load(); n > 3 {
		t.Errorf("%d requests for %d lookups made while one was in flight: want them merged", n, waiters+1)
	}
}

var errBadKey = errors.New("bad key")

// TestBatcherRequestError: an error of the whole request reaches every
// lookup it served, and the next lookup sends a new request.
func TestBatcherRequestError(t *testing.T) {
	fail := errors.New("broker down")
	var calls atomic.Int32
	b := &batcher[string, int]{do: func(context.Context, []string) (map[string]int, map[string]error, error) {
		if calls.Add(1) == 1 {
			return nil, nil, fail
		}
		return map[string]int{"a": 1}, nil, nil
	}}
	if _, err := b.get(context.Background(), []string{"a"}); !errors.Is(err, fail) {
		t.Fatalf("got %v, want %v", err, fail)
	}
	if r, err := b.get(context.Background(), []string{"a"}); err != nil || r["a"] != 1 {
		t.Fatalf("after the error: %v %v", r, err)
	}
}
