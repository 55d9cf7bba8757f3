package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"learn/lessons"
	"learn/lessons/lessonstest"
)

// sectionedFiles is a small course with a section, a draft and a lesson
// at the top level.
var sectionedFiles = map[string]string{
	"lessons/start.md":          "---\ntitle: Start here\norder: 1\n---\nWelcome.\n",
	"lessons/tokens/_index.md":  "---\ntitle: Tokens\nsummary: Signed claims.\norder: 2\n---\n",
	"lessons/tokens/sign.md":    "---\ntitle: Sign a token\norder: 1\ntags: [jwt]\nupdated: 2025-03-14\n---\n## Keys\n\nThe secret key signs the token.\n",
	"lessons/tokens/refresh.md": "---\ntitle: Refresh tokens\norder: 2\ndraft: true\n---\nNot ready: the token rotates.\n",
	"lessons/tokens/verify.md":  "---\ntitle: Verify a token\norder: 3\n---\nCheck the signature of the token.\n",
}

func TestOutlineShowsSections(t *testing.T) {
	s := newSiteWithCourse(t, lessonstest.Load(t, sectionedFiles).Published())
	r := s.newVisitor(t).get("/")
	wantStatus(t, r, http.StatusOK)

	for _, want := range []string{`id="tokens"`, "<h3>Tokens</h3>", "Signed claims.", `href="/lessons/sign"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("outline lacks %q", want)
		}
	}
	if strings.Index(r.body, `href="/lessons/start"`) > strings.Index(r.body, "<h3>Tokens</h3>") {
		t.Error("lesson with order 1 comes after the section with order 2")
	}
	if strings.Contains(r.body, "Refresh tokens") {
		t.Error("outline shows a draft lesson")
	}
}

func TestLessonSidebarAndNeighbours(t *testing.T) {
	s := newSiteWithCourse(t, lessonstest.Load(t, sectionedFiles).Published())
	r := s.newVisitor(t).get("/lessons/sign")
	wantStatus(t, r, http.StatusOK)

	for _, want := range []string{
		`<nav class="sidebar" aria-label="Course outline">`,
		`<a href="/lessons/sign" aria-current="page">Sign a token</a>`,
		`<span class="section-title">Tokens</span>`,
		`rel="prev" href="/lessons/start"`,
		`rel="next" href="/lessons/verify"`,
		`<time datetime="2025-03-14">14 March 2025</time>`,
		`<span class="tag">jwt</span>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("lesson page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "refresh") {
		t.Error("lesson page links to the draft lesson")
	}
}

func TestDrafts(t *testing.T) {
	course := lessonstest.Load(t, sectionedFiles)

	tests := []struct {
		name       string
		course     *lessons.Course
		wantStatus int
		wantBadge  bool
	}{
		{"hidden when published", course.Published(), http.StatusNotFound, false},
		{"shown with badge", course, http.StatusOK, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newSiteWithCourse(t, tt.course).newVisitor(t)

			r := v.get("/lessons/refresh")
			wantStatus(t, r, tt.wantStatus)
			if got := strings.Contains(r.body, `<span class="badge">Draft</span>`); got != tt.wantBadge {
				t.Errorf("lesson page has Draft badge = %v, want %v", got, tt.wantBadge)
			}

			outline := v.get("/").body
			if got := strings.Contains(outline, `href="/lessons/refresh"`); got != tt.wantBadge {
				t.Errorf("outline links the draft = %v, want %v", got, tt.wantBadge)
			}

			results := v.get("/search?q=rotates").body
			if got := strings.Contains(results, `href="/lessons/refresh"`); got != tt.wantBadge {
				t.Errorf("search finds the draft = %v, want %v", got, tt.wantBadge)
			}

			sign := v.get("/lessons/sign").body
			if got := strings.Contains(sign, `rel="next" href="/lessons/refresh"`); got != tt.wantBadge {
				t.Errorf("next link to the draft = %v, want %v", got, tt.wantBadge)
			}
		})
	}
}

func TestSearchPage(t *testing.T) {
	s := newSiteWithCourse(t, lessonstest.Load(t, sectionedFiles).Published())
	v := s.newVisitor(t)

	tests := []struct {
		name       string
		query      string
		wantStatus int
		want       []string
		dontWant   []string
	}{
		{"prompt without query", "", http.StatusOK, []string{"Type one or more words"}, []string{`class="results"`}},
		{"ranked results", "token", http.StatusOK, []string{"2 lessons match", `<mark>token</mark>`}, nil},
		{"title match first", "sign", http.StatusOK, []string{`<li>
    <a href="/lessons/sign">Sign a token</a>`}, nil},
		{"no results", "oauth", http.StatusOK, []string{"No lesson contains all of “oauth”"}, nil},
		{"query escaped", `<script>alert(1)</script>`, http.StatusOK, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script>alert"}},
		{"query too long", strings.Repeat("a", 201), http.StatusBadRequest, []string{"Search query too long", "201 characters"}, nil},
		{"query at limit", strings.Repeat("é", 200), http.StatusOK, []string{"No lesson contains"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := v.get("/search?q=" + url.QueryEscape(tt.query))
			wantStatus(t, r, tt.wantStatus)
			for _, want := range tt.want {
				if !strings.Contains(r.body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, bad := range tt.dontWant {
				if strings.Contains(r.body, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
		})
	}
}

func TestLayoutHasSearchForm(t *testing.T) {
	s := newSite(t)
	r := s.newVisitor(t).get("/playground")
	if !strings.Contains(r.body, `<form class="search" role="search" method="get" action="/search">`) {
		t.Error("layout has no GET search form")
	}
}
