// Package linkemu is a testcontainers-go module for linkemu, the local
// emulator of Confluent Cluster Linking: it runs the linkemu image with
// embedded Kafka clusters and tells the test where its REST API and each
// cluster's bootstrap address are.
//
//	ctr, err := linkemu.Run(ctx, "linkemu:dev")
//	defer testcontainers.TerminateContainer(ctr)
//	restURL, err := ctr.RESTURL(ctx)            // http://localhost:32768
//	east, err := ctr.Bootstrap("lkc-east")      // localhost:41234
//
// The model: a Kafka broker tells its clients which address to connect to
// (its advertised address), so a broker in a container must advertise an
// address that works from the test. Docker maps container ports to random
// host ports only once the container starts, when the broker's command
// line is already fixed. Modules for images with a shell (kafka, redpanda)
// start a script that waits for a config file copied in after start. The
// linkemu image is distroless and has no shell, so this module does the
// other thing: before the start it picks a free host port per cluster and
// has Docker publish the container port of the same number on it. Each
// cluster binds 0.0.0.0:PORT and advertises HOST:PORT, which is right from
// the host, and right inside the container too, where the emulator itself
// connects to its clusters at their advertised addresses (with
// HOST=localhost that is its own listener). A link's bootstrap.servers may
// therefore be given as the address the test sees.
//
// The REST port (8090) is published on a random host port; Run waits until
// GET /readyz answers 200, that is until every cluster answers.
//
// Caveats: the ports are checked free on the machine running the tests. A
// port taken between the check and the start makes Docker refuse it; Run
// then tries again with new ports, up to three times. With a remote Docker
// engine the check proves little and the advertised host must be that
// engine's (the default, from testcontainers). Containers on a Docker
// network reach the clusters only if HOST resolves there too: see
// WithAdvertisedHost.
//
// The linkemu image is built from the repository's Dockerfile (make
// docker builds linkemu:dev); its ENTRYPOINT must stay /emulator.
package linkemu

import (
	"context"
	"fmt"

	"github.com/testcontainers/testcontainers-go"
)

// Container is a running linkemu container.
type Container struct {
	testcontainers.Container
	clusters []Cluster
}

// Cluster is one embedded Kafka cluster of the container.
type Cluster struct {
	ID string
	// Bootstrap is the cluster's host:port, reachable from the host
	// running the tests and advertised to clients.
	Bootstrap string
}

// attempts is how many times Run tries new host ports after Docker found
// one taken.
const attempts = 3

// Run starts a linkemu container from img with the given Options and other
// testcontainers customizers, which apply after the module's own. It
// returns once /readyz answers 200. On error the container, if one was
// created, is returned too, for the caller to terminate.
func Run(ctx context.Context, img string, opts ...testcontainers.ContainerCustomizer) (*Container, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if apply, ok := opt.(Option); ok {
			if err := apply(&o); err != nil {
				return nil, fmt.Errorf("linkemu: %w", err)
			}
		}
	}
	host := o.advertisedHost
	if host == "" {
		var err error
		if host, err = dockerHost(ctx); err != nil {
			return nil, fmt.Errorf("linkemu: %w", err)
		}
	}
	for attempt := 1; ; attempt++ {
		ports, err := freePorts(len(o.clusters))
		if err != nil {
			return nil, fmt.Errorf("linkemu: %w", err)
		}
		p, err := newPlan(o, host, ports)
		if err != nil {
			return nil, fmt.Errorf("linkemu: %w", err)
		}
		ctr, err := testcontainers.Run(ctx, img, append(p.customizers(), opts...)...)
		if err != nil && portTaken(err) && attempt < attempts {
			if terr := testcontainers.TerminateContainer(ctr); terr != nil {
				return nil, fmt.Errorf("linkemu: remove the container that could not get ports %v: %w", ports, terr)
			}
			continue
		}
		var c *Container
		if ctr != nil {
			c = &Container{Container: ctr, clusters: p.clusters}
		}
		if err != nil {
			return c, fmt.Errorf("run linkemu: %w", err)
		}
		return c, nil
	}
}

// dockerHost returns the host where Docker publishes container ports, as
// testcontainers sees it.
func dockerHost(ctx context.Context) (string, error) {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "", fmt.Errorf("docker provider: %w", err)
	}
	defer p.Close()
	host, err := p.DaemonHost(ctx)
	if err != nil {
		return "", fmt.Errorf("docker host: %w", err)
	}
	return host, nil
}

// RESTURL returns the base URL of the REST API as the host reaches it, e.g.
// http://localhost:32768; Confluent's v3 API is under /kafka/v3 and /v3,
// Prometheus metrics at /metrics.
func (c *Container) RESTURL(ctx context.Context) (string, error) {
	return c.PortEndpoint(ctx, RESTPort, "http")
}

// Clusters returns the embedded clusters in the order of WithClusters.
func (c *Container) Clusters() []Cluster {
	return append([]Cluster(nil), c.clusters...)
}

// Bootstrap returns the bootstrap address of the embedded cluster id.
func (c *Container) Bootstrap(id string) (string, error) {
	for _, cl := range c.clusters {
		if cl.ID == id {
			return cl.Bootstrap, nil
		}
	}
	return "", fmt.Errorf("linkemu: the container serves no cluster %q", id)
}
