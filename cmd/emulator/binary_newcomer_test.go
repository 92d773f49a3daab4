package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// output collects a process's stdout and stderr lines.
type output struct {
	mu             sync.Mutex
	stdout, stderr []string
	ready          chan string // the REST URL, once
	// read is done once both pipes reached EOF: cmd.Wait closes them, so
	// it must come after, or the last lines can be lost.
	read sync.WaitGroup
}

func (o *output) lines() (stdout, stderr []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.stdout...), append([]string(nil), o.stderr...)
}

var jsonReadyRE = regexp.MustCompile(`"msg":"linkemu ready","rest":"([^"]+)"`)

// runBinary starts the built emulator, collecting its output, and waits
// for its ready line (text or JSON).
func runBinary(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, *output, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := &output{ready: make(chan string, 1)}
	out.read.Add(2)
	scan := func(r *bufio.Scanner, dst *[]string) {
		defer out.read.Done()
		for r.Scan() {
			line := r.Text()
			out.mu.Lock()
			*dst = append(*dst, line)
			out.mu.Unlock()
			for _, re := range []*regexp.Regexp{readyRE, jsonReadyRE} {
				if m := re.FindStringSubmatch(line); m != nil {
					out.ready <- m[1]
				}
			}
		}
	}
	go scan(bufio.NewScanner(stdout), &out.stdout)
	go scan(bufio.NewScanner(stderr), &out.stderr)
	t.Cleanup(func() { _ = cmd.Process.Kill(); out.read.Wait() })
	select {
	case url := <-out.ready:
		return cmd, out, url
	case <-time.After(30 * time.Second):
		so, se := out.lines()
		t.Fatalf("no ready line within 30s\nstdout:\n%s\nstderr:\n%s", strings.Join(so, "\n"), strings.Join(se, "\n"))
	}
	return nil, nil, ""
}

// stopWith sends sig and returns the exit error within 20 seconds, once
// out holds every line the process wrote.
func stopWith(t *testing.T, cmd *exec.Cmd, out *output, sig syscall.Signal) error {
	t.Helper()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		out.read.Wait() // the process closed its pipes: it has exited or is about to
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("no exit within 20s of %s", sig)
	}
	return nil
}

// TestBinaryNewcomer runs the built binary as a newcomer would: asks its
// version, stops it with Ctrl-C (SIGINT) and SIGTERM, and reads its JSON
// logs.
func TestBinaryNewcomer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	lab := func() []string {
		return []string{"--http-addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--embedded", "lkc-a=127.0.0.1:0"}
	}

	t.Run("version", func(t *testing.T) {
		for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}, {"--log-level", "debug", "--version"}} {
			out, err := exec.Command(bin, args...).CombinedOutput()
			if err != nil || !regexp.MustCompile(`^linkemu \S+ \(commit \S+, built \S+, go1\.\S+, kfake v\S+ \(linkemu fork\), franz-go v\S+\)\n$`).Match(out) {
				t.Errorf("%v: %v %q", args, err, out)
			}
		}
		out, err := exec.Command(bin, "version", "--json").Output()
		var info map[string]string
		if err != nil || json.Unmarshal(out, &info) != nil || info["go_version"] == "" || !strings.HasSuffix(info["kfake"], "(linkemu fork)") {
			t.Errorf("version --json: %v %s", err, out)
		}
	})

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run("clean stop on "+sig.String(), func(t *testing.T) {
			cmd, out, url := runBinary(t, bin, nil, lab()...)
			if !strings.HasPrefix(url, "http://127.0.0.1:") {
				t.Errorf("ready URL %q", url)
			}
			if err := stopWith(t, cmd, out, sig); err != nil {
				t.Errorf("exit: %v, want 0", err)
			}
			_, stderr := out.lines()
			last := stderr[len(stderr)-1]
			if !strings.Contains(last, `msg="linkemu stopped"`) || !strings.Contains(last, "linkemu.db") || !strings.Contains(last, "embedded_clusters_flushed=1") {
				t.Errorf("last log line %q, want linkemu stopped with what it flushed", last)
			}
		})
	}

	t.Run("every line JSON", func(t *testing.T) {
		cmd, out, _ := runBinary(t, bin, []string{"EMULATOR_HTTPADDR=:1"}, append(lab(), "--log-format", "json")...)
		if err := stopWith(t, cmd, out, syscall.SIGTERM); err != nil {
			t.Errorf("exit: %v", err)
		}
		stdout, stderr := out.lines()
		msgs := map[string]map[string]any{}
		for _, line := range append(stdout, stderr...) {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Errorf("not JSON: %q", line)
				continue
			}
			msg, _ := rec["msg"].(string)
			msgs[msg] = rec
		}
		cfg, _ := msgs["linkemu effective configuration"]["config"].(map[string]any)
		if cfg["http-addr"] != "127.0.0.1:0" || cfg["shutdown-timeout"] != "15s" {
			t.Errorf("config line: %v", msgs["linkemu effective configuration"])
		}
		if ready := msgs["linkemu ready"]; ready["build"] == nil || ready["clusters"] == nil {
			t.Errorf("ready line: %v", ready)
		}
		if d := msgs["shutting down"]["deadline"]; d != "15s" {
			t.Errorf("duration logged as %v (%T), want 15s", d, d)
		}
		if _, ok := msgs["linkemu stopped"]; !ok {
			t.Errorf("no linkemu stopped line in %v", msgs)
		}
		var warned bool
		for msg := range msgs {
			warned = warned || strings.Contains(msg, "EMULATOR_HTTPADDR") && strings.Contains(msg, "Did you mean 'EMULATOR_HTTP_ADDR'?")
		}
		if !warned {
			t.Errorf("no warning about EMULATOR_HTTPADDR in %v", msgs)
		}
	})

	t.Run("port in use names the flag", func(t *testing.T) {
		_, _, url := runBinary(t, bin, nil, lab()...)
		addr := strings.TrimPrefix(url, "http://")
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "--http-addr", addr, "--data-dir", t.TempDir(), "--embedded", "none")
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "--http-addr (EMULATOR_HTTP_ADDR)") {
			t.Errorf("%v: %s", err, stderr.String())
		}
	})
}
