// Package web serves learn's pages and mounts the playground API: the
// router, the middleware every request passes through, the templates and
// the static assets.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/clientinfo"
	"learn/instructor"
	"learn/learner"
	"learn/lessons"
	"learn/library"
	"learn/quiz"
)

//go:embed templates static
var assets embed.FS

// Config lists what the site is built from. Every field is required
// except Logger.
type Config struct {
	Library    *library.Library // the lessons and quizzes, possibly reloading
	Progress   quiz.ProgressStore
	Playground http.Handler // the playground API, mounted at /playground/api
	CookieKeys [][]byte     // signs the learn_learner cookie, newest first
	Logger     *slog.Logger

	// BehindProxy trusts X-Forwarded-Proto and the last X-Forwarded-For
	// hop, as a TLS-terminating reverse proxy sets them.
	BehindProxy bool
	RateLimits  RateLimits

	// Ready reports whether the database answers, for /readyz.
	Ready func(context.Context) error

	// Learners keeps recovery codes and deletes a learner's progress,
	// and PlaygroundData deletes a learner's playground data, for the
	// /progress pages.
	Learners       LearnerStore
	PlaygroundData LearnerDeleter

	// Instructors checks the instructor password and sessions. When it
	// is nil or has no password, every /instructor route answers 404.
	Instructors *instructor.Auth
	// Stats aggregates answers for the instructor dashboard. It is
	// required when Instructors has a password.
	Stats QuizStatsStore
}

// Server is the learn web site.
type Server struct {
	library    *library.Library
	progress   quiz.ProgressStore
	playground http.Handler
	learners   *learner.Middleware
	pages      *pages
	pageCache  *pageCache
	requestIDs *requestIDs
	static     *staticAssets
	logger     *slog.Logger
	router     http.Handler

	behindProxy bool
	rateLimits  RateLimits
	ready       func(context.Context) error

	learnerStore   LearnerStore
	playgroundData LearnerDeleter
	instructors    *instructor.Auth
	stats          QuizStatsStore

	// streams is closed by CloseStreams to end every open event stream.
	streams     chan struct{}
	closeStream sync.Once
}

// New returns a Server for cfg, or an error naming the missing part or the
// template that failed to parse.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Library == nil:
		return nil, errors.New("web: Config.Library is nil")
	case cfg.Progress == nil:
		return nil, errors.New("web: Config.Progress is nil")
	case cfg.Playground == nil:
		return nil, errors.New("web: Config.Playground is nil")
	case cfg.Ready == nil:
		return nil, errors.New("web: Config.Ready is nil")
	case len(cfg.CookieKeys) == 0:
		return nil, errors.New("web: Config.CookieKeys is empty")
	case cfg.Learners == nil:
		return nil, errors.New("web: Config.Learners is nil")
	case cfg.PlaygroundData == nil:
		return nil, errors.New("web: Config.PlaygroundData is nil")
	case cfg.Instructors.Enabled() && cfg.Stats == nil:
		return nil, errors.New("web: Config.Stats is nil, and the instructor dashboard needs it")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	staticFS, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static assets missing from the binary: %w", err)
	}
	static, err := loadStaticAssets(staticFS)
	if err != nil {
		return nil, err
	}
	pages, err := parsePages(static)
	if err != nil {
		return nil, err
	}
	s := &Server{
		library:    cfg.Library,
		progress:   cfg.Progress,
		streams:    make(chan struct{}),
		playground: cfg.Playground,
		learners:   learner.NewMiddleware(cfg.CookieKeys, logger, isReadOnlyPage),
		pages:      pages,
		pageCache:  newPageCache(defaultPageCacheBytes),
		requestIDs: newRequestIDs(),
		static:     static,
		logger:     logger,

		behindProxy: cfg.BehindProxy,
		rateLimits:  cfg.RateLimits.withDefaults(),
		ready:       cfg.Ready,

		learnerStore:   cfg.Learners,
		playgroundData: cfg.PlaygroundData,
		instructors:    cfg.Instructors,
		stats:          cfg.Stats,
	}
	s.router = s.routes()
	return s, nil
}

// ServeHTTP serves a request from the page cache when it can, and
// through the site's middleware and routes otherwise.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveCachedLesson(w, r) {
		return
	}
	s.router.ServeHTTP(w, r)
}

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()

	// Order matters: the request id and logger see every response,
	// including those of the recoverer and the cross-origin check.
	r.Use(s.withRequestID)
	r.Use(clientinfo.Middleware(s.behindProxy))
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)
	r.Use(s.rejectCrossOrigin)
	r.Use(s.limitRate("login", s.rateLimits.Login, isLogin))
	r.Use(s.limitRate("api", s.rateLimits.API, isAPIOrAnswer))
	r.Use(s.limitRate("instructor login", s.rateLimits.InstructorLogin, isInstructorLogin))
	r.Use(s.limitRate("progress", s.rateLimits.Progress, isProgressPost))
	r.Use(s.learners.Handler)
	r.Use(s.limitLearnerRate(s.rateLimits.Learner))
	r.Use(middleware.GetHead)

	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/", s.handleIndex)
	r.Get("/lessons/{slug}", s.handleLesson)
	r.Get("/quiz/{quiz}", s.handleQuiz)
	r.Post("/quiz/{quiz}/questions/{question}", s.handleAnswer)
	r.Get("/search", s.handleSearch)
	r.Route("/api/quiz", s.registerQuizAPIRoutes)
	r.Get("/playground", s.handlePlayground)
	r.Get("/playground/lab", s.handleLabIndex)
	r.Get("/playground/lab/{name}", s.handleLab)
	r.Mount("/playground/api", s.playground)
	r.Get("/healthz", handleHealth)
	r.Get("/readyz", s.handleReady)
	r.Get("/progress", s.handleProgress)
	r.Post("/progress/code", s.handleCreateRecoveryCode)
	r.Post("/progress/restore", s.handleRestoreProgress)
	r.Get("/progress/delete", s.handleDeleteConfirm)
	r.Post("/progress/delete", s.handleDeleteData)
	r.Get("/privacy", s.handlePrivacy)
	r.Route("/instructor", s.registerInstructorRoutes)
	r.Get("/events/content", s.handleContentEvents)
	r.Get(lessons.FilesPrefix+"*", s.handleCourseFile)

	// Paths a visitor may type by trimming a URL lead to the outline.
	r.Get("/lessons", redirectTo("/#outline"))
	r.Get("/quiz", redirectTo("/#practice"))
	favicon, err := s.static.URL("favicon.svg")
	if err != nil {
		panic("web: " + err.Error())
	}
	r.Get("/favicon.ico", redirectTo(favicon))

	r.Get(staticPrefix+"*", s.handleStatic)
	return r
}

// isReadOnlyPage reports the GET routes whose handlers store nothing
// under the learner id. A visitor without a learner cookie gets none from
// them, so someone who only reads the course is given no cookie at all.
// The first quiz page, playground page or API call sets it.
func isReadOnlyPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	switch path := r.URL.Path; path {
	case "/", "/lessons", "/quiz", "/search", "/privacy", "/favicon.ico",
		"/healthz", "/readyz", "/events/content":
		return true
	default:
		return strings.HasPrefix(path, "/lessons/") ||
			strings.HasPrefix(path, staticPrefix) ||
			strings.HasPrefix(path, lessons.FilesPrefix)
	}
}

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}
}

// redirectPermanent answers with a 301 to path, keeping the request's
// query string, for the old URL of a lesson or quiz that moved.
func redirectPermanent(w http.ResponseWriter, r *http.Request, path string) {
	target := url.URL{Path: path, RawQuery: r.URL.RawQuery}
	http.Redirect(w, r, target.String(), http.StatusMovedPermanently)
}

// handleHealth answers 200 while the process serves requests.
func handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// handleReady answers 200 when the database answers within two seconds,
// and 503 otherwise, so a load balancer can hold traffic back.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.ready(ctx); err != nil {
		s.logger.Error("readiness check", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}
