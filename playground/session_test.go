package playground_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

const sessionCookie = "pg_session"

// sessionLogin logs the client in with a cookie session and returns the
// cookie value.
func (c *client) sessionLogin(username string) string {
	c.t.Helper()
	r := c.postJSON("/session/login", `{"username":"`+username+`"}`)
	wantStatus(c.t, r, http.StatusOK)
	body := r.json(c.t)
	wantField(c.t, body, "message", "Logged in")
	wantField(c.t, body, "username", username)
	value := c.cookie(sessionCookie)
	if value == "" {
		c.t.Fatalf("login set no %s cookie; Set-Cookie: %q", sessionCookie, r.header.Values("Set-Cookie"))
	}
	return value
}

// wantNotAuthenticated checks a 401 from GET /session/data and that its
// detail contains detail.
func wantNotAuthenticated(t testing.TB, r response, detail string) {
	t.Helper()
	wantStatus(t, r, http.StatusUnauthorized)
	if challenge := r.header.Get("WWW-Authenticate"); challenge != `Cookie realm="playground", cookie-name="pg_session"` {
		t.Errorf("WWW-Authenticate = %q, want the informational Cookie challenge", challenge)
	}
	body := r.json(t)
	wantField(t, body, "error", "Not authenticated")
	wantFieldContains(t, body, "detail", detail)
}

// sessionSetCookie returns the response's Set-Cookie header for
// pg_session.
func sessionSetCookie(t testing.TB, r response) string {
	t.Helper()
	for _, line := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(line, sessionCookie+"=") || strings.HasPrefix(line, "__Host-"+sessionCookie+"=") {
			return line
		}
	}
	t.Fatalf("response sets no %s cookie; Set-Cookie: %q", sessionCookie, r.header.Values("Set-Cookie"))
	return ""
}

func TestSessionLoginLogoutReplay(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	cookie := c.sessionLogin("ada")

	r := c.get("/session/data")
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	wantField(t, body, "message", "Welcome!")
	wantField(t, body, "username", "ada")

	r = c.do(http.MethodPost, "/session/logout", "")
	wantStatus(t, r, http.StatusOK)
	wantField(t, r.json(t), "message", "Logged out")
	if cleared := sessionSetCookie(t, r); !strings.Contains(cleared, "Max-Age=0") {
		t.Errorf("logout Set-Cookie = %q, want Max-Age=0", cleared)
	}
	if value := c.cookie(sessionCookie); value != "" {
		t.Errorf("cookie jar still holds %s after logout", sessionCookie)
	}

	c.setCookie(sessionCookie, cookie)
	wantNotAuthenticated(t, c.get("/session/data"), "no session for this pg_session cookie")

	t.Run("logout again", func(t *testing.T) {
		r := c.do(http.MethodPost, "/session/logout", "")
		wantStatus(t, r, http.StatusOK)
		wantField(t, r.json(t), "message", "Logged out")
	})
	t.Run("logout without cookie", func(t *testing.T) {
		fresh := env.newClient()
		wantStatus(t, fresh.do(http.MethodPost, "/session/logout", ""), http.StatusOK)
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	tests := []struct {
		name       string
		tls        bool
		wantSecure bool
		wantName   string
	}{
		{"plain HTTP", false, false, "pg_session"},
		{"TLS", true, true, "__Host-pg_session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, envOptions{tls: tt.tls})
			c := env.newClient()
			r := c.postJSON("/session/login", `{"username":"ada"}`)
			wantStatus(t, r, http.StatusOK)

			cookie, err := http.ParseSetCookie(sessionSetCookie(t, r))
			if err != nil {
				t.Fatalf("parse Set-Cookie: %v", err)
			}
			if cookie.Name != tt.wantName {
				t.Errorf("Name = %q, want %q", cookie.Name, tt.wantName)
			}
			if !cookie.HttpOnly {
				t.Error("cookie is not HttpOnly")
			}
			if cookie.SameSite != http.SameSiteLaxMode {
				t.Errorf("SameSite = %v, want Lax", cookie.SameSite)
			}
			if cookie.Path != "/" {
				t.Errorf("Path = %q, want /", cookie.Path)
			}
			if cookie.Secure != tt.wantSecure {
				t.Errorf("Secure = %v, want %v", cookie.Secure, tt.wantSecure)
			}
			if cookie.MaxAge != 0 {
				t.Errorf("MaxAge = %d, want 0 (a browser-session cookie)", cookie.MaxAge)
			}
			if strings.Contains(cookie.Value, "ada") {
				t.Errorf("cookie value %q carries the username; it should hold only a session ID", cookie.Value)
			}
			wantStatus(t, c.get("/session/data"), http.StatusOK)
		})
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.sessionLogin("ada")

	// Each access restarts the 30-minute idle timer.
	c.advance(1799)
	wantStatus(t, c.get("/session/data"), http.StatusOK)
	c.advance(1799)
	wantStatus(t, c.get("/session/data"), http.StatusOK)

	c.advance(1800)
	stale := c.cookie("pg_session")
	wantNotAuthenticated(t, c.get("/session/data"), "unused for 1800 seconds")

	// The 401 told the browser to drop the dead cookie.
	if c.cookie("pg_session") != "" {
		t.Error("the idle 401 left the pg_session cookie in place")
	}
	wantNotAuthenticated(t, c.get("/session/data"), "no pg_session cookie")

	// The expired record was deleted, so replaying the cookie finds nothing.
	c.setCookie("pg_session", stale)
	wantNotAuthenticated(t, c.get("/session/data"), "no session for this pg_session cookie")
}

func TestSessionIdleTimeoutFollowsRealTime(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.sessionLogin("ada")

	env.clock.Add(15 * time.Minute)
	wantStatus(t, c.get("/session/data"), http.StatusOK)
	env.clock.Add(30 * time.Minute)
	wantNotAuthenticated(t, c.get("/session/data"), "unused for 1800 seconds")
}

func TestSessionLoginIssuesNewID(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	first := c.sessionLogin("ada")
	second := c.sessionLogin("ada")

	if first == second {
		t.Fatal("second login kept the session cookie value")
	}
	// The transcript shows only the first 12 characters, which must
	// still tell the two sessions apart.
	if first[:12] == second[:12] {
		t.Errorf("both cookies start with %q, so their abbreviations look the same", first[:12])
	}
	wantStatus(t, c.get("/session/data"), http.StatusOK)

	c.setCookie(sessionCookie, first)
	wantNotAuthenticated(t, c.get("/session/data"), "no session for this pg_session cookie")
}

func TestSessionRejectsBadCookies(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	value := c.sessionLogin("ada")

	tampered := []byte(value)
	tampered[len(tampered)/2] ^= 1

	tests := []struct {
		name   string
		cookie string
		detail string
	}{
		{"no cookie", "", "has no pg_session cookie"},
		{"changed character", string(tampered), "signature is invalid"},
		{"not base64", "%%%", "signature is invalid"},
		{"ID without signature", strings.Split(value, ".")[0], "signature is invalid"},
		{"signature only", "." + strings.Split(value, ".")[1], "signature is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := env.newClient()
			if tt.cookie != "" {
				other.setCookie(sessionCookie, tt.cookie)
			}
			wantNotAuthenticated(t, other.get("/session/data"), tt.detail)
		})
	}
}

func TestSessionLearnersIsolated(t *testing.T) {
	env := newEnv(t, envOptions{})
	ada := env.newClient()
	bob := env.newClient()
	adaCookie := ada.sessionLogin("ada")

	bob.setCookie(sessionCookie, adaCookie)
	wantNotAuthenticated(t, bob.get("/session/data"), "no session for this pg_session cookie")

	// Bob logging in with Ada's cookie must not end Ada's session.
	bob.sessionLogin("bob")
	r := ada.get("/session/data")
	wantStatus(t, r, http.StatusOK)
	wantField(t, r.json(t), "username", "ada")

	// Only Bob's clock moves, so only Bob's session times out.
	bob.advance(3600)
	wantNotAuthenticated(t, bob.get("/session/data"), "unused for")
	wantStatus(t, ada.get("/session/data"), http.StatusOK)
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.putSettings(`{"sessionIdleSeconds":1800,"sessionAbsoluteSeconds":3600}`)
	login := c.postJSON("/session/login", `{"username":"ada"}`)
	wantStatus(t, login, http.StatusOK)
	started := clockStart
	body := login.json(t)
	wantField(t, body, "idleExpiresAt", started.Add(30*time.Minute).UTC().Format(time.RFC3339))
	wantField(t, body, "absoluteExpiresAt", started.Add(time.Hour).UTC().Format(time.RFC3339))

	// Steady use keeps the idle timer fresh, but not past the hour.
	for range 2 {
		c.advance(1500)
		data := c.get("/session/data")
		wantStatus(t, data, http.StatusOK)
		wantField(t, data.json(t), "absoluteExpiresAt", started.Add(time.Hour).UTC().Format(time.RFC3339))
	}
	c.advance(600)
	wantNotAuthenticated(t, c.get("/session/data"), "absolute timeout")
	if c.cookie("pg_session") != "" {
		t.Error("the absolute-timeout 401 left the pg_session cookie in place")
	}
}

func TestSessionIdleTimeoutFromSettings(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.putSettings(`{"sessionIdleSeconds":120}`)
	c.sessionLogin("ada")
	c.advance(119)
	wantStatus(t, c.get("/session/data"), http.StatusOK)
	c.advance(120)
	wantNotAuthenticated(t, c.get("/session/data"), "unused for 120 seconds")
}
