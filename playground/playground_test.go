package playground_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"learn/learner"
	"learn/playground"
	"learn/storage/sqlite"
)

func TestNewChecksConfig(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/learn.db")
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	defer db.Close()
	key := randomKey(t)

	tests := []struct {
		name    string
		cfg     playground.Config
		wantErr string
	}{
		{"valid", playground.Config{Store: db, SessionKey: key}, ""},
		{"no store", playground.Config{SessionKey: key}, "store is nil"},
		{"short session key", playground.Config{Store: db, SessionKey: key[:16]}, "at least 32 bytes"},
		{"negative idle timeout", playground.Config{Store: db, SessionKey: key, IdleTimeout: -time.Second}, "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server, err := playground.New(tt.cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if server.Routes() == nil {
					t.Error("Routes returned nil")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// failingStore is a Store whose signing key and session lookups fail.
// Every other method works.
type failingStore struct {
	playground.Store
}

var errStoreDown = errors.New("database is locked")

func (failingStore) SigningKey(context.Context, learner.ID, []byte) ([]byte, error) {
	return nil, errStoreDown
}

func (failingStore) Session(context.Context, learner.ID, string) (playground.SessionRecord, error) {
	return playground.SessionRecord{}, errStoreDown
}

func TestStoreFailureReturns500(t *testing.T) {
	env := newEnv(t, envOptions{wrapStore: func(store playground.Store) playground.Store {
		return failingStore{Store: store}
	}})
	c := env.newClient()
	id := c.learnerID()
	token := signToken(t, jwt.SigningMethodHS256, randomKey(t), jwt.MapClaims{"sub": "ada", "iat": clockStart.Unix(), "exp": clockStart.Unix() + 60})

	// The failing store still creates sessions, so this login succeeds
	// and leaves a cookie whose lookup then fails.
	sessionValue := c.sessionLogin("ada")

	tests := []struct {
		name    string
		request func() response
		path    string
	}{
		{"jwt login", func() response { return c.postJSON("/jwt/login", `{"username":"ada"}`) }, "/playground/api/jwt/login"},
		{"jwt data", func() response { return c.jwtData("Bearer " + token) }, "/playground/api/jwt/data"},
		{"session data", func() response { return c.get("/session/data") }, "/playground/api/session/data"},
		{"session login", func() response { return c.postJSON("/session/login", `{"username":"ada"}`) }, "/playground/api/session/login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.request()
			wantStatus(t, r, http.StatusInternalServerError)
			wantFieldContains(t, r.json(t), "error", "server error")
			if strings.Contains(string(r.body), errStoreDown.Error()) {
				t.Error("500 body reveals the store error")
			}

			logs := env.logs.String()
			for _, want := range []string{"playground request failed", "method=", "path=" + tt.path, "learner=" + string(id), errStoreDown.Error()} {
				if !strings.Contains(logs, want) {
					t.Errorf("log does not contain %q:\n%s", want, logs)
				}
			}
			if strings.Contains(logs, token) {
				t.Error("log contains the bearer token")
			}
			if strings.Contains(logs, sessionValue) {
				t.Error("log contains the session cookie value")
			}
		})
	}
}
