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
