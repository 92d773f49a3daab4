package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/linkemu/linkemu/emulator"
	"github.com/linkemu/linkemu/internal/apitest"
	"github.com/twmb/franz-go/pkg/kgo"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium with a fresh profile for the test; it
// skips the test only when Chromium is absent outside CI.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath
	if _, err := os.Stat(path); err != nil {
		if p, lerr := exec.LookPath("chromium"); lerr == nil {
			path = p
		} else if os.Getenv("CI") == "" {
			t.Skipf("chromium is not installed (%v); .ci/run installs it", err)
		} else {
			t.Fatalf("chromium is not installed, and CI must run the browser tests: %v", err)
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1440, 1000),
	)
	// A start that does not finish within a minute is killed and tried
	// once more, so that a browser that hangs while starting on a loaded
	// machine fails the test with a message instead of hanging it.
	for attempt := 1; ; attempt++ {
		ctx, stop := startBrowser(t, opts)
		if ctx != nil {
			t.Cleanup(stop)
			return ctx
		}
		stop()
		if attempt == 2 {
			t.Fatal("chromium did not start within 60 s, twice")
		}
		t.Log("chromium did not start within 60 s; trying again")
	}
}

// profileDir returns a new browser profile directory, removed when the
// test ends (after the browser is stopped: cleanups run last first).
// Chromium's helper processes may still write to it for a moment after the
// browser exits, which makes t.TempDir's one removal fail, so removal is
// retried.
func profileDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "linkemu-console-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for range 50 {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("browser profile %s not removed: %v", dir, err)
	})
	return dir
}

// startBrowser starts Chromium and returns a tab context and the function
// that closes it, or a nil context if the browser did not start in time.
func startBrowser(t *testing.T, opts []chromedp.ExecAllocatorOption) (context.Context, func()) {
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, chromedp.UserDataDir(profileDir(t)))...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf), chromedp.WithErrorf(func(format string, args ...any) {
		// chromedp does not know every event of newer Chromium; those are noise.
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unhandled node event") && !strings.Contains(msg, "unhandled page event") {
			t.Logf("chromedp: %s", msg)
		}
	}))
	stop := func() { cancelCtx(); cancelAlloc() }
	// A script error in the console fails the test.
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			t.Errorf("console script error: %s", ev.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				for _, a := range ev.Args {
					t.Errorf("console.error: %s", a.Value)
				}
			}
		}
	})
	// The first Run starts the browser, which lives as long as the context
	// given to it: bound the start with a timer rather than that context.
	started := make(chan error, 1)
	go func() { started <- chromedp.Run(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			t.Fatalf("start chromium: %v", err)
		}
		return ctx, stop
	case <-time.After(60 * time.Second):
		return nil, stop
	}
}

// page drives the console in one browser tab.
type page struct {
	t   *testing.T
	ctx context.Context
}

// run runs chromedp actions with a deadline.
func (p *page) run(what string, actions ...chromedp.Action) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// waitJS waits until the JavaScript expression is true.
func (p *page) waitJS(what, expr string) {
	p.t.Helper()
	var ok bool
	p.run("waiting for "+what, chromedp.Poll(expr, &ok, chromedp.WithPollingTimeout(45*time.Second), chromedp.WithPollingInterval(100*time.Millisecond)))
}

// wait waits until an element matching sel exists.
func (p *page) wait(what, sel string) {
	p.t.Helper()
	p.waitJS(what, fmt.Sprintf("document.querySelector(%s) !== null", strconv.Quote(sel)))
}

// click clicks the element matching sel in one step of JavaScript, since
// the live view replaces elements every second.
func (p *page) click(what, sel string) {
	p.t.Helper()
	p.wait(what, sel)
	var ok bool
	p.run("clicking "+what, chromedp.Evaluate(fmt.Sprintf("(() => { const el = document.querySelector(%s); if (!el) return false; el.click(); return true })()", strconv.Quote(sel)), &ok))
	if !ok {
		p.t.Fatalf("clicking %s: %s is gone", what, sel)
	}
}

// set sets a form field's value.
func (p *page) set(sel, value string) {
	p.t.Helper()
	p.wait(sel, sel)
	p.run("setting "+sel, chromedp.Evaluate(fmt.Sprintf("document.querySelector(%s).value = %s", strconv.Quote(sel), strconv.Quote(value)), nil))
}

// confirm accepts the confirmation dialog with the keyboard-reachable OK.
func (p *page) confirm(what string) {
	p.t.Helper()
	p.wait(what+" confirmation", "dialog#confirm[open]")
	p.click(what+" confirmation", "#confirm-ok")
	p.waitJS(what+" confirmation closed", "!document.querySelector('dialog#confirm').open")
}

// TestConsoleDemo drives the DR lab console in real Chromium through a
// whole demo: create a link and a mirror, pause it and start demo traffic
// to see the lag rise, resume to see it fall to 0, prove the mirror exact,
// fail over, and stop the source cluster.
func TestConsoleDemo(t *testing.T) {
	ctx := browser(t)
	env := apitest.Start(t, emulator.Options{})
	p := &page{t: t, ctx: ctx}
	resp := env.Do(http.MethodPost, apitest.ClusterPath("lkc-east", "/topics"), map[string]any{"topic_name": "orders", "partitions_count": 3})
	if resp.Status != 201 {
		t.Fatalf("create topic: %d %s", resp.Status, resp.Body)
	}

	p.run("load the console", chromedp.Navigate(env.RESTURL+"/"))
	p.wait("cluster lkc-east", `#clusters li[data-cluster="lkc-east"]`)
	p.wait("cluster lkc-west", `#clusters li[data-cluster="lkc-west"]`)
	p.wait("topology picture", `#topology svg`)

	// Create the link with the console's form.
	p.run("open the link form", chromedp.Evaluate(`document.querySelector('details.form-box').open = true`, nil))
	p.set(`#create-link select[name=source]`, "lkc-east")
	p.set(`#create-link select[name=destination]`, "lkc-west")
	p.set(`#create-link input[name=link_name]`, "east-to-west")
	p.click("Create link", `#create-link button[type=submit]`)
	p.confirm("create link")
	link := `article.link[data-link="lkc-west/east-to-west"]`
	p.wait("link ACTIVE", link+` .link-head [data-state="ACTIVE"]`)

	// An error is shown as the API words it.
	bad := env.Do(http.MethodPost, apitest.ClusterPath("lkc-west", "/links/east-to-west/mirrors"), map[string]any{"source_topic_name": "no-such-topic"})
	var apiErr struct {
		Message string `json:"message"`
	}
	bad.JSON(t, &apiErr)
	if bad.Status < 400 || apiErr.Message == "" {
		t.Fatalf("mirror of a missing topic: %d %s", bad.Status, bad.Body)
	}
	p.wait("link in the mirror form", `#create-mirror select[name=link] option[value="lkc-west/east-to-west"]`)
	p.set(`#create-mirror select[name=link]`, "lkc-west/east-to-west")
	p.set(`#create-mirror input[name=source_topic_name]`, "no-such-topic")
	p.click("Create mirror topic", `#create-mirror button[type=submit]`)
	p.confirm("create a mirror of a missing topic")
	p.waitJS("the API's error message", fmt.Sprintf("!document.querySelector('#alert').hidden && document.querySelector('#alert').textContent.includes(%s)", strconv.Quote(apiErr.Message)))
	p.click("Dismiss", `#alert button`)

	// Create the mirror with the mirror form.
	p.wait("link in the mirror form", `#create-mirror select[name=link] option[value="lkc-west/east-to-west"]`)
	p.set(`#create-mirror select[name=link]`, "lkc-west/east-to-west")
	p.set(`#create-mirror input[name=source_topic_name]`, "orders")
	p.click("Create mirror topic", `#create-mirror button[type=submit]`)
	p.confirm("create mirror")
	row := link + ` tr[data-mirror="orders"]`
	p.wait("mirror ACTIVE", row+` [data-state="ACTIVE"]`)

	// Pause, then start demo traffic: lag rises.
	p.click("Pause", row+` button[data-action="pause"]`)
	p.confirm("pause")
	p.wait("mirror PAUSED", row+` [data-state="PAUSED"]`)
	p.set(`#demo-form select[name=cluster_id]`, "lkc-east")
	p.set(`#demo-form input[name=topic]`, "orders")
	p.set(`#demo-form input[name=records_per_second]`, "200")
	p.set(`#demo-form input[name=max_records]`, "600")
	p.click("Start demo traffic", `#demo-start`)
	p.confirm("start demo traffic")
	p.wait("demo run RUNNING or FINISHED", `#demo-runs tr[data-run] [data-state]`)
	p.waitJS("lag above 0", fmt.Sprintf("Number(document.querySelector(%s)?.dataset.totalLag) > 0", strconv.Quote(row+" [data-total-lag]")))

	// Resume: lag falls to 0 once the run has produced its records.
	p.click("Resume", row+` button[data-action="resume"]`)
	p.confirm("resume")
	p.wait("demo run FINISHED", `#demo-runs tr[data-run] [data-state="FINISHED"]`)
	p.waitJS("lag back to 0", fmt.Sprintf("document.querySelector(%s)?.dataset.totalLag === '0'", strconv.Quote(row+" [data-total-lag]")))
	p.wait("mirror ACTIVE again", row+` [data-state="ACTIVE"]`)

	// The proof, pressed with the keyboard: every partition EQUAL.
	verifyBtn := row + ` button[data-action="verify"]`
	p.wait("Verify button", verifyBtn)
	p.run("press Verify with the keyboard", chromedp.Focus(verifyBtn, chromedp.ByQuery), chromedp.KeyEvent("\r"))
	p.wait("the proof", `#proof [data-equal]`)
	var equal string
	var partitions, equalParts int
	p.run("read the proof",
		chromedp.AttributeValue(`#proof [data-equal]`, "data-equal", &equal, nil, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#proof tr[data-partition]').length`, &partitions),
		chromedp.Evaluate(`document.querySelectorAll('#proof tr[data-partition] [data-state="EQUAL"]').length`, &equalParts))
	if equal != "true" || partitions != 3 || equalParts != 3 {
		t.Fatalf("proof: equal %s, %d partitions, %d EQUAL", equal, partitions, equalParts)
	}
	if path := os.Getenv("LINKEMU_CONSOLE_SCREENSHOT"); path != "" {
		var png []byte
		p.run("screenshot", chromedp.FullScreenshot(&png, 100))
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Failover: the mirror is STOPPED and takes writes.
	p.click("Failover", row+` button[data-action="failover"]`)
	p.confirm("failover")
	p.wait("mirror STOPPED", row+` [data-state="STOPPED"]`)
	west := client(t, env.Bootstrap("lkc-west"))
	wctx, cancel := context.WithTimeout(context.Background(), apitest.Timeout)
	defer cancel()
	if err := west.ProduceSync(wctx, &kgo.Record{Topic: "orders", Value: []byte("after failover")}).FirstErr(); err != nil {
		t.Fatalf("the failed-over mirror is not writable: %v", err)
	}

	// Outage drill: stop the source cluster, the link goes UNAVAILABLE.
	p.click("Stop lkc-east", `#clusters li[data-cluster="lkc-east"] button`)
	p.confirm("stop cluster")
	p.wait("cluster DOWN", `#clusters li[data-cluster="lkc-east"] [data-state="DOWN"]`)
	p.wait("link UNAVAILABLE", link+` .link-head [data-state="UNAVAILABLE"]`)
	p.click("Start lkc-east", `#clusters li[data-cluster="lkc-east"] button`)
	p.confirm("start cluster")
	p.wait("cluster UP", `#clusters li[data-cluster="lkc-east"] [data-state="UP"]`)
}

// TestConsoleAssets checks the console's assets: their content types, that
// they are served without credentials while the API they call keeps its
// auth, and that they reference nothing outside the emulator.
func TestConsoleAssets(t *testing.T) {
	env := apitest.Start(t, emulator.Options{APIKeys: map[string]string{"key": "secret"}})
	for _, tt := range []struct{ path, contentType string }{
		{"/", "text/html; charset=utf-8"},
		{"/console/console.js", "text/javascript; charset=utf-8"},
		{"/console/console.css", "text/css; charset=utf-8"},
	} {
		r := env.Do(http.MethodGet, tt.path, nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != tt.contentType || !strings.HasPrefix(r.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("GET %s: %d %q, CSP %q", tt.path, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Security-Policy"))
		}
		body := strings.ReplaceAll(string(r.Body), "http://www.w3.org/", "")
		for _, ext := range []string{"http://", "https://", "//fonts.", "@import"} {
			if strings.Contains(body, ext) {
				t.Errorf("GET %s references %q: the console must work offline", tt.path, ext)
			}
		}
	}
	if r := env.Do(http.MethodGet, "/console/nope.js", nil); r.Status != 404 || !strings.Contains(string(r.Body), `"error_code":404`) {
		t.Errorf("GET a missing asset: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodGet, "/emulator/v1/clusters", nil); r.Status != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("the admin API without credentials: %d %s", r.Status, r.Body)
	}
	if r := env.Do(http.MethodPost, "/emulator/v1/demo/traffic", map[string]any{"cluster_id": "lkc-east", "topic": "x"}); r.Status != 401 {
		t.Errorf("demo traffic without credentials: %d %s", r.Status, r.Body)
	}
}
