package playground

import (
	"context"
	"time"

	"learn/learner"
)

// CachedKeySets returns how many learners' key sets the cache holds.
func (s *Server) CachedKeySets() int {
	return s.keyCache.len()
}

// HoldTranscriptWrites makes the background writer wait an hour before it
// writes queued exchanges, so that a test can check what only a read, a
// deletion or Close writes or drops. It applies from the next wake-up.
func (s *Server) HoldTranscriptWrites() {
	s.transcripts.mu.Lock()
	defer s.transcripts.mu.Unlock()
	s.transcripts.delay = time.Hour
}

// QueuedExchanges returns how many exchanges wait to be written.
func (s *Server) QueuedExchanges() int {
	s.transcripts.mu.Lock()
	defer s.transcripts.mu.Unlock()
	return s.transcripts.queued
}

// MaxQueuedExchanges is the bound of the transcript queue.
const MaxQueuedExchanges = maxQueuedExchanges

// AddExchange queues exchange for the learner as the recording
// middleware does.
func (s *Server) AddExchange(ctx context.Context, id learner.ID, exchange Exchange) error {
	return s.store.AddExchange(ctx, id, exchange, transcriptSize)
}

// NewStateCache wraps store in the cache of clock offsets and settings
// that New puts in front of the configured store.
func NewStateCache(store Store, capacity int) Store {
	return newStateCache(store, capacity)
}

// CachedStates returns how many clock offsets and how many settings the
// cache that NewStateCache returned holds.
func CachedStates(store Store) (offsets, settings int) {
	cache := store.(*stateCache)
	return cache.offsets.len(), cache.settings.len()
}
