package playground_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"learn/playground"
)

var labAlgorithms = []string{"HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"}

// loginWith logs in with alg and returns the token.
func (c *client) loginWith(alg string) string {
	c.t.Helper()
	return c.jwtLogin(fmt.Sprintf(`{"username":"ada","alg":%q}`, alg))
}

// putSettings changes settings and fails the test unless it succeeds.
func (c *client) putSettings(body string) map[string]any {
	c.t.Helper()
	r := c.do(http.MethodPut, "/settings", body, "Content-Type", "application/json")
	wantStatus(c.t, r, http.StatusOK)
	return r.json(c.t)
}

// signEdited calls POST /sign and returns the token.
func (c *client) signEdited(body string) string {
	c.t.Helper()
	r := c.postJSON("/sign", body)
	wantStatus(c.t, r, http.StatusOK)
	token, _ := r.json(c.t)["token"].(string)
	return token
}

// inspect calls POST /inspect with token.
func (c *client) inspect(token string) map[string]any {
	c.t.Helper()
	body, _ := json.Marshal(map[string]string{"token": token})
	r := c.postJSON("/inspect", string(body))
	wantStatus(c.t, r, http.StatusOK)
	return r.json(c.t)
}

// verification returns the verification object of an inspection.
func verification(t testing.TB, inspected map[string]any) map[string]any {
	t.Helper()
	result, ok := inspected["verification"].(map[string]any)
	if !ok {
		t.Fatalf("inspection has no verification object: %v", inspected)
	}
	return result
}

// unsignedToken returns a token with alg set as given and no signature.
func unsignedToken(alg string, claims map[string]any) string {
	header, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

func validClaims() map[string]any {
	return map[string]any{"sub": "ada", "iat": clockStart.Unix(), "exp": clockStart.Add(time.Hour).Unix()}
}

func TestLoginSignsWithEachAlgorithm(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	for _, alg := range labAlgorithms {
		t.Run(alg, func(t *testing.T) {
			r := c.postJSON("/jwt/login", fmt.Sprintf(`{"username":"ada","alg":%q}`, alg))
			wantStatus(t, r, http.StatusOK)
			body := r.json(t)
			wantField(t, body, "alg", alg)
			wantField(t, body, "kid", strings.ToLower(alg)+"-1")

			token, _ := body["token"].(string)
			header := decodeSegment(t, strings.Split(token, ".")[0])
			if header["alg"] != alg {
				t.Errorf("header alg = %v, want %s", header["alg"], alg)
			}
			if header["kid"] != strings.ToLower(alg)+"-1" {
				t.Errorf("header kid = %v, want %s-1", header["kid"], strings.ToLower(alg))
			}
			data := c.jwtData("Bearer " + token)
			wantStatus(t, data, http.StatusOK)
			wantField(t, data.json(t), "username", "ada")
		})
	}
}

func TestLoginRejectsUnknownAlgorithm(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	for _, alg := range []string{"none", "hs256", "HS999", "RS384", ""} {
		t.Run(alg, func(t *testing.T) {
			r := c.postJSON("/jwt/login", fmt.Sprintf(`{"username":"ada","alg":%q}`, alg))
			wantStatus(t, r, http.StatusBadRequest)
			wantFieldContains(t, r.json(t), "error", "HS256, HS384, HS512, RS256, PS256, ES256 or EdDSA")
		})
	}
}

// publicKeyFromJWK builds a Go public key from one JWK of the JWKS.
func publicKeyFromJWK(t testing.TB, jwk map[string]any) any {
	t.Helper()
	number := func(member string) *big.Int {
		text, _ := jwk[member].(string)
		data, err := base64.RawURLEncoding.Strict().DecodeString(text)
		if err != nil {
			t.Fatalf("JWK member %s is not base64url: %v", member, err)
		}
		return new(big.Int).SetBytes(data)
	}
	switch jwk["kty"] {
	case "RSA":
		return &rsa.PublicKey{N: number("n"), E: int(number("e").Int64())}
	case "EC":
		x, _ := base64.RawURLEncoding.DecodeString(jwk["x"].(string))
		y, _ := base64.RawURLEncoding.DecodeString(jwk["y"].(string))
		if len(x) != 32 || len(y) != 32 {
			t.Fatalf("P-256 coordinates are %d and %d bytes, want 32 each", len(x), len(y))
		}
		point := append(append([]byte{4}, x...), y...)
		key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
		if err != nil {
			t.Fatalf("parse EC JWK: %v", err)
		}
		return key
	case "OKP":
		x, _ := base64.RawURLEncoding.DecodeString(jwk["x"].(string))
		return ed25519.PublicKey(x)
	}
	t.Fatalf("JWK has unexpected kty %v", jwk["kty"])
	return nil
}

func TestJWKSPublishesPublicKeysOnly(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	tokens := map[string]string{}
	for _, alg := range labAlgorithms {
		tokens[alg] = c.loginWith(alg)
	}

	r := c.get("/jwks.json")
	wantStatus(t, r, http.StatusOK)
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(r.body, &set); err != nil {
		t.Fatalf("JWKS is not JSON: %v", err)
	}
	if strings.Contains(string(r.body), `"k"`) || strings.Contains(string(r.body), `"oct"`) || strings.Contains(string(r.body), `"d"`) {
		t.Errorf("JWKS contains a secret or private member: %s", r.body)
	}

	wantKinds := map[string]string{"RS256": "RSA", "PS256": "RSA", "ES256": "EC", "EdDSA": "OKP"}
	if len(set.Keys) != len(wantKinds) {
		t.Fatalf("JWKS has %d keys, want %d (no HMAC secrets): %s", len(set.Keys), len(wantKinds), r.body)
	}
	for _, jwk := range set.Keys {
		alg, _ := jwk["alg"].(string)
		t.Run(alg, func(t *testing.T) {
			if jwk["kty"] != wantKinds[alg] {
				t.Errorf("kty = %v, want %s", jwk["kty"], wantKinds[alg])
			}
			if jwk["use"] != "sig" {
				t.Errorf("use = %v, want sig", jwk["use"])
			}
			token := tokens[alg]
			header := decodeSegment(t, strings.Split(token, ".")[0])
			if jwk["kid"] != header["kid"] {
				t.Errorf("JWK kid = %v, token kid = %v", jwk["kid"], header["kid"])
			}

			// The published key alone verifies the learner's token.
			public := publicKeyFromJWK(t, jwk)
			parsed, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return public, nil },
				jwt.WithValidMethods([]string{alg}), jwt.WithTimeFunc(func() time.Time { return clockStart }))
			if err != nil || !parsed.Valid {
				t.Errorf("token does not verify with its published JWK: %v", err)
			}
		})
	}
}

func TestUnknownKeyIDRejected(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	tests := []struct {
		name   string
		header string
	}{
		{"invented kid", `{"alg":"HS256","kid":"no-such-key"}`},
		{"path as kid", `{"alg":"HS256","kid":"../../etc/passwd"}`},
		{"kid of a key not created yet", `{"alg":"HS256","kid":"rs256-1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := c.signEdited(fmt.Sprintf(`{"header":%s,"payload":{"sub":"ada","exp":%d}}`, tt.header, clockStart.Unix()+600))
			body := wantRejected(t, c.jwtData("Bearer "+token), "unknown_kid")
			wantFieldContains(t, body, "detail", "names no key of your sandbox")
		})
	}
}

func TestAlgorithmMustMatchKey(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.loginWith("ES256")
	c.loginWith("RS256")
	payload := fmt.Sprintf(`{"sub":"ada","exp":%d}`, clockStart.Unix()+600)

	tests := []struct {
		name   string
		header string
	}{
		{"HS256 naming the RSA key", `{"alg":"HS256","kid":"rs256-1"}`},
		{"HS256 naming the EC key", `{"alg":"HS256","kid":"es256-1"}`},
		{"PS256 naming the RS256 key", `{"alg":"PS256","kid":"rs256-1"}`},
		{"HS512 naming the HS256 key", `{"alg":"HS512","kid":"hs256-1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := c.signEdited(fmt.Sprintf(`{"header":%s,"payload":%s}`, tt.header, payload))
			body := wantRejected(t, c.jwtData("Bearer "+token), "algorithm_not_allowed")
			wantFieldContains(t, body, "detail", "Each key is used with exactly one algorithm")
		})
	}
}

func TestAlgNoneWithAllowList(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	for _, alg := range []string{"none", "None", "NONE", "nOnE"} {
		t.Run("on/"+alg, func(t *testing.T) {
			body := wantRejected(t, c.jwtData("Bearer "+unsignedToken(alg, validClaims())), "algorithm_not_allowed")
			wantFieldContains(t, body, "detail", "carries no signature")
		})
	}

	settings := c.putSettings(`{"algorithmAllowList":false}`)
	warnings, _ := settings["warnings"].([]any)
	if len(warnings) == 0 || !strings.Contains(fmt.Sprint(warnings), "anyone can write one") {
		t.Errorf("settings with the allow-list off carry no warning: %v", settings)
	}

	t.Run("off/none", func(t *testing.T) {
		r := c.jwtData("Bearer " + unsignedToken("none", validClaims()))
		wantStatus(t, r, http.StatusOK)
		wantField(t, r.json(t), "username", "ada")
	})
	for _, alg := range []string{"None", "NONE", "nOnE"} {
		t.Run("off/"+alg, func(t *testing.T) {
			body := wantRejected(t, c.jwtData("Bearer "+unsignedToken(alg, validClaims())), "unverifiable")
			wantFieldContains(t, body, "detail", "case-sensitive")
		})
	}
	t.Run("off/none with a signature", func(t *testing.T) {
		token := unsignedToken("none", validClaims()) + "c2ln"
		wantRejected(t, c.jwtData("Bearer "+token), "signature_invalid")
	})

	t.Run("other sandboxes keep the allow-list", func(t *testing.T) {
		other := env.newClient()
		wantRejected(t, other.jwtData("Bearer "+unsignedToken("none", validClaims())), "algorithm_not_allowed")
	})
}

func TestSettingsDefaultsAndValidation(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	r := c.get("/settings")
	wantStatus(t, r, http.StatusOK)
	var defaults map[string]any
	json.Unmarshal(r.body, &defaults)
	want := map[string]any{"leewaySeconds": float64(0), "algorithmAllowList": true, "requireExp": true, "audience": "", "issuer": "", "denylist": false,
		"sessionIdleSeconds": float64(1800), "sessionAbsoluteSeconds": float64(28800)}
	for field, value := range want {
		if defaults[field] != value {
			t.Errorf("default %s = %v, want %v", field, defaults[field], value)
		}
	}

	for _, leeway := range []string{"0", "300"} {
		t.Run("leeway "+leeway, func(t *testing.T) {
			body := c.putSettings(`{"leewaySeconds":` + leeway + `}`)
			if fmt.Sprint(body["leewaySeconds"]) != leeway {
				t.Errorf("leewaySeconds = %v, want %s", body["leewaySeconds"], leeway)
			}
		})
	}

	bad := []string{`-1`, `301`, `1.5`, `"5"`, `1e30`, `99999999999`, `99999999999999999999999`, `true`}
	for _, value := range bad {
		t.Run("leeway "+value, func(t *testing.T) {
			r := c.do(http.MethodPut, "/settings", `{"leewaySeconds":`+value+`}`, "Content-Type", "application/json")
			wantStatus(t, r, http.StatusBadRequest)
			wantFieldContains(t, r.json(t), "error", "from 0 to 300")
		})
	}
	if got := c.get("/settings").json(t)["leewaySeconds"]; got != float64(300) {
		t.Errorf("rejected requests changed leewaySeconds to %v, want 300", got)
	}

	timeouts := []struct{ field, value, rule string }{
		{"sessionIdleSeconds", "59", "from 60 to 86400"},
		{"sessionIdleSeconds", "86401", "from 60 to 86400"},
		{"sessionIdleSeconds", "90.5", "from 60 to 86400"},
		{"sessionIdleSeconds", `"600"`, "from 60 to 86400"},
		{"sessionAbsoluteSeconds", "0", "from 60 to 2592000"},
		{"sessionAbsoluteSeconds", "2592001", "from 60 to 2592000"},
		{"sessionAbsoluteSeconds", "1e12", "from 60 to 2592000"},
	}
	for _, tt := range timeouts {
		t.Run(tt.field+" "+tt.value, func(t *testing.T) {
			r := c.do(http.MethodPut, "/settings", `{"`+tt.field+`":`+tt.value+`}`, "Content-Type", "application/json")
			wantStatus(t, r, http.StatusBadRequest)
			wantFieldContains(t, r.json(t), "error", tt.rule)
		})
	}
	t.Run("absolute shorter than idle", func(t *testing.T) {
		body := c.putSettings(`{"sessionIdleSeconds":3600,"sessionAbsoluteSeconds":600}`)
		warnings := fmt.Sprint(body["warnings"])
		if !strings.Contains(warnings, "shorter than the idle timeout") {
			t.Errorf("warnings = %s, want one about the absolute timeout", warnings)
		}
	})

	t.Run("audience with a control character", func(t *testing.T) {
		r := c.do(http.MethodPut, "/settings", `{"audience":"a\u0000b"}`, "Content-Type", "application/json")
		wantStatus(t, r, http.StatusBadRequest)
	})
	t.Run("unknown field", func(t *testing.T) {
		r := c.do(http.MethodPut, "/settings", `{"leeway":5}`, "Content-Type", "application/json")
		wantStatus(t, r, http.StatusBadRequest)
	})
}

func TestLeewayExtendsExpiry(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada","expiresIn":60}`)

	c.advance(70)
	wantRejected(t, c.jwtData("Bearer "+token), "expired")

	c.putSettings(`{"leewaySeconds":30}`)
	wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)

	c.advance(20)
	body := wantRejected(t, c.jwtData("Bearer "+token), "expired")
	wantFieldContains(t, body, "detail", "more than the leeway of 30 seconds")
}

func TestExpirationRequiredSetting(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	token := signToken(t, jwt.SigningMethodHS256, c.signingKey(), jwt.MapClaims{"sub": "ada"})

	wantRejected(t, c.jwtData("Bearer "+token), "claims_invalid")
	c.putSettings(`{"requireExp":false}`)
	wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)
}

func TestAudienceAndIssuerChecks(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.putSettings(`{"audience":"course-api","issuer":"learn"}`)

	token := c.jwtLogin(`{"username":"ada"}`)
	claims := decodeSegment(t, strings.Split(token, ".")[1])
	if fmt.Sprint(claims["aud"]) != "[course-api]" {
		t.Errorf("aud = %v, want [course-api]", claims["aud"])
	}
	if claims["iss"] != "learn" {
		t.Errorf("iss = %v, want learn", claims["iss"])
	}
	wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)

	key := c.signingKey()
	exp := clockStart.Add(time.Hour).Unix()
	tests := []struct {
		name   string
		claims jwt.MapClaims
		reason string
	}{
		{"no aud", jwt.MapClaims{"sub": "ada", "exp": exp, "iss": "learn"}, "audience_invalid"},
		{"other aud", jwt.MapClaims{"sub": "ada", "exp": exp, "iss": "learn", "aud": "billing"}, "audience_invalid"},
		{"aud list with it", jwt.MapClaims{"sub": "ada", "exp": exp, "iss": "learn", "aud": []string{"billing", "course-api"}}, ""},
		{"no iss", jwt.MapClaims{"sub": "ada", "exp": exp, "aud": "course-api"}, "issuer_invalid"},
		{"other iss", jwt.MapClaims{"sub": "ada", "exp": exp, "aud": "course-api", "iss": "evil"}, "issuer_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.jwtData("Bearer " + signToken(t, jwt.SigningMethodHS256, key, tt.claims))
			if tt.reason == "" {
				wantStatus(t, r, http.StatusOK)
				return
			}
			wantRejected(t, r, tt.reason)
		})
	}

	c.putSettings(`{"audience":"other"}`)
	wantRejected(t, c.jwtData("Bearer "+token), "audience_invalid")
}

func TestLogoutWithDenylist(t *testing.T) {
	env := newEnv(t, envOptions{})

	t.Run("denylist on", func(t *testing.T) {
		c := env.newClient()
		c.putSettings(`{"denylist":true}`)
		token := c.jwtLogin(`{"username":"ada","expiresIn":600}`)

		r := c.do(http.MethodPost, "/jwt/logout", "", "Authorization", "Bearer "+token)
		wantStatus(t, r, http.StatusOK)
		body := r.json(t)
		if body["revoked"] != true {
			t.Errorf("revoked = %v, want true", body["revoked"])
		}
		wantField(t, body, "revokedUntil", "2026-12-04T19:15:00Z")

		wantRejected(t, c.jwtData("Bearer "+token), "revoked")
		other := c.jwtLogin(`{"username":"ada"}`)
		wantStatus(t, c.jwtData("Bearer "+other), http.StatusOK)

		// Turning the denylist off stops the check.
		c.putSettings(`{"denylist":false}`)
		wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)
	})

	t.Run("denylist off", func(t *testing.T) {
		c := env.newClient()
		token := c.jwtLogin(`{"username":"ada"}`)
		r := c.do(http.MethodPost, "/jwt/logout", "", "Authorization", "Bearer "+token)
		wantStatus(t, r, http.StatusOK)
		if r.json(t)["revoked"] != false {
			t.Errorf("revoked = %v, want false", r.json(t)["revoked"])
		}
		wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)

		// Nothing was recorded, so turning the denylist on afterwards
		// does not revoke the token either.
		c.putSettings(`{"denylist":true}`)
		wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)
	})

	t.Run("without a token", func(t *testing.T) {
		c := env.newClient()
		wantRejected(t, c.do(http.MethodPost, "/jwt/logout", ""), "missing")
	})
}

func TestSandboxesAreIsolated(t *testing.T) {
	env := newEnv(t, envOptions{})
	ada := env.newClient()
	bob := env.newClient()

	adaToken := ada.loginWith("ES256")
	wantRejected(t, bob.jwtData("Bearer "+adaToken), "unknown_kid")

	bob.loginWith("ES256")
	wantRejected(t, bob.jwtData("Bearer "+adaToken), "signature_invalid")
	wantStatus(t, ada.jwtData("Bearer "+adaToken), http.StatusOK)

	// Settings belong to one sandbox too.
	ada.putSettings(`{"leewaySeconds":120}`)
	if got := bob.get("/settings").json(t)["leewaySeconds"]; got != float64(0) {
		t.Errorf("Bob's leeway = %v after Ada changed hers, want 0", got)
	}
}

func TestKeyCacheStaysBounded(t *testing.T) {
	env := newEnv(t, envOptions{keyCacheSize: 5})
	type issued struct {
		c     *client
		token string
	}
	var learners []issued
	for range 20 {
		c := env.newClient()
		learners = append(learners, issued{c, c.loginWith("EdDSA")})
		if got := env.playground.CachedKeySets(); got > 5 {
			t.Fatalf("cache holds %d key sets, want at most 5", got)
		}
	}
	if got := env.playground.CachedKeySets(); got != 5 {
		t.Errorf("cache holds %d key sets after 20 learners, want 5", got)
	}

	// Evicted learners' keys come back from SQLite unchanged.
	for i, l := range learners {
		if r := l.c.jwtData("Bearer " + l.token); r.status != http.StatusOK {
			t.Errorf("learner %d: status %d after eviction; body: %s", i, r.status, r.body)
		}
	}
}

func TestKeysSurviveRestart(t *testing.T) {
	first := newEnv(t, envOptions{})
	c := first.newClient()
	token := c.loginWith("PS256")
	first.close()

	second := newEnv(t, envOptions{dbPath: first.dbPath, learnerKey: first.learnerKey, sessionKey: first.sessionKey})
	wantStatus(t, c.withEnv(second).jwtData("Bearer "+token), http.StatusOK)
}

func TestDenylistIsBounded(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.putSettings(`{"denylist":true}`)
	id := c.learnerID()
	ctx := context.Background()
	until := clockStart.Add(time.Hour)
	for i := range playground.MaxDenylistEntries {
		if err := env.db.DenyToken(ctx, id, fmt.Sprintf("jti-%d", i), until, clockStart); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}

	token := c.jwtLogin(`{"username":"ada"}`)
	r := c.do(http.MethodPost, "/jwt/logout", "", "Authorization", "Bearer "+token)
	wantStatus(t, r, http.StatusConflict)
	wantFieldContains(t, r.json(t), "detail", "1000 live entries")
	wantStatus(t, c.jwtData("Bearer "+token), http.StatusOK)

	// An entry already on the list may be renewed, and entries leave when
	// their tokens have expired.
	if err := env.db.DenyToken(ctx, id, "jti-0", until, clockStart); err != nil {
		t.Errorf("renewing a listed jti: %v", err)
	}
	c.advance(3600)
	r = c.do(http.MethodPost, "/jwt/logout", "", "Authorization", "Bearer "+c.jwtLogin(`{"username":"ada"}`))
	wantStatus(t, r, http.StatusOK)
}
