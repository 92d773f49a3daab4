package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLostOrCorruptedStoreIsRefused starts the binary, creates a mirror,
// stops it, and then damages linkemu.db three ways: deleted, emptied, and
// garbage in its data pages. Each time the binary must refuse to start
// with a clear message naming the file and a non-zero exit code, never a
// panic.
func TestLostOrCorruptedStoreIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	args := []string{"--http-addr", "127.0.0.1:0", "--data-dir", dir, "--embedded", "lkc-east=127.0.0.1:0", "--embedded", "lkc-west=127.0.0.1:0"}
	cmd, url := startBinary(t, bin, args...)
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-east/topics", map[string]any{"topic_name": "orders", "partitions_count": 1}); st != 201 {
		t.Fatalf("create topic: %d %s", st, b)
	}
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-west/links?link_name=l", map[string]any{"source_cluster_id": "lkc-east"}); st != 204 {
		t.Fatalf("create link: %d %s", st, b)
	}
	if st, b := call(t, http.MethodPost, url+"/kafka/v3/clusters/lkc-west/links/l/mirrors", map[string]any{"source_topic_name": "orders"}); st != 204 {
		t.Fatalf("create mirror: %d %s", st, b)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	db := filepath.Join(dir, "linkemu.db")
	good, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	garbage := append([]byte(nil), good...)
	for i := 2 * 4096; i < len(garbage); i++ {
		garbage[i] = byte(i * 7)
	}
	tests := []struct {
		name   string
		damage func()
		want   string
	}{
		{"deleted", func() { os.Remove(db) }, "linkemu.db is missing, but the embedded cluster data"},
		{"emptied", func() { os.WriteFile(db, nil, 0o600) }, "linkemu.db is empty, but the embedded cluster data"},
		{"garbage in data pages", func() { os.WriteFile(db, garbage, 0o600) }, "store file is corrupted: " + db},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.damage()
			out, err := exec.Command(bin, args...).CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 1 {
				t.Errorf("exit: %v, want exit code 1\n%s", err, out)
			}
			if !strings.Contains(string(out), tt.want) || strings.Contains(string(out), "panic") || strings.Contains(string(out), "goroutine ") {
				t.Errorf("output does not say %q (or panics):\n%s", tt.want, out)
			}
		})
	}
	// The good file starts again.
	if err := os.WriteFile(db, good, 0o600); err != nil {
		t.Fatal(err)
	}
	startBinary(t, bin, args...)
}
