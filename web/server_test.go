package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"learn/content"
	"learn/lessons"
	"learn/library"
	"learn/playground"
	"learn/quiz"
	"learn/search"
	"learn/storage/sqlite"
	"learn/web"
)

// site is a running learn server with the real router, the embedded
// course and a SQLite file in a temporary folder.
type site struct {
	server  *httptest.Server
	course  *lessons.Course
	quizzes []*quiz.Quiz
}

func newSite(t testing.TB) *site {
	t.Helper()
	loaded, err := library.Load(content.FS)
	if err != nil {
		t.Fatalf("load course: %v", err)
	}
	return newSiteWith(t, library.Static(loaded))
}

// newSiteWithCourse starts a site that serves course with the embedded
// quizzes.
func newSiteWithCourse(t testing.TB, course *lessons.Course) *site {
	t.Helper()
	quizzes, err := quiz.Load(content.FS)
	if err != nil {
		t.Fatalf("load quizzes: %v", err)
	}
	return newSiteWith(t, library.Static(&library.Content{Course: course, Quizzes: quizzes, Search: search.New(course)}))
}

// newSiteWith starts a site that serves lib. Each configure function may
// change the configuration before the site is built.
func newSiteWith(t testing.TB, lib *library.Library, configure ...func(*web.Config)) *site {
	t.Helper()
	return newSiteWithDB(t, lib, filepath.Join(t.TempDir(), "learn.db"), configure...)
}

// newSiteWithDB starts a site that serves lib and keeps learner data in
// the SQLite file at dbPath, which several sites may share.
func newSiteWithDB(t testing.TB, lib *library.Library, dbPath string, configure ...func(*web.Config)) *site {
	t.Helper()

	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	pg, err := playground.New(playground.Config{
		Store:      db,
		SessionKey: bytes.Repeat([]byte("p"), 32),
	})
	if err != nil {
		t.Fatalf("new playground: %v", err)
	}
	// Cleanups run last first, so queued transcript rows are written
	// before the database closes.
	t.Cleanup(func() {
		if err := pg.Close(context.Background()); err != nil {
			t.Errorf("close playground: %v", err)
		}
	})
	cfg := web.Config{
		Library:    lib,
		Progress:   db,
		Playground: pg.Routes(),
		CookieKeys: [][]byte{bytes.Repeat([]byte("k"), 32)},
		Ready:      db.Ping,

		Learners:       db,
		PlaygroundData: pg,
		Stats:          db,
	}
	for _, f := range configure {
		f(&cfg)
	}
	handler, err := web.New(cfg)
	if err != nil {
		t.Fatalf("new site: %v", err)
	}

	server := httptest.NewServer(handler)
	t.Cleanup(func() {
		handler.CloseStreams()
		server.Close()
	})
	current := lib.Current()
	return &site{server: server, course: current.Course, quizzes: current.Quizzes}
}

// newSiteAndDB starts a site that serves the embedded course, and
// returns it with a second handle on its SQLite file, for reading and
// writing rows the way an earlier version of the site left them.
func newSiteAndDB(t testing.TB) (*site, *sqlite.DB) {
	t.Helper()
	loaded, err := library.Load(content.FS)
	if err != nil {
		t.Fatalf("load course: %v", err)
	}
	dbPath := filepath.Join(t.TempDir(), "learn.db")
	s := newSiteWithDB(t, library.Static(loaded), dbPath)
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

// visitor is one browser: a client with its own cookie jar, so one
// learner.
type visitor struct {
	t      testing.TB
	site   *site
	client *http.Client
}

func (s *site) newVisitor(t testing.TB) *visitor {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &visitor{t: t, site: s, client: &http.Client{Jar: jar}}
}

// response is a finished request with its body read.
type response struct {
	status int
	header http.Header
	body   string
}

func (v *visitor) do(req *http.Request) response {
	v.t.Helper()
	resp, err := v.client.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		v.t.Fatalf("read %s %s: %v", req.Method, req.URL.Path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (v *visitor) get(path string) response {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.site.server.URL+path, nil)
	if err != nil {
		v.t.Fatal(err)
	}
	return v.do(req)
}

func (v *visitor) postForm(path string, form url.Values) response {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodPost, v.site.server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// postJSON sends body, a Go value or a raw string, as JSON with the given
// extra headers.
func (v *visitor) postJSON(path string, body any, headers ...string) response {
	v.t.Helper()
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		if err != nil {
			v.t.Fatal(err)
		}
		raw = string(b)
	}
	req, err := http.NewRequest(http.MethodPost, v.site.server.URL+path, strings.NewReader(raw))
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return v.do(req)
}

// putJSON sends body as JSON with PUT.
func (v *visitor) putJSON(path string, body any) response {
	v.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		v.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, v.site.server.URL+path, strings.NewReader(string(b)))
	if err != nil {
		v.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return v.do(req)
}

// getWith sends a GET with the given header name and value pairs.
func (v *visitor) getWith(path string, headers ...string) response {
	v.t.Helper()
	req, err := http.NewRequest(http.MethodGet, v.site.server.URL+path, nil)
	if err != nil {
		v.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return v.do(req)
}

// decode unmarshals a JSON body into a map, failing the test when the
// body is not JSON.
func decode(t testing.TB, r response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("body is not JSON (%v): %q", err, r.body)
	}
	return m
}

func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
}
