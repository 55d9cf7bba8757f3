package playground

import (
	"context"
	"errors"
	"time"

	"learn/learner"
)

// ErrNotFound is returned by a SessionStore when no session record matches
// both the ID hash and the learner.
var ErrNotFound = errors.New("not found")

// MaxDenylistEntries is how many live denylist entries one sandbox keeps.
// Tokens signed with POST /sign may carry any jti and no exp, so without a
// bound a learner could grow the table without end.
const MaxDenylistEntries = 1000

// ErrDenylistFull is returned by DenylistStore.DenyToken when the learner
// already has MaxDenylistEntries live entries and jti is not one of them.
var ErrDenylistFull = errors.New("denylist full")

// ErrOffsetLimit is returned by ClockStore.AdvanceClock when the advance
// would push the learner's clock offset past the limit.
var ErrOffsetLimit = errors.New("clock offset limit reached")

// Store is the persistence the playground needs. Each part is its own
// interface so that another backend can implement them one at a time.
type Store interface {
	ActivityStore
	KeyStore
	ClockStore
	SessionStore
	TranscriptStore
	SandboxKeyStore
	SettingsStore
	DenylistStore
	LearnerDataStore
}

// ActivityStore records when each learner last used the playground, so
// that abandoned sandboxes can be purged.
type ActivityStore interface {
	// TouchSandbox records that the learner used the playground at now,
	// in real time, and reports whether the learner has a sandbox. It
	// creates none.
	TouchSandbox(ctx context.Context, id learner.ID, now time.Time) (bool, error)

	// CreateSandbox records the learner's first use of the playground at
	// now. When the learner is new and maxSandboxes sandboxes exist, it
	// first deletes all playground data of the least recently used ones,
	// so that maxSandboxes remain with the new one, and returns their
	// ids. For a learner who has a sandbox it only records the use.
	CreateSandbox(ctx context.Context, id learner.ID, now time.Time, maxSandboxes int) ([]learner.ID, error)

	// PurgeIdleSandboxes deletes all playground data of the learners who
	// last used it before lastUsedBefore, and returns their ids.
	PurgeIdleSandboxes(ctx context.Context, lastUsedBefore time.Time) ([]learner.ID, error)
}

// KeyStore keeps one HS256 signing key per learner.
type KeyStore interface {
	// SigningKey returns the learner's signing key. When the learner has
	// none yet, it stores candidate and returns it. Concurrent first calls
	// for one learner all return the same stored key.
	SigningKey(ctx context.Context, id learner.ID, candidate []byte) ([]byte, error)
}

// ClockStore keeps each learner's virtual clock offset in whole seconds.
// The offset starts at 0 and only grows.
type ClockStore interface {
	// ClockOffset returns the learner's offset, or 0 for a learner who
	// never advanced the clock.
	ClockOffset(ctx context.Context, id learner.ID) (int64, error)

	// AdvanceClock adds seconds (which must be positive) to the learner's
	// offset and returns the new offset. When the sum would exceed
	// maxOffset, it leaves the offset unchanged and returns the current
	// offset with ErrOffsetLimit.
	AdvanceClock(ctx context.Context, id learner.ID, seconds, maxOffset int64) (int64, error)
}

// SessionStore keeps the server side of cookie sessions. Every method is
// scoped to one learner, so a record is invisible to every other learner.
type SessionStore interface {
	// CreateSession stores a new record.
	CreateSession(ctx context.Context, record SessionRecord) error

	// Session returns the record with idHash that belongs to the learner,
	// or ErrNotFound.
	Session(ctx context.Context, id learner.ID, idHash string) (SessionRecord, error)

	// UpdateSession replaces the data and last use time of an existing
	// record, or returns ErrNotFound.
	UpdateSession(ctx context.Context, record SessionRecord) error

	// DeleteSession deletes the record if it exists. Deleting a missing
	// record is not an error.
	DeleteSession(ctx context.Context, id learner.ID, idHash string) error

	// DeleteIdleSessions deletes the learner's records last used before
	// lastSeenBefore and returns how many it deleted.
	DeleteIdleSessions(ctx context.Context, id learner.ID, lastSeenBefore time.Time) (int64, error)

	// PurgeIdleSessions deletes every learner's records last used before
	// lastSeenBefore and returns how many it deleted.
	PurgeIdleSessions(ctx context.Context, lastSeenBefore time.Time) (int64, error)
}

// SessionRecord is the server-side state of one cookie session.
type SessionRecord struct {
	// IDHash is the hex SHA-256 of the session ID. The ID itself exists
	// only in the learner's cookie, so a copy of the database cannot be
	// replayed as cookies.
	IDHash  string
	Learner learner.ID
	// Data is the JSON encoding of the session values.
	Data []byte
	// CreatedAt and LastSeen are times on the learner's virtual clock.
	CreatedAt time.Time
	LastSeen  time.Time
}

// TranscriptStore keeps the most recent HTTP exchanges of each learner.
type TranscriptStore interface {
	// AddExchange appends an exchange and then deletes the learner's
	// oldest exchanges so that at most keep remain.
	AddExchange(ctx context.Context, id learner.ID, exchange Exchange, keep int) error

	// Exchanges returns the learner's exchanges, oldest first.
	Exchanges(ctx context.Context, id learner.ID) ([]Exchange, error)

	// ClearTranscript deletes all of the learner's exchanges.
	ClearTranscript(ctx context.Context, id learner.ID) error
}

// TranscriptBatchStore is an optional part of a Store that writes many
// exchanges in one transaction. The playground queues exchanges and
// writes them in batches, and without this method it adds them one by
// one.
type TranscriptBatchStore interface {
	// AddExchangeBatches appends each batch's exchanges, oldest first,
	// and then deletes that learner's oldest exchanges so that at most
	// the batch's Keep remain, all or none of them.
	AddExchangeBatches(ctx context.Context, batches []ExchangeBatch) error
}

// ExchangeBatch is one learner's exchanges waiting to be written.
type ExchangeBatch struct {
	Learner   learner.ID
	Exchanges []Exchange // oldest first
	Keep      int        // how many of the learner's exchanges to keep
}

// Exchange is one recorded request and its response, already reduced for
// display: long values are truncated and session cookie values
// abbreviated.
type Exchange struct {
	// Time is when the request arrived, on the learner's virtual clock.
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	// Path is the request path, including the prefix the router is
	// mounted at.
	Path string `json:"path"`
	// Authorization is the request's Authorization header as sent, cut to
	// 1,000 characters.
	Authorization          string `json:"authorization"`
	AuthorizationTruncated bool   `json:"authorizationTruncated"`
	// RequestBody is the request body as the handler read it, cut to
	// 2,000 bytes.
	RequestBody          string `json:"requestBody"`
	RequestBodyTruncated bool   `json:"requestBodyTruncated"`
	// Cookie lists only the request's pg_session cookies, values
	// abbreviated.
	Cookie string `json:"cookie"`
	// SetCookie lists only the response's pg_session Set-Cookie headers,
	// values abbreviated, one per line.
	SetCookie string `json:"setCookie"`
	Status    int    `json:"status"`
	// WWWAuthenticate is the response's WWW-Authenticate challenge, set on
	// every 401.
	WWWAuthenticate string `json:"wwwAuthenticate"`
	// ResponseBody is the response body, cut to 2,000 bytes.
	ResponseBody          string `json:"responseBody"`
	ResponseBodyTruncated bool   `json:"responseBodyTruncated"`
}
