package linkemu

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// RESTPort is the container port of linkemu's REST API (the image's
// EMULATOR_HTTP_ADDR).
const RESTPort = "8090/tcp"

// startupTimeout bounds the wait for /readyz.
const startupTimeout = 60 * time.Second

// plan is what Run asks Docker for: the command line, the ports and their
// bindings, and the clusters the container will serve.
type plan struct {
	cmd      []string
	exposed  []string
	bindings network.PortMap
	clusters []Cluster
}

// newPlan lays out the container: embedded cluster i binds
// 0.0.0.0:ports[i] in the container, Docker publishes it on the same host
// port, and the cluster advertises host:ports[i]. The address is then the
// same on both sides of Docker: clients on the host reach it through the
// published port, and the emulator inside the container, which connects to
// its own clusters at their advertised address, reaches itself.
func newPlan(o options, host string, ports []int) (plan, error) {
	if len(ports) != len(o.clusters) {
		return plan{}, fmt.Errorf("%d ports for %d clusters", len(ports), len(o.clusters))
	}
	p := plan{exposed: []string{RESTPort}, bindings: network.PortMap{}}
	for i, id := range o.clusters {
		port := strconv.Itoa(ports[i])
		advertised := net.JoinHostPort(host, port)
		p.cmd = append(p.cmd, "--embedded", id+"=0.0.0.0:"+port+"@"+advertised)
		cport, err := network.ParsePort(port + "/tcp")
		if err != nil {
			return plan{}, err
		}
		p.exposed = append(p.exposed, cport.String())
		p.bindings[cport] = []network.PortBinding{{HostPort: port}}
		p.clusters = append(p.clusters, Cluster{ID: id, Bootstrap: advertised})
	}
	// The clusters' SASL_SSL listeners (by default on the plaintext port + 1,
	// which may be the next cluster's port here) are not published by this
	// module: they are off.
	p.cmd = append(p.cmd, "--sasl-ssl", "none")
	keys := make([]string, 0, len(o.apiKeys))
	for k := range o.apiKeys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p.cmd = append(p.cmd, "--api-key", k+":"+o.apiKeys[k])
	}
	return p, nil
}

// customizers turns the plan into testcontainers options.
func (p plan) customizers() []testcontainers.ContainerCustomizer {
	return []testcontainers.ContainerCustomizer{
		testcontainers.WithExposedPorts(p.exposed...),
		testcontainers.WithCmd(p.cmd...),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
			if hc.PortBindings == nil {
				hc.PortBindings = network.PortMap{}
			}
			for port, b := range p.bindings {
				hc.PortBindings[port] = slices.Clone(b)
			}
		}),
		testcontainers.WithWaitStrategy(readyz()),
	}
}

// readyz waits until the emulator answers 200 on /readyz: its store is open
// and every cluster answers at its advertised address.
func readyz() *wait.HTTPStrategy {
	return wait.ForHTTP("/readyz").WithPort(RESTPort).WithStartupTimeout(startupTimeout)
}

// freePorts returns n distinct TCP ports free on every local interface at
// the time of the call.
func freePorts(n int) ([]int, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp", ":0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// portTaken reports whether Docker refused to start the container because
// a host port it should publish was taken in the meantime.
func portTaken(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "port is already allocated") || strings.Contains(msg, "address already in use")
}
