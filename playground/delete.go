package playground

import (
	"context"
	"fmt"
	"net/http"

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

type resetResponse struct {
	Message string `json:"message"`
}

// handleReset deletes the learner's sandbox: keys, clock, sessions,
// settings, denylist and transcript. The learner keeps their id, so quiz
// progress is untouched, and the next request starts a fresh sandbox.
// The request itself is not recorded, so the new transcript starts empty.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.DeleteLearner(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	expireSessionCookie(w, r)
	writeJSON(w, http.StatusOK, resetResponse{
		Message: "Your sandbox was reset: new signing keys, the clock back at real time, default settings, and no sessions, denylist entries or transcript. Tokens and session cookies from before no longer work. Your quiz progress is unchanged.",
	})
}
