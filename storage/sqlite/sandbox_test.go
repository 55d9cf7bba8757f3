package sqlite

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"learn/learner"
)

func TestTouchSandboxCreatesNone(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ada := learner.NewID()

	exists, err := db.TouchSandbox(ctx, ada, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Error("TouchSandbox reported a sandbox for a new learner")
	}
	if n, _ := db.CountSandboxes(ctx); n != 0 {
		t.Errorf("TouchSandbox created %d sandboxes, want 0", n)
	}

	if _, err := db.CreateSandbox(ctx, ada, time.Now(), 10); err != nil {
		t.Fatal(err)
	}
	exists, err = db.TouchSandbox(ctx, ada, time.Now())
	if err != nil || !exists {
		t.Errorf("TouchSandbox after CreateSandbox = %v, %v; want true", exists, err)
	}
}

func TestCreateSandboxEvictsLeastRecent(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	start := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

	ids := make([]learner.ID, 4)
	for i := range ids {
		ids[i] = learner.NewID()
		if evicted, err := db.CreateSandbox(ctx, ids[i], start.Add(time.Duration(i)*time.Minute), 4); err != nil || len(evicted) != 0 {
			t.Fatalf("CreateSandbox %d = %v, %v; want no eviction below the maximum", i, evicted, err)
		}
		if _, err := db.SigningKey(ctx, ids[i], make([]byte, 32)); err != nil {
			t.Fatal(err)
		}
	}

	// The first learner comes back, so the second is now the least
	// recently used.
	if exists, err := db.TouchSandbox(ctx, ids[0], start.Add(10*time.Minute)); err != nil || !exists {
		t.Fatalf("TouchSandbox for a known learner = %v, %v; want true", exists, err)
	}

	t.Run("known learner evicts nothing", func(t *testing.T) {
		evicted, err := db.CreateSandbox(ctx, ids[3], start.Add(11*time.Minute), 4)
		if err != nil || len(evicted) != 0 {
			t.Errorf("CreateSandbox for a known learner = %v, %v; want no eviction", evicted, err)
		}
	})

	t.Run("new learner at the maximum", func(t *testing.T) {
		evicted, err := db.CreateSandbox(ctx, learner.NewID(), start.Add(12*time.Minute), 4)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(evicted, []learner.ID{ids[1]}) {
			t.Errorf("evicted %v, want only the least recently used %v", evicted, ids[1])
		}
		counts, err := db.CountLearnerRows(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range counts {
			if n != 0 {
				t.Errorf("the evicted learner keeps %d rows in %s", n, table)
			}
		}
	})

	t.Run("lower maximum evicts down to it", func(t *testing.T) {
		evicted, err := db.CreateSandbox(ctx, learner.NewID(), start.Add(13*time.Minute), 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(evicted, []learner.ID{ids[2], ids[0], ids[3]}) {
			t.Errorf("evicted %v, want %v in order of last use", evicted, []learner.ID{ids[2], ids[0], ids[3]})
		}
		if n, _ := db.CountSandboxes(ctx); n != 2 {
			t.Errorf("%d sandboxes remain, want 2", n)
		}
	})
}

func TestCreateSandboxConcurrentBound(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	const maxSandboxes, learners = 5, 40

	var wg sync.WaitGroup
	errs := make(chan error, learners)
	for range learners {
		wg.Go(func() {
			if _, err := db.CreateSandbox(ctx, learner.NewID(), time.Now(), maxSandboxes); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := db.CountSandboxes(ctx); n != maxSandboxes {
		t.Errorf("%d sandboxes after %d concurrent new learners, want %d", n, learners, maxSandboxes)
	}
}
