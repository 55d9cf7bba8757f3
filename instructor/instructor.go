// Package instructor checks the instructor password and keeps instructor
// sessions on the server. The password comes from the operator, is hashed
// with bcrypt when the Auth is created and is kept only as that hash. A
// session ID exists only in the instructor's cookie: the store keeps its
// SHA-256 hash, so a copy of the database cannot be replayed as a cookie.
package instructor

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Session timeouts. Both are enforced on the server, on every request.
const (
	// IdleTimeout ends a session that has not been used for this long.
	IdleTimeout = 30 * time.Minute
	// AbsoluteTimeout ends a session this long after login, however
	// active it is.
	AbsoluteTimeout = 8 * time.Hour
)

// maxPasswordBytes is the longest password bcrypt accepts.
const maxPasswordBytes = 72

// Errors of Login and Check.
var (
	ErrWrongPassword = errors.New("wrong instructor password")
	ErrNoSession     = errors.New("no valid instructor session")
)

// Session is the server-side record of one instructor login.
type Session struct {
	IDHash    string // hex SHA-256 of the session ID
	CreatedAt time.Time
	LastSeen  time.Time
}

// SessionStore keeps instructor sessions.
type SessionStore interface {
	// CreateInstructorSession stores a new session.
	CreateInstructorSession(ctx context.Context, session Session) error

	// InstructorSession returns the session with idHash, and false when
	// there is none.
	InstructorSession(ctx context.Context, idHash string) (Session, bool, error)

	// TouchInstructorSession sets the last use time of a session. A
	// missing session is not an error.
	TouchInstructorSession(ctx context.Context, idHash string, lastSeen time.Time) error

	// DeleteInstructorSession deletes a session. A missing session is not
	// an error.
	DeleteInstructorSession(ctx context.Context, idHash string) error

	// DeleteExpiredInstructorSessions deletes the sessions last used
	// before lastSeenBefore or created before createdBefore, and returns
	// how many it deleted.
	DeleteExpiredInstructorSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) (int64, error)
}

// Config configures an Auth.
type Config struct {
	// Password is the instructor password. Empty disables instructor
	// access.
	Password string
	// Store keeps the sessions. It is required when Password is set.
	Store SessionStore
	// Now returns the current time. Nil means time.Now.
	Now func() time.Time
	// BcryptCost is the bcrypt cost of the password hash. Zero means
	// bcrypt.DefaultCost. Tests lower it to bcrypt.MinCost for speed.
	BcryptCost int
}

// Auth checks the instructor password and the sessions it starts.
type Auth struct {
	hash  []byte // bcrypt hash of the password, or nil when disabled
	store SessionStore
	now   func() time.Time
}

// New hashes cfg.Password and returns an Auth. With an empty password it
// returns an Auth whose Enabled reports false.
func New(cfg Config) (*Auth, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &Auth{store: cfg.Store, now: cfg.Now}
	if cfg.Password == "" {
		return a, nil
	}
	if cfg.Store == nil {
		return nil, errors.New("instructor session store is nil")
	}
	if len(cfg.Password) > maxPasswordBytes {
		return nil, fmt.Errorf("instructor password is %d bytes, but bcrypt takes at most %d; choose a shorter one", len(cfg.Password), maxPasswordBytes)
	}

	cost := cfg.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(cfg.Password), cost)
	if err != nil {
		// The length is checked above, so bcrypt can only reject the
		// cost here, and its error contains no part of the password.
		return nil, fmt.Errorf("hash the instructor password: %w", err)
	}
	a.hash = hash
	return a, nil
}

// Enabled reports whether an instructor password is set.
func (a *Auth) Enabled() bool {
	return a != nil && a.hash != nil
}

// Login checks password and, when it is right, stores a new session and
// returns its ID for the cookie. It returns ErrWrongPassword otherwise.
// Expired sessions are deleted on the way, so the table stays small.
func (a *Auth) Login(ctx context.Context, password string) (string, error) {
	if !a.Enabled() {
		return "", ErrWrongPassword
	}
	if bcrypt.CompareHashAndPassword(a.hash, []byte(password)) != nil {
		return "", ErrWrongPassword
	}

	now := a.now()
	if _, err := a.store.DeleteExpiredInstructorSessions(ctx, now.Add(-IdleTimeout), now.Add(-AbsoluteTimeout)); err != nil {
		return "", err
	}

	id := newSessionID()
	session := Session{IDHash: HashSessionID(id), CreatedAt: now, LastSeen: now}
	if err := a.store.CreateInstructorSession(ctx, session); err != nil {
		return "", err
	}
	return id, nil
}

// Check returns nil when sessionID names a session within both timeouts,
// and records this use of it. It returns ErrNoSession for a missing,
// unknown or expired session, and deletes an expired one.
func (a *Auth) Check(ctx context.Context, sessionID string) error {
	if !a.Enabled() || sessionID == "" {
		return ErrNoSession
	}

	idHash := HashSessionID(sessionID)
	session, found, err := a.store.InstructorSession(ctx, idHash)
	if err != nil {
		return err
	}
	if !found {
		return ErrNoSession
	}

	now := a.now()
	if now.Sub(session.LastSeen) >= IdleTimeout || now.Sub(session.CreatedAt) >= AbsoluteTimeout {
		if err := a.store.DeleteInstructorSession(ctx, idHash); err != nil {
			return err
		}
		return ErrNoSession
	}
	return a.store.TouchInstructorSession(ctx, idHash, now)
}

// Logout deletes the session that sessionID names, if any.
func (a *Auth) Logout(ctx context.Context, sessionID string) error {
	if !a.Enabled() || sessionID == "" {
		return nil
	}
	return a.store.DeleteInstructorSession(ctx, HashSessionID(sessionID))
}

// HashSessionID returns the hex SHA-256 of a session ID, the form the
// store keeps.
func HashSessionID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// newSessionID returns 256 random bits from crypto/rand, base64url
// encoded.
func newSessionID() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
