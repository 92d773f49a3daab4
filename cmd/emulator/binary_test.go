package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the emulator once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "emulator")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var readyRE = regexp.MustCompile(`linkemu ready: REST (\S+)`)

// startBinary runs the emulator and waits for its ready line.
func startBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := readyRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case url, ok := <-found:
		if !ok {
			t.Fatal("emulator exited before its ready line")
		}
		return cmd, url
	case <-time.After(30 * time.Second):
		t.Fatal("no ready line within 30s")
	}
	return nil, ""
}

// TestBinaryStartsServesAndStopsOnSIGTERM runs the built binary as a user
// would and stops it with SIGTERM.
func TestBinaryStartsServesAndStopsOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	args := []string{"--http-addr", "127.0.0.1:0", "--data-dir", dir, "--embedded", "lkc-a=127.0.0.1:0", "--embedded", "lkc-b=127.0.0.1:0"}
	cmd, url := startBinary(t, bin, args...)

	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ready":true`) {
		t.Fatalf("/readyz: %d %s", resp.StatusCode, body)
	}
	if fi, err := os.Stat(filepath.Join(dir, "linkemu.db")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("store file: %v %v", fi, err)
	}

	// A second emulator on the same data dir fails fast and says why.
	start := time.Now()
	out, err := exec.Command(bin, "--http-addr", "127.0.0.1:0", "--data-dir", dir, "--embedded", "none").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another linkemu process") {
		t.Errorf("second process on the same data dir: %v\n%s", err, out)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("second process took %s to fail", time.Since(start))
	}

	// The healthcheck subcommand agrees.
	if out, err := exec.Command(bin, "healthcheck", url+"/readyz").CombinedOutput(); err != nil {
		t.Errorf("healthcheck: %v %s", err, out)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}
}
