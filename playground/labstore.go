package playground

import (
	"context"
	"time"

	"learn/learner"
)

// SandboxKeyStore keeps the learner's signing keys for the algorithms
// other than HS256, whose key KeyStore keeps. A key is created the first
// time the learner signs with its algorithm and never changes afterwards.
type SandboxKeyStore interface {
	// SandboxKeys returns all of the learner's stored keys, in no fixed
	// order.
	SandboxKeys(ctx context.Context, id learner.ID) ([]StoredKey, error)

	// AddSandboxKey stores candidate unless the learner already has a key
	// with its KeyID, and returns the key that is stored under that key
	// ID. Concurrent first calls for one key ID all return the same key.
	AddSandboxKey(ctx context.Context, id learner.ID, candidate StoredKey) (StoredKey, error)
}

// StoredKey is one signing key of a learner's sandbox in its stored form.
type StoredKey struct {
	// KeyID is the kid header of the tokens the key signs, unique within
	// one learner's keys. It is only ever used as a lookup value.
	KeyID string
	// Algorithm is the JWS alg the key signs with, such as "RS256".
	Algorithm string
	// Material is the HMAC secret for HS384 and HS512, and the PKCS #8
	// DER encoding of the private key for the other algorithms.
	Material []byte
}

// SettingsStore keeps each learner's verification settings.
type SettingsStore interface {
	// Settings returns the learner's settings, or DefaultSettings for a
	// learner who never saved any.
	Settings(ctx context.Context, id learner.ID) (Settings, error)

	// SaveSettings replaces the learner's settings.
	SaveSettings(ctx context.Context, id learner.ID, settings Settings) error
}

// DenylistStore keeps the jti values of tokens that a learner logged out.
type DenylistStore interface {
	// DenyToken adds jti to the learner's denylist until the time until,
	// on the learner's virtual clock. It also deletes the learner's
	// entries that ended before now. When MaxDenylistEntries live entries
	// remain and jti is not among them, it adds nothing and returns
	// ErrDenylistFull.
	DenyToken(ctx context.Context, id learner.ID, jti string, until, now time.Time) error

	// TokenDenied reports whether the learner's denylist has an entry for
	// jti that ends after now.
	TokenDenied(ctx context.Context, id learner.ID, jti string, now time.Time) (bool, error)
}
