package networking

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The public network and its environment: where every cluster not placed in
// a private network lives.
const (
	PublicNetwork      = "n-public"
	DefaultEnvironment = "env-default"
)

// Network is one network of the topology.
type Network struct {
	ID          string   // n-…
	Environment string   // env-…
	Clusters    []string // IDs of the clusters in the network
}

// Private reports whether the network is a private one (not n-public).
func (n Network) Private() bool { return n.ID != PublicNetwork }

// describe names the network and its environment for messages.
func (n Network) describe() string {
	if !n.Private() {
		return fmt.Sprintf("the public network %s (env %s)", n.ID, n.Environment)
	}
	return fmt.Sprintf("network %s (env %s)", n.ID, n.Environment)
}

var (
	networkIDRE = regexp.MustCompile(`^n-[A-Za-z0-9_-]{1,60}$`)
	envIDRE     = regexp.MustCompile(`^env-[A-Za-z0-9_-]{1,60}$`)
)

// topology is the validated, fixed set of environments, networks and
// cluster placements.
type topology struct {
	networks  map[string]Network // by ID, the public network included
	placement map[string]string  // cluster ID to network ID, private networks only
	envs      map[string]bool
}

// newTopology validates the private networks and builds the topology.
func newTopology(private []Network) (*topology, error) {
	t := &topology{
		networks:  map[string]Network{PublicNetwork: {ID: PublicNetwork, Environment: DefaultEnvironment}},
		placement: map[string]string{},
		envs:      map[string]bool{DefaultEnvironment: true},
	}
	for _, n := range private {
		switch {
		case n.ID == PublicNetwork:
			return nil, fmt.Errorf("network %s is the built-in public network: every cluster not placed in a private network is in it, so do not declare it", PublicNetwork)
		case !networkIDRE.MatchString(n.ID):
			return nil, fmt.Errorf("network ID %q is malformed: use n- followed by letters, digits, '-' or '_', e.g. n-west", n.ID)
		case !envIDRE.MatchString(n.Environment):
			return nil, fmt.Errorf("network %s: environment %q is malformed: use env- followed by letters, digits, '-' or '_', e.g. env-a", n.ID, n.Environment)
		}
		if _, dup := t.networks[n.ID]; dup {
			return nil, fmt.Errorf("network %s is declared twice", n.ID)
		}
		n.Clusters = append([]string(nil), n.Clusters...)
		for _, c := range n.Clusters {
			if c == "" {
				return nil, fmt.Errorf("network %s lists an empty cluster ID", n.ID)
			}
			if other, dup := t.placement[c]; dup {
				return nil, fmt.Errorf("cluster %s is placed in both %s and %s: a cluster lives in one network", c, other, n.ID)
			}
			t.placement[c] = n.ID
		}
		t.networks[n.ID] = n
		t.envs[n.Environment] = true
	}
	return t, nil
}

// networkOf returns the network a cluster is in.
func (t *topology) networkOf(cluster string) Network {
	if id, ok := t.placement[cluster]; ok {
		return t.networks[id]
	}
	return t.networks[PublicNetwork]
}

// environment checks that env is given and exists.
func (t *topology) environment(env string) error {
	if env == "" {
		return errMalformed("The query parameter environment is required: give the ID of the environment, e.g. ?environment=%s.", DefaultEnvironment)
	}
	if !t.envs[env] {
		return errNotFound("Environment %s not found. The environments are %s; declare others with the networks of the emulator's configuration.", env, strings.Join(t.envList(), ", "))
	}
	return nil
}

// privateNetwork returns a private network of env, for a service or an
// endpoint to sit on. field names the request field for messages.
func (t *topology) privateNetwork(env, id, field string) (Network, error) {
	if id == "" {
		return Network{}, errInvalid("%s is required: give the ID of a private network of environment %s.", field, env)
	}
	n, ok := t.networks[id]
	if !ok || n.Environment != env {
		return Network{}, errNotFound("Network %s not found in environment %s. Its networks are %s.", id, env, strings.Join(t.networksOf(env), ", "))
	}
	if !n.Private() {
		return Network{}, errInvalid("%s is the public network; network linking joins private networks. Place the clusters in private networks in the emulator's configuration.", id)
	}
	return n, nil
}

// checkAccept checks that an accept policy names only existing environments
// and private networks.
func (t *topology) checkAccept(a AcceptPolicy) error {
	for _, e := range a.Environments {
		if !t.envs[e] {
			return errInvalid("spec.accept.environments names environment %s, which does not exist. The environments are %s.", e, strings.Join(t.envList(), ", "))
		}
	}
	for _, id := range a.Networks {
		n, ok := t.networks[id]
		if !ok {
			return errInvalid("spec.accept.networks names network %s, which does not exist. The private networks are %s.", id, strings.Join(t.privateList(), ", "))
		}
		if !n.Private() {
			return errInvalid("spec.accept.networks names the public network %s; only private networks can connect over a network link.", id)
		}
	}
	return nil
}

func (t *topology) envList() []string {
	var out []string
	for e := range t.envs {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

func (t *topology) networksOf(env string) []string {
	out := []string{}
	for id, n := range t.networks {
		if n.Environment == env {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func (t *topology) privateList() []string {
	out := []string{}
	for id, n := range t.networks {
		if n.Private() {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// list returns every network, the public one included, by ID.
func (t *topology) list() []Network {
	out := make([]Network, 0, len(t.networks))
	for _, n := range t.networks {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
