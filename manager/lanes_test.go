package manager

import (
	"context"
	"testing"
	"time"
)

// blocked reports whether lock(reqs) is still waiting after a moment, and
// returns the release of a lock it got.
func tryLock(t *testing.T, ls *lanes, reqs ...laneReq) (func(), bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	unlock, err := ls.lock(ctx, reqs...)
	if err != nil {
		return nil, false
	}
	return unlock, true
}

func TestLanes(t *testing.T) {
	ls := &lanes{}
	shared := linkLane("c", "l", false)
	excl := linkLane("c", "l", true)

	u1, ok1 := tryLock(t, ls, shared, mirrorLane("c", "a"))
	u2, ok2 := tryLock(t, ls, shared, mirrorLane("c", "b"))
	if !ok1 || !ok2 {
		t.Fatal("two mirrors of one link must not wait for each other")
	}
	if _, ok := tryLock(t, ls, shared, mirrorLane("c", "a")); ok {
		t.Fatal("a second change of the same mirror must wait")
	}
	if _, ok := tryLock(t, ls, excl); ok {
		t.Fatal("reconfiguring a link must wait for its mirror operations")
	}
	u3, ok := tryLock(t, ls, linkLane("c", "other", true))
	if !ok {
		t.Fatal("another link must not wait")
	}
	u3()
	u1()
	u2()
	u4, ok := tryLock(t, ls, excl)
	if !ok {
		t.Fatal("the link lane must be free once its holders left")
	}
	u4()
	if len(ls.m) != 0 {
		t.Fatalf("lanes left behind: %v", ls.m)
	}
}

// TestLanesFIFO checks that a waiting exclusive request keeps later shared
// ones out, and that they all get in, in order.
func TestLanesFIFO(t *testing.T) {
	ls := &lanes{}
	ctx := context.Background()
	hold, _ := ls.lock(ctx, linkLane("c", "l", false))
	order := make(chan string, 2)
	go func() {
		u, _ := ls.lock(ctx, linkLane("c", "l", true))
		order <- "exclusive"
		u()
	}()
	time.Sleep(20 * time.Millisecond)
	go func() {
		u, _ := ls.lock(ctx, linkLane("c", "l", false))
		order <- "shared"
		u()
	}()
	time.Sleep(20 * time.Millisecond)
	hold()
	if first, second := <-order, <-order; first != "exclusive" || second != "shared" {
		t.Fatalf("granted %s then %s, want exclusive then shared", first, second)
	}
}
