package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/go-chi/httprate"

	"learn/clientinfo"
	"learn/learner"
)

// RateLimits caps requests per client address, or per learner, and
// minute. Zero means the default; the flags of cmd/learn set them.
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
	// Learner caps the playground API requests of one learner (one
	// learn_learner cookie), whatever address they come from.
	Learner int
}

// Default rate limits, per client and minute. They leave a learner who
// clicks fast plenty of room: the playground's buttons send one or two
// requests each.
const (
	defaultLoginPerMinute = 30
	defaultAPIPerMinute   = 600
	// A learner who clicks through a scenario sends a few requests a
	// second at most; several learners may share one address.
	defaultLearnerPerMinute = 300

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
	if l.Learner <= 0 {
		l.Learner = defaultLearnerPerMinute
	}
	return l
}

// limitRate returns middleware that answers 429 with Retry-After once a
// client sends more than perMinute matching requests in a sliding minute.
// Requests for which match returns false pass uncounted. Clients are
// counted by rateKey.
func (s *Server) limitRate(name string, perMinute int, match func(*http.Request) bool) func(http.Handler) http.Handler {
	return s.limitRateBy(name, perMinute, match, clientAddr,
		"This address sent more requests than the site allows in a minute.")
}

// limitLearnerRate is limitRate per learner instead of per address. It
// must run after learner.Middleware.
func (s *Server) limitLearnerRate(perMinute int) func(http.Handler) http.Handler {
	return s.limitRateBy("learner", perMinute, isPlaygroundAPI, learnerOrAddr,
		fmt.Sprintf("This browser sent more than %d playground requests in the last minute, which is more than the site allows one learner.", perMinute))
}

// limitRateBy returns middleware that rejects requests with 429 and
// Retry-After once more than perMinute matching requests with one key
// arrive in a sliding minute. The JSON or HTML error states what happened
// and how many seconds to wait.
func (s *Server) limitRateBy(name string, perMinute int, match func(*http.Request) bool, key func(*http.Request) string, happened string) func(http.Handler) http.Handler {
	limiter := httprate.NewRateLimiter(perMinute, time.Minute,
		httprate.WithKeyFuncs(func(r *http.Request) (string, error) {
			return key(r), nil
		}),
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			s.logger.Warn("rate limit reached", "limit", name, "method", r.Method, "path", r.URL.Path,
				"client", clientinfo.FromRequest(r).Addr)
			s.fail(w, r, http.StatusTooManyRequests, "Too many requests",
				fmt.Sprintf("%s Wait %s seconds, as the Retry-After header says, then try again.", happened, w.Header().Get("Retry-After")))
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

// rateKey returns the key under which a client's requests are counted.
// An IPv4 address is its own key. An IPv6 address counts as its /64
// network, because a provider usually gives each subscriber a whole /64
// and any address in it can send. An IPv4-mapped IPv6 address counts as
// the IPv4 address.
//
// NOTE: clients that share one IPv4 address behind NAT, or one /64, also
// share one limit.
func rateKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}

	// netip.Addr.Prefix returns an error only for a length outside 0 to
	// 128 on an IPv6 address, so this branch is a safeguard.
	network, err := ip.Prefix(64)
	if err != nil {
		return addr
	}
	return network.String()
}

// clientAddr returns the key of the request's client: its address, or
// the /64 network of an IPv6 address.
func clientAddr(r *http.Request) string {
	return rateKey(clientinfo.FromRequest(r).Addr)
}

// learnerOrAddr returns the request's learner id, or its client address
// when learner.Middleware has not run. The prefixes keep the two kinds of
// key apart.
func learnerOrAddr(r *http.Request) string {
	if id, ok := learner.FromContext(r.Context()); ok {
		return "learner:" + string(id)
	}
	return "addr:" + clientAddr(r)
}

func isLogin(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/playground/api/") &&
		strings.HasSuffix(r.URL.Path, "/login")
}

func isPlaygroundAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/playground/api/")
}

// isAPIOrAnswer matches every playground API request and every quiz
// answer, whether a form posts it or the quiz JSON API receives it.
func isAPIOrAnswer(r *http.Request) bool {
	if isPlaygroundAPI(r) {
		return true
	}
	if r.Method != http.MethodPost {
		return false
	}
	return strings.HasPrefix(r.URL.Path, "/quiz/") || strings.HasPrefix(r.URL.Path, "/api/quiz/")
}
