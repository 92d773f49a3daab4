package manager

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	linkemu "github.com/linkemu/linkemu"
)

// TestPublishKeepsMirrorsByLinkInStep applies random mirror creates, moves
// and deletes through publish and checks after each that the per-link index
// holds exactly the view's mirrors of each link, sorted.
func TestPublishKeepsMirrorsByLinkInStep(t *testing.T) {
	m := &Manager{}
	m.state.Store(emptyView())
	rng := rand.New(rand.NewPCG(1, 2))
	clusters, links := []string{"lkc-a", "lkc-b"}, []string{"l1", "l2", "l3"}
	for step := range 500 {
		tx := &wtx{mirrors: map[linkKey]*linkemu.Mirror{}}
		for range 1 + rng.IntN(4) {
			c := clusters[rng.IntN(len(clusters))]
			k := linkKey{c, fmt.Sprintf("t%02d", rng.IntN(20))}
			if rng.IntN(3) == 0 {
				tx.mirrors[k] = nil
				continue
			}
			tx.mirrors[k] = &linkemu.Mirror{ClusterID: c, Name: k.name, LinkName: links[rng.IntN(len(links))]}
		}
		m.publish(tx)
		v := m.view()
		want := map[linkKey][]*linkemu.Mirror{}
		for _, mr := range v.mirrors {
			lk := linkKey{mr.ClusterID, mr.LinkName}
			want[lk] = append(want[lk], mr)
		}
		for lk, ms := range want {
			sortMirrors(ms)
			if got := v.mirrorsOf(lk.cluster, lk.name); !slices.Equal(got, ms) {
				t.Fatalf("step %d: mirrors of %v: got %v, want %v", step, lk, got, ms)
			}
		}
		for lk, ms := range v.byLink {
			if len(want[lk]) == 0 {
				t.Fatalf("step %d: link %v keeps %d mirrors it no longer has", step, lk, len(ms))
			}
		}
	}
}
