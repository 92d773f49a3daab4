package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/broker"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// kcat is librdkafka's command-line client, the stand-in for every
// librdkafka client (confluent-kafka-go/python/javascript). .ci/run installs
// it; outside CI a machine without it skips this test.
func kcatPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("kcat is not installed, and CI is set: install it (apt-get install -y kcat), as .ci/run does")
		}
		t.Skip("kcat is not installed (apt-get install -y kcat); CI installs it")
	}
	return p
}

// kcat runs kcat with args and stdin, failing the test on error.
func kcat(t *testing.T, bin string, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("kcat %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// TestKcatSASL logs in to an embedded cluster with SASL users with kcat,
// PLAIN and SCRAM, on the plaintext listener (SASL_PLAINTEXT) and on the
// SASL_SSL listener, and produces and consumes through each.
func TestKcatSASL(t *testing.T) {
	bin := kcatPath(t)
	users := []broker.SASLUser{{Mechanism: "PLAIN", Username: "admin", Password: "admin-secret"}, {Mechanism: "SCRAM-SHA-256", Username: "scram", Password: "scram-secret"}, {Mechanism: "SCRAM-SHA-512", Username: "scram5", Password: "scram5-secret"}}
	env := apitest.Start(t, emulator.Options{Embedded: []emulator.EmbeddedSpec{{ID: "lkc-sasl", Listen: "127.0.0.1:0", Users: users}}})
	info, _ := env.Cluster("lkc-sasl")
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	r := env.Do(http.MethodGet, "/emulator/v1/ca.pem", nil)
	if err := os.WriteFile(caFile, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		protocol, bootstrap, mechanism, user, pass string
	}{
		{"SASL_PLAINTEXT", info.Bootstrap, "PLAIN", "admin", "admin-secret"},
		{"SASL_PLAINTEXT", info.Bootstrap, "SCRAM-SHA-256", "scram", "scram-secret"},
		{"SASL_SSL", info.SASLSSLBootstrap, "PLAIN", "admin", "admin-secret"},
		{"SASL_SSL", info.SASLSSLBootstrap, "SCRAM-SHA-256", "scram", "scram-secret"},
		{"SASL_SSL", info.SASLSSLBootstrap, "SCRAM-SHA-512", "scram5", "scram5-secret"},
	} {
		name := tc.protocol + " " + tc.mechanism
		t.Run(name, func(t *testing.T) {
			topic := strings.ToLower(strings.NewReplacer("_", "-", " ", "-").Replace(name))
			if r := env.Do(http.MethodPost, apitest.ClusterPath("lkc-sasl", "/topics"), map[string]any{"topic_name": topic, "partitions_count": 1}); r.Status != 201 {
				t.Fatalf("create topic: %d %s", r.Status, r.Body)
			}
			conf := []string{"-b", tc.bootstrap, "-X", "security.protocol=" + tc.protocol, "-X", "sasl.mechanism=" + tc.mechanism,
				"-X", "sasl.username=" + tc.user, "-X", "sasl.password=" + tc.pass}
			if tc.protocol == "SASL_SSL" {
				conf = append(conf, "-X", "ssl.ca.location="+caFile)
			}
			meta := kcat(t, bin, "", append([]string{"-L", "-t", topic}, conf...)...)
			if !strings.Contains(meta, `topic "`+topic+`" with 1 partitions`) {
				t.Errorf("kcat -L: %s", meta)
			}
			var in strings.Builder
			for i := range 5 {
				fmt.Fprintf(&in, "record-%d\n", i)
			}
			kcat(t, bin, in.String(), append([]string{"-P", "-t", topic}, conf...)...)
			got := kcat(t, bin, "", append([]string{"-C", "-t", topic, "-o", "beginning", "-e", "-c", "5", "-q"}, conf...)...)
			if got != in.String() {
				t.Errorf("consumed %q, want %q", got, in.String())
			}
		})
	}
	// A wrong password is refused.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-L", "-b", info.Bootstrap, "-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanism=PLAIN",
		"-X", "sasl.username=admin", "-X", "sasl.password=wrong", "-m", "5").CombinedOutput()
	if err == nil {
		t.Errorf("kcat logged in with a wrong password: %s", out)
	}
}
