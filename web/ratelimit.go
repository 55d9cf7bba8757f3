package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/httprate"

	"learn/clientinfo"
)

// RateLimits caps requests per client address and minute. Zero means the
// default; the flags of cmd/learn set them.
type RateLimits struct {
	// Login caps POST requests to the playground's login routes.
	Login int
	// API caps every request to the playground API and every quiz answer.
	API int
	// InstructorLogin caps POST requests to /instructor/login.
	InstructorLogin int
	// Progress caps POST requests under /progress/: recovery codes
	// created and tried, and data deletions.
	Progress int
}

// Default rate limits, per client and minute. They leave a learner who
// clicks fast plenty of room: the playground's buttons send one or two
// requests each.
const (
	defaultLoginPerMinute = 30
	defaultAPIPerMinute   = 600

	// Five password tries a minute are plenty for a person who mistypes
	// and few for a script that guesses.
	defaultInstructorLoginPerMinute = 5
	defaultProgressPerMinute        = 10
)

func (l RateLimits) withDefaults() RateLimits {
	if l.Login <= 0 {
		l.Login = defaultLoginPerMinute
	}
	if l.API <= 0 {
		l.API = defaultAPIPerMinute
	}
	if l.InstructorLogin <= 0 {
		l.InstructorLogin = defaultInstructorLoginPerMinute
	}
	if l.Progress <= 0 {
		l.Progress = defaultProgressPerMinute
	}
	return l
}

// limitRate returns middleware that answers 429 with Retry-After once a
// client sends more than perMinute matching requests in a sliding minute.
// Requests for which match returns false pass uncounted.
func (s *Server) limitRate(name string, perMinute int, match func(*http.Request) bool) func(http.Handler) http.Handler {
	limiter := httprate.NewRateLimiter(perMinute, time.Minute,
		httprate.WithKeyFuncs(func(r *http.Request) (string, error) {
			return clientinfo.FromRequest(r).Addr, nil
		}),
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.logger.Warn("rate limit reached", "limit", name, "method", r.Method, "path", r.URL.Path,
				"client", clientinfo.FromRequest(r).Addr)
			s.fail(w, r, http.StatusTooManyRequests, "Too many requests",
				"This address sent more requests than the site allows in a minute. Wait for the number of seconds in the Retry-After header, then try again.")
		}),
	)
	return func(next http.Handler) http.Handler {
		limited := limiter.Handler(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if match(r) {
				limited.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func isLogin(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/playground/api/") &&
		strings.HasSuffix(r.URL.Path, "/login")
}

func isAPIOrAnswer(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/playground/api/") {
		return true
	}
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/quiz/")
}
