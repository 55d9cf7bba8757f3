package web_test

import (
	"net/http"
	"strings"
	"testing"
)

const api = "/playground/api"

// jwtLogin logs v in with a JWT and returns the token.
func (v *visitor) jwtLogin(body any) string {
	v.t.Helper()
	r := v.postJSON(api+"/jwt/login", body)
	wantStatus(v.t, r, http.StatusOK)
	m := decode(v.t, r)
	token, _ := m["token"].(string)
	if strings.Count(token, ".") != 2 {
		v.t.Fatalf("login returned no JWT: %s", r.body)
	}
	if _, ok := m["expiresAt"].(string); !ok {
		v.t.Fatalf("login returned no expiresAt: %s", r.body)
	}
	return token
}

func (v *visitor) advance(seconds int) {
	v.t.Helper()
	r := v.postJSON(api+"/clock", map[string]int{"advanceSeconds": seconds})
	wantStatus(v.t, r, http.StatusOK)
}

// wantUnauthorized checks a 401 from the JWT endpoint and its reason.
func wantUnauthorized(t testing.TB, r response, reason string) {
	t.Helper()
	wantStatus(t, r, http.StatusUnauthorized)
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", r.header.Get("WWW-Authenticate"))
	}
	m := decode(t, r)
	if m["error"] != "Invalid or expired token" {
		t.Errorf("error = %v, want Invalid or expired token", m["error"])
	}
	if m["reason"] != reason {
		t.Errorf("reason = %v, want %s; detail: %v", m["reason"], reason, m["detail"])
	}
	if detail, _ := m["detail"].(string); detail == "" {
		t.Error("detail is empty")
	}
}

func TestJWTExpiresAfterClockAdvance(t *testing.T) {
	v := newSite(t).newVisitor(t)
	token := v.jwtLogin(map[string]any{"username": "ada", "expiresIn": 3600})

	r := v.getWith(api+"/jwt/data", "Authorization", "Bearer "+token)
	wantStatus(t, r, http.StatusOK)
	if m := decode(t, r); m["message"] != "Access granted" {
		t.Errorf("message = %v, want Access granted", m["message"])
	}

	v.advance(3601)
	wantUnauthorized(t, v.getWith(api+"/jwt/data", "Authorization", "Bearer "+token), "expired")
}

func TestJWTTamperedPayloadRejected(t *testing.T) {
	v := newSite(t).newVisitor(t)
	token := v.jwtLogin(map[string]any{"username": "ada"})

	parts := strings.Split(token, ".")
	payload := []byte(parts[1])
	// Swap one character for another valid base64url character, so the
	// token still decodes but no longer matches its signature.
	if payload[5] == 'A' {
		payload[5] = 'B'
	} else {
		payload[5] = 'A'
	}
	tampered := parts[0] + "." + string(payload) + "." + parts[2]

	r := v.getWith(api+"/jwt/data", "Authorization", "Bearer "+tampered)
	wantStatus(t, r, http.StatusUnauthorized)
	if reason := decode(t, r)["reason"]; reason != "signature_invalid" && reason != "malformed" {
		t.Errorf("reason = %v, want signature_invalid or malformed", reason)
	}
}

func TestJWTBadAuthorizationHeaders(t *testing.T) {
	v := newSite(t).newVisitor(t)
	token := v.jwtLogin(map[string]any{"username": "ada"})

	tests := []struct {
		name   string
		header string
		reason string
	}{
		{"no header", "", "missing"},
		{"scheme without token", "Bearer", "malformed"},
		{"two segments", "Bearer a.b", "malformed"},
		{"bare token", token, "wrong_scheme"},
		{"basic scheme", "Basic YWRhOnB3", "wrong_scheme"},
		{"token over 8 KB", "Bearer " + strings.Repeat("a", 8*1024+1), "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			if tt.header == "" {
				r = v.get(api + "/jwt/data")
			} else {
				r = v.getWith(api+"/jwt/data", "Authorization", tt.header)
			}
			wantUnauthorized(t, r, tt.reason)
		})
	}

	t.Run("lowercase scheme", func(t *testing.T) {
		wantStatus(t, v.getWith(api+"/jwt/data", "Authorization", "bearer "+token), http.StatusOK)
	})
}

func TestSessionLogoutThenReplay(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	r := v.postJSON(api+"/session/login", map[string]string{"username": "ada"})
	wantStatus(t, r, http.StatusOK)
	var sessionCookie *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "pg_session" {
			sessionCookie = c
		}
	}
	if sessionCookie == nil {
		t.Fatal("login set no pg_session cookie")
	}
	if !sessionCookie.HttpOnly || sessionCookie.SameSite != http.SameSiteLaxMode {
		t.Errorf("pg_session: HttpOnly=%v SameSite=%v, want true and Lax", sessionCookie.HttpOnly, sessionCookie.SameSite)
	}

	r = v.get(api + "/session/data")
	wantStatus(t, r, http.StatusOK)
	if m := decode(t, r); m["message"] != "Welcome!" || m["username"] != "ada" {
		t.Errorf("session data = %v, want Welcome! for ada", m)
	}

	wantStatus(t, v.postJSON(api+"/session/logout", ""), http.StatusOK)

	// Replay the cookie the browser has just dropped.
	r = v.getWith(api+"/session/data", "Cookie", "pg_session="+sessionCookie.Value)
	wantStatus(t, r, http.StatusUnauthorized)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("the 401 carries no WWW-Authenticate challenge")
	}
	if m := decode(t, r); m["error"] != "Not authenticated" {
		t.Errorf("error = %v, want Not authenticated", m["error"])
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	v := newSite(t).newVisitor(t)
	wantStatus(t, v.postJSON(api+"/session/login", map[string]string{"username": "ada"}), http.StatusOK)

	v.advance(29 * 60)
	wantStatus(t, v.get(api+"/session/data"), http.StatusOK)

	// The call above renewed the idle period, so 31 minutes more ends it.
	v.advance(31 * 60)
	wantStatus(t, v.get(api+"/session/data"), http.StatusUnauthorized)
}

func TestLearnersAreIndependent(t *testing.T) {
	s := newSite(t)
	ada := s.newVisitor(t)
	bob := s.newVisitor(t)

	adaToken := ada.jwtLogin(map[string]any{"username": "ada"})
	bobToken := bob.jwtLogin(map[string]any{"username": "bob"})
	wantStatus(t, ada.postJSON(api+"/session/login", map[string]string{"username": "ada"}), http.StatusOK)

	// Ada's clock jump expires Ada's token only.
	ada.advance(7200)
	wantUnauthorized(t, ada.getWith(api+"/jwt/data", "Authorization", "Bearer "+adaToken), "expired")
	wantStatus(t, bob.getWith(api+"/jwt/data", "Authorization", "Bearer "+bobToken), http.StatusOK)

	// Each learner signs with a key of their own.
	wantUnauthorized(t, bob.getWith(api+"/jwt/data", "Authorization", "Bearer "+adaToken), "signature_invalid")

	// Bob has no session, and Ada's session ended with her clock.
	wantStatus(t, bob.get(api+"/session/data"), http.StatusUnauthorized)
	wantStatus(t, ada.get(api+"/session/data"), http.StatusUnauthorized)
}

func TestPlaygroundBadInput(t *testing.T) {
	v := newSite(t).newVisitor(t)

	tests := []struct {
		name string
		path string
		body any
		want int
	}{
		{"invalid json", "/jwt/login", `{"username":`, http.StatusBadRequest},
		{"expiresIn zero", "/jwt/login", map[string]any{"username": "ada", "expiresIn": 0}, http.StatusBadRequest},
		{"expiresIn too large", "/jwt/login", map[string]any{"username": "ada", "expiresIn": 1000000000}, http.StatusBadRequest},
		{"expiresIn string", "/jwt/login", `{"username":"ada","expiresIn":"60"}`, http.StatusBadRequest},
		{"advance zero", "/clock", map[string]any{"advanceSeconds": 0}, http.StatusBadRequest},
		{"advance negative", "/clock", map[string]any{"advanceSeconds": -5}, http.StatusBadRequest},
		{"session invalid json", "/session/login", `not json`, http.StatusBadRequest},
		{"oversized body", "/jwt/login", `{"username":"` + strings.Repeat("a", 70000) + `"}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := v.postJSON(api+tt.path, tt.body)
			wantStatus(t, r, tt.want)
			if m := decode(t, r); m["error"] == "" || m["error"] == nil {
				t.Errorf("error message is empty: %s", r.body)
			}
		})
	}

	t.Run("range in message", func(t *testing.T) {
		r := v.postJSON(api+"/jwt/login", map[string]any{"username": "ada", "expiresIn": 0})
		if !strings.Contains(r.body, "86400") {
			t.Errorf("the 400 does not state the allowed range: %s", r.body)
		}
	})
}

func TestPlaygroundPageHasLabPanels(t *testing.T) {
	v := newSite(t).newVisitor(t)
	r := v.get("/playground")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{`id="jwt-alg"`, `value="EdDSA"`, `id="settings-allowlist"`, `id="inspector-token"`, `href="/static/playground.`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("playground page lacks %s", want)
		}
	}
	if strings.Contains(string(r.body), "<script>") || strings.Contains(string(r.body), "style=") {
		t.Error("playground page has an inline script or style, which the CSP blocks")
	}
	wantStatus(t, v.get("/static/playground.css"), http.StatusOK)
}

func TestInspectorThroughSite(t *testing.T) {
	v := newSite(t).newVisitor(t)
	token := v.jwtLogin(map[string]any{"username": "ada", "alg": "ES256"})

	jwks := decode(t, v.get(api+"/jwks.json"))
	if keys, _ := jwks["keys"].([]any); len(keys) != 1 {
		t.Errorf("JWKS has %d keys after one ES256 login, want 1: %v", len(keys), jwks)
	}

	r := v.postJSON(api+"/inspect", map[string]string{"token": token})
	wantStatus(t, r, http.StatusOK)
	result, _ := decode(t, r)["verification"].(map[string]any)
	if result["valid"] != true {
		t.Errorf("verification = %v, want valid", result)
	}
}
