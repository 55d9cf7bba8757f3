package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"learn/content"
	"learn/library"
	"learn/playground"
	"learn/storage/sqlite"
	"learn/web"
)

// BenchmarkLessonNewLearner serves a lesson page to a visitor without a
// cookie through the whole router, with request logging to a text
// handler as learn runs it. bench/pages.sh measures the same path over
// the network against nginx.
func BenchmarkLessonNewLearner(b *testing.B) {
	loaded, err := library.Load(content.FS)
	if err != nil {
		b.Fatalf("load course: %v", err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "learn.db"))
	if err != nil {
		b.Fatalf("open database: %v", err)
	}
	defer db.Close()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	pg, err := playground.New(playground.Config{Store: db, SessionKey: bytes.Repeat([]byte("p"), 32), Logger: logger})
	if err != nil {
		b.Fatalf("new playground: %v", err)
	}
	site, err := web.New(web.Config{
		Library:        library.Static(loaded),
		Progress:       db,
		Playground:     pg.Routes(),
		CookieKeys:     [][]byte{bytes.Repeat([]byte("k"), 32)},
		Logger:         logger,
		Ready:          db.Ping,
		Learners:       db,
		PlaygroundData: pg,
		Stats:          db,
	})
	if err != nil {
		b.Fatalf("new site: %v", err)
	}

	b.ReportAllocs()
	for b.Loop() {
		recorder := httptest.NewRecorder()
		site.ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/lessons/verifying-a-jwt", nil))
		if recorder.Code != http.StatusOK {
			b.Fatalf("status %d", recorder.Code)
		}
	}
}
