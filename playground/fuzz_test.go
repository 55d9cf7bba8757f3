package playground_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"learn/learner"
)

// FuzzAuthorizationHeader sends arbitrary Authorization headers to
// GET /jwt/data. Every request must end in 200 or 401, with a JSON body,
// and every 401 must carry a Bearer challenge.
func FuzzAuthorizationHeader(f *testing.F) {
	env := newEnv(f, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)
	learnerCookie := &http.Cookie{Name: learner.CookieName, Value: c.cookie(learner.CookieName)}

	seeds := []string{
		"",
		"Bearer",
		"Bearer ",
		"Bearer a.b",
		"Bearer a.b.c",
		"Bearer " + token,
		"bearer " + token,
		"Bearer  " + token + " ",
		token,
		"Basic xyz",
		"Bearer " + token + "x",
		"Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ.",
		"Bearer ..",
		"Bearer \x00\xff.\xfe.",
		"Bearer " + strings.Repeat("a", 8193),
	}
	for _, seed := range seeds {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, header string) {
		req := httptest.NewRequest(http.MethodGet, api+"/jwt/data", nil)
		req.AddCookie(learnerCookie)
		req.Header.Set("Authorization", header)
		recorder := httptest.NewRecorder()
		env.handler.ServeHTTP(recorder, req)

		switch recorder.Code {
		case http.StatusOK:
		case http.StatusUnauthorized:
			if challenge := recorder.Header().Get("WWW-Authenticate"); !strings.HasPrefix(challenge, "Bearer ") {
				t.Errorf("401 with WWW-Authenticate %q, want a Bearer challenge", challenge)
			}
		default:
			t.Fatalf("status %d for Authorization %q; body: %s", recorder.Code, header, recorder.Body)
		}
		if !json.Valid(recorder.Body.Bytes()) {
			t.Errorf("body is not JSON: %s", recorder.Body)
		}
	})
}

// FuzzInspect sends arbitrary tokens to the inspector. Every request must
// end in 200 (an inspection, whatever the token) or 400 (an empty token),
// always with a JSON body.
func FuzzInspect(f *testing.F) {
	env := newEnv(f, envOptions{})
	c := env.newClient()
	token := c.jwtLogin(`{"username":"ada"}`)
	learnerCookie := &http.Cookie{Name: learner.CookieName, Value: c.cookie(learner.CookieName)}

	seeds := []string{
		token,
		token + "x",
		"a.b",
		"a.b.c",
		"..",
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZGEifQ.",
		"eyJhbGciOiJIUzI1NiIsImtpZCI6Ii4uLy4uL2V0Yy9wYXNzd2QifQ.e30.c2ln",
		"eyJhbGciOiJSUzI1NiIsImp3ayI6e319.e30.",
		"\x00\xff.\xfe.",
		" ",
	}
	for _, seed := range seeds {
		f.Add(seed)
	}

	f.Fuzz(func(t *testing.T, raw string) {
		body, err := json.Marshal(map[string]string{"token": raw})
		if err != nil {
			t.Skip("not representable as a JSON string")
		}
		req := httptest.NewRequest(http.MethodPost, api+"/inspect", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(learnerCookie)
		recorder := httptest.NewRecorder()
		env.handler.ServeHTTP(recorder, req)

		if recorder.Code != http.StatusOK && recorder.Code != http.StatusBadRequest && recorder.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d for token %q; body: %s", recorder.Code, raw, recorder.Body)
		}
		if !json.Valid(recorder.Body.Bytes()) {
			t.Errorf("body is not JSON: %s", recorder.Body)
		}
	})
}
