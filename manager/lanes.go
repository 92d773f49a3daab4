package manager

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// lanes serialize the state changes of one object (a link, a mirror topic)
// and nothing else: two requests on different objects never wait for each
// other, and reads never take a lane. A lane is held for a whole operation,
// network calls included, so a second change of the same object waits for
// the first to finish rather than interleave with it; it waits with its
// context, so a link worker calling back into the manager (auto-create)
// gives up when its link stops instead of deadlocking with the operation
// that stops it.
//
// A lane is shared or exclusive. Mirror operations hold their link's lane
// shared (so they run in parallel, and the link cannot be deleted or
// reconfigured under them) and the mirror's lane exclusive. Requests are
// granted in arrival order (consecutive shared requests together), so
// neither a stream of mirror operations nor a stream of reconfigurations
// starves the other. Lanes are always taken in one order (see lock) and
// never taken again by their holder, so holders of several never deadlock.
type lanes struct {
	mu sync.Mutex
	m  map[string]*lane
}

// lane is the state of one key; it exists while someone holds or waits.
type lane struct {
	readers int
	writer  bool
	queue   []*waiter // in arrival order
}

type waiter struct {
	exclusive bool
	granted   chan struct{}
}

// laneReq asks for one lane.
type laneReq struct {
	key       string
	exclusive bool
}

func linkLane(cluster, link string, exclusive bool) laneReq {
	return laneReq{key: "1link/" + cluster + "/" + link, exclusive: exclusive}
}

func mirrorLane(cluster, name string) laneReq {
	return laneReq{key: "2mirror/" + cluster + "/" + name, exclusive: true}
}

// lock takes every lane asked for, in key order (links before mirrors), and
// returns the function that releases them. It fails only when ctx ends.
func (ls *lanes) lock(ctx context.Context, reqs ...laneReq) (func(), error) {
	reqs = slices.Clone(reqs)
	slices.SortFunc(reqs, func(a, b laneReq) int { return strings.Compare(a.key, b.key) })
	var uniq []laneReq
	for _, r := range reqs {
		if n := len(uniq); n > 0 && uniq[n-1].key == r.key {
			uniq[n-1].exclusive = uniq[n-1].exclusive || r.exclusive
			continue
		}
		uniq = append(uniq, r)
	}
	var held []laneReq
	release := func() {
		for i := len(held) - 1; i >= 0; i-- {
			ls.release(held[i])
		}
	}
	for _, r := range uniq {
		if err := ls.acquire(ctx, r); err != nil {
			release()
			return nil, err
		}
		held = append(held, r)
	}
	return release, nil
}

func (ls *lanes) acquire(ctx context.Context, r laneReq) error {
	ls.mu.Lock()
	if ls.m == nil {
		ls.m = make(map[string]*lane)
	}
	l := ls.m[r.key]
	if l == nil {
		l = &lane{}
		ls.m[r.key] = l
	}
	w := &waiter{exclusive: r.exclusive, granted: make(chan struct{})}
	l.queue = append(l.queue, w)
	l.grant()
	ls.mu.Unlock()
	select {
	case <-w.granted:
		return nil
	case <-ctx.Done():
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	select {
	case <-w.granted: // granted meanwhile: give it back
		ls.releaseLocked(r.key, l, r.exclusive)
	default:
		l.queue = slices.DeleteFunc(l.queue, func(x *waiter) bool { return x == w })
		l.grant()
		ls.forget(r.key, l)
	}
	return ctx.Err()
}

// grant lets in the waiters at the head of the queue that can go now;
// ls.mu must be held.
func (l *lane) grant() {
	for len(l.queue) > 0 {
		w := l.queue[0]
		if l.writer || (w.exclusive && l.readers > 0) {
			return
		}
		if w.exclusive {
			l.writer = true
		} else {
			l.readers++
		}
		l.queue = l.queue[1:]
		close(w.granted)
	}
}

func (ls *lanes) release(r laneReq) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.releaseLocked(r.key, ls.m[r.key], r.exclusive)
}

func (ls *lanes) releaseLocked(key string, l *lane, exclusive bool) {
	if exclusive {
		l.writer = false
	} else {
		l.readers--
	}
	l.grant()
	ls.forget(key, l)
}

// forget drops a lane nobody holds or waits for; ls.mu must be held.
func (ls *lanes) forget(key string, l *lane) {
	if !l.writer && l.readers == 0 && len(l.queue) == 0 {
		delete(ls.m, key)
	}
}
