package playground_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// base64URLAlphabet lists the base64url characters in encoding order.
const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// jwtLogin logs the client in with a JWT and returns the token.
func (c *client) jwtLogin(body string) string {
	c.t.Helper()
	r := c.postJSON("/jwt/login", body)
	wantStatus(c.t, r, http.StatusOK)
	token, _ := r.json(c.t)["token"].(string)
	if strings.Count(token, ".") != 2 {
		c.t.Fatalf("login returned no JWT: %s", r.body)
	}
	return token
}

func (c *client) jwtData(authorization string) response {
	c.t.Helper()
	return c.get("/jwt/data", "Authorization", authorization)
}

// wantRejected checks a 401 from GET /jwt/data and returns its body.
func wantRejected(t testing.TB, r response, reason string) map[string]any {
	t.Helper()
	wantStatus(t, r, http.StatusUnauthorized)
	if challenge := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(challenge, `Bearer realm="playground"`) {
		t.Errorf("WWW-Authenticate = %q, want a Bearer challenge with realm playground", challenge)
	}
	body := r.json(t)
	wantField(t, body, "error", "Invalid or expired token")
	wantField(t, body, "reason", reason)
	if detail, _ := body["detail"].(string); detail == "" {
		t.Error("detail is empty")
	}
	return body
}

// signToken signs claims with method and key, as an outside tool would.
func signToken(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	token, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign test token: %v", err)
	}
	return token
}

// decodeSegment decodes one base64url segment of a token into a JSON
// object.
func decodeSegment(t testing.TB, segment string) map[string]any {
	t.Helper()
	data, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		t.Fatalf("decode token segment: %v", err)
	}
	var object map[string]any
	if err := json.Unmarshal(data, &object); err != nil {
		t.Fatalf("token segment is not a JSON object: %v", err)
	}
	return object
}

// tamperPayload replaces one payload character of token with the next
// base64url character. It picks the first position where the changed
// payload still decodes strictly to a JSON object (keepJSON true) or no
// longer does (keepJSON false).
func tamperPayload(t testing.TB, token string, keepJSON bool) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload := []byte(parts[1])
	for i, char := range payload {
		changed := append([]byte(nil), payload...)
		changed[i] = base64URLAlphabet[(strings.IndexByte(base64URLAlphabet, char)+1)%64]

		data, err := base64.RawURLEncoding.Strict().DecodeString(string(changed))
		var object map[string]any
		decodes := err == nil && json.Unmarshal(data, &object) == nil
		if decodes == keepJSON {
			return parts[0] + "." + string(changed) + "." + parts[2]
		}
	}
	t.Fatalf("no single-character change of the payload gives keepJSON=%v", keepJSON)
	return ""
}

func TestJWTLoginIssuesHS256Token(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	r := c.postJSON("/jwt/login", `{"username":"ada","expiresIn":60}`)
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	wantField(t, body, "expiresAt", "2026-12-04T19:01:00Z")

	token, _ := body["token"].(string)
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	header := decodeSegment(t, parts[0])
	if header["alg"] != "HS256" {
		t.Errorf("alg = %v, want HS256", header["alg"])
	}
	claims := decodeSegment(t, parts[1])
	if claims["sub"] != "ada" {
		t.Errorf("sub = %v, want ada", claims["sub"])
	}
	if claims["iat"] != float64(clockStart.Unix()) {
		t.Errorf("iat = %v, want %d", claims["iat"], clockStart.Unix())
	}
	if claims["exp"] != float64(clockStart.Unix()+60) {
		t.Errorf("exp = %v, want %d", claims["exp"], clockStart.Unix()+60)
	}
	if jti, _ := claims["jti"].(string); jti == "" {
		t.Error("jti is missing")
	}

	second := c.jwtLogin(`{"username":"ada","expiresIn":60}`)
	if decodeSegment(t, strings.Split(second, ".")[1])["jti"] == claims["jti"] {
		t.Error("two logins issued the same jti")
	}
}

func TestJWTExpiresOnVirtualClock(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)

	r := c.jwtData("Bearer " + token)
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	wantField(t, body, "message", "Access granted")
	wantField(t, body, "username", "ada")
	wantField(t, body, "expiresAt", "2026-12-04T20:00:00Z")

	c.advance(3599)
	wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)

	c.advance(2)
	body = wantRejected(t, c.jwtData("Bearer "+token), "expired")
	wantField(t, body, "detail", "The token expired at 2026-12-04T20:00:00Z, 1 second before the playground clock; log in again to get a new one.")
}

func TestJWTTamperedPayload(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)

	tests := []struct {
		name     string
		keepJSON bool
		reason   string
	}{
		{"still decodes", true, "signature_invalid"},
		{"breaks the JSON", false, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tampered := tamperPayload(t, token, tt.keepJSON)
			wantRejected(t, c.jwtData("Bearer "+tampered), tt.reason)
		})
	}
}

func TestJWTSurvivesRestart(t *testing.T) {
	first := newEnv(t, envOptions{})
	c := first.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)
	first.close()

	second := newEnv(t, envOptions{dbPath: first.dbPath, learnerKey: first.learnerKey, sessionKey: first.sessionKey})
	r := c.withEnv(second).jwtData("Bearer " + token)
	wantStatus(t, r, http.StatusOK)
	wantField(t, r.json(t), "username", "ada")
}

func TestJWTRejectsOtherAlgorithms(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	key := c.signingKey()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generate RSA key: %v", err)
	}
	claims := jwt.MapClaims{"sub": "ada", "iat": clockStart.Unix(), "exp": clockStart.Add(time.Hour).Unix()}

	tests := []struct {
		name   string
		method jwt.SigningMethod
		key    any
	}{
		{"none", jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType},
		{"HS384 with the learner's key", jwt.SigningMethodHS384, key},
		{"HS512 with the learner's key", jwt.SigningMethodHS512, key},
		{"RS256", jwt.SigningMethodRS256, rsaKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := signToken(t, tt.method, tt.key, claims)
			body := wantRejected(t, c.jwtData("Bearer "+token), "algorithm_not_allowed")
			wantFieldContains(t, body, "detail", tt.method.Alg())
		})
	}

	t.Run("HS256 with the learner's key", func(t *testing.T) {
		token := signToken(t, jwt.SigningMethodHS256, key, claims)
		wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)
	})
}

func TestJWTClaimChecks(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	key := c.signingKey()
	now := clockStart.Unix()

	tests := []struct {
		name       string
		claims     jwt.MapClaims
		reason     string
		wantDetail string
	}{
		{"no exp", jwt.MapClaims{"sub": "ada", "iat": now}, "claims_invalid", "no exp claim"},
		{"exp is a string", jwt.MapClaims{"sub": "ada", "iat": now, "exp": "tomorrow"}, "claims_invalid", "exp claim is not a number"},
		{"no sub", jwt.MapClaims{"iat": now, "exp": now + 60}, "claims_invalid", "no sub claim"},
		{"sub is a number", jwt.MapClaims{"sub": 7, "iat": now, "exp": now + 60}, "claims_invalid", "sub claim is not a string"},
		{"nbf in the future", jwt.MapClaims{"sub": "ada", "iat": now, "nbf": now + 120, "exp": now + 600}, "not_yet_valid", "120 seconds after the playground clock"},
		{"iat in the future", jwt.MapClaims{"sub": "ada", "iat": now + 30, "exp": now + 600}, "not_yet_valid", "iat claim"},
		{"expired long ago", jwt.MapClaims{"sub": "ada", "iat": now - 7200, "exp": now - 3600}, "expired", "3600 seconds before the playground clock"},
		{"exp equal to now", jwt.MapClaims{"sub": "ada", "iat": now - 60, "exp": now}, "expired", "expired at 2026-12-04T19:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := signToken(t, jwt.SigningMethodHS256, key, tt.claims)
			body := wantRejected(t, c.jwtData("Bearer "+token), tt.reason)
			wantFieldContains(t, body, "detail", tt.wantDetail)
		})
	}

	t.Run("nbf reached after advancing the clock", func(t *testing.T) {
		token := signToken(t, jwt.SigningMethodHS256, key, jwt.MapClaims{"sub": "ada", "iat": now, "nbf": now + 120, "exp": now + 600})
		c.advance(120)
		wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)
	})
}

func TestJWTAuthorizationHeaders(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)
	huge := "Bearer " + strings.Repeat("a", 9*1024)

	tests := []struct {
		name   string
		header []string
		reason string
		// tokenPresented means the challenge must carry
		// error="invalid_token". Otherwise it must carry no error code.
		tokenPresented bool
	}{
		{"no header", nil, "missing", false},
		{"empty header", []string{""}, "missing", false},
		{"scheme without token", []string{"Bearer"}, "malformed", false},
		{"scheme and spaces only", []string{"Bearer   "}, "malformed", false},
		{"two segments", []string{"Bearer a.b"}, "malformed", true},
		{"bad base64", []string{"Bearer a!.b.c"}, "malformed", true},
		{"header not JSON", []string{"Bearer " + base64.RawURLEncoding.EncodeToString([]byte("hello")) + ".e30.c2ln"}, "malformed", true},
		{"bare token", []string{token}, "wrong_scheme", false},
		{"basic scheme", []string{"Basic xyz"}, "wrong_scheme", false},
		{"token over 8 KB", []string{huge}, "too_large", true},
		{"two headers", []string{"Bearer " + token, "Bearer " + token}, "malformed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			for _, value := range tt.header {
				headers = append(headers, "Authorization", value)
			}
			r := c.get("/jwt/data", headers...)
			wantRejected(t, r, tt.reason)

			challenge := r.header.Get("WWW-Authenticate")
			hasError := strings.Contains(challenge, `error="invalid_token"`)
			if hasError != tt.tokenPresented {
				t.Errorf("WWW-Authenticate = %q; want error=\"invalid_token\" only when a token was presented", challenge)
			}
			if tt.tokenPresented && !strings.Contains(challenge, `error_description="`) {
				t.Errorf("WWW-Authenticate = %q, want an error_description", challenge)
			}
		})
	}

	accepted := []struct {
		name   string
		header string
	}{
		{"canonical scheme", "Bearer " + token},
		{"lowercase scheme", "bearer " + token},
		{"uppercase scheme", "BEARER " + token},
		{"several spaces", "Bearer    " + token},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			wantStatus(t, c.jwtData(tt.header), http.StatusOK)
		})
	}
}

func TestJWTLearnersHaveOwnKeys(t *testing.T) {
	env := newEnv(t, envOptions{})
	ada := env.newClient()
	bob := env.newClient()

	adaToken := ada.jwtLogin(`{"username":"ada"}`)
	bobToken := bob.jwtLogin(`{"username":"bob"}`)

	wantRejected(t, bob.jwtData("Bearer "+adaToken), "signature_invalid")
	wantRejected(t, ada.jwtData("Bearer "+bobToken), "signature_invalid")
	wantStatus(t, ada.jwtData("Bearer "+adaToken), http.StatusOK)
	wantStatus(t, bob.jwtData("Bearer "+bobToken), http.StatusOK)

	// Only Ada's clock moves, so only Ada's token expires.
	ada.advance(3600)
	wantRejected(t, ada.jwtData("Bearer "+adaToken), "expired")
	wantStatus(t, bob.jwtData("Bearer "+bobToken), http.StatusOK)
}
