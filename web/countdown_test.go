package web_test

import (
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSessionCountdowns logs in with a session, moves the clock and
// checks that the idle and absolute countdowns follow it, then shortens
// the idle timeout in the settings.
func TestBrowserSessionCountdowns(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)
	countdown := `document.getElementById("session-countdown").textContent`

	b.visit("/playground")
	b.waitUntil(`document.getElementById("clock-now").textContent !== "loading"`)
	b.click(`[data-action="session-login"]`)
	b.waitUntil(countdown + `.startsWith("Idle timeout")`)
	// The countdowns tick with real time, so a second may pass.
	got := evaluate[string](b, countdown)
	if !regexp.MustCompile(`ends in (30 min|29 min 5\d s) unless used`).MatchString(got) ||
		!regexp.MustCompile(`ends in (8 h|7 h 59 min 5\d s) however`).MatchString(got) {
		t.Errorf("countdown after login = %q, want 30 min idle and 8 h absolute", got)
	}

	b.click(`[data-advance="60"]`)
	b.waitUntil(countdown + `.includes("ends in 28 min 5") || ` + countdown + `.includes("ends in 29 min unless")`)
	if got := evaluate[string](b, countdown); !regexp.MustCompile(`ends in 7 h 5[89] min`).MatchString(got) {
		t.Errorf("countdown a minute later = %q", got)
	}

	b.do("set a two-minute idle timeout", chromedp.Evaluate[chromedp.Void](`document.getElementById("settings-session-idle").value = "120"`))
	b.click(`[data-action="settings-save"]`)
	b.waitUntil(`document.getElementById("settings-state").textContent.startsWith("Saved.")`)
	b.click(`[data-action="session-call"]`)
	b.waitUntil(countdown + `.includes("ends in 2 min unless used") || ` + countdown + `.includes("ends in 1 min 5")`)

	b.click(`[data-advance="1800"]`)
	b.waitUntil(countdown + `.startsWith("Idle timeout: passed")`)
	b.click(`[data-action="session-call"]`)
	b.waitUntil(`document.getElementById("session-state").textContent.startsWith("401")`)
	b.waitUntil(countdown + `.startsWith("No live session")`)
	b.wantNoProblems()
}

// TestBrowserResetSandbox resets the sandbox from the playground page and
// checks that the page starts over.
func TestBrowserResetSandbox(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)
	b.visit("/playground")
	b.waitUntil(`document.getElementById("clock-now").textContent !== "loading"`)
	b.click(`[data-action="jwt-login"]`)
	b.waitUntil(`document.getElementById("jwt-state").textContent.startsWith("Holding ")`)
	b.click(`[data-advance="3600"]`)
	b.waitUntil(`document.getElementById("clock-state").textContent === "Moved forward 3600 seconds."`)
	before := evaluate[string](b, `document.getElementById("clock-now").textContent`)

	// The test accepts the confirmation dialog itself.
	b.do("accept the confirmation", chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
	b.click(`[data-action="sandbox-reset"]`)
	b.waitUntil(`document.getElementById("reset-state").textContent.startsWith("Your sandbox was reset")`)
	b.waitUntil(`document.querySelectorAll("#transcript .exchange").length === 0`)
	after := evaluate[string](b, `document.getElementById("clock-now").textContent`)
	if after >= before {
		t.Errorf("clock after reset = %s, want earlier than %s", after, before)
	}
	if got := evaluate[string](b, `document.getElementById("jwt-state").textContent`); got != "No token yet." {
		t.Errorf("JWT panel after reset = %q", got)
	}
	b.wantNoProblems()
}
