package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"learn/content"
	"learn/library"
	"learn/web"
)

func newSiteConfigured(t testing.TB, configure func(*web.Config)) *site {
	t.Helper()
	loaded, err := library.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	return newSiteWith(t, library.Static(loaded), configure)
}

func TestRateLimits(t *testing.T) {
	s := newSiteConfigured(t, func(c *web.Config) {
		c.RateLimits = web.RateLimits{Login: 2, API: 5}
	})

	t.Run("login", func(t *testing.T) {
		v := s.newVisitor(t)
		for range 2 {
			wantStatus(t, v.postJSON(api+"/session/login", map[string]string{"username": "ada"}), http.StatusOK)
		}
		r := v.postJSON(api+"/jwt/login", map[string]string{"username": "ada"})
		wantStatus(t, r, http.StatusTooManyRequests)
		if r.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if m := decode(t, r); m["error"] != "Too many requests" {
			t.Errorf("error = %v, want Too many requests", m["error"])
		}
	})

	t.Run("pages are not limited", func(t *testing.T) {
		v := s.newVisitor(t)
		for range 10 {
			wantStatus(t, v.get("/"), http.StatusOK)
		}
	})

	t.Run("quiz answers share the API limit", func(t *testing.T) {
		// The login subtest spent 2 of this address's 5 API requests: its
		// third request stopped at the login limit.
		v := s.newVisitor(t)
		var last response
		for range 4 {
			last = v.postForm("/quiz/jwt-vs-sessions/questions/storage-location", nil)
		}
		wantStatus(t, last, http.StatusTooManyRequests)
		if !strings.Contains(last.body, "Too many requests") {
			t.Error("the 429 page does not say what happened")
		}
	})
}

func TestBehindProxy(t *testing.T) {
	tests := []struct {
		name        string
		behindProxy bool
		wantSecure  bool
	}{
		{"trusted proxy", true, true},
		{"headers ignored without the flag", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSiteConfigured(t, func(c *web.Config) { c.BehindProxy = tt.behindProxy })
			r := s.newVisitor(t).getWith("/playground", "X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.9")

			hsts := r.header.Get("Strict-Transport-Security") != ""
			if hsts != tt.wantSecure {
				t.Errorf("HSTS sent = %v, want %v", hsts, tt.wantSecure)
			}
			cookies := (&http.Response{Header: r.header}).Cookies()
			if len(cookies) == 0 {
				t.Fatal("no cookie set")
			}
			wantName := "learn_learner"
			if tt.wantSecure {
				wantName = "__Host-learn_learner"
			}
			if cookies[0].Name != wantName || cookies[0].Secure != tt.wantSecure {
				t.Errorf("cookie %s Secure=%v, want %s Secure=%v", cookies[0].Name, cookies[0].Secure, wantName, tt.wantSecure)
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	wantStatus(t, v.get("/healthz"), http.StatusOK)
	wantStatus(t, v.get("/readyz"), http.StatusOK)

	down := newSiteConfigured(t, func(c *web.Config) {
		c.Ready = func(context.Context) error { return errors.New("database is closed") }
	})
	r := down.newVisitor(t).get("/readyz")
	wantStatus(t, r, http.StatusServiceUnavailable)
	if strings.Contains(r.body, "closed") {
		t.Error("/readyz shows the internal error to the client")
	}
}
