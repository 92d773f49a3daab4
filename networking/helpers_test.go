package networking

import (
	"strings"
	"sync"
	"testing"
	"time"

	linkemu "github.com/linkemu/linkemu"
	"github.com/linkemu/linkemu/store"
)

// clock is a manual clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const testDelay = time.Second

// lab is a Fabric over a fresh store with a manual clock. Its networks:
// env-a holds n-west (lkc-west) and n-north (lkc-north); env-b holds n-east
// (lkc-east); lkc-pub is public.
type lab struct {
	*Fabric
	clock *clock
	store *store.Store
}

func labNetworks() []Network {
	return []Network{
		{ID: "n-west", Environment: "env-a", Clusters: []string{"lkc-west"}},
		{ID: "n-north", Environment: "env-a", Clusters: []string{"lkc-north"}},
		{ID: "n-east", Environment: "env-b", Clusters: []string{"lkc-east"}},
	}
}

func newLab(t *testing.T, networks []Network) *lab {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	f, err := New(Config{Store: st, Networks: networks, ReadyDelay: testDelay, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &lab{Fabric: f, clock: c, store: st}
}

func (l *lab) service(t *testing.T, env, network string, accept AcceptPolicy) *LinkService {
	t.Helper()
	s, err := l.CreateService(ServiceSpec{Environment: env, Network: network, Accept: accept})
	if err != nil {
		t.Fatalf("create service on %s: %v", network, err)
	}
	return s
}

func (l *lab) endpoint(t *testing.T, env, network, service string) *LinkEndpoint {
	t.Helper()
	e, err := l.CreateEndpoint(EndpointSpec{Environment: env, Network: network, Service: service})
	if err != nil {
		t.Fatalf("create endpoint on %s to %s: %v", network, service, err)
	}
	return e
}

func (l *lab) phase(t *testing.T, env, id string) Phase {
	t.Helper()
	e, err := l.GetEndpoint(env, id)
	if err != nil {
		t.Fatalf("get endpoint %s: %v", id, err)
	}
	return e.Phase
}

// wantErr checks an error's code and that its message contains each part.
func wantErr(t *testing.T, err error, code string, parts ...string) {
	t.Helper()
	if linkemu.ErrorCode(err) != code {
		t.Fatalf("want %s error, got %v", code, err)
	}
	for _, p := range parts {
		if !strings.Contains(linkemu.ErrorMessage(err), p) {
			t.Errorf("message %q does not contain %q", linkemu.ErrorMessage(err), p)
		}
	}
}

func accept(envs, nets []string) AcceptPolicy {
	return AcceptPolicy{Environments: envs, Networks: nets}
}
