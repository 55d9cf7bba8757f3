package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkLessonNewLearner serves a lesson page to a visitor without a
// cookie, with request logging to a text handler as learn runs it. The
// first request fills the page cache through the router, and the others
// are served from it before the router. bench/pages.sh measures the same
// path over the network against nginx.
func BenchmarkLessonNewLearner(b *testing.B) {
	site := newInternalServer(b, false, slog.NewTextHandler(io.Discard, nil))

	b.ReportAllocs()
	for b.Loop() {
		recorder := httptest.NewRecorder()
		site.ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/lessons/verifying-a-jwt", nil))
		if recorder.Code != http.StatusOK {
			b.Fatalf("status %d", recorder.Code)
		}
	}
}
