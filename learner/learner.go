// Package learner gives every visitor one anonymous identity: a random id
// carried in a signed cookie named learn_learner, which a visitor gets
// from the first request that may store something. Quiz progress and
// the playground's sandbox are both keyed by it.
package learner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/gorilla/securecookie"

	"learn/clientinfo"
)

// CookieName is the name of the cookie that carries the learner id. Over
// HTTPS it gets the __Host- prefix.
const CookieName = "learn_learner"

// cookieMaxAge is the lifetime of the learner cookie, counted from when
// it was set. It is not renewed on later visits, so a learner who comes
// back after a year needs a recovery code to find their progress.
const cookieMaxAge = 365 * 24 * time.Hour

// ID identifies one learner. It is 32 lowercase hex digits.
type ID string

var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// NewID returns a random learner id from crypto/rand.
func NewID() ID {
	var b [16]byte
	rand.Read(b[:])
	return ID(hex.EncodeToString(b[:]))
}

type contextKey struct{}

// contextValue is the learner state that Middleware stores in a request
// context.
type contextValue struct {
	id ID
	// isNew is set when the request carried no valid cookie, so the id
	// was made for this request and nothing is stored under it yet.
	isNew bool
}

// NewContext returns a copy of ctx that carries id.
func NewContext(ctx context.Context, id ID) context.Context {
	return context.WithValue(ctx, contextKey{}, contextValue{id: id})
}

// FromContext returns the learner id stored by Middleware, or "" and false
// when the request did not pass through it.
func FromContext(ctx context.Context) (ID, bool) {
	value, ok := ctx.Value(contextKey{}).(contextValue)
	return value.id, ok && value.id != ""
}

// IsNew reports whether Middleware made the context's learner id for this
// request because no valid cookie came in. Such a learner has no stored
// progress, so a page may skip loading it.
func IsNew(ctx context.Context) bool {
	value, _ := ctx.Value(contextKey{}).(contextValue)
	return value.isNew
}

// Middleware reads the learner id from the signed learn_learner cookie and
// stores it in the request context. A request without a valid cookie
// becomes a new learner, and the response sets a fresh cookie unless the
// request only reads. A missing, tampered or unknown-key cookie never
// fails the request.
type Middleware struct {
	codecs   []securecookie.Codec
	logger   *slog.Logger
	readOnly func(*http.Request) bool
}

// NewMiddleware returns a Middleware that signs cookies with the first
// key and accepts cookies signed with any of keys. Each key must be at
// least 32 bytes.
//
// readOnly reports the requests whose handlers never store anything
// under the learner id, such as a lesson page. A new learner gets no
// cookie from those: with nothing stored, there is nothing to come back
// to, so a visitor who only reads is never given an id. A nil readOnly
// treats every request as one that may store.
func NewMiddleware(keys [][]byte, logger *slog.Logger, readOnly func(*http.Request) bool) *Middleware {
	codecs := make([]securecookie.Codec, 0, len(keys))
	for _, key := range keys {
		codec := securecookie.New(key, nil)
		codec.MaxAge(int(cookieMaxAge.Seconds()))
		codecs = append(codecs, codec)
	}
	if readOnly == nil {
		readOnly = func(*http.Request) bool { return false }
	}
	return &Middleware{codecs: codecs, logger: logger, readOnly: readOnly}
}

// Handler wraps next so that every request carries a learner id. A cookie
// that only an older key verifies is issued again under the newest key.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, keyIndex := m.read(r)
		value := contextValue{id: id}
		if id == "" {
			value = contextValue{id: NewID(), isNew: true}
		}
		if keyIndex > 0 || (keyIndex < 0 && !m.readOnly(r)) {
			if err := m.write(w, r, value.id); err != nil {
				m.logger.Error("set learner cookie", "err", err, "method", r.Method, "path", r.URL.Path)
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contextKey{}, value)))
	})
}

// read returns the learner id in the request's cookie and the index of the
// key that verified it, or "" and -1 when no valid cookie came in.
func (m *Middleware) read(r *http.Request) (ID, int) {
	cookie, err := r.Cookie(clientinfo.CookieName(r, CookieName))
	if err != nil {
		return "", -1
	}
	for i, codec := range m.codecs {
		var value string
		if err := codec.Decode(CookieName, cookie.Value, &value); err != nil {
			continue
		}
		if !idPattern.MatchString(value) {
			return "", -1
		}
		return ID(value), i
	}
	return "", -1
}

// HasCookie reports whether r carries a learner cookie under either of
// its names, valid or not. A request without one is a new learner for
// certain, without any cookie to verify.
func HasCookie(r *http.Request) bool {
	if len(r.Header["Cookie"]) == 0 {
		return false
	}
	for _, name := range []string{CookieName, "__Host-" + CookieName} {
		if _, err := r.Cookie(name); err == nil {
			return true
		}
	}
	return false
}

// SetCookie sets the response's learn_learner cookie to id, so that the
// browser's next requests belong to that learner. Restoring progress with
// a recovery code and deleting a learner's data use it.
func (m *Middleware) SetCookie(w http.ResponseWriter, r *http.Request, id ID) error {
	if !idPattern.MatchString(string(id)) {
		return fmt.Errorf("invalid learner id %q", id)
	}
	return m.write(w, r, id)
}

func (m *Middleware) write(w http.ResponseWriter, r *http.Request, id ID) error {
	encoded, err := m.codecs[0].Encode(CookieName, string(id))
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     clientinfo.CookieName(r, CookieName),
		Value:    encoded,
		Path:     "/",
		MaxAge:   int(cookieMaxAge.Seconds()),
		HttpOnly: true,
		Secure:   clientinfo.FromRequest(r).Secure,
		SameSite: http.SameSiteLaxMode,
	})
	return nil
}
