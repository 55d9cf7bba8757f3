package playground

import (
	"context"
	"fmt"

	"learn/learner"
)

// LearnerDataStore deletes everything the playground keeps about one
// learner.
type LearnerDataStore interface {
	// DeletePlaygroundData deletes the learner's signing key, clock
	// offset, session records and transcript, all or none of them.
	DeletePlaygroundData(ctx context.Context, id learner.ID) error
}

// DeleteLearner deletes the learner's playground data: signing key,
// virtual clock, cookie sessions and transcript. A learner with no data
// is not an error.
func (s *Server) DeleteLearner(ctx context.Context, id learner.ID) error {
	// Dropping the cached keys before and after the deletion keeps a
	// request that runs in between from leaving deleted keys in memory.
	s.keyCache.remove(id)
	s.touches.forget(id)
	if err := s.store.DeletePlaygroundData(ctx, id); err != nil {
		return fmt.Errorf("delete playground data: %w", err)
	}
	s.keyCache.remove(id)
	return nil
}
