package linkemu

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	tcexec "github.com/testcontainers/testcontainers-go/exec"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// TestPlanRunsTheEmulator checks the module's design without Docker: it
// builds the emulator from this repository, runs it with exactly the
// command line Run gives the container (ports and advertised host as
// Docker would see them, with 127.0.0.1 for the Docker host), waits with
// the module's own wait strategy, and then uses the clusters at the
// addresses Run reports, the way a test on the host would. The link is
// given the source's host-side address as bootstrap.servers, which works
// in the container only because host and container ports are the same.
func TestPlanRunsTheEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator binary")
	}
	bin := buildEmulator(t)
	ports, err := freePorts(3)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlan(defaultOptions(), "127.0.0.1", ports[:2])
	if err != nil {
		t.Fatal(err)
	}
	proc := startProcess(t, bin, p.cmd, "EMULATOR_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(ports[2]), "EMULATOR_DATA_DIR="+t.TempDir())
	proc.restPort = uint16(ports[2])

	ctx, cancel := context.WithTimeout(context.Background(), 2*startupTimeout)
	defer cancel()
	if err := readyz().WaitUntilReady(ctx, proc); err != nil {
		t.Fatalf("wait for /readyz: %v\n%s", err, proc.output())
	}

	c := &Container{clusters: p.clusters}
	for _, cl := range c.Clusters() {
		kc, err := kgo.NewClient(kgo.SeedBrokers(cl.Bootstrap))
		if err != nil {
			t.Fatal(err)
		}
		meta, err := kadm.NewClient(kc).BrokerMetadata(ctx)
		kc.Close()
		if err != nil || meta.Cluster != cl.ID {
			t.Errorf("cluster at %s: id %q, %v; want %s", cl.Bootstrap, meta.Cluster, err, cl.ID)
		}
	}

	rest := "http://127.0.0.1:" + strconv.Itoa(ports[2])
	east, _ := c.Bootstrap("lkc-east")
	body := `{"source_cluster_id":"lkc-east","configs":[{"name":"bootstrap.servers","value":"` + east + `"}]}`
	resp, err := http.Post(rest+"/kafka/v3/clusters/lkc-west/links?link_name=east-to-west", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("create link with bootstrap.servers=%s: %d %s", east, resp.StatusCode, msg)
	}
	deadline := time.Now().Add(30 * time.Second)
	for state := ""; state != "ACTIVE"; {
		if time.Now().After(deadline) {
			t.Fatalf("link is %q after 30s, want ACTIVE", state)
		}
		time.Sleep(100 * time.Millisecond)
		resp, err := http.Get(rest + "/kafka/v3/clusters/lkc-west/links/east-to-west")
		if err != nil {
			continue
		}
		var l struct {
			LinkState string `json:"link_state"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&l)
		resp.Body.Close()
		state = l.LinkState
	}
}

// buildEmulator builds cmd/emulator of the repository this module sits in.
func buildEmulator(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "emulator")); err != nil {
		t.Skipf("no emulator source at %s: %v", root, err)
	}
	bin := filepath.Join(t.TempDir(), "emulator")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/emulator")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the emulator: %v\n%s", err, out)
	}
	return bin
}

// process is a local emulator process posing as a container for wait
// strategies: it answers what the HTTP strategy asks.
type process struct {
	cmd      *exec.Cmd
	restPort uint16

	mu       sync.Mutex
	out      bytes.Buffer
	exited   bool
	exitCode int
}

func startProcess(t *testing.T, bin string, args []string, env ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...)}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = (*lockedWriter)(p), (*lockedWriter)(p)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = p.cmd.Wait()
		p.mu.Lock()
		p.exited, p.exitCode = true, p.cmd.ProcessState.ExitCode()
		p.mu.Unlock()
		close(done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = p.cmd.Process.Kill()
			<-done
			t.Errorf("the emulator did not stop on SIGINT within 30s\n%s", p.output())
		}
	})
	return p
}

type lockedWriter process

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.out.Write(b)
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

var errNotAContainer = errors.New("a local process is not a container")

func (p *process) Host(context.Context) (string, error) { return "127.0.0.1", nil }

func (p *process) MappedPort(_ context.Context, port string) (network.Port, error) {
	if port != RESTPort {
		return network.Port{}, errors.New("only the REST port is mapped")
	}
	mp, _ := network.PortFrom(p.restPort, network.TCP)
	return mp, nil
}

func (p *process) State(context.Context) (*container.State, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exited {
		return &container.State{Status: container.StateExited, ExitCode: p.exitCode}, nil
	}
	return &container.State{Status: container.StateRunning, Running: true}, nil
}

func (p *process) Logs(context.Context) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(p.output())), nil
}

func (p *process) Inspect(context.Context) (*container.InspectResponse, error) {
	return nil, errNotAContainer
}

func (p *process) Ports(context.Context) (network.PortMap, error) { return nil, errNotAContainer }

func (p *process) Exec(context.Context, []string, ...tcexec.ProcessOption) (int, io.Reader, error) {
	return 0, nil, errNotAContainer
}

func (p *process) CopyFileFromContainer(context.Context, string) (io.ReadCloser, error) {
	return nil, errNotAContainer
}
