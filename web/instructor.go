package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/clientinfo"
	"learn/instructor"
	"learn/quiz"
)

// instructorCookie is the name of the instructor session cookie. Over
// HTTPS it gets the __Host- prefix.
const instructorCookie = "learn_instructor"

// instructorLoginChallenge is the WWW-Authenticate value of a rejected
// login. A form login has no registered scheme, so the scheme name only
// describes it.
const instructorLoginChallenge = `Form realm="instructor"`

// QuizStatsStore aggregates every learner's answers for the instructor
// dashboard.
type QuizStatsStore interface {
	// QuizStats returns the statistics of each answered question of the
	// quiz. A question without attempts may be left out.
	QuizStats(ctx context.Context, quizID string) ([]quiz.QuestionStats, error)
}

// registerInstructorRoutes adds the instructor pages under /instructor.
// Without an instructor password every one of them answers 404, and
// /instructor itself says how to turn them on.
func (s *Server) registerInstructorRoutes(r chi.Router) {
	if !s.instructors.Enabled() {
		r.Get("/", s.handleInstructorDisabled)
		r.HandleFunc("/*", s.handleNotFound)
		return
	}

	r.Get("/login", s.handleInstructorLoginForm)
	r.Post("/login", s.handleInstructorLogin)
	r.Group(func(r chi.Router) {
		r.Use(s.requireInstructor)
		r.Get("/", s.handleDashboard)
		r.Get("/export.csv", s.handleExportCSV)
		r.Post("/logout", s.handleInstructorLogout)
	})
}

func (s *Server) handleInstructorDisabled(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "Instructor access is off",
		"This server has no instructor password. To turn on the instructor dashboard, set the environment variable LEARN_INSTRUCTOR_PASSWORD for the learn process and restart it.")
}

// loginPage is the data of the instructor-login template.
type loginPage struct {
	Error string
}

func (s *Server) handleInstructorLoginForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "instructor-login", "Instructor login", loginPage{})
}

// handleInstructorLogin checks the password and starts a new session. It
// never logs the password, nor the session ID.
func (s *Server) handleInstructorLogin(w http.ResponseWriter, r *http.Request) {
	if !s.parseSmallForm(w, r) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")

	sessionID, err := s.instructors.Login(r.Context(), r.PostForm.Get("password"))
	if errors.Is(err, instructor.ErrWrongPassword) {
		s.logger.Warn("instructor login failed", "client", clientinfo.FromRequest(r).Addr,
			"request_id", middleware.GetReqID(r.Context()))
		w.Header().Set("WWW-Authenticate", instructorLoginChallenge)
		s.render(w, r, http.StatusUnauthorized, "instructor-login", "Instructor login", loginPage{
			Error: "Wrong password. Type the instructor password that the server was started with and try again.",
		})
		return
	}
	if err != nil {
		s.logger.Error("instructor login", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Login failed",
			"The instructor session could not be saved. Try again in a moment.")
		return
	}

	// A session that this browser had before the login ends here, so
	// that only the new ID is valid.
	if old, err := r.Cookie(clientinfo.CookieName(r, instructorCookie)); err == nil {
		if err := s.instructors.Logout(r.Context(), old.Value); err != nil {
			s.logger.Error("end previous instructor session", "err", err, "request_id", middleware.GetReqID(r.Context()))
		}
	}

	s.setInstructorCookie(w, r, sessionID, int(instructor.AbsoluteTimeout.Seconds()))
	s.logger.Info("instructor logged in", "client", clientinfo.FromRequest(r).Addr,
		"request_id", middleware.GetReqID(r.Context()))
	http.Redirect(w, r, "/instructor", http.StatusSeeOther)
}

// handleInstructorLogout deletes the server-side session and the cookie.
func (s *Server) handleInstructorLogout(w http.ResponseWriter, r *http.Request) {
	if cookie, err := r.Cookie(clientinfo.CookieName(r, instructorCookie)); err == nil {
		if err := s.instructors.Logout(r.Context(), cookie.Value); err != nil {
			s.logger.Error("instructor logout", "err", err, "request_id", middleware.GetReqID(r.Context()))
			s.fail(w, r, http.StatusServiceUnavailable, "Logout failed",
				"The instructor session could not be ended. Try again in a moment.")
			return
		}
	}
	s.setInstructorCookie(w, r, "", -1)
	s.logger.Info("instructor logged out", "request_id", middleware.GetReqID(r.Context()))
	http.Redirect(w, r, "/instructor/login", http.StatusSeeOther)
}

// setInstructorCookie sets the session cookie, or with maxAge -1 deletes
// it. SameSite=Strict keeps it off every request that another site
// starts, even a top-level link.
func (s *Server) setInstructorCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     clientinfo.CookieName(r, instructorCookie),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   clientinfo.FromRequest(r).Secure,
		SameSite: http.SameSiteStrictMode,
	})
}

// requireInstructor lets a request through only with a valid instructor
// session, and sends every other one to the login form.
func (s *Server) requireInstructor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")

		var sessionID string
		if cookie, err := r.Cookie(clientinfo.CookieName(r, instructorCookie)); err == nil {
			sessionID = cookie.Value
		}
		err := s.instructors.Check(r.Context(), sessionID)
		if errors.Is(err, instructor.ErrNoSession) {
			http.Redirect(w, r, "/instructor/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.logger.Error("check instructor session", "err", err, "request_id", middleware.GetReqID(r.Context()))
			s.fail(w, r, http.StatusServiceUnavailable, "Session check failed",
				"The instructor session could not be checked. Try again in a moment.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isInstructorLogin(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/instructor/login"
}

func isProgressPost(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/progress/")
}
