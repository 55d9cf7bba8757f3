// Package web serves learn's pages and mounts the playground API: the
// router, the middleware every request passes through, the templates and
// the static assets.
package web

import (
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/learner"
	"learn/lessons"
	"learn/quiz"
	"learn/search"
)

//go:embed templates static
var assets embed.FS

// Config lists what the site is built from. Every field is required
// except Logger.
type Config struct {
	// Course is served as given, so the caller leaves drafts out with
	// Course.Published unless they are to be shown.
	Course     *lessons.Course
	Quizzes    []*quiz.Quiz
	Progress   quiz.ProgressStore
	Playground http.Handler // the playground API, mounted at /playground/api
	CookieKeys [][]byte     // signs the learn_learner cookie, newest first
	Logger     *slog.Logger
}

// Server is the learn web site.
type Server struct {
	course     *lessons.Course
	index      *search.Index
	quizzes    []*quiz.Quiz
	progress   quiz.ProgressStore
	playground http.Handler
	learners   *learner.Middleware
	pages      *pages
	logger     *slog.Logger
	router     chi.Router
}

// New returns a Server for cfg, or an error naming the missing part or the
// template that failed to parse.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Course == nil:
		return nil, errors.New("web: Config.Course is nil")
	case cfg.Progress == nil:
		return nil, errors.New("web: Config.Progress is nil")
	case cfg.Playground == nil:
		return nil, errors.New("web: Config.Playground is nil")
	case len(cfg.CookieKeys) == 0:
		return nil, errors.New("web: Config.CookieKeys is empty")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		course:     cfg.Course,
		index:      search.New(cfg.Course),
		quizzes:    cfg.Quizzes,
		progress:   cfg.Progress,
		playground: cfg.Playground,
		learners:   learner.NewMiddleware(cfg.CookieKeys, logger),
		pages:      pages,
		logger:     logger,
	}
	s.router = s.routes()
	return s, nil
}

// ServeHTTP serves a request through the site's middleware and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

func (s *Server) routes() chi.Router {
	r := chi.NewRouter()

	// Order matters: the request id and logger see every response,
	// including those of the recoverer and the cross-origin check.
	r.Use(middleware.RequestID)
	r.Use(s.logRequests)
	r.Use(s.recoverPanics)
	r.Use(securityHeaders)
	r.Use(s.rejectCrossOrigin)
	r.Use(s.learners.Handler)

	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/", s.handleIndex)
	r.Get("/lessons/{slug}", s.handleLesson)
	r.Get("/quiz/{quiz}", s.handleQuiz)
	r.Post("/quiz/{quiz}/questions/{question}", s.handleAnswer)
	r.Get("/search", s.handleSearch)
	r.Get("/playground", s.handlePlayground)
	r.Mount("/playground/api", s.playground)
	r.Get("/healthz", handleHealth)

	static, err := fs.Sub(assets, "static")
	if err != nil {
		panic("web: static assets missing from the binary: " + err.Error())
	}
	r.Handle("/static/*", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	return r
}

func handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
