package web_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"learn/library"
)

// newLiveSite serves a copy-on-disk course folder with one lesson and no
// quizzes, reloading on change. It returns the site and the folder.
func newLiveSite(t testing.TB) (*site, string) {
	t.Helper()
	dir := t.TempDir()
	writeLesson(t, dir, "Before the edit")
	if err := os.MkdirAll(filepath.Join(dir, "quizzes"), 0o755); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	lib, err := library.Watch(ctx, dir, library.Load, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	return newSiteWith(t, lib), dir
}

func writeLesson(t testing.TB, dir, title string) {
	t.Helper()
	path := filepath.Join(dir, "lessons", "live.md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	body := "---\ntitle: " + title + "\n---\n\nThe body.\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// eventually polls path until its body contains want, for up to five
// seconds, and returns that body.
func (v *visitor) eventually(path, want string) string {
	v.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := v.get(path)
		if r.status == http.StatusOK && strings.Contains(r.body, want) {
			return r.body
		}
		if time.Now().After(deadline) {
			v.t.Fatalf("GET %s never contained %q; last status %d", path, want, r.status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestContentEditShowsWithoutRestart(t *testing.T) {
	s, dir := newLiveSite(t)
	v := s.newVisitor(t)

	body := v.eventually("/lessons/live", "Before the edit")
	if !strings.Contains(body, `src="`+assetPath(t, "live.js")+`"`) {
		t.Error("a live page does not load live.js")
	}

	writeLesson(t, dir, "After the edit")
	v.eventually("/lessons/live", "After the edit")
}

func TestBrokenContentKeepsLastGoodPage(t *testing.T) {
	s, dir := newLiveSite(t)
	v := s.newVisitor(t)

	path := filepath.Join(dir, "lessons", "live.md")
	if err := os.WriteFile(path, []byte("---\ntitle: [unclosed\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The banner appears, and the lesson is still the last good one.
	body := v.eventually("/lessons/live", "The content folder has a problem")
	if !strings.Contains(body, "Before the edit") {
		t.Error("a broken file replaced the last good lesson")
	}
	if !strings.Contains(body, "live.md") {
		t.Error("the banner does not name the broken file")
	}

	writeLesson(t, dir, "Fixed")
	body = v.eventually("/lessons/live", "Fixed")
	if strings.Contains(body, "The content folder has a problem") {
		t.Error("the banner stayed after the file was fixed")
	}
}

func TestContentEventsStreamReload(t *testing.T) {
	s, dir := newLiveSite(t)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.server.URL+"/events/content", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got := resp.Header.Get("Content-Type"); got != "text/event-stream" {
		t.Fatalf("Content-Type = %q, want text/event-stream", got)
	}

	lines := bufio.NewScanner(resp.Body)
	waitForLine := func(want string) {
		t.Helper()
		for lines.Scan() {
			if lines.Text() == want {
				return
			}
		}
		t.Fatalf("stream ended before %q: %v", want, lines.Err())
	}

	waitForLine("event: version")
	writeLesson(t, dir, "Edited")
	waitForLine("event: reload")
}

func TestContentEventsAbsentForEmbeddedCourse(t *testing.T) {
	r := newSite(t).newVisitor(t).get("/events/content")
	wantStatus(t, r, http.StatusNotFound)
	if strings.Contains(r.body, "live.js") {
		t.Error("the embedded course loads live.js")
	}
}
