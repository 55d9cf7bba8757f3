package playground

import (
	"context"
	"sync"
	"time"

	"learn/learner"
)

// stateCacheSize is how many learners' clock offsets, and separately how
// many learners' settings, a stateCache keeps. An entry takes well under
// a kilobyte, so each cache stays under a few megabytes.
const stateCacheSize = 10000

// stateCache wraps a Store and keeps the clock offsets and settings of
// recently used learners in memory, because every request to the
// playground reads both and they rarely change. Every method that writes
// or deletes them goes through the wrapper and drops the cached value
// after the store has changed.
//
// NOTE: the cache assumes that this process is the only writer of the
// store. A second server on the same database file would change clocks
// and settings that this one keeps serving from memory.
type stateCache struct {
	Store
	offsets  *boundedCache[int64]
	settings *boundedCache[Settings]
}

func newStateCache(store Store, capacity int) *stateCache {
	return &stateCache{
		Store:    store,
		offsets:  newBoundedCache[int64](capacity),
		settings: newBoundedCache[Settings](capacity),
	}
}

func (c *stateCache) ClockOffset(ctx context.Context, id learner.ID) (int64, error) {
	return readThrough(ctx, c.offsets, id, c.Store.ClockOffset)
}

func (c *stateCache) AdvanceClock(ctx context.Context, id learner.ID, seconds, maxOffset int64) (int64, error) {
	defer c.offsets.remove(id)
	return c.Store.AdvanceClock(ctx, id, seconds, maxOffset)
}

func (c *stateCache) Settings(ctx context.Context, id learner.ID) (Settings, error) {
	return readThrough(ctx, c.settings, id, c.Store.Settings)
}

func (c *stateCache) SaveSettings(ctx context.Context, id learner.ID, settings Settings) error {
	defer c.settings.remove(id)
	return c.Store.SaveSettings(ctx, id, settings)
}

func (c *stateCache) DeletePlaygroundData(ctx context.Context, id learner.ID) error {
	defer c.offsets.remove(id)
	defer c.settings.remove(id)
	return c.Store.DeletePlaygroundData(ctx, id)
}

func (c *stateCache) PurgeIdleSandboxes(ctx context.Context, lastUsedBefore time.Time) ([]learner.ID, error) {
	ids, err := c.Store.PurgeIdleSandboxes(ctx, lastUsedBefore)
	for _, id := range ids {
		c.offsets.remove(id)
		c.settings.remove(id)
	}
	return ids, err
}

// readThrough returns the learner's value from cache, or reads it with
// read and caches it.
func readThrough[V any](ctx context.Context, cache *boundedCache[V], id learner.ID, read func(context.Context, learner.ID) (V, error)) (V, error) {
	if value, ok := cache.get(id); ok {
		return value, nil
	}
	epoch := cache.currentEpoch()
	value, err := read(ctx, id)
	if err != nil {
		return value, err
	}
	cache.fill(id, value, epoch)
	return value, nil
}

// boundedCache maps learners to values, holding at most capacity of them
// and dropping an arbitrary one to make room. Its methods are safe for
// concurrent use.
type boundedCache[V any] struct {
	mu       sync.Mutex
	capacity int
	values   map[learner.ID]V
	// epoch grows with every removal. A read from the store that began
	// in an earlier epoch may have returned a value from before the
	// change, so fill does not keep it.
	epoch uint64
}

func newBoundedCache[V any](capacity int) *boundedCache[V] {
	return &boundedCache[V]{capacity: capacity, values: make(map[learner.ID]V)}
}

func (c *boundedCache[V]) get(id learner.ID) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	value, ok := c.values[id]
	return value, ok
}

func (c *boundedCache[V]) currentEpoch() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// fill stores value for the learner unless a removal happened since
// epoch.
func (c *boundedCache[V]) fill(id learner.ID, value V, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if _, ok := c.values[id]; !ok && len(c.values) >= c.capacity {
		for other := range c.values {
			delete(c.values, other)
			break
		}
	}
	c.values[id] = value
}

// remove drops the learner's value and starts a new epoch. Callers remove
// after the store has changed.
func (c *boundedCache[V]) remove(id learner.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.values, id)
	c.epoch++
}

func (c *boundedCache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.values)
}
