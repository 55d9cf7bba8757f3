package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"learn/library"
)

func TestLessonImagesAreServed(t *testing.T) {
	dir := t.TempDir()
	png := []byte("\x89PNG\r\n\x1a\nnot really an image")
	files := map[string]string{
		"lessons/pictured.md":      "---\ntitle: Pictured\n---\n\n![The flow](images/flow.png)\n",
		"lessons/images/flow.png":  string(png),
		"lessons/images/notes.txt": "private notes",
		"quizzes/.keep":            "",
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	loaded, err := library.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	v := newSiteWith(t, library.Static(loaded)).newVisitor(t)

	page := v.get("/lessons/pictured")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `src="/course-files/lessons/images/flow.png"`) {
		t.Fatalf("the lesson does not point its image at /course-files/:\n%s", page.body)
	}

	image := v.get("/course-files/lessons/images/flow.png")
	wantStatus(t, image, http.StatusOK)
	if image.body != string(png) || image.header.Get("Content-Type") != "image/png" {
		t.Errorf("image served as %q with %d bytes", image.header.Get("Content-Type"), len(image.body))
	}

	for _, path := range []string{
		"/course-files/lessons/pictured.md",
		"/course-files/lessons/images/notes.txt",
		"/course-files/lessons/images/missing.png",
		"/course-files/quizzes/.keep",
		"/course-files/lessons/../lessons/images/flow.png",
	} {
		t.Run(path, func(t *testing.T) {
			wantStatus(t, v.get(path), http.StatusNotFound)
		})
	}
}
