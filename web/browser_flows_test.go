package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"learn/learner"
	"learn/quiz"
	"learn/web"
)

func TestBrowserLessonNextByClickAndKey(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)
	all := s.course.Lessons()
	if len(all) < 3 {
		t.Fatalf("course has %d lessons, want at least 3", len(all))
	}
	heading := `document.querySelector("main h1").textContent`

	b.visit("/lessons/" + all[0].Slug)
	if got := evaluate[string](b, heading); got != all[0].Title {
		t.Errorf("first lesson's heading = %q, want %q", got, all[0].Title)
	}

	b.click(`.pager a[rel="next"]`)
	b.waitForPath("/lessons/" + all[1].Slug)
	if got := evaluate[string](b, heading); got != all[1].Title {
		t.Errorf("after clicking next, heading = %q, want %q", got, all[1].Title)
	}

	b.press(kb.ArrowRight)
	b.waitForPath("/lessons/" + all[2].Slug)
	if got := evaluate[string](b, heading); got != all[2].Title {
		t.Errorf("after ArrowRight, heading = %q, want %q", got, all[2].Title)
	}

	b.press(kb.ArrowLeft)
	b.waitForPath("/lessons/" + all[1].Slug)

	// Neither a modifier key nor focus in the search field may turn the
	// page.
	b.press(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift))
	b.do("focus the search field", chromedp.Focus(chromedp.ID("site-search")))
	b.press(kb.ArrowRight)
	b.settle()
	if got := evaluate[string](b, `location.pathname`); got != "/lessons/"+all[1].Slug {
		t.Errorf("Shift+ArrowRight or ArrowRight in the search field opened %s", got)
	}
}

// findQuiz returns the quiz with id from the site's course.
func findQuiz(t testing.TB, s *site, id string) *quiz.Quiz {
	t.Helper()
	for _, q := range s.quizzes {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("no quiz %q in the course", id)
	return nil
}

func TestBrowserQuizByKeyboardOnly(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)
	question := findQuiz(t, s, "jwt-vs-sessions").Questions[0]
	right, wrong := correctAndWrong(t, question)
	section := "#" + question.ID

	// answer reaches the question's radio group with Tab, moves to the
	// option with the arrow keys, checks it with Space, then tabs to the
	// submit button and presses Enter.
	answer := func(option string) {
		t.Helper()
		inQuestion := fmt.Sprintf(`e.closest(%s)`, jsString(section))
		b.tabUntil(`e.type === "radio" && `+inQuestion, 60)
		for range question.Options {
			if evaluate[string](b, `document.activeElement.value`) == option {
				break
			}
			b.press(kb.ArrowDown)
		}
		if got := evaluate[string](b, `document.activeElement.value`); got != option {
			t.Fatalf("arrow keys never reached option %s; focus is on option %s", option, got)
		}
		b.press(" ")
		if !evaluate[bool](b, `document.activeElement.checked`) {
			t.Fatalf("option %s is not checked after Space", option)
		}
		b.tabUntil(`e.type === "submit" && `+inQuestion, 20)
		b.press(kb.Enter)
	}

	b.visit("/quiz/jwt-vs-sessions")
	answer(wrong)
	b.waitUntil(fmt.Sprintf(`document.readyState === "complete" && document.querySelector(%s + ".wrong") !== null`, jsString(section)))
	if got := evaluate[string](b, fmt.Sprintf(`document.querySelector(%s + " .result .verdict").textContent`, jsString(section))); got != "Not quite." {
		t.Errorf("verdict after the wrong option = %q, want %q", got, "Not quite.")
	}

	answer(right)
	b.waitUntil(fmt.Sprintf(`document.readyState === "complete" && document.querySelector(%s + ".right") !== null`, jsString(section)))
	if got := evaluate[string](b, fmt.Sprintf(`document.querySelector(%s + " .result .verdict").textContent`, jsString(section))); got != "Right." {
		t.Errorf("verdict after the right option = %q, want %q", got, "Right.")
	}
}

func TestBrowserPlaygroundJWTExpires(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)
	// exchanges lists the transcript, oldest first, as "METHOD path → status".
	exchanges := `Array.from(document.querySelectorAll("#transcript .exchange")).reverse()
		.map(item => item.querySelector(".line").textContent.replace(/\s+/g, " ").trim())`
	dataCalls := exchanges + `.filter(line => line.startsWith("GET /playground/api/jwt/data"))`

	b.visit("/playground")
	b.waitUntil(`document.getElementById("clock-now").textContent !== "loading"`)

	b.click(`[data-action="jwt-login"]`)
	b.waitUntil(`document.getElementById("jwt-state").textContent.startsWith("Holding ")`)
	b.click(`[data-action="jwt-call"]`)
	b.waitUntil(dataCalls + `.length === 1`)

	b.click(`[data-advance="3600"]`)
	b.waitUntil(`document.getElementById("clock-state").textContent === "Moved forward 3600 seconds."`)
	b.click(`[data-action="jwt-call"]`)
	b.waitUntil(dataCalls + `.length === 2`)

	calls := evaluate[[]string](b, dataCalls)
	want := []string{"GET /playground/api/jwt/data → 200", "GET /playground/api/jwt/data → 401"}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("call %d in the transcript = %q, want %q", i+1, calls[i], want[i])
		}
	}
	if got := evaluate[string](b, `document.getElementById("jwt-state").textContent`); !strings.HasPrefix(got, "401") {
		t.Errorf("JWT panel after the expired call shows %q, want a 401", got)
	}

	// Both calls are points on the timeline, each labelled with its
	// status. The first lies on the token's bar. The second lies at or
	// past its end: it came an hour and a few milliseconds after the
	// login, and exp is the login time cut to whole seconds plus an hour.
	// X is the center of a point, in pixels.
	points := evaluate[[]struct {
		Status string
		Label  string
		X      float64
	}](b, `Array.from(document.querySelectorAll("#timeline-chart .timeline-point"))
		.filter(p => p.dataset.route === "GET /playground/api/jwt/data")
		.map(p => ({ status: p.dataset.status, label: p.textContent,
			x: (p.getBoundingClientRect().left + p.getBoundingClientRect().right) / 2 }))`)
	if len(points) != 2 {
		t.Fatalf("the timeline has %d points for GET /jwt/data, want 2", len(points))
	}
	for i, status := range []string{"200", "401"} {
		if points[i].Status != status || points[i].Label != status {
			t.Errorf("timeline point %d has status %q and label %q, want %s", i+1, points[i].Status, points[i].Label, status)
		}
	}
	if points[1].X <= points[0].X {
		t.Errorf("the 401 is at x = %.1f, not right of the 200 at x = %.1f", points[1].X, points[0].X)
	}
	bar := evaluate[struct{ Left, Right float64 }](b,
		`(r => ({ left: r.left, right: r.right }))(document.querySelector("#timeline-chart .timeline-token").getBoundingClientRect())`)
	// Half a pixel covers rounding in the layout.
	if points[0].X < bar.Left-0.5 || points[0].X > bar.Right+0.5 {
		t.Errorf("the 200 at x = %.1f is outside the token's bar from %.1f to %.1f", points[0].X, bar.Left, bar.Right)
	}
	if points[1].X < bar.Right-0.5 {
		t.Errorf("the 401 at x = %.1f is inside the token's bar, which ends at %.1f", points[1].X, bar.Right)
	}

	// The table gives the same facts as text.
	rows := evaluate[[]string](b, `Array.from(document.querySelectorAll("#timeline-table tbody tr"))
		.map(tr => Array.from(tr.cells).map(td => td.textContent).slice(1).join(" | "))`)
	for _, want := range []string{"Token 1 (HS256) starts", "GET /playground/api/jwt/data | 200", "GET /playground/api/jwt/data | 401"} {
		if !slices.ContainsFunc(rows, func(row string) bool { return strings.HasPrefix(row, want) }) {
			t.Errorf("the timeline table has no row starting %q; rows: %q", want, rows)
		}
	}
}

func TestBrowserPlaygroundCopyAsCurl(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	// Chromium lets a page write to the clipboard without a prompt only
	// when the permission is granted.
	b.do("grant clipboard access", chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			_, err := cdp.Call(ctx, target, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
				Permission: &cdpbrowser.PermissionDescriptor{Name: name},
				Setting:    cdpbrowser.PermissionSettingGranted,
				Origin:     s.server.URL,
			})
			if err != nil {
				return fmt.Errorf("grant %s: %w", name, err)
			}
		}
		return nil
	}))

	b.visit("/playground")
	b.waitUntil(`document.getElementById("clock-now").textContent !== "loading"`)
	b.click(`[data-action="jwt-login"]`)
	b.waitUntil(`document.getElementById("jwt-state").textContent.startsWith("Holding ")`)
	b.click(`[data-action="jwt-call"]`)
	b.click(`[data-action="session-login"]`)
	b.waitUntil(`document.querySelectorAll("#transcript .exchange").length === 3`)
	b.click(`[data-action="session-call"]`)
	b.waitUntil(`document.querySelectorAll("#transcript .exchange").length === 4`)

	// copy presses Copy as curl on the exchange whose first line starts
	// with route, and returns the command the page shows.
	copy := func(route string) string {
		t.Helper()
		item := fmt.Sprintf(`Array.from(document.querySelectorAll("#transcript .exchange")).find(e => e.querySelector(".line").textContent.startsWith(%s))`, jsString(route))
		b.do("press Copy as curl on "+route, chromedp.Evaluate[chromedp.Void](item+`.querySelector(".copy-curl").click()`))
		b.waitUntil(item + `.querySelector(".curl-status").textContent !== ""`)
		if got := evaluate[string](b, item+`.querySelector(".curl-status").textContent`); got != "Copied." {
			t.Errorf("%s: status after Copy as curl = %q, want Copied.", route, got)
		}
		if !evaluate[bool](b, item+`.querySelector(".curl-status").getAttribute("role") === "status"`) {
			t.Errorf("%s: the copy status is not a status region, so screen readers may not announce it", route)
		}
		return evaluate[string](b, item+`.querySelector("pre.curl").textContent`)
	}

	call := copy("GET /playground/api/jwt/data")
	clipboard, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("read the clipboard: %v", err)
	}
	if clipboard != call {
		t.Errorf("the clipboard holds %q, want the command the page shows, %q", clipboard, call)
	}
	token := evaluate[string](b, `JSON.parse(Array.from(document.querySelectorAll("#transcript .exchange pre"))
		.map(p => p.textContent).find(text => text.startsWith('Response body: {"token"')).slice("Response body: ".length)).token`)

	login := copy("POST /playground/api/jwt/login")
	session := copy("GET /playground/api/session/data")

	tests := []struct {
		name    string
		command string
		want    []string
		notWant []string
	}{
		{"bearer call", call,
			[]string{"curl -i '" + s.server.URL + "/playground/api/jwt/data'", `-b "learn_learner=$LEARN_LEARNER"`, "-H 'Authorization: Bearer " + token + "'"},
			[]string{"-X", "--data-raw", "pg_session"}},
		{"login with a body", login,
			[]string{"curl -i -X POST '" + s.server.URL + "/playground/api/jwt/login'", "-H 'Content-Type: application/json'", `--data-raw '{"username":"ada",`},
			[]string{"Authorization"}},
		{"session call", session,
			[]string{`-b "learn_learner=$LEARN_LEARNER; pg_session=$PG_SESSION"`, "# Set LEARN_LEARNER to your learn_learner cookie and PG_SESSION to your pg_session cookie first."},
			[]string{"Authorization"}},
	}

	cookies := b.cookies()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, want := range tt.want {
				if !strings.Contains(tt.command, want) {
					t.Errorf("the command lacks %q:\n%s", want, tt.command)
				}
			}
			for _, notWant := range tt.notWant {
				if strings.Contains(tt.command, notWant) {
					t.Errorf("the command contains %q:\n%s", notWant, tt.command)
				}
			}
			for _, c := range cookies {
				if strings.Contains(tt.command, c.Value) {
					t.Errorf("the command contains the value of the %s cookie:\n%s", c.Name, tt.command)
				}
			}
		})
	}
	if len(cookies) < 2 {
		t.Errorf("the browser holds %d cookies, want learn_learner and pg_session to check the commands against", len(cookies))
	}
}

func TestBrowserTryItStepsMatch(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	for _, lesson := range []string{"verifying-a-jwt", "signing-a-jwt"} {
		runTryItPanels(t, b, lesson)
	}
}

// TestBrowserTryItPanelsAtOnce clicks every try-it panel of a lesson at
// once in a browser that holds no cookie yet, as a reader who clicks
// quickly. Reading sets no cookie, so each first request without one
// would make a new learner. The panels must all act as one learner, or a
// token from one sandbox meets the keys of another.
func TestBrowserTryItPanelsAtOnce(t *testing.T) {
	var mu sync.Mutex
	learners := map[learner.ID]bool{}
	s := newSiteConfigured(t, func(c *web.Config) {
		api := c.Playground
		c.Playground = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, _ := learner.FromContext(r.Context())
			mu.Lock()
			learners[id] = true
			mu.Unlock()
			// The second panel's first response is slow, as on a slow
			// network, so the first panel has moved on when it arrives.
			if strings.HasSuffix(r.URL.Path, "/scenarios/session-logout") {
				time.Sleep(300 * time.Millisecond)
			}
			api.ServeHTTP(w, r)
		})
	})
	b := newBrowser(t, s)
	b.visit("/lessons/logout-and-revocation")
	if cookies := b.cookies(); len(cookies) != 0 {
		t.Fatalf("reading the lesson left %d cookies, want none", len(cookies))
	}

	const statuses = `Array.from(document.querySelectorAll(".tryit[data-scenario] .tryit-status")).map(e => e.textContent)`
	b.do("run every panel", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".tryit[data-scenario] .tryit-run").forEach(b => b.click())`))
	b.waitUntil(statuses + `.every(text => text.startsWith("Done"))`)
	got := evaluate[[]string](b, statuses)
	if len(got) < 2 {
		t.Fatalf("the lesson has %d try-it panels, want at least 2 to run at once", len(got))
	}
	for i, status := range got {
		if strings.Contains(status, "did not match") {
			t.Errorf("panel %d: %s", i+1, status)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(learners) != 1 {
		t.Errorf("the panels' requests came from %d learners, want 1", len(learners))
	}
}

// cookies returns the cookies the browser holds.
func (b *browser) cookies() []*network.Cookie {
	b.t.Helper()
	var cookies []*network.Cookie
	b.do("read the browser's cookies", chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		result, err := cdp.Call(ctx, target, network.GetCookies, network.GetCookiesParams{})
		if err == nil {
			cookies = result.Cookies
		}
		return err
	}))
	return cookies
}

// runTryItPanels runs every guided try-it panel of a lesson and checks
// that each status matched. A tampered token must fail its signature
// check, not its decoding.
func runTryItPanels(t *testing.T, b *browser, lesson string) {
	t.Helper()
	b.visit("/lessons/" + lesson)
	panels := evaluate[int](b, `document.querySelectorAll(".tryit[data-scenario]").length`)
	if panels == 0 {
		t.Fatalf("%s has no try-it panel", lesson)
	}

	for i := range panels {
		panel := fmt.Sprintf(`document.querySelectorAll(".tryit[data-scenario]")[%d]`, i)
		name := evaluate[string](b, panel+`.dataset.scenario`)
		b.do("scroll to "+name, chromedp.Evaluate[chromedp.Void](panel+`.scrollIntoView()`))
		b.do("run "+name, chromedp.Evaluate[chromedp.Void](panel+`.querySelector(".tryit-run").click()`))
		b.waitUntil(panel + `.querySelector(".tryit-status").textContent.startsWith("Done")`)

		status := evaluate[string](b, panel+`.querySelector(".tryit-status").textContent`)
		if !strings.HasPrefix(status, "Done: all ") {
			t.Errorf("scenario %s: status %q, want every status matched", name, status)
		}
		if n := evaluate[int](b, panel+`.querySelectorAll(".mismatch").length`); n != 0 {
			t.Errorf("scenario %s: %d steps did not match their expected status", name, n)
		}
		if n := evaluate[int](b, panel+`.querySelectorAll(".match").length`); n == 0 {
			t.Errorf("scenario %s: no step reported a matching status", name)
		}
		commands := evaluate[[]string](b, `Array.from(`+panel+`.querySelectorAll(".tryit-curl-command")).map(e => e.textContent)`)
		if len(commands) == 0 {
			t.Errorf("scenario %s: no step offers Copy as curl", name)
		}
		for _, command := range commands {
			if !strings.Contains(command, "curl -i -X ") || !strings.Contains(command, "learn_learner=$LEARN_LEARNER") {
				t.Errorf("scenario %s: curl command %q lacks the method or the learner placeholder", name, command)
			}
		}
		if name == "jwt-tamper" && !strings.Contains(evaluate[string](b, panel+`.textContent`), "signature_invalid") {
			t.Errorf("scenario %s: the tampered token was not rejected as signature_invalid", name)
		}
	}
}

// emulateColorScheme makes prefers-color-scheme report scheme.
func (b *browser) emulateColorScheme(scheme string) {
	b.t.Helper()
	b.do("emulate prefers-color-scheme: "+scheme, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// codeContrast finds the highlighted token with the lowest contrast
// ratio, computed as WCAG 2 defines it, against paper, a CSS color, or
// against its code block's background when paper is null.
const codeContrast = `(function (paper) {
  function luminance(color) {
    const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map(Number).map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  let lowest = { ratio: 21, token: "" };
  for (const block of document.querySelectorAll("pre.chroma")) {
    const background = luminance(paper || getComputedStyle(block).backgroundColor);
    for (const span of block.querySelectorAll("span")) {
      if (!span.textContent.trim()) {
        continue;
      }
      const text = luminance(getComputedStyle(span).color);
      const ratio = (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
      if (ratio < lowest.ratio) {
        lowest = { ratio: ratio, token: span.className + " " + span.textContent.trim() };
      }
    }
  }
  return lowest;
})(%s)`

// wantReadableCode fails the test when a highlighted token has a contrast
// ratio below 4.5, the WCAG 2 AA minimum for text. The ratio is taken
// against the code block's background, or against white when onPaper is
// set, because browsers print no backgrounds by default.
func (b *browser) wantReadableCode(situation string, onPaper bool) {
	b.t.Helper()
	paper := "null"
	if onPaper {
		paper = `"rgb(255, 255, 255)"`
	}
	lowest := evaluate[struct {
		Ratio float64
		Token string
	}](b, fmt.Sprintf(codeContrast, paper))
	if lowest.Ratio < 4.5 {
		b.t.Errorf("%s: the code token %q has a contrast ratio of %.2f, want at least 4.5", situation, lowest.Token, lowest.Ratio)
	}
}

func TestBrowserThemeToggleIsRemembered(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)
	const (
		lightBackground = "rgb(253, 253, 252)"
		darkBackground  = "rgb(21, 23, 26)"
	)
	background := `getComputedStyle(document.body).backgroundColor`
	keyword := `getComputedStyle(document.querySelector(".chroma .kn, .chroma .kd, .chroma .k")).color`
	theme := `document.documentElement.dataset.theme || "system"`
	toggle := `document.getElementById("theme-toggle").textContent`

	// wantLook checks the theme, the page background and, unless
	// wantKeyword is empty, the color of a code keyword. It returns that
	// color.
	wantLook := func(situation, wantTheme, wantBackground, wantKeyword string) string {
		t.Helper()
		if got := evaluate[string](b, theme); got != wantTheme {
			t.Errorf("%s: theme = %q, want %q", situation, got, wantTheme)
		}
		if got := evaluate[string](b, background); got != wantBackground {
			t.Errorf("%s: background = %s, want %s", situation, got, wantBackground)
		}
		got := evaluate[string](b, keyword)
		if wantKeyword != "" && got != wantKeyword {
			t.Errorf("%s: code keyword color = %s, want %s", situation, got, wantKeyword)
		}
		b.wantReadableCode(situation, false)
		return got
	}

	b.emulateColorScheme("light")
	b.visit("/lessons/verifying-a-jwt")
	if evaluate[bool](b, `(function (s) { return !s || s.defer || s.async; })(document.querySelector('head script[src*="/theme."]'))`) {
		t.Error("theme.js is not a blocking script in <head>, so the theme could apply after the first paint")
	}
	lightKeyword := wantLook("light system, no choice", "system", lightBackground, "")

	// The system turning dark turns the page and its code dark.
	b.emulateColorScheme("dark")
	darkKeyword := wantLook("dark system, no choice", "system", darkBackground, "")
	if darkKeyword == lightKeyword {
		t.Errorf("code keywords keep the color %s on a dark system", lightKeyword)
	}

	// system → light: light although the system is dark.
	b.click("#theme-toggle")
	wantLook("dark system, light chosen", "light", lightBackground, lightKeyword)

	// light → dark, on a light system, and kept across a reload.
	b.emulateColorScheme("light")
	b.click("#theme-toggle")
	b.do("reload", chromedp.Reload())
	wantLook("light system, dark chosen, reloaded", "dark", darkBackground, darkKeyword)
	if got := evaluate[string](b, toggle); got != "Theme: dark" {
		t.Errorf("toggle after a reload reads %q, want %q", got, "Theme: dark")
	}

	// dark → system: the stored choice is gone.
	b.click("#theme-toggle")
	b.visit("/")
	if got := evaluate[string](b, theme); got != "system" {
		t.Errorf("theme after the third press and a new page = %q, want system", got)
	}
	if got := evaluate[string](b, `String(localStorage.getItem("learn-theme"))`); got != "null" {
		t.Errorf("localStorage keeps %q after choosing system", got)
	}
}

func TestBrowserTabReachesEveryControl(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	// Each control gets a data-tab-index, and Tab must focus each one with
	// an outline of at least 2 px, which :focus-visible draws. Tab enters a
	// group of radio buttons once, at its checked button or else its first,
	// and the arrow keys move within it, so only that button is counted.
	const markControls = `(function () {
	  function tabStop(e) {
	    if (e.type !== "radio") {
	      return true;
	    }
	    const group = Array.from((e.form || document).querySelectorAll('input[type="radio"]'))
	      .filter(r => r.name === e.name);
	    const checked = group.find(r => r.checked);
	    return checked ? checked === e : group[0] === e;
	  }
	  const controls = Array.from(document.querySelectorAll("a[href], button, input, select, textarea"))
	    .filter(e => !e.disabled && !e.closest("[hidden]") && getComputedStyle(e).visibility !== "hidden" &&
	      (e.getClientRects().length > 0 || e.classList.contains("skip")) && tabStop(e));
	  controls.forEach((e, i) => { e.dataset.tabIndex = String(i); });
	  return controls.length;
	})()`
	const focused = `(function (e) {
	  const style = getComputedStyle(e);
	  return { index: e.dataset.tabIndex || "", outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 };
	})(document.activeElement)`

	for _, path := range []string{"/", "/lessons/verifying-a-jwt", "/quiz/jwt-vs-sessions", "/playground", "/search?q=token"} {
		t.Run(path, func(t *testing.T) {
			b.visit(path)
			controls := evaluate[int](b, markControls)
			reached := make(map[string]bool)
			for range controls + 20 {
				b.press("\t")
				got := evaluate[struct {
					Index   string
					Outline bool
				}](b, focused)
				if got.Index == "" {
					continue
				}
				reached[got.Index] = true
				if !got.Outline {
					t.Errorf("%s has no visible focus ring", evaluate[string](b, activeElement))
				}
			}
			for i := range controls {
				if !reached[fmt.Sprint(i)] {
					label := evaluate[string](b, fmt.Sprintf(`document.querySelector('[data-tab-index="%d"]').outerHTML.slice(0, 120)`, i))
					t.Errorf("Tab never reached %s", label)
				}
			}
		})
	}
}

func TestBrowserPrintHidesNavigation(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	// The dark theme is chosen, so printing must still use the light code
	// colors, which stay readable on white paper.
	b.visit("/lessons/verifying-a-jwt")
	b.do("choose the dark theme", chromedp.Evaluate[chromedp.Void](`localStorage.setItem("learn-theme", "dark")`))
	b.do("reload", chromedp.Reload())
	b.do("emulate print", chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	for _, selector := range []string{"header.site", "nav.sidebar", ".pager", ".tryit-run", "footer.site"} {
		display := evaluate[string](b, fmt.Sprintf(`getComputedStyle(document.querySelector(%s)).display`, jsString(selector)))
		if display != "none" {
			t.Errorf("%s prints with display %s, want none", selector, display)
		}
	}
	b.wantReadableCode("print with the dark theme chosen", true)

	link := `document.querySelector('.prose a[href^="/"], .prose a[href^="http"], .practice a')`
	after := evaluate[string](b, `getComputedStyle(`+link+`, "::after").content`)
	href := evaluate[string](b, link+`.getAttribute("href")`)
	if !strings.Contains(after, href) {
		t.Errorf("a printed link shows %s after it, want its URL %s", after, href)
	}
}

// screenshotDir returns the folder for screenshots: LEARN_SCREENSHOTS when
// set, so they outlive the test, and a temporary folder otherwise.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("LEARN_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
		t.Logf("screenshots are in %s until the test ends; set LEARN_SCREENSHOTS=DIR to keep them", dir)
		return dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots are in %s", dir)
	return dir
}

func TestBrowserScreenshotsFitTheWidth(t *testing.T) {
	s := newSite(t)
	dir := screenshotDir(t)
	pages := []struct{ name, path string }{
		{"outline", "/"},
		{"playground", "/playground"},
		{"lab", "/playground/lab"},
		{"lab-token-theft", "/playground/lab/token-theft"},
		{"search", "/search?q=token"},
		{"progress", "/progress"},
		{"privacy", "/privacy"},
	}
	for _, lesson := range s.course.Lessons() {
		pages = append(pages, struct{ name, path string }{"lesson-" + lesson.Slug, "/lessons/" + lesson.Slug})
	}
	for _, q := range s.quizzes {
		pages = append(pages, struct{ name, path string }{"quiz-" + q.ID, "/quiz/" + q.ID})
	}

	for _, width := range []int64{1280, 375, 360} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			b := newBrowser(t, s)
			b.do("set the viewport", chromedp.EmulateViewport(width, 900))
			for _, p := range pages {
				b.visit(p.path)
				b.waitUntil(`document.readyState === "complete"`)
				if strings.HasPrefix(p.path, "/playground/lab/") {
					b.waitUntil(`document.getElementById("lab-status").textContent.startsWith("Done")`)
				}

				// Only code blocks, wide tables and the like may scroll
				// sideways, each inside its own box.
				if width < 1000 {
					overflow := evaluate[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`)
					if overflow[0] > overflow[1] {
						t.Errorf("%s at %d px scrolls sideways: the page is %d px wide", p.path, width, overflow[0])
					}
				}
				if width == 360 {
					continue
				}

				png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot %s: %v", p.path, err)
				}
				file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width))
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}

	// One page in the dark theme, to review its colors.
	b := newBrowser(t, s)
	b.emulateColorScheme("dark")
	b.do("set the viewport", chromedp.EmulateViewport(1280, 900))
	b.visit("/lessons/verifying-a-jwt")
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot in the dark theme: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lesson-1280-dark.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
