package web

import (
	"bytes"
	"strconv"
	"sync"
	"testing"

	"learn/library"
)

func TestPageCacheMissesOtherSnapshot(t *testing.T) {
	c := newPageCache(1 << 10)
	old := &library.Snapshot{Version: 1}
	current := &library.Snapshot{Version: 2}

	c.put(old, "a", []byte("old page"))
	if _, ok := c.get(current, "a"); ok {
		t.Error("a page stored for version 1 was returned for version 2")
	}
	c.put(current, "a", []byte("new page"))
	if page, ok := c.get(current, "a"); !ok || string(page.body) != "new page" {
		t.Errorf("get after put = %q, %v; want new page, true", page.body, ok)
	}
	if _, ok := c.get(old, "a"); ok {
		t.Error("a page of version 1 is still returned after version 2 was stored")
	}

	// A request that loaded version 1 and finishes late must not evict
	// version 2.
	c.put(old, "b", []byte("late page"))
	if _, ok := c.get(current, "a"); !ok {
		t.Error("a late put for an older snapshot dropped the current pages")
	}
}

func TestPageCacheStaysWithinBytes(t *testing.T) {
	const maxBytes = 1000
	c := newPageCache(maxBytes)
	snapshot := &library.Snapshot{Version: 1}

	for i := range 50 {
		c.put(snapshot, strconv.Itoa(i), bytes.Repeat([]byte("x"), 90))
		if c.bytes > maxBytes {
			t.Fatalf("after %d puts the cache holds %d bytes, over its limit of %d", i+1, c.bytes, maxBytes)
		}
	}
	if page, ok := c.get(snapshot, "49"); !ok || len(page.body) != 90 {
		t.Error("the newest page was not kept")
	}

	huge := c.put(snapshot, "huge", bytes.Repeat([]byte("x"), maxBytes+1))
	if len(huge.body) != maxBytes+1 || len(huge.contentLength) != 1 || huge.contentLength[0] != strconv.Itoa(maxBytes+1) {
		t.Errorf("put of an oversized page returned %d bytes, Content-Length %s", len(huge.body), huge.contentLength)
	}
	if _, ok := c.get(snapshot, "huge"); ok {
		t.Error("a page larger than the whole cache was kept")
	}
}

func TestPageCacheConcurrentUse(t *testing.T) {
	c := newPageCache(500)
	snapshots := []*library.Snapshot{{Version: 1}, {Version: 2}, {Version: 3}}

	var wg sync.WaitGroup
	for worker := range 8 {
		wg.Go(func() {
			for i := range 200 {
				snapshot := snapshots[(worker+i)%len(snapshots)]
				key := strconv.Itoa(i % 10)
				if page, ok := c.get(snapshot, key); ok && string(page.body) != key+"-page" {
					t.Errorf("key %s returned %q", key, page.body)
				}
				c.put(snapshot, key, []byte(key+"-page"))
			}
		})
	}
	wg.Wait()
}
