package playground

import (
	"container/list"
	"sync"

	"learn/learner"
)

// DefaultKeyCacheSize is how many learners' parsed keys stay in memory
// when Config.KeyCacheSize is zero. By estimate, a learner with all seven
// keys takes a few kilobytes, so the default bounds the cache to a few
// megabytes however many learners there are.
const DefaultKeyCacheSize = 1000

// keyCache keeps the parsed key sets of the most recently used learners.
// Parsing a stored RSA key costs far less than generating one, but still
// more than a map lookup, so recently used sets stay in memory. The least
// recently used set is dropped when the cache is full.
type keyCache struct {
	mu       sync.Mutex
	capacity int
	order    *list.List // of *keyCacheEntry, most recently used first
	entries  map[learner.ID]*list.Element
}

type keyCacheEntry struct {
	id  learner.ID
	set *keySet
}

func newKeyCache(capacity int) *keyCache {
	return &keyCache{capacity: capacity, order: list.New(), entries: map[learner.ID]*list.Element{}}
}

// get returns the learner's set and marks it as the most recently used.
func (c *keyCache) get(id learner.ID) (*keySet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	element, ok := c.entries[id]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(element)
	return element.Value.(*keyCacheEntry).set, true
}

// add stores set for the learner unless a set is already cached, and
// returns the cached set. It drops the least recently used sets beyond the
// capacity.
func (c *keyCache) add(id learner.ID, set *keySet) *keySet {
	c.mu.Lock()
	defer c.mu.Unlock()
	if element, ok := c.entries[id]; ok {
		c.order.MoveToFront(element)
		return element.Value.(*keyCacheEntry).set
	}

	c.entries[id] = c.order.PushFront(&keyCacheEntry{id: id, set: set})
	for c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*keyCacheEntry).id)
	}
	return set
}

// remove drops the learner's set, so that deleted keys are not served
// from memory.
func (c *keyCache) remove(id learner.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if element, ok := c.entries[id]; ok {
		c.order.Remove(element)
		delete(c.entries, id)
	}
}

// len returns how many learners' sets are cached.
func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
