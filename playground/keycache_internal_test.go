package playground

import (
	"fmt"
	"testing"

	"learn/learner"
)

func TestKeyCacheKeepsMostRecent(t *testing.T) {
	const capacity = 1000
	cache := newKeyCache(capacity)
	for i := range 10_000 {
		cache.add(learner.ID(fmt.Sprintf("learner-%d", i)), &keySet{keys: map[string]*sandboxKey{}})
		if i == 50 {
			// Using learner-0 makes it the most recent, so it survives
			// the next 949 additions but not all 9,949 of them.
			cache.get("learner-0")
		}
	}

	if got := cache.len(); got != capacity {
		t.Errorf("len = %d, want %d", got, capacity)
	}
	if len(cache.entries) != capacity {
		t.Errorf("index holds %d entries, want %d", len(cache.entries), capacity)
	}
	if _, ok := cache.get("learner-9999"); !ok {
		t.Error("the newest learner was evicted")
	}
	if _, ok := cache.get("learner-9000"); !ok {
		t.Error("learner-9000, among the newest 1000, was evicted")
	}
	if _, ok := cache.get("learner-8999"); ok {
		t.Error("learner-8999, older than the newest 1000, is still cached")
	}
	if _, ok := cache.get("learner-0"); ok {
		t.Error("learner-0 is still cached after 9,949 newer additions")
	}
}

func TestKeyCacheAddKeepsFirstSet(t *testing.T) {
	cache := newKeyCache(2)
	first := &keySet{keys: map[string]*sandboxKey{}}
	second := &keySet{keys: map[string]*sandboxKey{}}

	if got := cache.add("ada", first); got != first {
		t.Error("add returned another set for a new learner")
	}
	if got := cache.add("ada", second); got != first {
		t.Error("a second add replaced the cached set; concurrent loads must share one")
	}
}
