package web

import (
	"strconv"
	"sync"

	"learn/library"
)

// defaultPageCacheBytes bounds the rendered pages that a pageCache keeps.
// A lesson page of the embedded course is about 30 KB, so the default
// holds about a thousand of them.
const defaultPageCacheBytes = 32 << 20

// pageCache keeps the rendered bytes of pages that are the same for every
// visitor who has no stored progress, for one snapshot of the course. A
// lookup with any other snapshot misses, and the first store for a new
// snapshot drops every page of the old one, so a reload of the course
// folder is never served stale. Its methods are safe for concurrent use.
type pageCache struct {
	maxBytes int

	mu       sync.RWMutex
	snapshot *library.Snapshot
	pages    map[string]*cachedPage
	bytes    int
}

// cachedPage is one rendered page and its Content-Length header value,
// a slice that every response of the page shares, as the security header
// values are (see cspValue).
type cachedPage struct {
	body          []byte
	contentLength []string
}

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{maxBytes: maxBytes, pages: make(map[string]*cachedPage)}
}

// get returns the page stored under key for snapshot.
func (c *pageCache) get(snapshot *library.Snapshot, key string) (*cachedPage, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.snapshot != snapshot {
		return nil, false
	}
	page, ok := c.pages[key]
	return page, ok
}

// put stores body under key for snapshot and returns the stored page. When
// the cache is full, it drops other pages, in no particular order, until
// body fits. A body larger than the whole cache is returned but not kept.
func (c *pageCache) put(snapshot *library.Snapshot, key string, body []byte) *cachedPage {
	page := &cachedPage{body: body, contentLength: []string{strconv.Itoa(len(body))}}
	if len(body) > c.maxBytes {
		return page
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snapshot != snapshot {
		// A request that loaded an older snapshot may finish after one
		// that loaded the current one. Its page must not replace theirs.
		if c.snapshot != nil && snapshot.Version < c.snapshot.Version {
			return page
		}
		c.snapshot = snapshot
		c.pages = make(map[string]*cachedPage)
		c.bytes = 0
	}
	if old, ok := c.pages[key]; ok {
		c.bytes -= len(old.body)
		delete(c.pages, key)
	}
	for other, stored := range c.pages {
		if c.bytes+len(body) <= c.maxBytes {
			break
		}
		c.bytes -= len(stored.body)
		delete(c.pages, other)
	}
	c.pages[key] = page
	c.bytes += len(body)
	return page
}
