package playground_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// bodyLimit is the documented maximum request body of every route.
const bodyLimit = 64 << 10

// padJSON returns object followed by spaces, size bytes in all. JSON
// allows whitespace after the value, so the body stays valid.
func padJSON(t testing.TB, object string, size int) string {
	t.Helper()
	if len(object) > size {
		t.Fatalf("object of %d bytes does not fit in %d", len(object), size)
	}
	return object + strings.Repeat(" ", size-len(object))
}

func TestBodyLimitBoundary(t *testing.T) {
	env := newEnv(t, envOptions{})

	tests := []struct {
		name   string
		method string
		path   string
		object string
	}{
		{"JWT login", http.MethodPost, "/jwt/login", `{"username":"ada"}`},
		{"session login", http.MethodPost, "/session/login", `{"username":"ada"}`},
		{"clock", http.MethodPost, "/clock", `{"advanceSeconds":60}`},
		{"settings", http.MethodPut, "/settings", `{"leewaySeconds":5}`},
		{"inspect", http.MethodPost, "/inspect", `{"token":"a.b.c"}`},
		{"sign", http.MethodPost, "/sign", `{"header":{"alg":"HS256"},"payload":{"sub":"ada"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := env.newClient()
			c.t = t

			atLimit := padJSON(t, tt.object, bodyLimit)
			wantStatus(t, c.do(tt.method, tt.path, atLimit, "Content-Type", "application/json"), http.StatusOK)

			r := c.do(tt.method, tt.path, atLimit+" ", "Content-Type", "application/json")
			wantStatus(t, r, http.StatusRequestEntityTooLarge)
			wantFieldContains(t, r.json(t), "error", "larger than 65536 bytes")
		})
	}
}

func TestBodyOverLimitChangesNothing(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	c.advance(60)
	c.putSettings(`{"leewaySeconds":5}`)

	over := bodyLimit + 1
	wantStatus(t, c.do(http.MethodPost, "/clock", padJSON(t, `{"advanceSeconds":3600}`, over), "Content-Type", "application/json"),
		http.StatusRequestEntityTooLarge)
	wantStatus(t, c.do(http.MethodPut, "/settings", padJSON(t, `{"leewaySeconds":300}`, over), "Content-Type", "application/json"),
		http.StatusRequestEntityTooLarge)

	clock := c.get("/clock")
	wantStatus(t, clock, http.StatusOK)
	if offset, _ := clock.json(t)["offsetSeconds"].(float64); offset != 60 {
		t.Errorf("offsetSeconds = %v after a rejected advance, want 60", offset)
	}
	settings := c.get("/settings")
	wantStatus(t, settings, http.StatusOK)
	if leeway, _ := settings.json(t)["leewaySeconds"].(float64); leeway != 5 {
		t.Errorf("leewaySeconds = %v after a rejected change, want 5", leeway)
	}
}

func TestKeyIDIsOnlyALookupKey(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	ownToken := c.jwtLogin(`{"username":"ada"}`)
	claims := jwt.MapClaims{"sub": "ada", "iat": clockStart.Unix(), "exp": clockStart.Add(time.Hour).Unix()}

	// A server that read the key from the file the kid names would accept
	// this token, because it is signed with that file's content.
	keyFile := filepath.Join(t.TempDir(), "key")
	fileSecret := []byte("a secret that only this file holds, 32+ bytes")
	if err := os.WriteFile(keyFile, fileSecret, 0o600); err != nil {
		t.Fatal(err)
	}
	pathTests := []struct {
		name string
		kid  string
	}{
		{"absolute path", keyFile},
		{"relative path", "../../../../../../../../.." + keyFile},
		{"system file", "../../etc/passwd"},
	}
	for _, tt := range pathTests {
		t.Run(tt.name, func(t *testing.T) {
			token := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
			token.Header["kid"] = tt.kid
			signed, err := token.SignedString(fileSecret)
			if err != nil {
				t.Fatal(err)
			}
			wantRejected(t, c.jwtData("Bearer "+signed), "unknown_kid")
		})
	}

	// Signed with the learner's own key, these would verify if the kid
	// became part of the SQL text and matched the real key's row.
	sqlTests := []struct {
		name string
		kid  string
	}{
		{"always true", `' OR 1=1 --`},
		{"quoted always true", `hs256-1' OR '1'='1`},
		{"second statement", `x'; DELETE FROM playground_signing_keys; --`},
	}
	for _, tt := range sqlTests {
		t.Run(tt.name, func(t *testing.T) {
			header := fmt.Sprintf(`{"alg":"HS256","kid":%q}`, tt.kid)
			token := c.signEdited(fmt.Sprintf(`{"header":%s,"payload":{"sub":"ada","exp":%d}}`, header, clockStart.Unix()+600))
			wantRejected(t, c.jwtData("Bearer "+token), "unknown_kid")
		})
	}

	// The learner's own key and token are untouched.
	wantStatus(t, c.jwtData("Bearer "+ownToken), http.StatusOK)
	counts, err := env.db.CountLearnerRows(context.Background(), c.learnerID())
	if err != nil {
		t.Fatal(err)
	}
	if counts["playground_signing_keys"] != 1 {
		t.Errorf("playground_signing_keys has %d rows of the learner, want 1", counts["playground_signing_keys"])
	}
}
