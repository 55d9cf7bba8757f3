package playground_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"learn/learner"
	"learn/playground"
)

// transcript returns the client's recorded exchanges.
func (c *client) transcript() []playground.Exchange {
	c.t.Helper()
	r := c.get("/transcript")
	wantStatus(c.t, r, http.StatusOK)
	var body struct {
		Exchanges []playground.Exchange `json:"exchanges"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		c.t.Fatalf("decode transcript: %v\n%s", err, r.body)
	}
	if body.Exchanges == nil {
		c.t.Fatalf("transcript has no exchanges array: %s", r.body)
	}
	return body.Exchanges
}

func (c *client) clearTranscript() {
	c.t.Helper()
	r := c.do(http.MethodDelete, "/transcript", "")
	wantStatus(c.t, r, http.StatusOK)
}

func TestTranscriptRecordsExchanges(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.learnerID()
	c.clearTranscript()

	token := c.jwtLogin(`{"username":"ada"}`)
	c.jwtData("Bearer " + token)
	sessionValue := c.sessionLogin("ada")
	c.get("/session/data")

	exchanges := c.transcript()
	if len(exchanges) != 4 {
		t.Fatalf("transcript has %d exchanges, want 4: %+v", len(exchanges), exchanges)
	}

	wantExchanges := []struct {
		method string
		path   string
		status int
	}{
		{"POST", "/playground/api/jwt/login", 200},
		{"GET", "/playground/api/jwt/data", 200},
		{"POST", "/playground/api/session/login", 200},
		{"GET", "/playground/api/session/data", 200},
	}
	for i, want := range wantExchanges {
		got := exchanges[i]
		if got.Method != want.method || got.Path != want.path {
			t.Errorf("exchange %d = %s %s, want %s %s", i, got.Method, got.Path, want.method, want.path)
		}
		if got.Status != want.status {
			t.Errorf("exchange %d status = %d, want %d", i, got.Status, want.status)
		}
		if !got.Time.Equal(clockStart) {
			t.Errorf("exchange %d time = %v, want %v", i, got.Time, clockStart)
		}
	}

	if got := exchanges[0].ResponseBody; !strings.Contains(got, token) {
		t.Errorf("login response body = %q, want it to contain the token", got)
	}
	if got := exchanges[1].Authorization; got != "Bearer "+token {
		t.Errorf("Authorization = %q, want the header as sent", got)
	}
	if exchanges[1].AuthorizationTruncated {
		t.Error("AuthorizationTruncated = true for a short header")
	}

	abbreviated := "pg_session=" + sessionValue[:12] + "…"
	if got := exchanges[2].SetCookie; !strings.HasPrefix(got, abbreviated+"; Path=/;") || !strings.Contains(got, "HttpOnly") {
		t.Errorf("login SetCookie = %q, want %q with its attributes", got, abbreviated)
	}
	if got := exchanges[3].Cookie; got != abbreviated {
		t.Errorf("Cookie = %q, want %q", got, abbreviated)
	}
	if got := exchanges[0].Cookie; got != "" {
		t.Errorf("Cookie of a request without pg_session = %q, want empty", got)
	}

	raw := string(c.get("/transcript").body)
	learnerValue := c.cookie(learner.CookieName)
	if strings.Contains(raw, learnerValue) {
		t.Error("transcript contains the learn_learner cookie value")
	}
	if strings.Contains(raw, learner.CookieName) {
		t.Error("transcript mentions the learn_learner cookie")
	}
	if strings.Contains(raw, sessionValue) {
		t.Error("transcript contains the whole pg_session cookie value")
	}
}

func TestTranscriptTruncatesAuthorization(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.learnerID()
	c.clearTranscript()

	header := "Bearer " + strings.Repeat("x", 1500)
	c.jwtData(header)

	exchanges := c.transcript()
	if len(exchanges) != 1 {
		t.Fatalf("transcript has %d exchanges, want 1", len(exchanges))
	}
	if got, want := exchanges[0].Authorization, header[:1000]+"…"; got != want {
		t.Errorf("Authorization has %d characters, want the first 1000 and an ellipsis", len([]rune(got)))
	}
	if !exchanges[0].AuthorizationTruncated {
		t.Error("AuthorizationTruncated = false, want true")
	}
}

func TestTranscriptKeepsLast50(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.learnerID()
	c.clearTranscript()

	for range 55 {
		c.advance(1)
	}

	exchanges := c.transcript()
	if len(exchanges) != 50 {
		t.Fatalf("transcript has %d exchanges, want 50", len(exchanges))
	}
	for i, exchange := range exchanges {
		want := fmt.Sprintf(`"offsetSeconds":%d}`, i+6)
		if !strings.Contains(exchange.ResponseBody, want) {
			t.Errorf("exchange %d body = %q, want it to contain %s (oldest first)", i, exchange.ResponseBody, want)
		}
	}
}

func TestTranscriptRoutesNotRecorded(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.advance(5)

	if n := len(c.transcript()); n != 1 {
		t.Errorf("transcript has %d exchanges, want 1", n)
	}
	if n := len(c.transcript()); n != 1 {
		t.Errorf("reading the transcript recorded it: %d exchanges, want 1", n)
	}

	r := c.do(http.MethodDelete, "/transcript", "")
	wantStatus(t, r, http.StatusOK)
	wantField(t, r.json(t), "message", "Transcript cleared")
	if n := len(c.transcript()); n != 0 {
		t.Errorf("transcript has %d exchanges after clearing, want 0", n)
	}
}

func TestTranscriptRecordsErrors(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.learnerID()
	c.clearTranscript()

	c.do(http.MethodGet, "/jwt/login", "")
	c.get("/no/such/route")
	c.jwtData("Basic xyz")

	exchanges := c.transcript()
	if len(exchanges) != 3 {
		t.Fatalf("transcript has %d exchanges, want 3", len(exchanges))
	}
	wantStatuses := []int{405, 404, 401}
	for i, want := range wantStatuses {
		if exchanges[i].Status != want {
			t.Errorf("exchange %d status = %d, want %d", i, exchanges[i].Status, want)
		}
	}
	if !strings.Contains(exchanges[2].ResponseBody, `"reason":"wrong_scheme"`) {
		t.Errorf("401 body = %q, want the wrong_scheme reason", exchanges[2].ResponseBody)
	}
}

func TestTranscriptPerLearner(t *testing.T) {
	env := newEnv(t, envOptions{})
	ada := env.newClient()
	bob := env.newClient()

	ada.advance(1)
	ada.advance(2)
	bob.advance(3)

	if n := len(ada.transcript()); n != 2 {
		t.Errorf("Ada's transcript has %d exchanges, want 2", n)
	}
	bobs := bob.transcript()
	if len(bobs) != 1 {
		t.Fatalf("Bob's transcript has %d exchanges, want 1", len(bobs))
	}
	if !strings.Contains(bobs[0].ResponseBody, `"offsetSeconds":3`) {
		t.Errorf("Bob's exchange body = %q, want his own clock", bobs[0].ResponseBody)
	}
}

func TestTranscriptRecordsBodyAndChallenge(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.learnerID()
	c.clearTranscript()

	c.postJSON("/jwt/login", `{"username":"ada","expiresIn":60}`)
	c.get("/jwt/data", "Authorization", "Bearer not.a.jwt")

	exchanges := c.transcript()
	if len(exchanges) != 2 {
		t.Fatalf("transcript has %d exchanges, want 2", len(exchanges))
	}
	login, call := exchanges[0], exchanges[1]
	if login.RequestBody != `{"username":"ada","expiresIn":60}` {
		t.Errorf("login request body = %q, want the JSON sent", login.RequestBody)
	}
	if login.WWWAuthenticate != "" {
		t.Errorf("a 200 recorded a challenge: %q", login.WWWAuthenticate)
	}
	if call.Status != http.StatusUnauthorized {
		t.Fatalf("call status = %d, want 401", call.Status)
	}
	if !strings.HasPrefix(call.WWWAuthenticate, "Bearer ") || !strings.Contains(call.WWWAuthenticate, "invalid_token") {
		t.Errorf("401 challenge = %q, want a Bearer invalid_token challenge", call.WWWAuthenticate)
	}
}

func TestTranscriptTruncatesRequestBody(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.learnerID()
	c.clearTranscript()

	// A long but valid-length username is rejected after being read, so
	// the whole body passes through the recorder.
	c.postJSON("/jwt/login", `{"username":"`+strings.Repeat("a", 3000)+`"}`)

	exchanges := c.transcript()
	if len(exchanges) != 1 {
		t.Fatalf("transcript has %d exchanges, want 1", len(exchanges))
	}
	if got := len(exchanges[0].RequestBody); got != 2000 || !exchanges[0].RequestBodyTruncated {
		t.Errorf("request body kept %d bytes, truncated=%v; want 2000 and true", got, exchanges[0].RequestBodyTruncated)
	}
}
