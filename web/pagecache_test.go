package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// newAnonymousVisitor returns a client without a cookie jar, so every
// request comes from a new learner, as from a crawler or a first visit.
func (s *site) newAnonymousVisitor(t testing.TB) *visitor {
	t.Helper()
	return &visitor{t: t, site: s, client: &http.Client{}}
}

func TestCachedLessonEqualsFreshRender(t *testing.T) {
	s := newSite(t)
	anonymous := s.newAnonymousVisitor(t)
	q, _ := lessonQuiz(t, s)
	path := "/lessons/" + q.Lesson

	first := anonymous.get(path)
	wantStatus(t, first, http.StatusOK)
	cached := anonymous.get(path)
	wantStatus(t, cached, http.StatusOK)
	if cached.body != first.body {
		t.Error("the second anonymous response differs from the first")
	}
	if got, want := cached.header.Get("Content-Length"), strconv.Itoa(len(cached.body)); got != want {
		t.Errorf("Content-Length = %q, want %q", got, want)
	}
	if got := cached.header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/html; charset=utf-8", got)
	}
	if cached.header.Get("Content-Security-Policy") == "" {
		t.Error("a cached page has no Content-Security-Policy header")
	}
	if cookie := cached.header.Get("Set-Cookie"); cookie != "" {
		t.Errorf("a cached page sets a cookie for a reader: %.40s", cookie)
	}

	// A learner with a cookie and no answers gets a page rendered for the
	// request, which must equal the cached one.
	known := s.newVisitor(t)
	known.get("/progress")
	known.learnerID() // fails the test when no cookie was set
	fresh := known.get(path)
	wantStatus(t, fresh, http.StatusOK)
	if got, want := fresh.header.Get("Content-Length"), strconv.Itoa(len(fresh.body)); got != want {
		t.Errorf("a rendered page has Content-Length %q, want %q", got, want)
	}
	if fresh.body != cached.body {
		t.Errorf("a fresh render for a learner without answers differs from the cached page:\nfresh:  %.300q\ncached: %.300q",
			fresh.body, cached.body)
	}
}

func TestCachedLessonKeepsLearnerMarks(t *testing.T) {
	s := newSite(t)
	anonymous := s.newAnonymousVisitor(t)
	learnerVisitor := s.newVisitor(t)
	q, question := lessonQuiz(t, s)
	right, _ := correctAndWrong(t, question)
	path := "/lessons/" + q.Lesson

	total := 0
	for _, other := range s.quizzes {
		if other.Lesson == q.Lesson {
			total += len(other.Questions)
		}
	}

	// The page is cached before the learner answers.
	before := anonymous.get(path)
	if !strings.Contains(before.body, scoreText(0, total)) {
		t.Fatalf("anonymous sidebar lacks %q", scoreText(0, total))
	}

	learnerVisitor.answer(q, question, url.Values{"choice": {right}})
	mine := learnerVisitor.get(path)
	if !strings.Contains(mine.body, scoreText(1, total)) {
		t.Errorf("sidebar of a learner with one right answer lacks %q", scoreText(1, total))
	}
	after := anonymous.get(path)
	if strings.Contains(after.body, scoreText(1, total)) {
		t.Errorf("an anonymous visitor sees another learner's %q", scoreText(1, total))
	}
	if after.body != before.body {
		t.Error("the anonymous page changed after another learner answered")
	}
}

func TestContentEditReplacesCachedLesson(t *testing.T) {
	s, dir := newLiveSite(t)
	anonymous := s.newAnonymousVisitor(t)

	anonymous.eventually("/lessons/live", "Before the edit")
	anonymous.get("/lessons/live")

	writeLesson(t, dir, "After the edit")
	body := anonymous.eventually("/lessons/live", "After the edit")
	if strings.Contains(body, "Before the edit") {
		t.Error("the page after the edit still contains the old title")
	}
}
