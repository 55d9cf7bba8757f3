package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"learn/learner"
	"learn/playground"
)

// playgroundLabSchema adds the sandbox keys of the algorithms other than
// HS256, each learner's verification settings, and the jti denylist.
// Times are Unix milliseconds on the learner's virtual clock.
const playgroundLabSchema = `
CREATE TABLE playground_sandbox_keys (
	learner_id TEXT NOT NULL,
	kid        TEXT NOT NULL,
	alg        TEXT NOT NULL,
	material   BLOB NOT NULL,
	PRIMARY KEY (learner_id, kid)
) STRICT;

CREATE TABLE playground_settings (
	learner_id          TEXT PRIMARY KEY,
	leeway_seconds      INTEGER NOT NULL,
	algorithm_allowlist INTEGER NOT NULL,
	require_expiration  INTEGER NOT NULL,
	audience            TEXT NOT NULL,
	issuer              TEXT NOT NULL,
	denylist            INTEGER NOT NULL
) STRICT;

CREATE TABLE playground_denylist (
	learner_id    TEXT NOT NULL,
	jti           TEXT NOT NULL,
	until_unix_ms INTEGER NOT NULL,
	PRIMARY KEY (learner_id, jti)
) STRICT;
`

// SandboxKeys returns the learner's stored keys other than the HS256 key.
func (db *DB) SandboxKeys(ctx context.Context, id learner.ID) ([]playground.StoredKey, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT kid, alg, material FROM playground_sandbox_keys WHERE learner_id = ?`, string(id))
	if err != nil {
		return nil, fmt.Errorf("load sandbox keys: %w", err)
	}
	defer rows.Close()

	var keys []playground.StoredKey
	for rows.Next() {
		var key playground.StoredKey
		if err := rows.Scan(&key.KeyID, &key.Algorithm, &key.Material); err != nil {
			return nil, fmt.Errorf("load sandbox keys: %w", err)
		}
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load sandbox keys: %w", err)
	}
	return keys, nil
}

// AddSandboxKey stores candidate unless the learner has a key with its key
// ID. The insert ignores a conflict, so concurrent first calls all read
// back the one key that was stored.
func (db *DB) AddSandboxKey(ctx context.Context, id learner.ID, candidate playground.StoredKey) (playground.StoredKey, error) {
	const insert = `INSERT INTO playground_sandbox_keys (learner_id, kid, alg, material) VALUES (?, ?, ?, ?) ON CONFLICT (learner_id, kid) DO NOTHING`
	if _, err := db.db.ExecContext(ctx, insert, string(id), candidate.KeyID, candidate.Algorithm, candidate.Material); err != nil {
		return playground.StoredKey{}, fmt.Errorf("store sandbox key %s: %w", candidate.KeyID, err)
	}

	stored := playground.StoredKey{KeyID: candidate.KeyID}
	const query = `SELECT alg, material FROM playground_sandbox_keys WHERE learner_id = ? AND kid = ?`
	if err := db.db.QueryRowContext(ctx, query, string(id), candidate.KeyID).Scan(&stored.Algorithm, &stored.Material); err != nil {
		return playground.StoredKey{}, fmt.Errorf("load sandbox key %s: %w", candidate.KeyID, err)
	}
	return stored, nil
}

// sessionTimeoutsSchema adds the learner's session timeouts to the
// settings. Zero, the value of every existing row, means the server's
// default.
const sessionTimeoutsSchema = `
ALTER TABLE playground_settings ADD COLUMN session_idle_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE playground_settings ADD COLUMN session_absolute_seconds INTEGER NOT NULL DEFAULT 0;
`

// Settings returns the learner's settings, or playground.DefaultSettings
// when the learner never saved any.
func (db *DB) Settings(ctx context.Context, id learner.ID) (playground.Settings, error) {
	const query = `SELECT leeway_seconds, algorithm_allowlist, require_expiration, audience, issuer, denylist,
	session_idle_seconds, session_absolute_seconds FROM playground_settings WHERE learner_id = ?`
	var settings playground.Settings
	err := db.db.QueryRowContext(ctx, query, string(id)).Scan(
		&settings.LeewaySeconds, &settings.AlgorithmAllowList, &settings.RequireExpiration,
		&settings.Audience, &settings.Issuer, &settings.Denylist,
		&settings.SessionIdleSeconds, &settings.SessionAbsoluteSeconds)
	if errors.Is(err, sql.ErrNoRows) {
		return playground.DefaultSettings(), nil
	}
	if err != nil {
		return playground.Settings{}, fmt.Errorf("load playground settings: %w", err)
	}
	return settings, nil
}

// SaveSettings replaces the learner's settings.
func (db *DB) SaveSettings(ctx context.Context, id learner.ID, settings playground.Settings) error {
	const upsert = `
INSERT INTO playground_settings (learner_id, leeway_seconds, algorithm_allowlist, require_expiration, audience, issuer, denylist,
	session_idle_seconds, session_absolute_seconds)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (learner_id) DO UPDATE SET
	leeway_seconds = excluded.leeway_seconds,
	algorithm_allowlist = excluded.algorithm_allowlist,
	require_expiration = excluded.require_expiration,
	audience = excluded.audience,
	issuer = excluded.issuer,
	denylist = excluded.denylist,
	session_idle_seconds = excluded.session_idle_seconds,
	session_absolute_seconds = excluded.session_absolute_seconds`
	_, err := db.db.ExecContext(ctx, upsert, string(id),
		settings.LeewaySeconds, settings.AlgorithmAllowList, settings.RequireExpiration,
		settings.Audience, settings.Issuer, settings.Denylist,
		settings.SessionIdleSeconds, settings.SessionAbsoluteSeconds)
	if err != nil {
		return fmt.Errorf("save playground settings: %w", err)
	}
	return nil
}

// DenyToken adds jti to the learner's denylist until the given time, and
// deletes the learner's entries that ended before now. A second call for
// the same jti keeps the later end.
func (db *DB) DenyToken(ctx context.Context, id learner.ID, jti string, until, now time.Time) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("deny token: %w", err)
	}
	defer tx.Rollback()

	const purge = `DELETE FROM playground_denylist WHERE learner_id = ? AND until_unix_ms <= ?`
	if _, err := tx.ExecContext(ctx, purge, string(id), now.UnixMilli()); err != nil {
		return fmt.Errorf("delete ended denylist entries: %w", err)
	}
	const count = `SELECT COUNT(*), COUNT(*) FILTER (WHERE jti = ?) FROM playground_denylist WHERE learner_id = ?`
	var entries, same int
	if err := tx.QueryRowContext(ctx, count, jti, string(id)).Scan(&entries, &same); err != nil {
		return fmt.Errorf("count denylist entries: %w", err)
	}
	if entries >= playground.MaxDenylistEntries && same == 0 {
		return playground.ErrDenylistFull
	}
	const upsert = `
INSERT INTO playground_denylist (learner_id, jti, until_unix_ms) VALUES (?, ?, ?)
ON CONFLICT (learner_id, jti) DO UPDATE SET until_unix_ms = max(until_unix_ms, excluded.until_unix_ms)`
	if _, err := tx.ExecContext(ctx, upsert, string(id), jti, until.UnixMilli()); err != nil {
		return fmt.Errorf("deny token: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("deny token: %w", err)
	}
	return nil
}

// TokenDenied reports whether the learner's denylist has an entry for jti
// that ends after now.
func (db *DB) TokenDenied(ctx context.Context, id learner.ID, jti string, now time.Time) (bool, error) {
	const query = `SELECT EXISTS (SELECT 1 FROM playground_denylist WHERE learner_id = ? AND jti = ? AND until_unix_ms > ?)`
	var denied bool
	if err := db.db.QueryRowContext(ctx, query, string(id), jti, now.UnixMilli()).Scan(&denied); err != nil {
		return false, fmt.Errorf("check denylist: %w", err)
	}
	return denied, nil
}
