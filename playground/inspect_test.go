package playground_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// fieldByName returns the explained claim or header parameter called
// name from a list in an inspection.
func fieldByName(t testing.TB, inspected map[string]any, list, name string) map[string]any {
	t.Helper()
	items, _ := inspected[list].([]any)
	for _, item := range items {
		field, _ := item.(map[string]any)
		if field["name"] == name {
			return field
		}
	}
	t.Fatalf("%s has no %s: %v", list, name, inspected[list])
	return nil
}

func TestInspectShowsPartsAndClaims(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada","expiresIn":240}`)
	parts := strings.Split(token, ".")

	inspected := c.inspect(token)
	header, _ := inspected["header"].(map[string]any)
	payload, _ := inspected["payload"].(map[string]any)
	signature, _ := inspected["signature"].(map[string]any)
	if header["raw"] != parts[0] || payload["raw"] != parts[1] || signature["raw"] != parts[2] {
		t.Errorf("raw segments differ from the token: %v %v %v", header["raw"], payload["raw"], signature["raw"])
	}
	if decoded, _ := header["json"].(map[string]any); decoded["alg"] != "HS256" || decoded["kid"] != "hs256-1" {
		t.Errorf("header json = %v, want alg HS256 and kid hs256-1", header["json"])
	}
	if decoded, _ := payload["json"].(map[string]any); decoded["sub"] != "ada" {
		t.Errorf("payload json = %v, want sub ada", payload["json"])
	}
	if signature["bytes"] != float64(32) {
		t.Errorf("signature bytes = %v, want 32 for HS256", signature["bytes"])
	}

	for _, name := range []string{"sub", "exp", "iat", "jti"} {
		if meaning, _ := fieldByName(t, inspected, "claims", name)["meaning"].(string); meaning == "" {
			t.Errorf("claim %s has no explanation", name)
		}
	}
	if meaning, _ := fieldByName(t, inspected, "headerParameters", "kid")["meaning"].(string); !strings.Contains(meaning, "Key ID") {
		t.Errorf("kid meaning = %q, want it to explain the key ID", meaning)
	}
	exp := fieldByName(t, inspected, "claims", "exp")
	wantField(t, exp, "time", "2026-12-04T19:04:00Z")
	wantField(t, exp, "relative", "expires in 4 min")
	wantField(t, fieldByName(t, inspected, "claims", "iat"), "relative", "issued 0 s ago")

	result := verification(t, inspected)
	if result["valid"] != true || result["username"] != "ada" {
		t.Errorf("verification = %v, want valid for ada", result)
	}

	c.advance(2*3600 + 240)
	exp = fieldByName(t, c.inspect(token), "claims", "exp")
	wantField(t, exp, "relative", "expired 2 h ago")
}

func TestInspectReportsSameCauseAsData(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	key := c.signingKey()
	now := clockStart.Unix()
	sign := func(claims jwt.MapClaims) string {
		return signToken(t, jwt.SigningMethodHS256, key, claims)
	}
	c.putSettings(`{"issuer":"learn","audience":"course-api","denylist":true}`)
	good := jwt.MapClaims{"sub": "ada", "iss": "learn", "aud": "course-api", "exp": now + 600}
	with := func(name string, value any) jwt.MapClaims {
		claims := jwt.MapClaims{}
		for k, v := range good {
			claims[k] = v
		}
		if value == nil {
			delete(claims, name)
		} else {
			claims[name] = value
		}
		return claims
	}

	revoked := c.jwtLogin(`{"username":"ada"}`)
	wantStatus(t, c.do(http.MethodPost, "/jwt/logout", "", "Authorization", "Bearer "+revoked), http.StatusOK)

	tests := []struct {
		name   string
		token  string
		reason string
	}{
		{"expired", sign(with("exp", now-10)), "expired"},
		{"not valid yet", sign(with("nbf", now+60)), "not_yet_valid"},
		{"signature invalid", tamperPayload(t, sign(good), true), "signature_invalid"},
		{"malformed", "abc.def", "malformed"},
		{"unverifiable", critToken(t, c), "unverifiable"},
		{"required claim missing", sign(with("exp", nil)), "claims_invalid"},
		{"wrong audience", sign(with("aud", "billing")), "audience_invalid"},
		{"wrong issuer", sign(with("iss", "evil")), "issuer_invalid"},
		{"unknown kid", c.signEdited(fmt.Sprintf(`{"header":{"alg":"HS256","kid":"nope"},"payload":{"sub":"ada","exp":%d}}`, now+600)), "unknown_kid"},
		{"algorithm not allowed", unsignedToken("none", map[string]any(good)), "algorithm_not_allowed"},
		{"revoked", revoked, "revoked"},
		{"too large", "a." + strings.Repeat("b", 9000) + ".c", "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantRejected(t, c.jwtData("Bearer "+tt.token), tt.reason)
			result := verification(t, c.inspect(tt.token))
			if result["valid"] != false {
				t.Errorf("valid = %v, want false", result["valid"])
			}
			wantField(t, result, "reason", tt.reason)
			if detail, _ := result["detail"].(string); detail == "" {
				t.Error("detail is empty")
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		wantStatus(t, c.jwtData("Bearer "+sign(good)), http.StatusOK)
		if result := verification(t, c.inspect(sign(good))); result["valid"] != true {
			t.Errorf("verification = %v, want valid", result)
		}
	})
}

// critToken returns an HS256 token from POST /sign whose header has a
// crit parameter.
func critToken(t testing.TB, c *client) string {
	t.Helper()
	return c.signEdited(fmt.Sprintf(`{"header":{"alg":"HS256","crit":["exp"]},"payload":{"sub":"ada","exp":%d}}`, clockStart.Unix()+600))
}

func TestInspectWarnings(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	header := `{"alg":"HS256","kid":"hs256-1","jwk":{"kty":"oct","k":"c2VjcmV0"},"jku":"https://example.test/jwks","x5u":"https://example.test/cert","x5c":["MIIB"]}`
	token := c.signEdited(fmt.Sprintf(`{"header":%s,"payload":{"sub":"ada","exp":%d}}`, header, clockStart.Unix()+600))
	inspected := c.inspect(token)

	messages := fmt.Sprint(inspected["warnings"])
	for _, name := range []string{"jwk", "jku", "x5u", "x5c"} {
		if !strings.Contains(messages, "The header has "+name+", which the playground ignores") {
			t.Errorf("no warning for the %s header: %s", name, messages)
		}
	}
	if result := verification(t, inspected); result["valid"] != true {
		t.Errorf("key headers changed the verification: %v", result)
	}

	unsigned := c.inspect(unsignedToken("NONE", map[string]any{"sub": "ada"}))
	codes := fmt.Sprint(unsigned["warnings"])
	for _, code := range []string{"alg_none", "exp_missing"} {
		if !strings.Contains(codes, code) {
			t.Errorf("warnings = %s, want %s", codes, code)
		}
	}
	// A none token is checked with no key, so the note about the HS256
	// key that a missing kid gets elsewhere would mislead.
	if strings.Contains(codes, "kid_missing") {
		t.Errorf("warnings = %s, want no kid_missing for a none token", codes)
	}
	keyless := c.inspect(unsignedToken("HS256", map[string]any{"sub": "ada"}))
	if !strings.Contains(fmt.Sprint(keyless["warnings"]), "kid_missing") {
		t.Errorf("an HS256 token without kid gets no kid_missing warning: %v", keyless["warnings"])
	}
}

func TestNonCanonicalSignatureRejected(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)

	// An HS256 signature is 32 bytes, 43 base64url characters. The last
	// character carries 2 unused low bits, so flipping its lowest bit
	// gives a string that lenient decoders read as the same bytes.
	last := token[len(token)-1]
	index := strings.IndexByte(base64URLAlphabet, last)
	changed := token[:len(token)-1] + string(base64URLAlphabet[index^1])
	parts := strings.Split(changed, ".")
	if len(parts[2]) != 43 {
		t.Fatalf("signature has %d characters, want 43", len(parts[2]))
	}

	body := wantRejected(t, c.jwtData("Bearer "+changed), "malformed")
	wantFieldContains(t, body, "detail", "signature is not valid unpadded base64url")

	inspected := c.inspect(changed)
	wantField(t, verification(t, inspected), "reason", "malformed")
	signature, _ := inspected["signature"].(map[string]any)
	wantFieldContains(t, signature, "error", "not canonical base64url")
}

func TestSignResignsOrKeepsSignature(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)
	exp := clockStart.Add(time.Hour).Unix()

	t.Run("resign", func(t *testing.T) {
		for _, alg := range []string{"HS384", "ES256", "EdDSA"} {
			resigned := c.signEdited(fmt.Sprintf(`{"header":{"alg":%q,"typ":"JWT"},"payload":{"sub":"bob","exp":%d},"resign":true}`, alg, exp))
			r := c.jwtData("Bearer " + resigned)
			wantStatus(t, r, http.StatusOK)
			wantField(t, r.json(t), "username", "bob")
		}
	})

	t.Run("keep the old signature", func(t *testing.T) {
		body, _ := json.Marshal(map[string]any{
			"payload": map[string]any{"sub": "bob", "exp": exp},
			"resign":  false,
			"token":   token,
		})
		r := c.postJSON("/sign", string(body))
		wantStatus(t, r, http.StatusOK)
		tampered, _ := r.json(t)["token"].(string)
		if strings.Split(tampered, ".")[2] != strings.Split(token, ".")[2] {
			t.Error("the signature changed although resign was false")
		}
		if strings.Split(tampered, ".")[0] != strings.Split(token, ".")[0] {
			t.Error("the header changed although none was sent")
		}
		wantRejected(t, c.jwtData("Bearer "+tampered), "signature_invalid")
	})

	t.Run("keep without a token", func(t *testing.T) {
		r := c.postJSON("/sign", `{"payload":{"sub":"bob"},"resign":false}`)
		wantStatus(t, r, http.StatusBadRequest)
	})
	t.Run("unknown alg", func(t *testing.T) {
		r := c.postJSON("/sign", `{"header":{"alg":"HS1"},"payload":{"sub":"bob"}}`)
		wantStatus(t, r, http.StatusBadRequest)
		wantFieldContains(t, r.json(t), "error", "HS256, HS384")
	})
	t.Run("payload not an object", func(t *testing.T) {
		r := c.postJSON("/sign", `{"header":{"alg":"HS256"},"payload":[1]}`)
		wantStatus(t, r, http.StatusBadRequest)
	})
}

func TestToolBodiesOver64KB(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	large := strings.Repeat("a", 64<<10)

	for _, path := range []string{"/inspect", "/sign"} {
		t.Run(path, func(t *testing.T) {
			r := c.postJSON(path, `{"token":"`+large+`"}`)
			wantStatus(t, r, http.StatusRequestEntityTooLarge)
		})
	}
	t.Run("inspect under the limit", func(t *testing.T) {
		r := c.postJSON("/inspect", `{"token":"`+strings.Repeat("a", 20<<10)+`"}`)
		wantStatus(t, r, http.StatusOK)
	})
}
