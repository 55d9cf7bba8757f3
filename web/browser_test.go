package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's Chromium headless against a site on
// 127.0.0.1. Each test starts its own browser with a fresh profile folder
// and fails when it runs longer than browserTestTimeout.
//
// Without a browser they skip, unless CI=true, where they fail.

const (
	browserTestTimeout = 30 * time.Second
	installChromium    = "apt-get update && apt-get install -y chromium"
)

// chromiumPath returns the path of the browser, or "" when none is
// installed.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless Chromium tab. It records every console error,
// uncaught exception and Content-Security-Policy violation of the pages it
// opens, and the test fails if any were recorded when it ends.
type browser struct {
	t    *testing.T
	site *site
	ctx  context.Context

	mu       sync.Mutex
	problems []string
}

// cspListener runs in every document before the page's own scripts and
// turns each securitypolicyviolation event into a console error, which the
// browser type records. CDP-injected scripts are exempt from the page's
// CSP, so this listener itself causes no violation.
const cspListener = `document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline code"));
});`

func newBrowser(t *testing.T, s *site) *browser {
	t.Helper()
	return newBrowserFor(t, s, browserTestTimeout)
}

// newBrowserFor starts a browser like newBrowser whose actions fail after
// timeout, for a test that visits many pages.
func newBrowserFor(t *testing.T, s *site, timeout time.Duration) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Chromium found; CI must install it with: %s", installChromium)
		}
		t.Skipf("no Chromium found, so the browser tests are skipped; install it with: %s", installChromium)
	}

	options := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
	)
	allocatorCtx, cancelAllocator := chromedp.NewExecAllocator(context.Background(), options...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocatorCtx)

	// The first action starts the browser and binds its life to the
	// context it gets, so it gets one without the test's timeout.
	if err := chromedp.Do(browserCtx); err != nil {
		cancelBrowser()
		cancelAllocator()
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(browserCtx, timeout)

	b := &browser{t: t, site: s, ctx: ctx}
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if isProblem(m) {
				b.mu.Lock()
				b.problems = append(b.problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				b.mu.Unlock()
			}
		}
	}()

	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
	if err != nil {
		t.Fatalf("add the CSP listener: %v", err)
	}

	t.Cleanup(func() {
		if !t.Failed() {
			b.wantNoProblems()
		}
		cancelTimeout()
		<-done
		cancelBrowser()
		cancelAllocator()
	})
	return b
}

// isProblem reports whether a console message means the page is broken.
// The playground API returns 401 and 403 on purpose, and Chromium logs
// each such response as an error, so network messages about it are not
// problems: the tests check those statuses themselves.
func isProblem(m chromedp.ConsoleMessage) bool {
	if m.Type != chromedp.ConsoleError && !m.IsException() {
		return false
	}
	return !(m.Source == "network" && strings.Contains(m.URL, "/playground/api/"))
}

// do runs actions in order and fails the test at the first error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// visit opens path on the site and waits for the load event.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.site.server.URL+path))
}

// evaluate returns the value of a JavaScript expression, decoded into T.
func evaluate[T any](b *browser, expression string) T {
	b.t.Helper()
	value, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expression, err)
	}
	return value
}

// waitUntil evaluates a JavaScript expression every 50 ms until it is
// true, for at most ten seconds. Errors while a new page replaces the old
// one, such as a destroyed execution context, count as false.
func (b *browser) waitUntil(expression string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`Boolean(`+expression+`)`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || b.ctx.Err() != nil {
			b.t.Fatalf("wait until %s: still false after 10 s (last error: %v)", expression, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// press sends keys, as kb names them, to the focused element.
func (b *browser) press(keys string, options ...chromedp.KeyOption) {
	b.t.Helper()
	b.do(fmt.Sprintf("press %q", keys), chromedp.KeyEvent(keys, options...))
}

// click clicks the first element that matches the CSS selector.
func (b *browser) click(selector string) {
	b.t.Helper()
	b.do("click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// waitForPath waits until the page at path has loaded.
func (b *browser) waitForPath(path string) {
	b.t.Helper()
	b.waitUntil(fmt.Sprintf(`location.pathname === %s && document.readyState === "complete"`, jsString(path)))
}

// wantNoProblems fails the test for each console error, exception or CSP
// violation recorded so far. A round trip to the page first lets messages
// already sent reach the recorder.
func (b *browser) wantNoProblems() {
	b.t.Helper()
	b.settle()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser console: %s", p)
	}
	b.problems = nil
}

// takeProblems returns the problems recorded so far and clears the list.
func (b *browser) takeProblems() []string {
	b.settle()
	b.mu.Lock()
	defer b.mu.Unlock()
	problems := b.problems
	b.problems = nil
	return problems
}

// settle waits for the page and lets pending console events arrive. The
// recorder reads events on its own goroutine, hence the short sleep.
func (b *browser) settle() {
	chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](`document.readyState`))
	time.Sleep(100 * time.Millisecond)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	quoted, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(quoted)
}

// activeElement describes the focused element for failure messages.
const activeElement = `(function (e) {
  return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? "[name=" + e.name + "]" : "") +
    (e.value ? "[value=" + e.value + "]" : "") + " " + (e.textContent || "").trim().slice(0, 40);
})(document.activeElement)`

// tabUntil presses Tab until the expression, evaluated with the focused
// element as e, is true, at most limit times, and fails the test if it
// never is.
func (b *browser) tabUntil(condition string, limit int) {
	b.t.Helper()
	check := fmt.Sprintf(`(function (e) { return Boolean(%s); })(document.activeElement)`, condition)
	for range limit {
		b.press("\t")
		if evaluate[bool](b, check) {
			return
		}
	}
	b.t.Fatalf("%d presses of Tab never focused an element where %s; focus is on %s",
		limit, condition, evaluate[string](b, activeElement))
}

func TestBrowserCSPViolationIsCaught(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	// The checks of every other browser test rely on this recorder, so
	// this test proves that it records a violation: an inline <style> that
	// the site's CSP blocks.
	b.visit("/")
	b.do("add an inline style", chromedp.Evaluate[chromedp.Void](
		`const style = document.createElement("style"); style.textContent = "body { color: red; }"; document.head.append(style);`))
	b.waitUntil(`true`)

	problems := b.takeProblems()
	found := false
	for _, p := range problems {
		if strings.Contains(p, "CSP violation: style-src") {
			found = true
		}
	}
	if !found {
		t.Errorf("an inline style caused no recorded CSP violation; recorded: %q", problems)
	}
}

func TestBrowserPagesHaveNoErrors(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	paths := []string{"/", "/quiz/jwt-vs-sessions", "/playground", "/search?q=token", "/search"}
	for _, lesson := range s.course.Lessons() {
		paths = append(paths, "/lessons/"+lesson.Slug)
	}
	for _, path := range paths {
		b.visit(path)
		b.waitUntil(`document.readyState === "complete"`)
		for _, p := range b.takeProblems() {
			t.Errorf("%s: browser console: %s", path, p)
		}
	}
}
