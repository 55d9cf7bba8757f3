package playground_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"learn/learner"
	"learn/playground"
	"learn/storage/sqlite"
)

// BenchmarkJWTDataRouteSQLite serves GET /jwt/data with a valid token on
// the SQLite store that learn uses. Beside the verification that
// BenchmarkVerifyHS256 measures, each request records its learner as
// active and queues a transcript exchange, which the background writer
// stores in batches. The clock offset, settings and keys come from the
// playground's caches after the first request.
func BenchmarkJWTDataRouteSQLite(b *testing.B) {
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "learn.db"))
	if err != nil {
		b.Fatalf("open database: %v", err)
	}
	defer db.Close()
	pg, err := playground.New(playground.Config{
		Store:      db,
		SessionKey: []byte("session-key-session-key-session-"),
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatalf("new playground: %v", err)
	}
	routes := pg.Routes()
	id := learner.NewID()

	serve := func(request *http.Request) *httptest.ResponseRecorder {
		request = request.WithContext(learner.NewContext(request.Context(), id))
		recorder := httptest.NewRecorder()
		routes.ServeHTTP(recorder, request)
		return recorder
	}

	login := httptest.NewRequest(http.MethodPost, "/jwt/login", strings.NewReader(`{"username":"ada"}`))
	login.Header.Set("Content-Type", "application/json")
	loggedIn := serve(login)
	var body struct{ Token string }
	if err := json.Unmarshal(loggedIn.Body.Bytes(), &body); err != nil || body.Token == "" {
		b.Fatalf("log in: status %d, body %s", loggedIn.Code, loggedIn.Body)
	}

	b.ReportAllocs()
	for b.Loop() {
		request := httptest.NewRequest(http.MethodGet, "/jwt/data", nil)
		request.Header.Set("Authorization", "Bearer "+body.Token)
		if recorder := serve(request); recorder.Code != http.StatusOK {
			b.Fatalf("status %d: %s", recorder.Code, recorder.Body)
		}
	}
}
