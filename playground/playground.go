// Package playground serves the course's live JSON API, where a learner
// compares JWT bearer tokens with server-side cookie sessions over real
// HTTP. Every piece of state (signing key, virtual clock, sessions and
// transcript) belongs to one learner, identified by learner.Middleware,
// which must wrap the handler that Routes returns.
package playground

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"learn/learner"
)

// DefaultIdleTimeout is how long a cookie session stays valid without use
// when Config.IdleTimeout is zero.
const DefaultIdleTimeout = 30 * time.Minute

// DefaultAbsoluteTimeout is how long a cookie session lasts after its
// login, however much it is used, when Config.AbsoluteTimeout is zero.
const DefaultAbsoluteTimeout = 8 * time.Hour

// DefaultSandboxTTL is how long a learner's playground data is kept after
// their last request to the playground.
const DefaultSandboxTTL = 30 * 24 * time.Hour

// minSessionKeyLength is the shortest accepted Config.SessionKey in bytes.
// HMAC-SHA256 keys shorter than the hash output weaken the signature.
const minSessionKeyLength = 32

// Config configures a Server.
type Config struct {
	// Store keeps keys, clocks, sessions and transcripts. It is required.
	Store Store
	// SessionKey signs the pg_session cookie. It must be at least 32
	// bytes and should be used for nothing else.
	SessionKey []byte
	// IdleTimeout ends a cookie session that has not been used for this
	// long on the learner's virtual clock. Zero means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a cookie session this long after its login on
	// the learner's virtual clock. Zero means DefaultAbsoluteTimeout.
	AbsoluteTimeout time.Duration
	// Now returns the real time. The virtual clock of each learner adds an
	// offset to it. Nil means time.Now.
	Now func() time.Time
	// Logger receives request errors. Nil means slog.Default().
	Logger *slog.Logger
	// SandboxTTL is how long a learner's playground data is kept after
	// their last request to the playground. Zero means DefaultSandboxTTL.
	SandboxTTL time.Duration
	// KeyCacheSize is how many learners' parsed signing keys are kept in
	// memory. Zero means DefaultKeyCacheSize.
	KeyCacheSize int
	// MaxSandboxes is how many learners' sandboxes are kept. The first
	// request of a new learner beyond it deletes the least recently used
	// sandbox. Zero means DefaultMaxSandboxes.
	MaxSandboxes int
	// NewSandboxesPerMinute is how many new sandboxes one client address
	// may create in a minute, and more get 429. Zero means
	// DefaultNewSandboxesPerMinute.
	NewSandboxesPerMinute int
}

// Server serves the playground API.
type Server struct {
	store    Store
	sessions *serverSessions
	idle     time.Duration
	absolute time.Duration
	realNow  func() time.Time
	logger   *slog.Logger
	keyCache *keyCache
	// sandboxTTL is how long a sandbox outlives its learner's last request.
	sandboxTTL time.Duration

	maxSandboxes          int
	newSandboxesPerMinute int
	newSandboxes          *httprate.RateLimiter
	touches               *recentTouches
	// transcripts is store itself: the configured store behind a cache of
	// clock offsets and settings, wrapped so that exchanges are written
	// in batches. Close writes what it still holds.
	transcripts *transcriptQueue
}

// New checks cfg, fills in its defaults and returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("playground store is nil")
	}
	if len(cfg.SessionKey) < minSessionKeyLength {
		return nil, fmt.Errorf("playground session key is %d bytes; it must be at least %d bytes", len(cfg.SessionKey), minSessionKeyLength)
	}
	if cfg.IdleTimeout < 0 {
		return nil, fmt.Errorf("playground idle timeout is %s; it must be positive, or zero for the default %s", cfg.IdleTimeout, DefaultIdleTimeout)
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteTimeout < 0 {
		return nil, fmt.Errorf("playground absolute timeout is %s; it must be positive, or zero for the default %s", cfg.AbsoluteTimeout, DefaultAbsoluteTimeout)
	}
	if cfg.AbsoluteTimeout == 0 {
		cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SandboxTTL < 0 {
		return nil, fmt.Errorf("playground sandbox lifetime is %s; it must be positive, or zero for the default %s", cfg.SandboxTTL, DefaultSandboxTTL)
	}
	if cfg.SandboxTTL == 0 {
		cfg.SandboxTTL = DefaultSandboxTTL
	}
	counts := []struct {
		what  string
		value *int
		def   int
	}{
		{"key cache size", &cfg.KeyCacheSize, DefaultKeyCacheSize},
		{"maximum sandbox count", &cfg.MaxSandboxes, DefaultMaxSandboxes},
		{"new sandboxes per minute", &cfg.NewSandboxesPerMinute, DefaultNewSandboxesPerMinute},
	}
	for _, count := range counts {
		if *count.value < 0 {
			return nil, fmt.Errorf("playground %s is %d; it must be positive, or zero for the default %d", count.what, *count.value, count.def)
		}
		if *count.value == 0 {
			*count.value = count.def
		}
	}

	// The state cache hides the store's optional methods, so the batch
	// writer is looked up on the configured store.
	batches, _ := cfg.Store.(TranscriptBatchStore)
	transcripts := newTranscriptQueue(newStateCache(cfg.Store, stateCacheSize), batches, cfg.Logger, transcriptFlushDelay)
	s := &Server{
		store:      transcripts,
		idle:       cfg.IdleTimeout,
		absolute:   cfg.AbsoluteTimeout,
		realNow:    cfg.Now,
		logger:     cfg.Logger,
		keyCache:   newKeyCache(cfg.KeyCacheSize),
		sandboxTTL: cfg.SandboxTTL,

		maxSandboxes:          cfg.MaxSandboxes,
		newSandboxesPerMinute: cfg.NewSandboxesPerMinute,
		newSandboxes:          newSandboxLimiter(cfg.NewSandboxesPerMinute),
		touches:               newRecentTouches(),
		transcripts:           transcripts,
	}

	s.sessions = &serverSessions{
		records:  cfg.Store,
		signer:   cookieSigner{key: bytes.Clone(cfg.SessionKey)},
		timeouts: s.learnerTimeouts,
		now:      s.virtualNow,
	}
	return s, nil
}

// learnerTimeouts returns the learner's idle and absolute session
// timeouts.
func (s *Server) learnerTimeouts(ctx context.Context, id learner.ID) (idle, absolute time.Duration, err error) {
	settings, err := s.store.Settings(ctx, id)
	if err != nil {
		return 0, 0, err
	}
	idle, absolute = s.sessionTimeouts(settings)
	return idle, absolute, nil
}

// Close writes the transcript exchanges that are still queued in memory
// and stops the goroutine that writes them. Call it after the HTTP server
// has shut down and before the store closes. Requests served after Close
// write their exchange before they return.
func (s *Server) Close(ctx context.Context) error {
	return s.transcripts.Close(ctx)
}

// Routes returns the API router. Its paths are relative, so it is meant to
// be mounted, for example at /playground/api, behind learner.Middleware.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.touchSandbox)
	r.Use(s.recordExchange)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed(r))

	r.Post("/jwt/login", s.handleJWTLogin)
	r.Get("/jwt/data", s.handleJWTData)
	r.Post("/jwt/logout", s.handleJWTLogout)
	r.Get("/jwks.json", s.handleJWKS)
	r.Post("/inspect", s.handleInspect)
	r.Post("/sign", s.handleSign)

	r.Get("/settings", s.handleGetSettings)
	r.Put("/settings", s.handlePutSettings)

	r.Post("/session/login", s.handleSessionLogin)
	r.Get("/session/data", s.handleSessionData)
	r.Post("/session/logout", s.handleSessionLogout)

	r.Get("/clock", s.handleGetClock)
	r.Post("/clock", s.handleAdvanceClock)

	r.Get("/scenarios", s.handleListScenarios)
	r.Get("/scenarios/{name}", s.handleGetScenario)
	r.Post("/scenarios/{name}/run", s.handleRunScenario)

	r.Post("/reset", s.handleReset)

	r.Get("/transcript", s.handleGetTranscript)
	r.Delete("/transcript", s.handleClearTranscript)
	return r
}

// learnerID returns the learner of the request. A missing learner means
// the router was mounted without learner.Middleware, which is a server
// error.
func learnerID(ctx context.Context) (learner.ID, error) {
	id, ok := learner.FromContext(ctx)
	if !ok {
		return "", errors.New("no learner id in the request context; wrap the playground routes with learner.Middleware")
	}
	return id, nil
}
