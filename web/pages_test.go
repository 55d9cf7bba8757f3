package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"learn/quiz"
)

func TestPagesRender(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	type page struct {
		name string
		path string
		want []string
	}
	pages := []page{
		{"outline", "/", []string{"Course outline", `href="/quiz/jwt-vs-sessions"`, `href="/playground"`}},
		{"quiz", "/quiz/jwt-vs-sessions", []string{"Score so far", `type="radio"`, "Question 5."}},
		{"playground", "/playground", []string{"Playground", `src="` + assetPath(t, "playground.js") + `"`}},
		{"stylesheet", assetPath(t, "site.css"), []string{"light-dark(", "[data-theme=dark]"}},
	}
	for _, lesson := range s.course.Lessons() {
		pages = append(pages, page{"lesson " + lesson.Slug, "/lessons/" + lesson.Slug, []string{"<h1>" + template(lesson.Title) + "</h1>"}})
		pages[0].want = append(pages[0].want, `href="/lessons/`+lesson.Slug+`"`, template(lesson.Summary))
	}

	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			r := v.get(p.path)
			wantStatus(t, r, http.StatusOK)
			for _, want := range p.want {
				if !strings.Contains(r.body, want) {
					t.Errorf("%s does not contain %q", p.path, want)
				}
			}
		})
	}
}

// template escapes text the way html/template does for the characters
// that appear in lesson titles.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestCourseHasFiveLessons(t *testing.T) {
	s := newSite(t)
	if n := len(s.course.Lessons()); n < 5 {
		t.Fatalf("course has %d lessons, want at least 5", n)
	}
}

func TestLessonPageHidesFrontMatterAndLinksNeighbours(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	all := s.course.Lessons()

	for i, lesson := range all {
		r := v.get("/lessons/" + lesson.Slug)
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, "title: ") || strings.Contains(r.body, "summary: ") {
			t.Errorf("lesson %s shows its front matter as text", lesson.Slug)
		}
		if i > 0 && !strings.Contains(r.body, `rel="prev" href="/lessons/`+all[i-1].Slug+`"`) {
			t.Errorf("lesson %s has no previous link to %s", lesson.Slug, all[i-1].Slug)
		}
		if i < len(all)-1 && !strings.Contains(r.body, `rel="next" href="/lessons/`+all[i+1].Slug+`"`) {
			t.Errorf("lesson %s has no next link to %s", lesson.Slug, all[i+1].Slug)
		}
	}
}

func TestLessonCodeBlocksKeepFormatting(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	// An indented line inside a fenced block shows that whitespace and
	// line breaks reach the page unchanged. Highlighting splits the code
	// into spans, so the check reads the text without the tags.
	codeBlock := regexp.MustCompile(`(?s)<pre class="chroma" tabindex="0"><code class="language-\w+">(.*?)</code></pre>`)
	tag := regexp.MustCompile(`<[^>]*>`)
	indented := regexp.MustCompile(`\n {2,}\S`)
	for _, lesson := range s.course.Lessons() {
		for _, block := range codeBlock.FindAllStringSubmatch(v.get("/lessons/"+lesson.Slug).body, -1) {
			if indented.MatchString(tag.ReplaceAllString(block[1], "")) {
				return
			}
		}
	}
	t.Fatal("no lesson shows a fenced code block with its indentation kept")
}

func TestUnknownPagesAre404(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	for _, path := range []string{"/lessons/no-such-lesson", "/quiz/no-such-quiz", "/nowhere", "/static/missing.css", "/static/"} {
		t.Run(path, func(t *testing.T) {
			r := v.get(path)
			wantStatus(t, r, http.StatusNotFound)
		})
	}
}

// correctAndWrong returns a correct and a wrong option id of question.
func correctAndWrong(t testing.TB, question *quiz.Question) (right, wrong string) {
	t.Helper()
	for _, o := range question.Options {
		if o.Correct() && right == "" {
			right = o.ID
		}
		if !o.Correct() && wrong == "" {
			wrong = o.ID
		}
	}
	if right == "" || wrong == "" {
		t.Fatalf("question %s lacks a correct or a wrong option", question.ID)
	}
	return right, wrong
}

func TestQuizWrongThenRightAnswer(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	q, ok := quiz.Find(s.quizzes, "jwt-vs-sessions")
	if !ok {
		t.Fatal("quiz jwt-vs-sessions not found")
	}
	if len(q.Questions) != 5 {
		t.Fatalf("quiz has %d questions, want the 5 source questions", len(q.Questions))
	}
	question := q.Questions[0]
	right, wrong := correctAndWrong(t, question)
	path := "/quiz/" + q.ID + "/questions/" + question.ID

	before := v.get("/quiz/" + q.ID)
	if strings.Contains(before.body, "Solution</h3>") || strings.Contains(before.body, "option correct") {
		t.Fatal("the quiz page reveals a solution before any answer")
	}

	r := v.postForm(path, url.Values{"choice": {wrong}})
	wantStatus(t, r, http.StatusOK) // after the 303 redirect
	for _, want := range []string{"Not quite.", "Solution</h3>", "Final answer</h3>", "Quick check</h3>", "Common mistakes</h3>", "0 of 5"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after a wrong answer the page lacks %q", want)
		}
	}

	r = v.postForm(path, url.Values{"choice": {right}})
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{"Right.", "1 of 5"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after a right answer the page lacks %q", want)
		}
	}

	// A second visitor starts with no answers.
	other := s.newVisitor(t).get("/quiz/" + q.ID)
	if !strings.Contains(other.body, "0 of 5") || strings.Contains(other.body, "Right.") {
		t.Error("a new visitor sees another learner's progress")
	}
}

func TestQuizBadAnswers(t *testing.T) {
	s := newSite(t)
	q, _ := quiz.Find(s.quizzes, "jwt-vs-sessions")
	question := q.Questions[0]
	right, _ := correctAndWrong(t, question)

	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
		want   string
	}{
		{"no choice", "/quiz/" + q.ID + "/questions/" + question.ID, url.Values{}, http.StatusBadRequest, "Choose one option"},
		{"empty choice", "/quiz/" + q.ID + "/questions/" + question.ID, url.Values{"choice": {""}}, http.StatusBadRequest, "Choose one option"},
		{"unknown option", "/quiz/" + q.ID + "/questions/" + question.ID, url.Values{"choice": {"zz"}}, http.StatusBadRequest, "not one of this question"},
		{"two choices", "/quiz/" + q.ID + "/questions/" + question.ID, url.Values{"choice": {right, "zz"}}, http.StatusBadRequest, "not one of this question"},
		{"unknown question", "/quiz/" + q.ID + "/questions/nope", url.Values{"choice": {right}}, http.StatusNotFound, "has no question"},
		{"unknown quiz", "/quiz/nope/questions/" + question.ID, url.Values{"choice": {right}}, http.StatusNotFound, "No quiz"},
		{"oversized form", "/quiz/" + q.ID + "/questions/" + question.ID, url.Values{"choice": {strings.Repeat("a", 20000)}}, http.StatusRequestEntityTooLarge, "at most 16 KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := s.newVisitor(t)

			// A saved answer must survive a rejected one.
			v.postForm("/quiz/"+q.ID+"/questions/"+question.ID, url.Values{"choice": {right}})

			r := v.postForm(tt.path, tt.form)
			wantStatus(t, r, tt.status)
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
			after := v.get("/quiz/" + q.ID)
			if !strings.Contains(after.body, "1 of 5") {
				t.Error("a rejected answer lost the saved one")
			}
		})
	}
}

func TestHeadAndShortcutPaths(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	req, _ := http.NewRequest(http.MethodHead, s.server.URL+"/", nil)
	r := v.do(req)
	wantStatus(t, r, http.StatusOK)
	if r.body != "" {
		t.Errorf("HEAD / returned a body of %d bytes", len(r.body))
	}

	for _, path := range []string{"/lessons", "/quiz", "/favicon.ico"} {
		t.Run(path, func(t *testing.T) {
			wantStatus(t, v.get(path), http.StatusOK) // after the redirect
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newSite(t)
	r := s.newVisitor(t).get("/")
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	}
	for name, value := range want {
		if got := r.header.Get(name); got != value {
			t.Errorf("%s = %q, want %q", name, got, value)
		}
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, directive := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, directive) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, directive)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy allows inline code: %q", csp)
	}
	if r.header.Get("Permissions-Policy") == "" {
		t.Error("Permissions-Policy is missing")
	}
}

// TestReadingSetsNoCookie checks that a visitor who only reads gets no
// cookie, and that the first request that stores something sets one and
// keeps what it stored.
func TestReadingSetsNoCookie(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	q, question := lessonQuiz(t, s)
	right, _ := correctAndWrong(t, question)
	page := v.get("/lessons/" + q.Lesson)
	stylesheet := regexp.MustCompile(`href="(/static/site\.[^"]+\.css)"`).FindStringSubmatch(page.body)
	if stylesheet == nil {
		t.Fatal("the lesson page links no site.css")
	}

	for _, path := range []string{"/", "/lessons/" + q.Lesson, "/search?q=token", "/privacy", stylesheet[1]} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			req, err := http.NewRequest(method, s.server.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := v.do(req)
			wantStatus(t, r, http.StatusOK)
			if cookie := r.header.Get("Set-Cookie"); cookie != "" {
				t.Errorf("%s %s set a cookie for a reader: %.40s", method, path, cookie)
			}
		}
	}

	base, _ := url.Parse(s.server.URL)
	if cookies := v.client.Jar.Cookies(base); len(cookies) != 0 {
		t.Fatalf("after reading, the browser holds %d cookies, want none", len(cookies))
	}

	// The first quiz answer sets the cookie in its own response, so the
	// answer is stored under the new learner.
	v.answer(q, question, url.Values{"choice": {right}})
	v.learnerID() // fails the test when no cookie was set
	if r := v.get("/quiz/" + q.ID); !strings.Contains(r.body, scoreOnQuizPage(1, len(q.Questions), 1)) {
		t.Errorf("the quiz page lacks %q after the first answer", scoreOnQuizPage(1, len(q.Questions), 1))
	}
}

func TestLearnerCookieFlags(t *testing.T) {
	s := newSite(t)
	q, _ := lessonQuiz(t, s)
	r := s.newVisitor(t).get("/quiz/" + q.ID)
	cookies := (&http.Response{Header: r.header}).Cookies()
	for _, c := range cookies {
		if c.Name != "learn_learner" {
			continue
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
			t.Errorf("learn_learner cookie: HttpOnly=%v SameSite=%v Path=%q, want true, Lax, /", c.HttpOnly, c.SameSite, c.Path)
		}
		return
	}
	t.Fatal("the first visit sets no learn_learner cookie")
}

func TestCrossOriginPostRejected(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	q, _ := quiz.Find(s.quizzes, "jwt-vs-sessions")
	right, _ := correctAndWrong(t, q.Questions[0])
	path := "/quiz/" + q.ID + "/questions/" + q.Questions[0].ID

	t.Run("cross-site form", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.server.URL+path, strings.NewReader("choice="+right))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://attacker.example")
		wantStatus(t, v.do(req), http.StatusForbidden)
	})
	t.Run("cross-site json", func(t *testing.T) {
		r := v.postJSON("/playground/api/session/login", map[string]string{"username": "ada"},
			"Sec-Fetch-Site", "cross-site", "Origin", "https://attacker.example")
		wantStatus(t, r, http.StatusForbidden)
		decode(t, r)
	})
	t.Run("same-origin form", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.server.URL+path, strings.NewReader("choice="+right))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", s.server.URL)
		wantStatus(t, v.do(req), http.StatusOK)
	})
}

// TestCrawlLinks follows every same-site link from the outline and checks
// that each answers 200.
func TestCrawlLinks(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	href := regexp.MustCompile(`(?:href|src)="(/[^"#]*)`)

	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		r := v.get(path)
		if r.status != http.StatusOK {
			t.Errorf("GET %s = %d", path, r.status)
			continue
		}
		if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, m := range href.FindAllStringSubmatch(r.body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if !seen[link] {
				seen[link] = true
				queue = append(queue, link)
			}
		}
	}
	if len(seen) < 8 {
		t.Errorf("crawl found only %d pages: %v", len(seen), seen)
	}
}
