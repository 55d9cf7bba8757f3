package playground

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"learn/clientinfo"
	"learn/learner"
)

// DefaultMaxSandboxes is how many learners' sandboxes are kept when
// Config.MaxSandboxes is zero.
const DefaultMaxSandboxes = 10_000

// DefaultNewSandboxesPerMinute is how many new sandboxes one client
// address may create in a minute when Config.NewSandboxesPerMinute is
// zero. A new sandbox costs SQLite writes and, once its learner signs
// with RS256 or PS256, an RSA key generation, so this bounds the work
// that anonymous requests cause. A class behind one NAT address may need
// more.
const DefaultNewSandboxesPerMinute = 20

// touchInterval is how often one learner's use of the playground is
// written to the store. Sandboxes expire after days and are evicted least
// recently used first, so a minute of imprecision changes neither.
const touchInterval = time.Minute

// maxRecentTouches bounds the entries of recentTouches. Only learners
// seen within the last touchInterval need one, so this is how many
// learners a minute the map serves before it costs extra writes.
const maxRecentTouches = 10_000

// touchSandbox is middleware that records each request's learner as
// active, at most once per touchInterval, so that only abandoned sandboxes
// are purged and evicted. A learner's first request creates their
// sandbox, unless the client address has created too many in the last
// minute, and then the request gets 429. A store failure is logged and
// never changes the response.
//
// The scenario routes read and write no sandbox state (a lab run builds
// its own demo apps), so they neither create a sandbox nor count as use.
func (s *Server) touchSandbox(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := learner.FromContext(r.Context())
		if ok && !isScenarioRoute(r) && s.touches.due(id, s.realNow()) {
			if err := s.recordUse(w, r, id); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// recordUse writes the learner's use of the playground and, on their
// first request, creates their sandbox, evicting the least recently used
// ones beyond the maximum. It returns an error only when the client
// address may create no more sandboxes now.
func (s *Server) recordUse(w http.ResponseWriter, r *http.Request, id learner.ID) error {
	ctx := r.Context()
	now := s.realNow()
	exists, err := s.store.TouchSandbox(ctx, id, now)
	if err != nil {
		s.touches.forget(id)
		s.logger.ErrorContext(ctx, "record playground use", "err", err, "learner", string(id))
		return nil
	}
	if exists {
		return nil
	}

	client := clientinfo.FromRequest(r).Addr
	if s.newSandboxes.OnLimit(w, r, client) {
		s.touches.forget(id)
		s.logger.WarnContext(ctx, "rate limit reached", "limit", "new sandboxes", "method", r.Method,
			"path", r.URL.Path, "client", client)
		return tooManySandboxes(s.newSandboxesPerMinute, w.Header().Get("Retry-After"))
	}

	evicted, err := s.store.CreateSandbox(ctx, id, now, s.maxSandboxes)
	if err != nil {
		s.touches.forget(id)
		s.logger.ErrorContext(ctx, "create playground sandbox", "err", err, "learner", string(id))
		return nil
	}
	// NOTE: a request of an evicted learner that is still running may
	// write rows after the eviction. Those rows have no activity row, so
	// they count toward no bound until that learner's next request.
	for _, old := range evicted {
		s.keyCache.remove(old)
		s.touches.forget(old)
	}
	if len(evicted) > 0 {
		s.logger.InfoContext(ctx, "evicted least recently used playground sandboxes",
			"evicted", len(evicted), "max_sandboxes", s.maxSandboxes)
	}
	return nil
}

// isScenarioRoute reports whether r reads a scenario or runs one.
func isScenarioRoute(r *http.Request) bool {
	path := r.URL.Path
	if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
		path = rctx.RoutePath
	}
	return path == "/scenarios" || strings.HasPrefix(path, "/scenarios/")
}

func tooManySandboxes(perMinute int, retryAfter string) error {
	return &apiError{
		kind:    kindTooManyRequests,
		message: "Too many new sandboxes",
		detail: fmt.Sprintf("This address created more than %d new playground sandboxes in the last minute, and each new learner gets one on their first playground request. Wait %s seconds, as the Retry-After header says, then try again.",
			perMinute, retryAfter),
	}
}

// newSandboxLimiter returns the per-address limiter of new sandboxes. It
// sends only Retry-After, because the X-RateLimit headers of the site's
// per-address request limit would otherwise be overwritten.
func newSandboxLimiter(perMinute int) *httprate.RateLimiter {
	return httprate.NewRateLimiter(perMinute, time.Minute,
		httprate.WithResponseHeaders(httprate.ResponseHeaders{RetryAfter: "Retry-After"}))
}

// recentTouches remembers when each learner's use was last written, so
// that the store gets at most one write per learner and touchInterval.
type recentTouches struct {
	mu   sync.Mutex
	last map[learner.ID]time.Time
}

func newRecentTouches() *recentTouches {
	return &recentTouches{last: make(map[learner.ID]time.Time)}
}

// due reports whether the learner's use must be written at now, and if
// so records now as their last write. The caller calls forget when the
// write then fails.
func (t *recentTouches) due(id learner.ID, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()

	if last, ok := t.last[id]; ok && !now.Before(last) && now.Sub(last) < touchInterval {
		return false
	}
	if len(t.last) >= maxRecentTouches {
		t.sweep(now)
	}
	t.last[id] = now
	return true
}

// sweep deletes the entries older than touchInterval. If that frees
// nothing, it deletes all of them, because a missing entry costs only one
// more write.
func (t *recentTouches) sweep(now time.Time) {
	for id, last := range t.last {
		if now.Sub(last) >= touchInterval {
			delete(t.last, id)
		}
	}
	if len(t.last) >= maxRecentTouches {
		clear(t.last)
	}
}

func (t *recentTouches) forget(id learner.ID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.last, id)
}
