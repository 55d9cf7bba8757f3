package playground

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/sessions"

	"learn/clientinfo"
	"learn/learner"
)

// sessionIDBytes is the number of random bytes in a session ID.
const sessionIDBytes = 32

// Errors from serverSessions.New for a request without a live session.
// They are normal outcomes, which the handlers report as a 401.
var (
	errNoSessionCookie      = errors.New("request has no session cookie")
	errSessionCookieInvalid = errors.New("session cookie signature is invalid")
	errSessionUnknown       = errors.New("session not found for this learner")
)

// sessionIdleError reports a session that was unused for at least the
// idle timeout. Its record has been deleted.
type sessionIdleError struct {
	idle    time.Duration
	timeout time.Duration
}

func (e *sessionIdleError) Error() string {
	return fmt.Sprintf("session idle for %s, timeout %s", e.idle, e.timeout)
}

// sessionAgeError reports a session that reached the absolute timeout,
// however recently it was used. Its record has been deleted.
type sessionAgeError struct {
	age     time.Duration
	timeout time.Duration
}

func (e *sessionAgeError) Error() string {
	return fmt.Sprintf("session %s old, absolute timeout %s", e.age, e.timeout)
}

// serverSessions implements the gorilla/sessions Store interface with the
// data kept on the server. The cookie holds only a signed random session
// ID. The records live in a SessionStore, keyed by the SHA-256 of that ID
// and by learner, so a session presented by another learner is not found.
type serverSessions struct {
	records SessionStore
	signer  cookieSigner
	// timeouts returns the learner's idle and absolute timeouts.
	timeouts func(ctx context.Context, id learner.ID) (idle, absolute time.Duration, err error)
	// now returns the learner's virtual time, against which the idle
	// timeout is judged.
	now func(ctx context.Context, id learner.ID) (time.Time, error)
}

var _ sessions.Store = (*serverSessions)(nil)

// Get returns the named session of the request. The gorilla/sessions
// registry caches it in the request context, so New runs once per request
// and name.
func (s *serverSessions) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session that the request's cookie names. Loading a live
// session counts as a use: it sets the record's last use to now, which
// restarts the idle timeout. When there is no live session, New returns
// an empty session with IsNew set, together with errNoSessionCookie,
// errSessionCookieInvalid, errSessionUnknown or a *sessionIdleError. Any
// other error is a store failure.
func (s *serverSessions) New(r *http.Request, name string) (*sessions.Session, error) {
	session := sessions.NewSession(s, name)
	session.IsNew = true
	session.Options = &sessions.Options{
		Path:     "/",
		HttpOnly: true,
		Secure:   clientinfo.FromRequest(r).Secure,
		SameSite: http.SameSiteLaxMode,
	}

	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		return session, err
	}
	cookie, err := r.Cookie(name)
	if err != nil {
		return session, errNoSessionCookie
	}
	sessionID, ok := s.signer.verify(name, cookie.Value)
	if !ok {
		return session, errSessionCookieInvalid
	}

	idHash := hashSessionID(sessionID)
	record, err := s.records.Session(ctx, id, idHash)
	if errors.Is(err, ErrNotFound) {
		return session, errSessionUnknown
	}
	if err != nil {
		return session, err
	}

	now, err := s.now(ctx, id)
	if err != nil {
		return session, err
	}
	idleTimeout, absoluteTimeout, err := s.timeouts(ctx, id)
	if err != nil {
		return session, err
	}
	var ended error
	if age := now.Sub(record.CreatedAt); age >= absoluteTimeout {
		ended = &sessionAgeError{age: age, timeout: absoluteTimeout}
	} else if idle := now.Sub(record.LastSeen); idle >= idleTimeout {
		ended = &sessionIdleError{idle: idle, timeout: idleTimeout}
	}
	if ended != nil {
		if err := s.records.DeleteSession(ctx, id, idHash); err != nil {
			return session, err
		}
		return session, ended
	}

	values, err := decodeSessionValues(record.Data)
	if err != nil {
		return session, err
	}
	record.LastSeen = now
	err = s.records.UpdateSession(ctx, record)
	if errors.Is(err, ErrNotFound) {
		// A concurrent logout deleted the record after it was read.
		return session, errSessionUnknown
	}
	if err != nil {
		return session, err
	}

	session.ID = sessionID
	session.Values = values
	session.IsNew = false
	return session, nil
}

// Save stores the session and sets its cookie. A session with a negative
// Options.MaxAge is deleted from the store and its cookie cleared. A
// session without an ID gets a new random ID and a new record.
func (s *serverSessions) Save(r *http.Request, w http.ResponseWriter, session *sessions.Session) error {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		return err
	}

	if session.Options.MaxAge < 0 {
		if session.ID != "" {
			if err := s.records.DeleteSession(ctx, id, hashSessionID(session.ID)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(session.Name(), "", session.Options))
		return nil
	}

	data, err := encodeSessionValues(session.Values)
	if err != nil {
		return err
	}
	now, err := s.now(ctx, id)
	if err != nil {
		return err
	}
	if session.ID == "" {
		session.ID = newSessionID()
		record := SessionRecord{IDHash: hashSessionID(session.ID), Learner: id, Data: data, CreatedAt: now, LastSeen: now}
		if err := s.records.CreateSession(ctx, record); err != nil {
			return err
		}
	} else {
		record := SessionRecord{IDHash: hashSessionID(session.ID), Learner: id, Data: data, LastSeen: now}
		if err := s.records.UpdateSession(ctx, record); err != nil {
			return err
		}
	}

	signed := s.signer.sign(session.Name(), session.ID)
	http.SetCookie(w, sessions.NewCookie(session.Name(), signed, session.Options))
	return nil
}

// renew deletes the record of a loaded session and clears its ID and
// values, so that the next Save issues a new session ID. Logging in
// through renew prevents session fixation: an ID planted before login
// never becomes authenticated.
func (s *serverSessions) renew(r *http.Request, session *sessions.Session) error {
	if session.ID != "" {
		id, err := learnerID(r.Context())
		if err != nil {
			return err
		}
		if err := s.records.DeleteSession(r.Context(), id, hashSessionID(session.ID)); err != nil {
			return err
		}
	}
	session.ID = ""
	session.Values = make(map[any]any)
	session.IsNew = true
	return nil
}

// cookieSigner signs session IDs for the cookie as "ID.MAC", where MAC is
// the base64url HMAC-SHA256 of the cookie name and the ID. The cookie
// carries no timestamp because expiry is decided on the server. The ID
// comes first, so the abbreviated value in the transcript differs between
// sessions.
type cookieSigner struct {
	key []byte
	// previous are older keys that still verify but no longer sign, so
	// that a key can be rotated without logging everyone out at once.
	previous [][]byte
}

func (c cookieSigner) mac(name, sessionID string) []byte {
	return cookieMAC(c.key, name, sessionID)
}

func cookieMAC(key []byte, name, sessionID string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(name + "|" + sessionID))
	return mac.Sum(nil)
}

func (c cookieSigner) sign(name, sessionID string) string {
	return sessionID + "." + base64.RawURLEncoding.EncodeToString(c.mac(name, sessionID))
}

// verify returns the session ID of a signed cookie value, or false when
// the value is not one that sign produced with this key.
func (c cookieSigner) verify(name, value string) (string, bool) {
	sessionID, encodedMAC, found := strings.Cut(value, ".")
	if !found || sessionID == "" {
		return "", false
	}
	got, err := base64.RawURLEncoding.DecodeString(encodedMAC)
	if err != nil {
		return "", false
	}
	if hmac.Equal(got, c.mac(name, sessionID)) {
		return sessionID, true
	}
	for _, key := range c.previous {
		if hmac.Equal(got, cookieMAC(key, name, sessionID)) {
			return sessionID, true
		}
	}
	return "", false
}

// newSessionID returns 32 random bytes from crypto/rand, base64url
// encoded.
func newSessionID() string {
	b := make([]byte, sessionIDBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSessionID(sessionID string) string {
	sum := sha256.Sum256([]byte(sessionID))
	return hex.EncodeToString(sum[:])
}

// encodeSessionValues encodes values as a JSON object. Only string keys
// are supported.
func encodeSessionValues(values map[any]any) ([]byte, error) {
	object := make(map[string]any, len(values))
	for key, value := range values {
		name, ok := key.(string)
		if !ok {
			return nil, fmt.Errorf("encode session values: key %v is a %T; only string keys are supported", key, key)
		}
		object[name] = value
	}
	data, err := json.Marshal(object)
	if err != nil {
		return nil, fmt.Errorf("encode session values: %w", err)
	}
	return data, nil
}

func decodeSessionValues(data []byte) (map[any]any, error) {
	var object map[string]any
	if err := json.Unmarshal(data, &object); err != nil {
		return nil, fmt.Errorf("decode session values: %w", err)
	}
	values := make(map[any]any, len(object))
	for name, value := range object {
		values[name] = value
	}
	return values, nil
}
