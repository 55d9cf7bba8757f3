package playground

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"learn/clientinfo"
	"learn/learner"
)

// sessionCookieBase is the name of the cookie that carries the signed
// session ID. Over HTTPS it gets the __Host- prefix.
const sessionCookieBase = "pg_session"

// sessionCookieName returns the session cookie's name for r.
func sessionCookieName(r *http.Request) string {
	return clientinfo.CookieName(r, sessionCookieBase)
}

// sessionChallenge is the WWW-Authenticate value of a 401 from the session
// routes. HTTP requires a challenge on every 401, but no authentication
// scheme is registered for cookie sessions, so this one only informs.
const sessionChallenge = `Cookie realm="playground", cookie-name="pg_session"`

// usernameKey is the session value that holds the logged-in username.
const usernameKey = "username"

type sessionLoginRequest struct {
	Username *string `json:"username"`
}

type sessionResponse struct {
	Message  string `json:"message"`
	Username string `json:"username,omitempty"`
	// IdleExpiresAt and AbsoluteExpiresAt are when the session ends on
	// the playground clock: after the idle timeout without use, and at
	// the absolute timeout after login.
	IdleExpiresAt     string `json:"idleExpiresAt,omitempty"`
	AbsoluteExpiresAt string `json:"absoluteExpiresAt,omitempty"`
}

// loginTimeKey is the session value that holds the login time on the
// playground clock, in Unix seconds, for the absolute timeout's countdown.
const loginTimeKey = "loginTime"

// handleSessionLogin starts a cookie session. It always issues a new
// session ID and deletes the record of any session the request carried.
func (s *Server) handleSessionLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req sessionLoginRequest
	if err := decodeJSON(w, r, &req, map[string]string{"username": usernameRule}); err != nil {
		s.writeError(w, r, err)
		return
	}
	username, err := checkUsername(req.Username)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	session, err := s.sessions.Get(r, sessionCookieName(r))
	if err != nil && rejectSession(err) == nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.sessions.renew(r, session); err != nil {
		s.writeError(w, r, err)
		return
	}

	// Sessions that timed out without being presented again would stay in
	// the store forever, so each login removes the learner's idle ones.
	now, idle, absolute, err := s.sessionClock(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.DeleteIdleSessions(ctx, id, now.Add(-idle)); err != nil {
		s.writeError(w, r, err)
		return
	}

	session.Values[usernameKey] = username
	session.Values[loginTimeKey] = now.Unix()
	if err := session.Save(r, w); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sessionResponse{
		Message: "Logged in", Username: username,
		IdleExpiresAt: formatTime(now.Add(idle)), AbsoluteExpiresAt: formatTime(now.Add(absolute)),
	})
}

// handleSessionData returns the username of a live session.
func (s *Server) handleSessionData(w http.ResponseWriter, r *http.Request) {
	session, err := s.sessions.Get(r, sessionCookieName(r))
	if err != nil {
		if rejection := rejectSession(err); rejection != nil {
			// A cookie that names no live session is useless to the
			// browser, so it is cleared rather than sent again and again.
			if !errors.Is(err, errNoSessionCookie) {
				expireSessionCookie(w, r)
			}
			err = rejection
		}
		s.writeError(w, r, err)
		return
	}

	username, _ := session.Values[usernameKey].(string)
	if username == "" {
		s.writeError(w, r, rejectSession(errSessionUnknown))
		return
	}
	response := sessionResponse{Message: "Welcome!", Username: username}
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now, idle, absolute, err := s.sessionClock(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	response.IdleExpiresAt = formatTime(now.Add(idle))
	// JSON numbers decode as float64. Sessions from before the login time
	// was stored have none, and their countdown is left out.
	if login, ok := session.Values[loginTimeKey].(float64); ok {
		response.AbsoluteExpiresAt = formatTime(time.Unix(int64(login), 0).Add(absolute))
	}
	writeJSON(w, http.StatusOK, response)
}

// handleSessionLogout deletes the session record and clears the cookie.
// It succeeds without a session too, so it can be repeated.
func (s *Server) handleSessionLogout(w http.ResponseWriter, r *http.Request) {
	session, err := s.sessions.Get(r, sessionCookieName(r))
	if err != nil && rejectSession(err) == nil {
		s.writeError(w, r, err)
		return
	}

	session.Options.MaxAge = -1
	if err := session.Save(r, w); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sessionResponse{Message: "Logged out"})
}

// sessionClock returns the learner's virtual time and session timeouts.
func (s *Server) sessionClock(ctx context.Context, id learner.ID) (now time.Time, idle, absolute time.Duration, err error) {
	now, err = s.virtualNow(ctx, id)
	if err != nil {
		return time.Time{}, 0, 0, err
	}
	idle, absolute, err = s.learnerTimeouts(ctx, id)
	return now, idle, absolute, err
}

// expireSessionCookie tells the browser to delete its pg_session cookie.
func expireSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookieName(r),
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   clientinfo.FromRequest(r).Secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// rejectSession returns the 401 error for an error from serverSessions.New
// that means "no live session", or nil for a store failure.
func rejectSession(err error) *apiError {
	var (
		detail string
		idle   *sessionIdleError
		age    *sessionAgeError
	)
	switch {
	case errors.Is(err, errNoSessionCookie):
		detail = "The request has no pg_session cookie; log in with POST /session/login first."
	case errors.Is(err, errSessionCookieInvalid):
		detail = "The pg_session cookie's signature is invalid, so the server ignored it; log in with POST /session/login to get a new cookie."
	case errors.Is(err, errSessionUnknown):
		detail = "The server has no session for this pg_session cookie because it was logged out, replaced by a newer login or belongs to another learner; log in again with POST /session/login."
	case errors.As(err, &idle):
		detail = fmt.Sprintf("The session was unused for %s on the playground clock, and sessions end after %s without use, so the server deleted it; log in again with POST /session/login.",
			formatSeconds(int64(idle.idle.Seconds())), formatSeconds(int64(idle.timeout.Seconds())))
	case errors.As(err, &age):
		detail = fmt.Sprintf("The session began %s ago on the playground clock, and sessions end %s after login however much they are used (the absolute timeout), so the server deleted it; log in again with POST /session/login.",
			formatSeconds(int64(age.age.Seconds())), formatSeconds(int64(age.timeout.Seconds())))
	default:
		return nil
	}
	return &apiError{
		kind:      kindUnauthenticated,
		message:   "Not authenticated",
		detail:    detail,
		challenge: sessionChallenge,
	}
}
