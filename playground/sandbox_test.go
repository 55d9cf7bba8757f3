package playground_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"learn/learner"
	"learn/playground"
)

// activityCounter counts the activity writes that reach the store.
type activityCounter struct {
	playground.Store
	touches atomic.Int64
	creates atomic.Int64
}

func (s *activityCounter) TouchSandbox(ctx context.Context, id learner.ID, now time.Time) (bool, error) {
	s.touches.Add(1)
	return s.Store.TouchSandbox(ctx, id, now)
}

func (s *activityCounter) CreateSandbox(ctx context.Context, id learner.ID, now time.Time, maxSandboxes int) ([]learner.ID, error) {
	s.creates.Add(1)
	return s.Store.CreateSandbox(ctx, id, now, maxSandboxes)
}

func countSandboxes(t testing.TB, env *testEnv) int {
	t.Helper()
	n, err := env.db.CountSandboxes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func learnerRows(t testing.TB, env *testEnv, id learner.ID) map[string]int {
	t.Helper()
	counts, err := env.db.CountLearnerRows(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func TestActivityWrittenOncePerMinute(t *testing.T) {
	counter := &activityCounter{}
	env := newEnv(t, envOptions{wrapStore: func(s playground.Store) playground.Store {
		counter.Store = s
		return counter
	}})
	c := env.newClient()

	for range 5 {
		wantStatus(t, c.get("/clock"), http.StatusOK)
	}
	if got := counter.touches.Load(); got != 1 {
		t.Errorf("5 requests in the same second wrote activity %d times, want 1", got)
	}
	if got := counter.creates.Load(); got != 1 {
		t.Errorf("the first requests created %d sandboxes, want 1", got)
	}

	env.clock.Add(59 * time.Second)
	wantStatus(t, c.get("/clock"), http.StatusOK)
	if got := counter.touches.Load(); got != 1 {
		t.Errorf("a request 59 s later wrote activity; writes = %d, want 1", got)
	}

	env.clock.Add(time.Second)
	wantStatus(t, c.get("/clock"), http.StatusOK)
	if got := counter.touches.Load(); got != 2 {
		t.Errorf("a request a minute later did not write activity; writes = %d, want 2", got)
	}
	if got := counter.creates.Load(); got != 1 {
		t.Errorf("a known learner created another sandbox; creates = %d, want 1", got)
	}
}

func TestNewSandboxRateLimit(t *testing.T) {
	env := newEnv(t, envOptions{newSandboxesPerMinute: 3})

	first := []*client{env.newClient(), env.newClient(), env.newClient()}
	for _, c := range first {
		wantStatus(t, c.get("/clock"), http.StatusOK)
	}

	late := env.newClient()
	r := late.get("/clock")
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := r.header.Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60 seconds", got)
	}
	body := r.json(t)
	wantField(t, body, "error", "Too many new sandboxes")
	wantFieldContains(t, body, "detail", "more than 3 new playground sandboxes")
	wantFieldContains(t, body, "detail", "Wait 60 seconds")

	if n := countSandboxes(t, env); n != 3 {
		t.Errorf("%d sandboxes exist, want the 3 allowed", n)
	}
	for table, n := range learnerRows(t, env, late.learnerID()) {
		if n != 0 {
			t.Errorf("the rejected learner has %d rows in %s", n, table)
		}
	}

	// Learners who have a sandbox are not new, even when their activity
	// is written again after a minute on the server's clock.
	env.clock.Add(2 * time.Minute)
	for _, c := range first {
		wantStatus(t, c.jwtData("Bearer "+c.jwtLogin(`{"username":"ada"}`)), http.StatusOK)
	}
	wantStatus(t, late.get("/clock"), http.StatusTooManyRequests)
}

func TestSandboxEvictionKeepsRecentLearners(t *testing.T) {
	const maxSandboxes, learners = 50, 200
	// One more new sandbox is allowed for the returning learner below.
	env := newEnv(t, envOptions{maxSandboxes: maxSandboxes, newSandboxesPerMinute: learners + 1})
	ctx := context.Background()

	type sandbox struct {
		client  *client
		id      learner.ID
		token   string
		session string
	}
	all := make([]sandbox, learners)
	for i := range all {
		// Each learner arrives a second after the one before.
		env.clock.Add(time.Second)
		c := env.newClient()
		username := fmt.Sprintf("learner%d", i)
		token := c.jwtLogin(fmt.Sprintf(`{"username":%q}`, username))
		session := c.sessionLogin(username)
		all[i] = sandbox{client: c, id: c.learnerID(), token: token, session: session}

		if n := countSandboxes(t, env); n > maxSandboxes {
			t.Fatalf("after learner %d, %d sandboxes exist, more than the maximum %d", i, n, maxSandboxes)
		}
	}
	if n := countSandboxes(t, env); n != maxSandboxes {
		t.Errorf("%d sandboxes exist after %d learners, want %d", n, learners, maxSandboxes)
	}

	evicted, recent := all[:learners-maxSandboxes], all[learners-maxSandboxes:]
	for i, s := range evicted {
		for table, n := range learnerRows(t, env, s.id) {
			if n != 0 {
				t.Errorf("evicted learner %d keeps %d rows in %s", i, n, table)
			}
		}
	}
	for i, s := range recent {
		counts := learnerRows(t, env, s.id)
		for _, table := range []string{"playground_activity", "playground_signing_keys", "playground_sessions"} {
			if counts[table] != 1 {
				t.Errorf("recent learner %d has %d rows in %s, want 1", i, counts[table], table)
			}
		}
	}

	// Each recent learner's token and session work for them and for no
	// one else.
	for i, s := range recent {
		wantStatus(t, s.client.jwtData("Bearer "+s.token), http.StatusOK)
		wantStatus(t, s.client.get("/session/data"), http.StatusOK)

		other := recent[(i+1)%len(recent)]
		wantRejected(t, other.client.jwtData("Bearer "+s.token), "signature_invalid")
		other.client.setCookie(sessionCookie, s.session)
		wantNotAuthenticated(t, other.client.get("/session/data"), "no session for this pg_session cookie")
		other.client.setCookie(sessionCookie, other.session)
	}

	// An evicted learner who comes back gets a new, empty sandbox: the
	// old token and session no longer work, and the bound still holds.
	back := evicted[0]
	wantRejected(t, back.client.jwtData("Bearer "+back.token), "signature_invalid")
	wantNotAuthenticated(t, back.client.get("/session/data"), "no session for this pg_session cookie")
	if n, err := env.db.CountSandboxes(ctx); err != nil || n != maxSandboxes {
		t.Errorf("after a returning learner, %d sandboxes exist (err %v), want %d", n, err, maxSandboxes)
	}
	if counts := learnerRows(t, env, recent[0].id); counts["playground_activity"] != 0 {
		t.Errorf("the returning learner did not evict the least recently used sandbox: %v", counts)
	}
}

func TestEvictionSparesActiveLearner(t *testing.T) {
	const maxSandboxes = 3
	env := newEnv(t, envOptions{maxSandboxes: maxSandboxes})
	regular := env.newClient()
	token := regular.jwtLogin(`{"username":"ada"}`)

	// The regular learner, the oldest sandbox, keeps using the playground
	// while newer learners come and go.
	for range 10 {
		env.clock.Add(time.Minute)
		wantStatus(t, regular.jwtData("Bearer "+token), http.StatusOK)
		env.clock.Add(time.Second)
		wantStatus(t, env.newClient().get("/clock"), http.StatusOK)
	}

	if n := countSandboxes(t, env); n != maxSandboxes {
		t.Errorf("%d sandboxes exist, want %d", n, maxSandboxes)
	}
	if counts := learnerRows(t, env, regular.learnerID()); counts["playground_signing_keys"] != 1 {
		t.Errorf("the active learner lost their sandbox: %v", counts)
	}
}

func TestSandboxBoundsMustNotBeNegative(t *testing.T) {
	tests := []struct {
		name   string
		config playground.Config
		want   string
	}{
		{"max sandboxes", playground.Config{MaxSandboxes: -1}, "maximum sandbox count is -1"},
		{"new sandboxes per minute", playground.Config{NewSandboxesPerMinute: -1}, "new sandboxes per minute is -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.config.Store = failingStore{}
			tt.config.SessionKey = make([]byte, 32)
			_, err := playground.New(tt.config)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
