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
	// A learner may set an idle timeout of up to a day, so only sessions
	// idle for longer than that, or than the server's own timeout, go.
	keep := max(s.idle, maxSessionIdleSeconds*time.Second)
	return s.store.PurgeIdleSessions(ctx, s.realNow().Add(-keep))
}

// PurgeIdleSandboxes deletes the playground data of every learner whose
// last request to the playground is older than the sandbox lifetime, and
// returns how many sandboxes it deleted.
func (s *Server) PurgeIdleSandboxes(ctx context.Context) (int, error) {
	ids, err := s.store.PurgeIdleSandboxes(ctx, s.realNow().Add(-s.sandboxTTL))
	for _, id := range ids {
		s.keyCache.remove(id)
		s.touches.forget(id)
	}
	return len(ids), err
}

// RunPurge calls PurgeIdleSessions and PurgeIdleSandboxes every interval
// until ctx is done, logging what they deleted and every failure.
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
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.Error("purge idle playground sessions", "err", err)
		case deleted > 0:
			s.logger.Info("purged idle playground sessions", "deleted", deleted)
		}

		sandboxes, err := s.PurgeIdleSandboxes(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.Error("purge idle playground sandboxes", "err", err)
		case sandboxes > 0:
			s.logger.Info("purged idle playground sandboxes", "deleted", sandboxes)
		}
	}
}
