package web_test

import (
	"net/http"
	"testing"

	"learn/web"
)

func TestRateLimitQuizAPIAnswers(t *testing.T) {
	s := newSiteConfigured(t, func(c *web.Config) {
		c.RateLimits = web.RateLimits{API: 3}
	})
	v := s.newVisitor(t)
	const path = "/api/quiz/verifying-a-jwt/questions/pin-algorithms/answers"

	for i := range 3 {
		r := v.postJSON(path, `{"choices":["attacker-picks-alg"]}`)
		if r.status != http.StatusOK {
			t.Fatalf("answer %d: status = %d, want 200; body: %s", i+1, r.status, r.body)
		}
	}

	r := v.postJSON(path, `{"choices":["attacker-picks-alg"]}`)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if m := decode(t, r); m["error"] != "Too many requests" {
		t.Errorf("error = %v, want Too many requests", m["error"])
	}

	// Reading a quiz is not limited, because only answers write to the
	// database.
	wantStatus(t, v.get("/api/quiz/verifying-a-jwt"), http.StatusOK)
}

func TestRateLimitClientKeys(t *testing.T) {
	tests := []struct {
		name       string
		first      string // the address that spends the limit
		second     string // the address that sends one more request
		wantShared bool
	}{
		{"same ipv4 address", "203.0.113.9", "203.0.113.9", true},
		{"other ipv4 address", "203.0.113.9", "203.0.113.10", false},
		{"same ipv6 /64", "2001:db8:0:1::1", "2001:db8:0:1:ffff:ffff:ffff:ffff", true},
		{"other ipv6 /64", "2001:db8:0:1::1", "2001:db8:0:2::1", false},
		{"ipv4-mapped ipv6 as ipv4", "::ffff:203.0.113.9", "203.0.113.9", true},
		{"ipv4-mapped ipv6 keeps ipv4 apart", "::ffff:203.0.113.9", "203.0.113.10", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSiteConfigured(t, func(c *web.Config) {
				c.BehindProxy = true
				c.RateLimits = web.RateLimits{API: 2}
			})
			v := s.newVisitor(t)

			for range 2 {
				wantStatus(t, v.getWith(api+"/scenarios", "X-Forwarded-For", tt.first), http.StatusOK)
			}
			want := http.StatusOK
			if tt.wantShared {
				want = http.StatusTooManyRequests
			}
			wantStatus(t, v.getWith(api+"/scenarios", "X-Forwarded-For", tt.second), want)
		})
	}
}
