package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"learn/playground"
)

// axeFolder contains the package.json and lockfile that pin axe-core,
// relative to this package. npm ci installs it into node_modules there.
const axeFolder = "testdata/axe"

// installAxe is the command that installs axe-core for the accessibility
// test, run from the repository root.
const installAxe = "npm ci --prefix web/testdata/axe"

// readAxe returns the source of axe-core, or skips the test (fails it
// with CI=true) when npm has not installed it.
func readAxe(t *testing.T) string {
	t.Helper()
	source, err := os.ReadFile(filepath.Join(axeFolder, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is not installed (%v); CI must install it with: %s", err, installAxe)
		}
		t.Skipf("axe-core is not installed, so the accessibility test is skipped; install it with: %s", installAxe)
	}
	return string(source)
}

// runAxe runs axe-core on the page and returns its violations of serious
// or critical impact, one line per element. axe reads the page through
// the DevTools protocol, which the page's Content-Security-Policy does not
// govern, so no inline script is needed.
const runAxe = `axe.run(document, { resultTypes: ["violations"] }).then(function (results) {
  const lines = [];
  for (const v of results.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") {
      continue;
    }
    for (const node of v.nodes) {
      lines.push(v.id + " (" + v.impact + ") at " + node.target.join(" ") + ": " + v.help +
        "; " + (node.failureSummary || "").replace(/\s+/g, " "));
    }
  }
  return lines;
})`

// accessibilityPaths returns every page the site serves to a learner and
// to an instructor who is not logged in.
func accessibilityPaths(s *site) []string {
	paths := []string{
		"/", "/search", "/search?q=token", "/search?q=zzzzzz", "/playground",
		"/progress", "/progress/delete", "/privacy", "/instructor/login", "/no-such-page",
	}
	for _, lesson := range s.course.Lessons() {
		paths = append(paths, "/lessons/"+lesson.Slug)
	}
	for _, q := range s.quizzes {
		paths = append(paths, "/quiz/"+q.ID)
	}
	paths = append(paths, "/playground/lab")
	for _, sc := range playground.Scenarios() {
		if sc.Kind == playground.ScenarioLab {
			paths = append(paths, "/playground/lab/"+sc.Name)
		}
	}
	return paths
}

func TestBrowserAxeFindsNoSeriousViolation(t *testing.T) {
	axe := readAxe(t)
	s := newInstructorSite(t)

	for _, theme := range []string{"light", "dark"} {
		t.Run(theme, func(t *testing.T) {
			b := newBrowserFor(t, s.site, 5*time.Minute)

			// check injects axe into the page that is open and reports
			// what it finds there as a failure of path.
			check := func(path string) {
				t.Helper()
				b.waitUntil(`document.readyState === "complete"`)
				if got := evaluate[string](b, `document.documentElement.dataset.theme || ""`); got != theme {
					t.Fatalf("%s: theme = %q, want %q", path, got, theme)
				}
				b.do("inject axe-core", chromedp.Evaluate[chromedp.Void](axe))
				violations, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](runAxe, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("%s: run axe-core: %v", path, err)
				}
				for _, v := range violations {
					t.Errorf("%s in the %s theme: %s", path, theme, v)
				}
			}

			b.visit("/")
			b.do("choose the "+theme+" theme", chromedp.Evaluate[chromedp.Void](
				fmt.Sprintf(`localStorage.setItem("learn-theme", %s)`, jsString(theme))))
			for _, path := range accessibilityPaths(s.site) {
				b.visit(path)
				// A lab page runs its scenario on arrival; its results
				// are checked too.
				if strings.HasPrefix(path, "/playground/lab/") {
					b.waitUntil(`document.getElementById("lab-status").textContent.startsWith("Done")`)
				}
				check(path)
			}

			// Chromium logs the 404 of the error page as a console
			// error; any other problem fails the test.
			for _, p := range b.takeProblems() {
				if !strings.Contains(p, "404 (Not Found) (") || !strings.Contains(p, "/no-such-page") {
					t.Errorf("browser console: %s", p)
				}
			}

			// The playground after a login and a call shows the token,
			// the transcript and the timeline. The inspector then shows
			// the token's colored parts and a verdict, valid and then
			// expired, and turning the algorithm allow-list off shows a
			// warning.
			b.visit("/playground")
			b.waitUntil(`document.getElementById("clock-now").textContent !== "loading"`)
			b.click(`[data-action="jwt-login"]`)
			b.waitUntil(`document.getElementById("jwt-state").textContent.startsWith("Holding ")`)
			b.click(`[data-action="jwt-call"]`)
			b.waitUntil(`document.querySelectorAll("#transcript .exchange").length >= 2`)
			b.click(`[data-action="inspector-current"]`)
			b.waitUntil(`document.querySelector("#inspector-result.verdict-valid") !== null`)
			b.click(`#settings-allowlist`)
			b.click(`[data-action="settings-save"]`)
			b.waitUntil(`document.querySelectorAll("#settings-warnings li").length > 0`)
			check("/playground with a valid token inspected")
			b.click(`[data-advance="86400"]`)
			b.waitUntil(`document.getElementById("clock-state").textContent === "Moved forward 86400 seconds."`)
			b.click(`[data-action="inspector-run"]`)
			b.waitUntil(`document.querySelector("#inspector-result.verdict-invalid") !== null`)
			check("/playground with an expired token inspected")

			// The instructor dashboard, behind the login form.
			b.visit("/instructor/login")
			b.do("log in as an instructor", chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), instructorPassword))
			b.click(`form[action="/instructor/login"] button[type="submit"]`)
			b.waitUntil(`location.pathname === "/instructor"`)
			check("/instructor")
		})
	}
}

// TestBrowserAxeCatchesViolation proves that the check above can fail: an
// image without alt text is a critical violation.
func TestBrowserAxeCatchesViolation(t *testing.T) {
	axe := readAxe(t)
	s := newSite(t)
	b := newBrowser(t, s)

	b.visit("/privacy")
	b.do("add an image without alt text", chromedp.Evaluate[chromedp.Void](
		`document.querySelector("main").append(document.createElement("img"))`))
	b.do("inject axe-core", chromedp.Evaluate[chromedp.Void](axe))
	violations, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	if len(violations) == 0 || !strings.HasPrefix(violations[0], "image-alt ") {
		t.Errorf("violations = %q, want image-alt first", violations)
	}
}
