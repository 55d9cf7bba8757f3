package playground_test

import (
	"context"
	"sync"
	"testing"

	"learn/learner"
	"learn/playground"
)

func TestStateCacheFollowsWrites(t *testing.T) {
	env := newEnv(t, envOptions{})
	cache := playground.NewStateCache(env.db, 10)
	ctx := context.Background()
	id := learner.NewID()

	if offset, err := cache.ClockOffset(ctx, id); err != nil || offset != 0 {
		t.Fatalf("first ClockOffset = %d, %v; want 0, nil", offset, err)
	}
	if _, err := cache.AdvanceClock(ctx, id, 60, 1000); err != nil {
		t.Fatalf("AdvanceClock: %v", err)
	}
	if offset, _ := cache.ClockOffset(ctx, id); offset != 60 {
		t.Errorf("ClockOffset after an advance of 60 = %d, want 60", offset)
	}

	if _, err := cache.Settings(ctx, id); err != nil {
		t.Fatalf("Settings: %v", err)
	}
	changed := playground.DefaultSettings()
	changed.Audience = "course"
	if err := cache.SaveSettings(ctx, id, changed); err != nil {
		t.Fatalf("SaveSettings: %v", err)
	}
	if settings, _ := cache.Settings(ctx, id); settings.Audience != "course" {
		t.Errorf("audience after SaveSettings = %q, want course", settings.Audience)
	}

	if err := cache.DeletePlaygroundData(ctx, id); err != nil {
		t.Fatalf("DeletePlaygroundData: %v", err)
	}
	if offset, _ := cache.ClockOffset(ctx, id); offset != 0 {
		t.Errorf("ClockOffset after deletion = %d, want 0", offset)
	}
	if settings, _ := cache.Settings(ctx, id); settings != playground.DefaultSettings() {
		t.Errorf("settings after deletion = %+v, want the defaults", settings)
	}
}

func TestStateCacheIsBounded(t *testing.T) {
	env := newEnv(t, envOptions{})
	const capacity = 5
	cache := playground.NewStateCache(env.db, capacity)
	ctx := context.Background()

	for range 3 * capacity {
		id := learner.NewID()
		if _, err := cache.ClockOffset(ctx, id); err != nil {
			t.Fatalf("ClockOffset: %v", err)
		}
		if _, err := cache.Settings(ctx, id); err != nil {
			t.Fatalf("Settings: %v", err)
		}
	}
	offsets, settings := playground.CachedStates(cache)
	if offsets > capacity || settings > capacity {
		t.Errorf("cache holds %d offsets and %d settings, over its capacity of %d", offsets, settings, capacity)
	}
	if offsets == 0 || settings == 0 {
		t.Errorf("cache holds %d offsets and %d settings, want some of each", offsets, settings)
	}
}

// TestStateCacheConcurrentAdvances reads and advances one learner's clock
// from many goroutines. A read that raced an advance must not leave the
// old offset in the cache.
func TestStateCacheConcurrentAdvances(t *testing.T) {
	env := newEnv(t, envOptions{})
	cache := playground.NewStateCache(env.db, 10)
	ctx := context.Background()
	id := learner.NewID()

	const advances = 40
	var wg sync.WaitGroup
	for range advances {
		wg.Go(func() {
			if _, err := cache.AdvanceClock(ctx, id, 1, 1000); err != nil {
				t.Errorf("AdvanceClock: %v", err)
			}
		})
		wg.Go(func() {
			if _, err := cache.ClockOffset(ctx, id); err != nil {
				t.Errorf("ClockOffset: %v", err)
			}
		})
	}
	wg.Wait()

	if offset, _ := cache.ClockOffset(ctx, id); offset != advances {
		t.Errorf("cached offset = %d after %d advances of 1", offset, advances)
	}
	if stored, _ := env.db.ClockOffset(ctx, id); stored != advances {
		t.Errorf("stored offset = %d after %d advances of 1", stored, advances)
	}
}
