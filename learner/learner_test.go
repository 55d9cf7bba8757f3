package learner_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"learn/learner"
)

var (
	newKey = bytes.Repeat([]byte("n"), 32)
	oldKey = bytes.Repeat([]byte("o"), 32)
)

// echoID serves the learner id from the context, or 500 when it is missing.
func echoID(keys ...[]byte) http.Handler {
	m := learner.NewMiddleware(keys, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	return m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := learner.FromContext(r.Context())
		if !ok {
			http.Error(w, "no learner", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, string(id))
	}))
}

// visit sends one request with cookie (if not nil) and returns the id the
// handler saw and the learner cookie the response set, if any.
func visit(t testing.TB, h http.Handler, cookie *http.Cookie) (string, *http.Cookie) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == learner.CookieName {
			return rec.Body.String(), c
		}
	}
	return rec.Body.String(), nil
}

func TestNewVisitorGetsSignedCookie(t *testing.T) {
	h := echoID(newKey)
	id, cookie := visit(t, h, nil)
	if len(id) != 32 {
		t.Fatalf("id = %q, want 32 hex digits", id)
	}
	if cookie == nil {
		t.Fatal("no learner cookie set")
	}
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Errorf("cookie HttpOnly=%v SameSite=%v Path=%q, want true, Lax, /", cookie.HttpOnly, cookie.SameSite, cookie.Path)
	}
	if cookie.Secure {
		t.Error("cookie is Secure on a plain HTTP request, so the browser would drop it")
	}

	again, reissued := visit(t, h, cookie)
	if again != id {
		t.Errorf("second visit id = %q, want %q", again, id)
	}
	if reissued != nil {
		t.Error("a valid cookie was set again")
	}
}

func TestBadCookieMakesNewVisitor(t *testing.T) {
	h := echoID(newKey)
	id, cookie := visit(t, h, nil)

	tests := []struct {
		name  string
		value string
	}{
		{"tampered", cookie.Value[:len(cookie.Value)-2] + "xx"},
		{"garbage", "not-a-cookie"},
		{"empty", ""},
		{"oversized", string(bytes.Repeat([]byte("a"), 8000))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fresh := visit(t, h, &http.Cookie{Name: learner.CookieName, Value: tt.value})
			if got == id || got == "" {
				t.Errorf("id = %q, want a new learner", got)
			}
			if fresh == nil {
				t.Error("no new cookie set")
			}
		})
	}

	t.Run("signed by unknown key", func(t *testing.T) {
		_, foreign := visit(t, echoID(bytes.Repeat([]byte("x"), 32)), nil)
		got, _ := visit(t, h, foreign)
		if got == id {
			t.Error("a cookie signed by an unknown key was accepted")
		}
	})
}

func TestOlderKeyCookieIsReissued(t *testing.T) {
	id, oldCookie := visit(t, echoID(oldKey), nil)

	rotated := echoID(newKey, oldKey)
	got, reissued := visit(t, rotated, oldCookie)
	if got != id {
		t.Fatalf("id = %q after rotation, want %q", got, id)
	}
	if reissued == nil {
		t.Fatal("a cookie signed with the older key was not issued again")
	}

	// The new cookie verifies under the newest key alone.
	if again, _ := visit(t, echoID(newKey), reissued); again != id {
		t.Errorf("re-issued cookie gives id %q, want %q", again, id)
	}
}

func TestIsNewOnlyWithoutValidCookie(t *testing.T) {
	m := learner.NewMiddleware([][]byte{newKey}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if learner.IsNew(r.Context()) {
			io.WriteString(w, "new")
			return
		}
		io.WriteString(w, "known")
	}))

	first, cookie := visit(t, h, nil)
	if first != "new" {
		t.Errorf("request without a cookie: got %q, want new", first)
	}
	if cookie == nil {
		t.Fatal("no learner cookie set")
	}
	if second, _ := visit(t, h, cookie); second != "known" {
		t.Errorf("request with a valid cookie: got %q, want known", second)
	}
	if tampered, _ := visit(t, h, &http.Cookie{Name: learner.CookieName, Value: "not-a-cookie"}); tampered != "new" {
		t.Errorf("request with an invalid cookie: got %q, want new", tampered)
	}
	if learner.IsNew(learner.NewContext(context.Background(), learner.NewID())) {
		t.Error("IsNew is true for a context from NewContext")
	}
}

// TestReadOnlyRequestSetsNoNewCookie checks that a visitor without a
// cookie gets an id but no cookie from a request that only reads, and
// that learners who already have a cookie are treated as before.
func TestReadOnlyRequestSetsNoNewCookie(t *testing.T) {
	readOnly := func(r *http.Request) bool { return r.URL.Path == "/" }
	echo := func(keys ...[]byte) http.Handler {
		m := learner.NewMiddleware(keys, slog.New(slog.NewTextHandler(io.Discard, nil)), readOnly)
		return m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, ok := learner.FromContext(r.Context())
			if !ok {
				http.Error(w, "no learner", http.StatusInternalServerError)
				return
			}
			if learner.IsNew(r.Context()) {
				io.WriteString(w, "new ")
			}
			io.WriteString(w, string(id))
		}))
	}
	h := echo(newKey)

	got, cookie := visit(t, h, nil)
	if !strings.HasPrefix(got, "new ") || len(got) != len("new ")+32 {
		t.Errorf("handler saw %q, want a new learner id", got)
	}
	if cookie != nil {
		t.Errorf("a read-only request set the learner cookie %q", cookie.Value)
	}

	t.Run("a request that may store still sets it", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/answers", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if len(rec.Result().Cookies()) != 1 {
			t.Errorf("POST /answers set %d cookies, want the learner cookie", len(rec.Result().Cookies()))
		}
	})

	t.Run("a known learner keeps their id", func(t *testing.T) {
		_, issued := visit(t, echoID(newKey), nil)
		id, _ := visit(t, echoID(newKey), issued)
		got, again := visit(t, h, issued)
		if got != id {
			t.Errorf("id = %q, want %q", got, id)
		}
		if again != nil {
			t.Error("a valid cookie was set again")
		}
	})

	t.Run("an older key's cookie is still issued again", func(t *testing.T) {
		_, old := visit(t, echoID(oldKey), nil)
		if _, reissued := visit(t, echo(newKey, oldKey), old); reissued == nil {
			t.Error("a read-only request left a cookie signed with the older key")
		}
	})

	t.Run("a tampered cookie gives a new learner and no cookie", func(t *testing.T) {
		got, fresh := visit(t, h, &http.Cookie{Name: learner.CookieName, Value: "not-a-cookie"})
		if !strings.HasPrefix(got, "new ") {
			t.Errorf("handler saw %q, want a new learner", got)
		}
		if fresh != nil {
			t.Error("a read-only request set a cookie")
		}
	})
}
