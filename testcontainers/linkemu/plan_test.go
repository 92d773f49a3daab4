package linkemu

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

func TestNewPlan(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		host     string
		ports    []int
		cmd      []string
		exposed  []string
		clusters []Cluster
	}{
		{
			name: "defaults", host: "localhost", ports: []int{41001, 41002},
			cmd: []string{
				"--embedded", "lkc-east=0.0.0.0:41001@localhost:41001",
				"--embedded", "lkc-west=0.0.0.0:41002@localhost:41002",
				"--sasl-ssl", "none",
			},
			exposed:  []string{"8090/tcp", "41001/tcp", "41002/tcp"},
			clusters: []Cluster{{"lkc-east", "localhost:41001"}, {"lkc-west", "localhost:41002"}},
		},
		{
			name: "three clusters and API keys in a stable order", host: "10.1.2.3", ports: []int{5001, 5002, 5003},
			opts: []Option{WithClusters("a", "b", "c"), WithAPIKey("zed", "s3"), WithAPIKey("abe", "s1")},
			cmd: []string{
				"--embedded", "a=0.0.0.0:5001@10.1.2.3:5001",
				"--embedded", "b=0.0.0.0:5002@10.1.2.3:5002",
				"--embedded", "c=0.0.0.0:5003@10.1.2.3:5003",
				"--sasl-ssl", "none",
				"--api-key", "abe:s1", "--api-key", "zed:s3",
			},
			exposed:  []string{"8090/tcp", "5001/tcp", "5002/tcp", "5003/tcp"},
			clusters: []Cluster{{"a", "10.1.2.3:5001"}, {"b", "10.1.2.3:5002"}, {"c", "10.1.2.3:5003"}},
		},
		{
			name: "IPv6 docker host", host: "::1", ports: []int{6001}, opts: []Option{WithClusters("solo")},
			cmd:      []string{"--embedded", "solo=0.0.0.0:6001@[::1]:6001", "--sasl-ssl", "none"},
			exposed:  []string{"8090/tcp", "6001/tcp"},
			clusters: []Cluster{{"solo", "[::1]:6001"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := defaultOptions()
			for _, opt := range tt.opts {
				if err := opt(&o); err != nil {
					t.Fatal(err)
				}
			}
			p, err := newPlan(o, tt.host, tt.ports)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.cmd, tt.cmd) {
				t.Errorf("cmd\n got %q\nwant %q", p.cmd, tt.cmd)
			}
			if !slices.Equal(p.exposed, tt.exposed) {
				t.Errorf("exposed %q, want %q", p.exposed, tt.exposed)
			}
			if !slices.Equal(p.clusters, tt.clusters) {
				t.Errorf("clusters %+v, want %+v", p.clusters, tt.clusters)
			}
			for _, port := range tt.ports {
				b := p.bindings[network.MustParsePort(strconv.Itoa(port)+"/tcp")]
				if len(b) != 1 || b[0].HostPort != strconv.Itoa(port) {
					t.Errorf("port %d is bound %+v, want the same host port", port, b)
				}
			}
		})
	}
}

func TestNewPlanNeedsAPortPerCluster(t *testing.T) {
	if _, err := newPlan(defaultOptions(), "localhost", []int{1}); err == nil {
		t.Error("a plan with fewer ports than clusters")
	}
}

// TestCustomizers applies the plan to a request as testcontainers.Run
// does, and checks what Docker would be asked for.
func TestCustomizers(t *testing.T) {
	p, err := newPlan(defaultOptions(), "localhost", []int{41001, 41002})
	if err != nil {
		t.Fatal(err)
	}
	req := testcontainers.GenericContainerRequest{ContainerRequest: testcontainers.ContainerRequest{Image: "linkemu:dev"}}
	user := testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) { hc.ShmSize = 42 })
	for _, c := range append(p.customizers(), Option(nil), user) {
		if c == nil {
			continue
		}
		if err := c.Customize(&req); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(req.Cmd, p.cmd) || !slices.Equal(req.ExposedPorts, p.exposed) {
		t.Errorf("request cmd %q ports %q", req.Cmd, req.ExposedPorts)
	}
	if len(req.Entrypoint) != 0 {
		t.Errorf("the module changed the image's entrypoint to %q", req.Entrypoint)
	}
	var w *wait.HTTPStrategy
	if all, ok := req.WaitingFor.(*wait.MultiStrategy); ok && len(all.Strategies) == 1 {
		w, _ = all.Strategies[0].(*wait.HTTPStrategy)
	}
	if w == nil || w.Path != "/readyz" || w.Port.String() != RESTPort {
		t.Errorf("waits for %#v, want GET /readyz on %s", req.WaitingFor, RESTPort)
	}
	hc := &container.HostConfig{PortBindings: network.PortMap{network.MustParsePort("9999/tcp"): {{HostPort: "1"}}}}
	req.HostConfigModifier(hc)
	for _, port := range []string{"41001", "41002"} {
		if b := hc.PortBindings[network.MustParsePort(port+"/tcp")]; len(b) != 1 || b[0].HostPort != port {
			t.Errorf("%s/tcp bound %+v", port, b)
		}
	}
	if len(hc.PortBindings[network.MustParsePort("9999/tcp")]) != 1 {
		t.Error("the module dropped a binding it did not make")
	}
	if hc.ShmSize != 42 {
		t.Error("a caller's host config modifier did not run after the module's")
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name    string
		opt     Option
		wantErr string
	}{
		{"clusters", WithClusters("x", "y"), ""},
		{"no clusters", WithClusters(), "at least one"},
		{"empty ID", WithClusters("x", ""), "cannot be empty"},
		{"ID with =", WithClusters("a=b"), "cannot be empty or contain"},
		{"ID with @", WithClusters("a@b"), "cannot be empty or contain"},
		{"duplicate ID", WithClusters("x", "x"), "twice"},
		{"API key", WithAPIKey("k", "s"), ""},
		{"API key with colon", WithAPIKey("k:1", "s"), "cannot contain ':'"},
		{"empty secret", WithAPIKey("k", ""), "cannot be empty"},
		{"advertised host", WithAdvertisedHost("host.docker.internal"), ""},
		{"empty advertised host", WithAdvertisedHost(""), "cannot be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := defaultOptions()
			err := tt.opt(&o)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestPortTaken(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("generic container: start container: Error response from daemon: driver failed programming external connectivity on endpoint x: Bind for 0.0.0.0:41001 failed: port is already allocated"), true},
		{errors.New("listen tcp4 0.0.0.0:41001: bind: address already in use"), true},
		{errors.New("pull access denied for linkemu"), false},
	}
	for _, tt := range tests {
		if got := portTaken(tt.err); got != tt.want {
			t.Errorf("portTaken(%v) = %v", tt.err, got)
		}
	}
}

func TestFreePortsAreDistinct(t *testing.T) {
	ports, err := freePorts(5)
	if err != nil {
		t.Fatal(err)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ports)))) != 5 {
		t.Errorf("ports %v are not distinct", ports)
	}
}

func TestContainerLookups(t *testing.T) {
	c := &Container{clusters: []Cluster{{"lkc-east", "localhost:1"}, {"lkc-west", "localhost:2"}}}
	if b, err := c.Bootstrap("lkc-west"); err != nil || b != "localhost:2" {
		t.Errorf("Bootstrap(lkc-west) = %q, %v", b, err)
	}
	if _, err := c.Bootstrap("lkc-nope"); err == nil {
		t.Error("Bootstrap of an unknown cluster")
	}
	got := c.Clusters()
	got[0].ID = "changed"
	if c.clusters[0].ID != "lkc-east" {
		t.Error("Clusters returned the container's own slice")
	}
}
