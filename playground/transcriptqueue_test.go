package playground_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"learn/learner"
	"learn/playground"
	"learn/storage/sqlite"
)

// storedExchanges returns the learner's exchanges as the database holds
// them, without going through the playground's queue.
func storedExchanges(t testing.TB, db *sqlite.DB, id learner.ID) []playground.Exchange {
	t.Helper()
	exchanges, err := db.Exchanges(context.Background(), id)
	if err != nil {
		t.Fatalf("read stored exchanges: %v", err)
	}
	return exchanges
}

func TestTranscriptReadSeesPreviousRequest(t *testing.T) {
	env := newEnv(t, envOptions{})
	env.playground.HoldTranscriptWrites()
	c := env.newClient()
	id := c.learnerID()
	token := c.jwtLogin(`{"username":"ada"}`)

	for i := range 5 {
		c.jwtData("Bearer " + token)
		if queued := env.playground.QueuedExchanges(); queued == 0 {
			t.Fatalf("call %d: no exchange is queued, so the read below would not test the queue", i+1)
		}
		exchanges := c.transcript()
		if len(exchanges) != i+2 {
			t.Fatalf("after %d calls the transcript has %d exchanges, want %d", i+1, len(exchanges), i+2)
		}
		if last := exchanges[len(exchanges)-1]; last.Path != api+"/jwt/data" {
			t.Errorf("last exchange is %s %s, want GET %s/jwt/data", last.Method, last.Path, api)
		}
	}
	if stored := storedExchanges(t, env.db, id); len(stored) != 6 {
		t.Errorf("database holds %d exchanges, want 6", len(stored))
	}
}

func TestTranscriptWrittenOnClose(t *testing.T) {
	env := newEnv(t, envOptions{})
	env.playground.HoldTranscriptWrites()
	c := env.newClient()
	id := c.learnerID()
	c.jwtLogin(`{"username":"ada"}`)
	c.jwtData("Bearer not-a-token")

	if stored := storedExchanges(t, env.db, id); len(stored) != 0 {
		t.Fatalf("database holds %d exchanges before Close, want 0 while writes are held", len(stored))
	}
	env.close()

	db, err := sqlite.Open(context.Background(), env.dbPath)
	if err != nil {
		t.Fatalf("reopen database: %v", err)
	}
	defer db.Close()
	stored := storedExchanges(t, db, id)
	if len(stored) != 2 {
		t.Fatalf("database holds %d exchanges after Close, want 2", len(stored))
	}
	if stored[0].Path != api+"/jwt/login" || stored[1].Status != http.StatusUnauthorized {
		t.Errorf("stored exchanges are %s %d and %s %d, want the login and then a 401",
			stored[0].Path, stored[0].Status, stored[1].Path, stored[1].Status)
	}
}

func TestTranscriptBackgroundWrite(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	id := c.learnerID()
	c.jwtLogin(`{"username":"ada"}`)

	// The writer runs a few milliseconds after the request; five seconds
	// leaves room for a busy machine.
	deadline := time.Now().Add(5 * time.Second)
	for len(storedExchanges(t, env.db, id)) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the queued exchange was not written within five seconds")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDeletionDropsQueuedExchanges(t *testing.T) {
	tests := []struct {
		name   string
		delete func(t *testing.T, env *testEnv, c *client, id learner.ID)
	}{
		{"clear transcript", func(t *testing.T, env *testEnv, c *client, id learner.ID) {
			c.clearTranscript()
		}},
		{"delete learner", func(t *testing.T, env *testEnv, c *client, id learner.ID) {
			if err := env.playground.DeleteLearner(context.Background(), id); err != nil {
				t.Fatalf("delete learner: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, envOptions{})
			env.playground.HoldTranscriptWrites()
			c := env.newClient()
			id := c.learnerID()
			c.jwtLogin(`{"username":"ada"}`)
			if env.playground.QueuedExchanges() != 1 {
				t.Fatalf("%d exchanges queued, want 1", env.playground.QueuedExchanges())
			}

			tt.delete(t, env, c, id)
			if queued := env.playground.QueuedExchanges(); queued != 0 {
				t.Errorf("%d exchanges still queued after the deletion", queued)
			}
			if err := env.playground.Close(context.Background()); err != nil {
				t.Fatalf("close: %v", err)
			}
			if stored := storedExchanges(t, env.db, id); len(stored) != 0 {
				t.Errorf("database holds %d exchanges after the deletion and Close, want 0", len(stored))
			}
		})
	}
}

func TestTranscriptQueueIsBounded(t *testing.T) {
	env := newEnv(t, envOptions{})
	env.playground.HoldTranscriptWrites()
	ctx := context.Background()

	// Each learner holds at most 50 queued exchanges, so the bound needs
	// many learners to reach.
	learners := make([]learner.ID, 100)
	for i := range learners {
		learners[i] = learner.NewID()
	}
	total := playground.MaxQueuedExchanges + 100
	for i := range total {
		id := learners[i%len(learners)]
		exchange := playground.Exchange{Time: clockStart, Method: http.MethodGet, Path: api + "/jwt/data", Status: http.StatusOK}
		if err := env.playground.AddExchange(ctx, id, exchange); err != nil {
			t.Fatalf("add exchange %d: %v", i, err)
		}
		if queued := env.playground.QueuedExchanges(); queued >= playground.MaxQueuedExchanges {
			t.Fatalf("after %d exchanges %d are queued, at or over the bound of %d", i+1, queued, playground.MaxQueuedExchanges)
		}
	}

	written := 0
	for _, id := range learners {
		written += len(storedExchanges(t, env.db, id))
	}
	if written+env.playground.QueuedExchanges() != total {
		t.Errorf("%d exchanges written and %d queued, want %d in all", written, env.playground.QueuedExchanges(), total)
	}
}
