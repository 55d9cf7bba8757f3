package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"learn/content"
	"learn/instructor"
	"learn/library"
	"learn/quiz"
	"learn/storage/sqlite"
	"learn/web"
)

// instructorPassword is distinctive, so a test can search the log for it.
const instructorPassword = "test-instructor-password-7f3a9c"

// lockedBuffer collects log output written from server goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeClock is a settable clock for session timeouts.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// instructorSite is a site with the instructor password set.
type instructorSite struct {
	*site
	clock *fakeClock
	log   *lockedBuffer
}

// newInstructorSite starts a site whose instructor password is
// instructorPassword, with a fake clock for sessions and a captured log.
func newInstructorSite(t testing.TB) *instructorSite {
	t.Helper()
	loaded, err := library.Load(content.FS)
	if err != nil {
		t.Fatalf("load course: %v", err)
	}
	dbPath := filepath.Join(t.TempDir(), "learn.db")
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	clock := &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	auth, err := instructor.New(instructor.Config{
		Password:   instructorPassword,
		Store:      db,
		Now:        clock.Now,
		BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatalf("new instructor auth: %v", err)
	}

	log := &lockedBuffer{}
	s := newSiteWithDB(t, library.Static(loaded), dbPath, func(c *web.Config) {
		c.Instructors = auth
		c.Logger = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	t.Cleanup(func() {
		if strings.Contains(log.String(), instructorPassword) {
			t.Error("the log contains the instructor password")
		}
	})
	return &instructorSite{site: s, clock: clock, log: log}
}

// noRedirects makes v return redirects instead of following them.
func (v *visitor) noRedirects() *visitor {
	v.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return v
}

// login posts password to the instructor login form as v.
func (v *visitor) login(password string) response {
	v.t.Helper()
	return v.postForm("/instructor/login", url.Values{"password": {password}})
}

// wantRedirect checks a 303 to location.
func wantRedirect(t testing.TB, r response, location string) {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	if got := r.header.Get("Location"); got != location {
		t.Errorf("Location = %q, want %q", got, location)
	}
}

func TestInstructorDisabledIs404(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t).noRedirects()

	tests := []struct {
		name   string
		method string
		path   string
	}{
		{"dashboard", http.MethodGet, "/instructor"},
		{"login form", http.MethodGet, "/instructor/login"},
		{"login post", http.MethodPost, "/instructor/login"},
		{"export", http.MethodGet, "/instructor/export.csv"},
		{"logout", http.MethodPost, "/instructor/logout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			if tt.method == http.MethodPost {
				r = v.postForm(tt.path, url.Values{"password": {""}})
			} else {
				r = v.get(tt.path)
			}
			wantStatus(t, r, http.StatusNotFound)
		})
	}

	r := v.get("/instructor")
	if !strings.Contains(r.body, "LEARN_INSTRUCTOR_PASSWORD") {
		t.Error("the 404 page of /instructor does not say how to turn instructor access on")
	}
}

func TestInstructorLoginWrongPassword(t *testing.T) {
	s := newInstructorSite(t)
	v := s.newVisitor(t).noRedirects()

	r := v.login("not the password")
	wantStatus(t, r, http.StatusUnauthorized)
	if !strings.Contains(r.body, `action="/instructor/login"`) {
		t.Error("a wrong password does not show the login form again")
	}
	if !strings.Contains(r.body, "Wrong password") {
		t.Error("a wrong password shows no message")
	}
	if got := r.header.Get("WWW-Authenticate"); got != `Form realm="instructor"` {
		t.Errorf("WWW-Authenticate = %q, want Form realm=\"instructor\"", got)
	}
	wantRedirect(t, v.get("/instructor"), "/instructor/login")
}

func TestInstructorLoginRateLimited(t *testing.T) {
	s := newInstructorSite(t)
	v := s.newVisitor(t).noRedirects()

	for i := range 5 {
		if r := v.login("guess"); r.status != http.StatusUnauthorized {
			t.Fatalf("try %d: status = %d, want 401", i+1, r.status)
		}
	}
	r := v.login(instructorPassword)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestInstructorLoginCrossOrigin(t *testing.T) {
	s := newInstructorSite(t)
	v := s.newVisitor(t).noRedirects()

	form := url.Values{"password": {instructorPassword}}
	req, err := http.NewRequest(http.MethodPost, s.server.URL+"/instructor/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://attacker.example")
	r := v.do(req)
	wantStatus(t, r, http.StatusForbidden)
	if cookies := r.header.Values("Set-Cookie"); strings.Contains(strings.Join(cookies, ";"), "learn_instructor") {
		t.Error("a cross-origin login set the instructor cookie")
	}
}

func TestInstructorCookieFlags(t *testing.T) {
	s := newInstructorSite(t)
	v := s.newVisitor(t).noRedirects()

	r := v.login(instructorPassword)
	wantRedirect(t, r, "/instructor")
	resp := http.Response{Header: r.header}
	for _, c := range resp.Cookies() {
		if c.Name != "learn_instructor" {
			continue
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
			t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q, want HttpOnly, Strict and /", c.HttpOnly, c.SameSite, c.Path)
		}
		if len(c.Value) < 40 {
			t.Errorf("session ID has %d characters, want at least 40", len(c.Value))
		}
		return
	}
	t.Fatal("login set no learn_instructor cookie")
}

// answer posts one quiz answer form as v.
func (v *visitor) answer(q *quiz.Quiz, question *quiz.Question, form url.Values) {
	v.t.Helper()
	r := v.postForm("/quiz/"+q.ID+"/questions/"+question.ID, form)
	if r.status != http.StatusOK && r.status != http.StatusSeeOther {
		v.t.Fatalf("answer %s/%s: status %d: %s", q.ID, question.ID, r.status, r.body)
	}
}

// findQuestion returns the first question of type typ in quiz id.
func findQuestion(t testing.TB, quizzes []*quiz.Quiz, id string, typ quiz.Type) (*quiz.Quiz, *quiz.Question) {
	t.Helper()
	q, ok := quiz.Find(quizzes, id)
	if !ok {
		t.Fatalf("no quiz %s", id)
	}
	for _, question := range q.Questions {
		if question.Type == typ {
			return q, question
		}
	}
	t.Fatalf("quiz %s has no %s question", id, typ)
	return nil, nil
}

// questionReport returns the dashboard's HTML for one question.
func questionReport(t testing.TB, body, quizID, questionID string) string {
	t.Helper()
	start := strings.Index(body, `id="`+quizID+"-"+questionID+`"`)
	if start < 0 {
		t.Fatalf("dashboard has no report for %s/%s", quizID, questionID)
	}
	rest := body[start:]
	if end := strings.Index(rest[1:], `class="question-report"`); end >= 0 {
		rest = rest[:end+1]
	}
	return rest
}

func TestInstructorDashboardFigures(t *testing.T) {
	s := newInstructorSite(t)
	q, single := findQuestion(t, s.quizzes, "jwt-vs-sessions", quiz.Single)
	right, wrong := correctAndWrong(t, single)
	statusQuiz, status := findQuestion(t, s.quizzes, "verifying-a-jwt", quiz.Status)

	// Ada is wrong, then right; Grace is right at once. Both type 999
	// for the status question, and Ada also 418.
	ada, grace := s.newVisitor(t), s.newVisitor(t)
	ada.answer(q, single, url.Values{"choice": {wrong}})
	ada.answer(q, single, url.Values{"choice": {right}})
	grace.answer(q, single, url.Values{"choice": {right}})
	ada.answer(statusQuiz, status, url.Values{"answer": {"999"}})
	ada.answer(statusQuiz, status, url.Values{"answer": {"418"}})
	grace.answer(statusQuiz, status, url.Values{"answer": {"999"}})

	teacher := s.newVisitor(t)
	teacher.login(instructorPassword)
	r := teacher.get("/instructor")
	wantStatus(t, r, http.StatusOK)

	report := questionReport(t, r.body, q.ID, single.ID)
	for _, want := range []string{
		`data-figure="attempts">3<`,
		`data-figure="learners">2<`,
		`data-figure="first-try">50%<`,
		`data-choice="` + right + `">2<`,
		`data-choice="` + wrong + `">1<`,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report of %s lacks %q", single.ID, want)
		}
	}
	if o, _ := single.Option(wrong); o.FeedbackHTML != "" && !strings.Contains(report, o.FeedbackHTML) {
		t.Errorf("report of %s lacks the feedback of option %s", single.ID, wrong)
	}

	statusReport := questionReport(t, r.body, statusQuiz.ID, status.ID)
	if !strings.Contains(statusReport, "Most common wrong values: <strong>999</strong> (2×), <strong>418</strong> (1×)") {
		t.Errorf("status report lacks the wrong values 999 (2) and 418 (1):\n%s", statusReport)
	}
}

func TestInstructorCSVExport(t *testing.T) {
	s := newInstructorSite(t)
	q, single := findQuestion(t, s.quizzes, "jwt-vs-sessions", quiz.Single)
	right, wrong := correctAndWrong(t, single)
	learner := s.newVisitor(t)
	learner.answer(q, single, url.Values{"choice": {wrong}})
	learner.answer(q, single, url.Values{"choice": {right}})

	teacher := s.newVisitor(t)
	teacher.login(instructorPassword)
	r := teacher.get("/instructor/export.csv")
	wantStatus(t, r, http.StatusOK)
	if got := r.header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment;") {
		t.Errorf("Content-Disposition = %q, want an attachment", got)
	}
	if got := r.header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
		t.Errorf("Content-Type = %q, want text/csv", got)
	}

	records, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatalf("export is not valid CSV: %v", err)
	}
	header := records[0]
	if header[0] != "quiz_id" || header[8] != "choice" || header[12] != "times_chosen" {
		t.Errorf("header = %q", header)
	}

	questions := 0
	for _, quiz := range s.quizzes {
		questions += len(quiz.Questions)
	}
	if len(records)-1 < questions {
		t.Errorf("export has %d rows, want at least one per question (%d)", len(records)-1, questions)
	}

	// One learner made two attempts, the first of them wrong. The
	// columns are attempts, learners, first_try_correct,
	// first_try_share, choice, choice_correct, times_chosen and
	// times_chosen_wrong.
	want := map[string][]string{
		right: {"2", "1", "0", "0%", right, "true", "1", "0"},
		wrong: {"2", "1", "0", "0%", wrong, "false", "1", "1"},
	}
	found := 0
	for _, rec := range records[1:] {
		if rec[0] != q.ID || rec[1] != single.ID {
			continue
		}
		w, ok := want[rec[8]]
		if !ok {
			continue
		}
		found++
		got := []string{rec[4], rec[5], rec[6], rec[7], rec[8], rec[11], rec[12], rec[13]}
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Errorf("row for choice %s = %q, want %q", rec[8], got, w)
		}
	}
	if found != 2 {
		t.Errorf("export has %d rows for the answered choices, want 2", found)
	}
}

func TestInstructorSessionTimeouts(t *testing.T) {
	tests := []struct {
		name  string
		steps []time.Duration // the clock advances by each, then the dashboard is requested
		want  []int           // the status of each request: 200, or 303 to the login
	}{
		{"idle within limit", []time.Duration{29 * time.Minute}, []int{200}},
		{"idle too long", []time.Duration{30 * time.Minute}, []int{303}},
		{"active for eight hours", repeat(20*time.Minute, 25), append(repeatInt(200, 23), 303, 303)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newInstructorSite(t)
			v := s.newVisitor(t).noRedirects()
			wantRedirect(t, v.login(instructorPassword), "/instructor")

			for i, step := range tt.steps {
				s.clock.Advance(step)
				if r := v.get("/instructor"); r.status != tt.want[i] {
					t.Fatalf("request %d after %s: status = %d, want %d", i+1, step, r.status, tt.want[i])
				}
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	steps := make([]time.Duration, n)
	for i := range steps {
		steps[i] = d
	}
	return steps
}

func repeatInt(v, n int) []int {
	values := make([]int, n)
	for i := range values {
		values[i] = v
	}
	return values
}

func TestInstructorLogoutThenReplay(t *testing.T) {
	s := newInstructorSite(t)
	v := s.newVisitor(t).noRedirects()
	wantRedirect(t, v.login(instructorPassword), "/instructor")
	wantStatus(t, v.get("/instructor"), http.StatusOK)

	base, _ := url.Parse(s.server.URL)
	var old string
	for _, c := range v.client.Jar.Cookies(base) {
		if c.Name == "learn_instructor" {
			old = c.Value
		}
	}
	if old == "" {
		t.Fatal("login left no learn_instructor cookie")
	}

	wantRedirect(t, v.postForm("/instructor/logout", nil), "/instructor/login")

	replay := s.newVisitor(t).noRedirects()
	for _, path := range []string{"/instructor", "/instructor/export.csv"} {
		req, err := http.NewRequest(http.MethodGet, s.server.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "learn_instructor", Value: old})
		wantRedirect(t, replay.do(req), "/instructor/login")
	}
}
