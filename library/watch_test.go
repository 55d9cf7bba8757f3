package library_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"learn/library"
)

const quizFile = `---
id: practice
title: Practice
---

## Which status means "not authenticated"? {#status}

Pick one.

- [ ] 403

  That means authenticated but not allowed.

- [x] 401

  Right.

### Solution

1. 401 asks for credentials.

### Final answer

401.

### Quick check

401 comes with WWW-Authenticate.

### Common mistakes

- Answering 403.
`

func lessonFile(title string) string {
	return "---\ntitle: " + title + "\norder: 1\n---\n\nSome text.\n"
}

// writeFile writes content to dir/name, creating folders as needed.
func writeFile(t testing.TB, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newCourseDir returns a folder with one lesson and one quiz.
func newCourseDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "lessons/intro.md", lessonFile("Intro"))
	writeFile(t, dir, "quizzes/practice.md", quizFile)
	return dir
}

func watch(t testing.TB, dir string) *library.Library {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	l, err := library.Watch(ctx, dir, library.Load, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	return l
}

// waitFor waits up to five seconds for the next change of l that
// satisfies ok, and fails the test otherwise.
func waitFor(t testing.TB, l *library.Library, changes <-chan struct{}, ok func(*library.Snapshot) bool) *library.Snapshot {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if s := l.Current(); ok(s) {
			return s
		}
		select {
		case <-changes:
		case <-deadline:
			t.Fatalf("no matching change within 5 s; current version %d, err %v", l.Current().Version, l.Current().Err)
		}
	}
}

func lessonTitle(s *library.Snapshot) string {
	lesson, ok := s.Course.Lesson("intro")
	if !ok {
		return ""
	}
	return lesson.Title
}

func TestWatchReloadsEditedLesson(t *testing.T) {
	dir := newCourseDir(t)
	l := watch(t, dir)
	if !l.Live() {
		t.Error("a watched library does not report itself live")
	}
	changes, cancel := l.Subscribe()
	defer cancel()

	writeFile(t, dir, "lessons/intro.md", lessonFile("Intro, edited"))

	s := waitFor(t, l, changes, func(s *library.Snapshot) bool { return lessonTitle(s) == "Intro, edited" })
	if s.Version != 2 {
		t.Errorf("version = %d after one edit, want 2", s.Version)
	}
}

func TestWatchKeepsLastGoodContent(t *testing.T) {
	dir := newCourseDir(t)
	l := watch(t, dir)
	changes, cancel := l.Subscribe()
	defer cancel()

	// An unclosed front matter block cannot load.
	writeFile(t, dir, "lessons/intro.md", "---\ntitle: Broken\n\nno closing fence\n")
	s := waitFor(t, l, changes, func(s *library.Snapshot) bool { return s.Err != nil })
	if lessonTitle(s) != "Intro" {
		t.Errorf("title = %q while the file is broken, want the last good %q", lessonTitle(s), "Intro")
	}
	if !strings.Contains(s.Err.Error(), "intro.md") {
		t.Errorf("error %q does not name the broken file", s.Err)
	}

	writeFile(t, dir, "lessons/intro.md", lessonFile("Intro, fixed"))
	s = waitFor(t, l, changes, func(s *library.Snapshot) bool { return s.Err == nil && lessonTitle(s) == "Intro, fixed" })
	if s.Version != 2 {
		t.Errorf("version = %d after one good reload, want 2", s.Version)
	}
}

func TestWatchFollowsNewFolders(t *testing.T) {
	dir := newCourseDir(t)
	l := watch(t, dir)
	changes, cancel := l.Subscribe()
	defer cancel()

	// A folder made after the watch starts, then a file inside it: the
	// second event only arrives if the new folder is watched.
	if err := os.MkdirAll(filepath.Join(dir, "lessons", "later"), 0o755); err != nil {
		t.Fatal(err)
	}
	waitFor(t, l, changes, func(s *library.Snapshot) bool { return s.Version >= 2 })
	before := l.Current().Version

	writeFile(t, dir, "lessons/later/note.txt", "not a lesson, but a change")
	waitFor(t, l, changes, func(s *library.Snapshot) bool { return s.Version > before })
}

func TestWatchRejectsBadFolder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, filepath.Dir(file), "file", "x")
	broken := t.TempDir()
	writeFile(t, broken, "lessons/intro.md", "---\ntitle: [\n---\n")

	tests := []struct {
		name string
		dir  string
		want string
	}{
		{"missing", filepath.Join(t.TempDir(), "nope"), "content folder"},
		{"a file", file, "is a file"},
		{"broken first load", broken, "intro.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := library.Watch(context.Background(), tt.dir, library.Load, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Watch error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestStaticNeverChanges(t *testing.T) {
	content, err := library.Load(os.DirFS(newCourseDir(t)))
	if err != nil {
		t.Fatal(err)
	}
	l := library.Static(content)
	if l.Live() || l.Current().Version != 1 || l.Current().Err != nil {
		t.Errorf("static library: live=%v version=%d err=%v; want false, 1, nil", l.Live(), l.Current().Version, l.Current().Err)
	}
}
