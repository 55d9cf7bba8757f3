package playground_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestPurgeIdleSessions(t *testing.T) {
	env := newEnv(t, envOptions{})
	idle := env.newClient()
	idle.sessionLogin("ada")
	fresh := env.newClient()

	// Real time moves past the longest idle timeout a learner may set, a
	// day; only then does fresh log in.
	env.clock.Add(24*time.Hour + time.Minute)
	fresh.sessionLogin("bob")

	deleted, err := env.playground.PurgeIdleSessions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if deleted != 1 {
		t.Errorf("purge deleted %d sessions, want the 1 idle one", deleted)
	}
	wantStatus(t, fresh.get("/session/data"), http.StatusOK)
	wantStatus(t, idle.get("/session/data"), http.StatusUnauthorized)
}

func TestPurgeSparesAdvancedClock(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	// A learner whose clock runs a day ahead logs in. Their last use is a
	// day in the future, so no real-time purge may touch it.
	c.advance(86400)
	c.sessionLogin("ada")
	env.clock.Add(10 * time.Minute)

	if deleted, err := env.playground.PurgeIdleSessions(context.Background()); err != nil || deleted != 0 {
		t.Fatalf("purge = %d, %v; want 0 deleted", deleted, err)
	}
	wantStatus(t, c.get("/session/data"), http.StatusOK)
}

func TestPurgeIdleSandboxes(t *testing.T) {
	env := newEnv(t, envOptions{})
	abandoned := env.newClient()
	oldToken := abandoned.jwtLogin(`{"username":"ada"}`)
	abandoned.sessionLogin("ada")
	abandonedID := abandoned.learnerID()

	// Thirty-one days later another learner uses the playground; only
	// the first sandbox is past the 30-day lifetime.
	env.clock.Add(31 * 24 * time.Hour)
	active := env.newClient()
	active.jwtLogin(`{"username":"bob"}`)

	purged, err := env.playground.PurgeIdleSandboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if purged != 1 {
		t.Fatalf("purged %d sandboxes, want 1", purged)
	}

	counts, err := env.db.CountLearnerRows(context.Background(), abandonedID)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range counts {
		if n != 0 {
			t.Errorf("table %s keeps %d rows of the purged learner", table, n)
		}
	}
	if counts, _ := env.db.CountLearnerRows(context.Background(), active.learnerID()); counts["playground_signing_keys"] != 1 {
		t.Errorf("the active learner lost their key: %v", counts)
	}

	// The purged learner's old token no longer verifies: their key is abandoned.
	r := abandoned.jwtData("Bearer " + oldToken)
	wantStatus(t, r, http.StatusUnauthorized)
}

func TestResetSandbox(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	other := env.newClient()
	otherToken := other.jwtLogin(`{"username":"bob"}`)

	c.putSettings(`{"leewaySeconds":60,"denylist":true}`)
	token := c.jwtLogin(`{"username":"ada"}`)
	c.sessionLogin("ada")
	c.advance(600)
	id := c.learnerID()

	r := c.postJSON("/reset", `{}`)
	wantStatus(t, r, http.StatusOK)
	wantFieldContains(t, r.json(t), "message", "quiz progress is unchanged")
	if c.learnerID() != id {
		t.Error("the reset changed the learner id")
	}

	if got := c.get("/clock").json(t)["offsetSeconds"]; got != float64(0) {
		t.Errorf("clock offset after reset = %v, want 0", got)
	}
	if got := c.get("/settings").json(t)["leewaySeconds"]; got != float64(0) {
		t.Errorf("leeway after reset = %v, want the default 0", got)
	}
	if exchanges := c.get("/transcript").json(t)["exchanges"].([]any); len(exchanges) != 0 {
		t.Errorf("transcript after reset has %d exchanges, want none", len(exchanges))
	}
	wantStatus(t, c.get("/session/data"), http.StatusUnauthorized)
	// The signing key is new, so the old token fails its signature.
	wantRejected(t, c.jwtData("Bearer "+token), "signature_invalid")
	wantStatus(t, c.jwtData("Bearer "+c.jwtLogin(`{"username":"ada"}`)), http.StatusOK)

	// Another learner's sandbox is untouched.
	wantStatus(t, other.jwtData("Bearer "+otherToken), http.StatusOK)
}
