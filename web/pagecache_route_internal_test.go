package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"learn/content"
	"learn/library"
	"learn/playground"
	"learn/storage/sqlite"
)

// requestLog is a slog.Handler that keeps the attributes of each
// "request" record, the line that every request logs.
type requestLog struct {
	mu      sync.Mutex
	records []map[string]string
}

func (l *requestLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *requestLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *requestLog) WithGroup(string) slog.Handler            { return l }

func (l *requestLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "request" {
		return nil
	}
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, attrs)
	return nil
}

// take returns the records kept since the last call.
func (l *requestLog) take() []map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	records := l.records
	l.records = nil
	return records
}

// newInternalServer returns a Server for the embedded course that logs
// to handler.
func newInternalServer(t testing.TB, behindProxy bool, handler slog.Handler) *Server {
	t.Helper()
	loaded, err := library.Load(content.FS)
	if err != nil {
		t.Fatalf("load course: %v", err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "learn.db"))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	logger := slog.New(handler)
	pg, err := playground.New(playground.Config{Store: db, SessionKey: bytes.Repeat([]byte("p"), 32), Logger: logger})
	if err != nil {
		t.Fatalf("new playground: %v", err)
	}
	t.Cleanup(func() { pg.Close(context.Background()) })

	s, err := New(Config{
		Library:        library.Static(loaded),
		Progress:       db,
		Playground:     pg.Routes(),
		CookieKeys:     [][]byte{bytes.Repeat([]byte("k"), 32)},
		Logger:         logger,
		Ready:          db.Ping,
		Learners:       db,
		PlaygroundData: pg,
		Stats:          db,
		BehindProxy:    behindProxy,
	})
	if err != nil {
		t.Fatalf("new site: %v", err)
	}
	return s
}

// TestCachedLessonSkipsRouter checks that a cached lesson page is served
// without the router, and with the same status, headers, body and log
// line as the router gave it.
func TestCachedLessonSkipsRouter(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		behindProxy bool
		tls         bool
		headers     map[string]string
		wantHSTS    bool
	}{
		{name: "GET", method: http.MethodGet},
		{name: "HEAD", method: http.MethodHead},
		{name: "query string", method: http.MethodGet},
		{name: "TLS", method: http.MethodGet, tls: true, wantHSTS: true},
		{name: "HTTPS behind a proxy", method: http.MethodGet, behindProxy: true,
			headers: map[string]string{"X-Forwarded-Proto": "https"}, wantHSTS: true},
		{name: "HTTPS header without a proxy", method: http.MethodGet,
			headers: map[string]string{"X-Forwarded-Proto": "https"}},
		{name: "another cookie", method: http.MethodGet,
			headers: map[string]string{"Cookie": "theme=dark"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &requestLog{}
			s := newInternalServer(t, tt.behindProxy, logs)
			path := "/lessons/verifying-a-jwt"
			if tt.name == "query string" {
				path += "?from=outline"
			}
			send := func() *httptest.ResponseRecorder {
				req := httptest.NewRequest(tt.method, path, nil)
				if tt.tls {
					req.TLS = &tls.ConnectionState{}
				}
				for name, value := range tt.headers {
					req.Header.Set(name, value)
				}
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				return rec
			}

			routed := send()
			routedLog := logs.take()
			router := s.router
			s.router = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				t.Errorf("%s %s reached the router after its page was cached", r.Method, r.URL)
				router.ServeHTTP(w, r)
			})
			cached := send()
			cachedLog := logs.take()

			if routed.Code != http.StatusOK || cached.Code != http.StatusOK {
				t.Fatalf("status: routed %d, cached %d; want 200 for both", routed.Code, cached.Code)
			}
			if routed.Body.String() != cached.Body.String() {
				t.Error("the cached body differs from the routed one")
			}
			for _, h := range []http.Header{routed.Header(), cached.Header()} {
				h.Del("Date")
			}
			if got, want := headerLines(cached.Header()), headerLines(routed.Header()); got != want {
				t.Errorf("headers differ\ncached:\n%s\nrouted:\n%s", got, want)
			}
			if hsts := cached.Header().Get("Strict-Transport-Security") != ""; hsts != tt.wantHSTS {
				t.Errorf("HSTS sent = %v, want %v", hsts, tt.wantHSTS)
			}
			if len(routedLog) != 1 || len(cachedLog) != 1 {
				t.Fatalf("request lines: routed %d, cached %d; want 1 each", len(routedLog), len(cachedLog))
			}
			for _, key := range []string{"method", "path", "status", "bytes"} {
				if got, want := cachedLog[0][key], routedLog[0][key]; got != want {
					t.Errorf("log line %s = %q, want %q as the router logs it", key, got, want)
				}
			}
			wantBytes := cached.Header().Get("Content-Length")
			if tt.method == http.MethodHead {
				wantBytes = "0"
			}
			if got := cachedLog[0]["bytes"]; got != wantBytes {
				t.Errorf("log line bytes = %q, want %q", got, wantBytes)
			}
			for _, key := range []string{"request_id", "duration"} {
				if cachedLog[0][key] == "" {
					t.Errorf("the cached response's log line has no %s: %v", key, cachedLog[0])
				}
			}
			if cachedLog[0]["request_id"] == routedLog[0]["request_id"] {
				t.Errorf("two requests have the same id %q", cachedLog[0]["request_id"])
			}
		})
	}
}

// headerLines writes h as sorted "Name: value" lines.
func headerLines(h http.Header) string {
	var b strings.Builder
	h.Write(&b)
	return b.String()
}

// TestCachedLessonLeavesOthersToRouter checks the requests that the page
// cache must leave to the router, even with the page cached: they carry
// a learner cookie, change state, or request another path.
func TestCachedLessonLeavesOthersToRouter(t *testing.T) {
	s := newInternalServer(t, false, slog.DiscardHandler)
	warm := httptest.NewRecorder()
	s.ServeHTTP(warm, httptest.NewRequest(http.MethodGet, "/lessons/verifying-a-jwt", nil))
	if warm.Code != http.StatusOK {
		t.Fatalf("first visit: status %d", warm.Code)
	}

	tests := []struct {
		name   string
		method string
		path   string
		cookie string
	}{
		{"learner cookie", http.MethodGet, "/lessons/verifying-a-jwt", "learn_learner=anything"},
		{"secure learner cookie", http.MethodGet, "/lessons/verifying-a-jwt", "__Host-learn_learner=anything"},
		{"POST", http.MethodPost, "/lessons/verifying-a-jwt", ""},
		{"trailing slash", http.MethodGet, "/lessons/verifying-a-jwt/", ""},
		{"escaped path", http.MethodGet, "/lessons/verifying%2Da%2Djwt", ""},
		{"old URL", http.MethodGet, "/lessons/choosing-a-strategy", ""},
		{"other lesson", http.MethodGet, "/lessons/signing-a-jwt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routed := false
			router := s.router
			s.router = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				routed = true
				router.ServeHTTP(w, r)
			})
			defer func() { s.router = router }()

			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			s.ServeHTTP(httptest.NewRecorder(), req)
			if !routed {
				t.Errorf("%s %s was answered from the page cache", tt.method, tt.path)
			}
		})
	}
}
