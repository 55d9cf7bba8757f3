package playground

import (
	"context"
	"time"
)

// PurgeIdleSessions deletes the session records of every learner that have
// been idle for longer than the idle timeout, and returns how many.
//
// Last use is recorded on each learner's virtual clock, which never runs
// behind real time. A record last used before real time minus the idle
// timeout has therefore also expired on its learner's clock, so the purge
// never ends a session that its learner could still use.
func (s *Server) PurgeIdleSessions(ctx context.Context) (int64, error) {
	return s.store.PurgeIdleSessions(ctx, s.realNow().Add(-s.idle))
}

// RunPurge calls PurgeIdleSessions every interval until ctx is done,
// logging what it deleted and every failure.
func (s *Server) RunPurge(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}

		deleted, err := s.PurgeIdleSessions(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.logger.Error("purge idle playground sessions", "err", err)
			}
			continue
		}
		if deleted > 0 {
			s.logger.Info("purged idle playground sessions", "deleted", deleted)
		}
	}
}
