package e2e

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
)

// The tests in this file run the shell blocks of the docs as written, with
// bash, curl, jq and kcat, against emulators on free ports, and compare what
// they print with the output blocks the docs show, so that a doc cannot
// drift from what the emulator does. Values that differ on every run (the
// record digests, which include timestamps, and cluster_link_id) are
// compared by shape only. The tests skip where one of the tools is missing.

// docChunk is one shell block of a doc and the output block that follows it.
type docChunk struct {
	heading string // the ### heading (or ## when there is none) above it
	script  string
	want    string // "" when the doc shows no output
	hasWant bool
}

var fenceRE = regexp.MustCompile("^```(\\w*)\\s*$")

// docChunks parses the fenced blocks of a markdown file.
func docChunks(t *testing.T, path string) []docChunk {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		out             []docChunk
		heading, lang   string
		block           []string
		inBlock, isOpen bool // isOpen: the last chunk may still take an output block
	)
	for _, line := range strings.Split(string(raw), "\n") {
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			if !inBlock {
				inBlock, lang, block = true, m[1], nil
				continue
			}
			inBlock = false
			text := strings.Join(block, "\n")
			switch {
			case lang == "sh":
				out = append(out, docChunk{heading: heading, script: text})
				isOpen = true
			case lang == "text" && isOpen:
				out[len(out)-1].want, out[len(out)-1].hasWant = text, true
				isOpen = false
			}
			continue
		}
		if inBlock {
			block = append(block, line)
			continue
		}
		if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ") {
			heading, isOpen = strings.TrimLeft(line, "# "), false
		}
	}
	return out
}

// shell is one bash process that runs doc chunks in turn, keeping their
// variables and functions, in its own directory.
type shell struct {
	t   *testing.T
	cmd *exec.Cmd
	in  io.WriteCloser
	out chan string
}

const doneMark = "@@linkemu-doc-chunk-done@@"

func newShell(t *testing.T) *shell {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "jq", "kcat"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the doc's commands need it", tool)
		}
	}
	cmd := exec.Command("bash", "--norc", "--noprofile")
	cmd.Dir = t.TempDir()
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sh := &shell{t: t, cmd: cmd, in: in, out: make(chan string, 1024)}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			sh.out <- sc.Text()
		}
		close(sh.out)
	}()
	t.Cleanup(func() { in.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sh.run("exec 2>&1", time.Second)
	return sh
}

// run runs a script and returns what it printed; it fails the test if the
// script takes longer than within (a wait that never ends).
func (sh *shell) run(script string, within time.Duration) string {
	sh.t.Helper()
	if _, err := fmt.Fprintf(sh.in, "%s\necho %s\n", script, doneMark); err != nil {
		sh.t.Fatal(err)
	}
	var lines []string
	timeout := time.After(within)
	for {
		select {
		case line, ok := <-sh.out:
			if !ok {
				sh.t.Fatalf("bash exited; it printed:\n%s", strings.Join(lines, "\n"))
			}
			if line == doneMark {
				return strings.Join(lines, "\n")
			}
			lines = append(lines, line)
		case <-timeout:
			sh.t.Fatalf("no end within %s; printed so far:\n%s", within, strings.Join(lines, "\n"))
		}
	}
}

// docAddrs maps the doc's addresses to an emulator's.
func docAddrs(env *apitest.Env) *strings.Replacer {
	return strings.NewReplacer("http://localhost:8090", env.RESTURL, "127.0.0.1:19092", env.Bootstrap("lkc-east"), "127.0.0.1:29092", env.Bootstrap("lkc-west"))
}

// backToDoc maps an emulator's addresses back to the doc's.
func backToDoc(env *apitest.Env) *strings.Replacer {
	return strings.NewReplacer(env.RESTURL, "http://localhost:8090", env.Bootstrap("lkc-east"), "127.0.0.1:19092", env.Bootstrap("lkc-west"), "127.0.0.1:29092")
}

var (
	digestRE = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	linkIDRE = regexp.MustCompile(`("cluster_link_id":\s*")[A-Za-z0-9_-]{22}"`)
)

// normalize replaces what differs on every run by a placeholder.
func normalize(s string) string {
	s = digestRE.ReplaceAllString(s, "<digest>")
	s = linkIDRE.ReplaceAllString(s, `${1}<id>"`)
	return strings.TrimRight(s, "\n")
}

// checkChunk runs a chunk and compares its output with the doc's.
func checkChunk(t *testing.T, sh *shell, env *apitest.Env, c docChunk) {
	t.Helper()
	got := backToDoc(env).Replace(sh.run(docAddrs(env).Replace(c.script), 3*apitest.Timeout))
	if !c.hasWant {
		return
	}
	if g, w := normalize(got), normalize(c.want); g != w {
		t.Errorf("%s: the commands\n%s\nprinted\n%s\nbut the doc shows\n%s", c.heading, c.script, g, w)
	}
}

// TestRunbookAsWritten runs docs/dr-runbook.md: section A on one emulator,
// B and C on a fresh one, as the runbook says.
func TestRunbookAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole runbook")
	}
	chunks := docChunks(t, "../docs/dr-runbook.md")
	var prelude string
	for _, c := range chunks {
		if c.heading == "Before you start" && strings.Contains(c.script, "endoffsets()") {
			prelude = c.script
		}
	}
	if prelude == "" {
		t.Fatal("the runbook's variables and helpers are gone from 'Before you start'")
	}
	sections := []struct {
		prefixes []string
	}{{[]string{"A"}}, {[]string{"B", "C"}}}
	for _, sec := range sections {
		env := apitest.Start(t, emulator.Options{Embedded: emulator.DefaultEmbedded(0, 0)})
		sh := newShell(t)
		sh.run(docAddrs(env).Replace(prelude), 10*time.Second)
		ran := 0
		for _, c := range chunks {
			for _, p := range sec.prefixes {
				if regexp.MustCompile(`^` + p + `\d+\. `).MatchString(c.heading) {
					checkChunk(t, sh, env, c)
					ran++
				}
			}
		}
		if ran == 0 {
			t.Errorf("no steps of section %v found in the runbook", sec.prefixes)
		}
	}
}

// TestRunbookStepsMatchTheTests checks that every step of the runbook has a
// step of the same name in the Go tests that run it (runbook_test.go,
// runbook_active_active_test.go), and the other way round.
func TestRunbookStepsMatchTheTests(t *testing.T) {
	raw, err := os.ReadFile("../docs/dr-runbook.md")
	if err != nil {
		t.Fatal(err)
	}
	norm := func(s string) string {
		s = strings.ToLower(strings.NewReplacer("`", "", ".", "", ",", "", "'", "").Replace(s))
		return strings.Join(strings.Fields(s), " ")
	}
	doc := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^### ([A-Z]\d+)\. (.+)$`).FindAllStringSubmatch(string(raw), -1) {
		doc[m[1]] = norm(m[2])
	}
	tests := map[string]string{}
	for _, f := range []string{"runbook_test.go", "runbook_active_active_test.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`step\(t, "([A-Z]\d+) ([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
			tests[m[1]] = norm(m[2])
		}
	}
	for id, title := range doc {
		if got, ok := tests[id]; !ok {
			t.Errorf("runbook step %s (%s) has no test step", id, title)
		} else if got != title {
			t.Errorf("step %s is %q in the runbook but %q in the tests", id, title, got)
		}
	}
	for id := range tests {
		if _, ok := doc[id]; !ok {
			t.Errorf("test step %s is not in the runbook", id)
		}
	}
}

// TestReadmeAsWritten runs the README's walkthrough and checks it prints
// what the README shows, and that the ready line the README shows is the
// shape the emulator prints.
func TestReadmeAsWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands")
	}
	chunks := docChunks(t, "../README.md")
	env := apitest.Start(t, emulator.Options{Embedded: emulator.DefaultEmbedded(0, 0)})
	sh := newShell(t)
	ran := 0
	for _, c := range chunks {
		if c.heading == "Walkthrough with curl" {
			checkChunk(t, sh, env, c)
			ran++
		}
	}
	if ran == 0 {
		t.Fatal("no walkthrough in the README")
	}
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ready := regexp.MustCompile(`(?m)^linkemu ready: REST http://localhost:8090 \| HTTPS https://localhost:8443 \(CA data/ca\.pem\) \| lkc-east=127\.0\.0\.1:19092 \(embedded; SASL_SSL 127\.0\.0\.1:19093\) \| lkc-west=127\.0\.0\.1:29092 \(embedded; SASL_SSL 127\.0\.0\.1:29093\) \| linkemu \S+ \(commit \S+\)$`)
	if !ready.Match(raw) {
		t.Error("the README's ready line is not the one cmd/emulator prints (printReady)")
	}
}
