package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"learn/playground"
)

func TestLabPages(t *testing.T) {
	v := newSite(t).newVisitor(t)

	t.Run("list", func(t *testing.T) {
		r := v.get("/playground/lab")
		wantStatus(t, r, http.StatusOK)
		for _, name := range []string{"expiry", "logout-replay", "role-change", "server-restart", "second-replica", "key-rotation", "missing-await", "forged-tokens", "refresh-tokens", "token-theft", "cookie-size"} {
			if !strings.Contains(r.body, `href="/playground/lab/`+name+`"`) {
				t.Errorf("the lab page does not link to %s", name)
			}
		}
	})

	t.Run("scenario with shared options", func(t *testing.T) {
		r := v.get("/playground/lab/logout-replay?denylist=on&other=jwt-cookie")
		wantStatus(t, r, http.StatusOK)
		for _, want := range []string{`<option value="on" selected>`, `<option value="jwt-cookie" selected>`, `href="/lessons/logout-and-revocation"`, "The user logs out."} {
			if !strings.Contains(r.body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})

	t.Run("bad options in a shared URL", func(t *testing.T) {
		r := v.get("/playground/lab/logout-replay?denylist=maybe")
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, "off, on") || !strings.Contains(r.body, `<option value="off" selected>`) {
			t.Errorf("page does not explain the bad option and fall back to the default:\n%s", r.body)
		}
	})

	t.Run("unknown scenario", func(t *testing.T) {
		r := v.get("/playground/lab/no-such-thing")
		wantStatus(t, r, http.StatusNotFound)
		if !strings.Contains(r.body, "no-such-thing") {
			t.Errorf("404 page does not name the scenario")
		}
	})

	t.Run("each scenario's lesson exists", func(t *testing.T) {
		for _, sc := range playground.Scenarios() {
			if sc.Kind != playground.ScenarioLab {
				continue
			}
			r := v.get("/lessons/" + sc.Lesson)
			if r.status != http.StatusOK {
				t.Errorf("scenario %s names the lesson %q, which answers %d", sc.Name, sc.Lesson, r.status)
			}
			if !strings.Contains(r.body, `data-scenario="`+sc.Name+`"`) {
				t.Errorf("the lesson %s does not embed its scenario %s", sc.Lesson, sc.Name)
			}
		}
	})
}

// TestBrowserLabScenarioDiverges runs a scenario from the lab page and
// checks that both transcripts appear and diverge where the session is
// deleted but the token still works.
func TestBrowserLabScenarioDiverges(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s)

	b.visit("/playground/lab/logout-replay")
	b.click("#lab-run")
	b.waitUntil(`document.getElementById("lab-status").textContent.startsWith("Done")`)

	if got := evaluate[int](b, `document.querySelectorAll("#lab-steps .lab-step").length`); got != 8 {
		t.Errorf("steps shown = %d, want 8", got)
	}
	replay := `document.querySelectorAll("#lab-steps .lab-step")[5]`
	if !evaluate[bool](b, replay+`.classList.contains("diverged")`) {
		t.Error("the replay step is not marked as diverging")
	}
	statuses := evaluate[[]string](b, `Array.from(`+replay+`.querySelectorAll(".lab-status")).map(e => e.textContent)`)
	if len(statuses) != 2 || !strings.HasPrefix(statuses[0], "401") || !strings.HasPrefix(statuses[1], "200") {
		t.Errorf("replay statuses = %q, want 401 for the session and 200 for the token", statuses)
	}
	if why := evaluate[string](b, replay+`.querySelector(".lab-why").textContent`); !strings.Contains(why, "Why they differ") {
		t.Errorf("replay step explanation = %q", why)
	}

	// Changing an option and running again puts the options in the URL.
	b.do("turn the denylist on", chromedp.Evaluate[chromedp.Void](`document.querySelector('select[name="denylist"]').value = "on"`))
	b.click("#lab-run")
	b.waitUntil(`location.search === "?denylist=on" && document.getElementById("lab-status").textContent.startsWith("Done")`)
	statuses = evaluate[[]string](b, `Array.from(`+replay+`.querySelectorAll(".lab-status")).map(e => e.textContent)`)
	if len(statuses) != 2 || !strings.HasPrefix(statuses[1], "401") {
		t.Errorf("with the denylist on, replay statuses = %q, want a 401 for the token", statuses)
	}
	b.wantNoProblems()
}

// TestPracticeListFollowsTheCourse checks that the outline lists the
// quizzes in the order of the lessons they practise.
func TestPracticeListFollowsTheCourse(t *testing.T) {
	s := newSite(t)
	r := s.newVisitor(t).get("/")
	wantStatus(t, r, http.StatusOK)
	last := -1
	for _, lesson := range s.course.Lessons() {
		for _, q := range s.quizzes {
			if q.Lesson != lesson.Slug {
				continue
			}
			at := strings.Index(r.body, `<a href="/quiz/`+q.ID+`">`)
			if at < 0 {
				t.Errorf("the outline does not link to the quiz %s", q.ID)
				continue
			}
			if at < last {
				t.Errorf("the quiz %s of lesson %s comes before the quiz of an earlier lesson", q.ID, lesson.Slug)
			}
			last = at
		}
	}
}
