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

// playgroundSchema creates the playground's tables. Times are Unix
// milliseconds on the learner's virtual clock.
const playgroundSchema = `
CREATE TABLE playground_signing_keys (
	learner_id TEXT PRIMARY KEY,
	key        BLOB NOT NULL
) STRICT;

CREATE TABLE playground_clocks (
	learner_id     TEXT PRIMARY KEY,
	offset_seconds INTEGER NOT NULL CHECK (offset_seconds >= 0)
) STRICT;

CREATE TABLE playground_sessions (
	id_hash          TEXT PRIMARY KEY,
	learner_id       TEXT NOT NULL,
	data             BLOB NOT NULL,
	created_unix_ms  INTEGER NOT NULL,
	last_seen_unix_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX playground_sessions_by_learner ON playground_sessions (learner_id, last_seen_unix_ms);

CREATE TABLE playground_exchanges (
	id                      INTEGER PRIMARY KEY AUTOINCREMENT,
	learner_id              TEXT NOT NULL,
	time_unix_ms            INTEGER NOT NULL,
	method                  TEXT NOT NULL,
	path                    TEXT NOT NULL,
	authorization_header    TEXT NOT NULL,
	authorization_truncated INTEGER NOT NULL,
	cookie_header           TEXT NOT NULL,
	set_cookie_header       TEXT NOT NULL,
	status                  INTEGER NOT NULL,
	response_body           TEXT NOT NULL,
	response_body_truncated INTEGER NOT NULL
) STRICT;

CREATE INDEX playground_exchanges_by_learner ON playground_exchanges (learner_id, id);
`

// exchangeDetailsSchema adds the request body and the WWW-Authenticate
// challenge to recorded exchanges.
const exchangeDetailsSchema = `
ALTER TABLE playground_exchanges ADD COLUMN request_body TEXT NOT NULL DEFAULT '';
ALTER TABLE playground_exchanges ADD COLUMN request_body_truncated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE playground_exchanges ADD COLUMN www_authenticate TEXT NOT NULL DEFAULT '';
`

var _ playground.Store = (*DB)(nil)

// SigningKey returns the learner's HS256 key, storing candidate first when
// the learner has none. The insert ignores a conflict, so concurrent first
// calls all read back the one key that was stored.
func (db *DB) SigningKey(ctx context.Context, id learner.ID, candidate []byte) ([]byte, error) {
	const query = `SELECT key FROM playground_signing_keys WHERE learner_id = ?`
	var key []byte
	err := db.db.QueryRowContext(ctx, query, string(id)).Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load signing key: %w", err)
	}

	const insert = `INSERT INTO playground_signing_keys (learner_id, key) VALUES (?, ?) ON CONFLICT (learner_id) DO NOTHING`
	if _, err := db.db.ExecContext(ctx, insert, string(id), candidate); err != nil {
		return nil, fmt.Errorf("store signing key: %w", err)
	}
	if err := db.db.QueryRowContext(ctx, query, string(id)).Scan(&key); err != nil {
		return nil, fmt.Errorf("load signing key: %w", err)
	}
	return key, nil
}

// ClockOffset returns the learner's clock offset in seconds, 0 when the
// learner never advanced the clock.
func (db *DB) ClockOffset(ctx context.Context, id learner.ID) (int64, error) {
	var offset int64
	err := db.db.QueryRowContext(ctx, `SELECT offset_seconds FROM playground_clocks WHERE learner_id = ?`, string(id)).Scan(&offset)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load clock offset: %w", err)
	}
	return offset, nil
}

// AdvanceClock adds seconds to the learner's offset in one statement, so
// concurrent advances neither lose an update nor pass maxOffset together.
// It returns playground.ErrOffsetLimit and the unchanged offset when the
// sum would exceed maxOffset.
func (db *DB) AdvanceClock(ctx context.Context, id learner.ID, seconds, maxOffset int64) (int64, error) {
	if seconds <= 0 {
		return 0, fmt.Errorf("advance clock by %d seconds: the advance must be positive", seconds)
	}
	if seconds > maxOffset {
		offset, err := db.ClockOffset(ctx, id)
		if err != nil {
			return 0, err
		}
		return offset, playground.ErrOffsetLimit
	}

	// When the WHERE clause of the upsert is false, no row is updated and
	// RETURNING yields nothing.
	const upsert = `
INSERT INTO playground_clocks (learner_id, offset_seconds) VALUES (?1, ?2)
ON CONFLICT (learner_id) DO UPDATE
	SET offset_seconds = offset_seconds + excluded.offset_seconds
	WHERE offset_seconds + excluded.offset_seconds <= ?3
RETURNING offset_seconds`
	var offset int64
	err := db.db.QueryRowContext(ctx, upsert, string(id), seconds, maxOffset).Scan(&offset)
	if errors.Is(err, sql.ErrNoRows) {
		current, err := db.ClockOffset(ctx, id)
		if err != nil {
			return 0, err
		}
		return current, playground.ErrOffsetLimit
	}
	if err != nil {
		return 0, fmt.Errorf("advance clock: %w", err)
	}
	return offset, nil
}

// CreateSession stores a new session record.
func (db *DB) CreateSession(ctx context.Context, record playground.SessionRecord) error {
	const insert = `
INSERT INTO playground_sessions (id_hash, learner_id, data, created_unix_ms, last_seen_unix_ms)
VALUES (?, ?, ?, ?, ?)`
	_, err := db.db.ExecContext(ctx, insert, record.IDHash, string(record.Learner), record.Data,
		record.CreatedAt.UnixMilli(), record.LastSeen.UnixMilli())
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session returns the learner's session record with idHash, or
// playground.ErrNotFound.
func (db *DB) Session(ctx context.Context, id learner.ID, idHash string) (playground.SessionRecord, error) {
	const query = `
SELECT data, created_unix_ms, last_seen_unix_ms FROM playground_sessions
WHERE id_hash = ? AND learner_id = ?`
	record := playground.SessionRecord{IDHash: idHash, Learner: id}
	var createdMillis, lastSeenMillis int64
	err := db.db.QueryRowContext(ctx, query, idHash, string(id)).Scan(&record.Data, &createdMillis, &lastSeenMillis)
	if errors.Is(err, sql.ErrNoRows) {
		return playground.SessionRecord{}, playground.ErrNotFound
	}
	if err != nil {
		return playground.SessionRecord{}, fmt.Errorf("load session: %w", err)
	}
	record.CreatedAt = time.UnixMilli(createdMillis).UTC()
	record.LastSeen = time.UnixMilli(lastSeenMillis).UTC()
	return record, nil
}

// UpdateSession replaces the data and last use time of the learner's
// session record, or returns playground.ErrNotFound.
func (db *DB) UpdateSession(ctx context.Context, record playground.SessionRecord) error {
	const update = `
UPDATE playground_sessions SET data = ?, last_seen_unix_ms = ?
WHERE id_hash = ? AND learner_id = ?`
	result, err := db.db.ExecContext(ctx, update, record.Data, record.LastSeen.UnixMilli(), record.IDHash, string(record.Learner))
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	updated, err := result.RowsAffected()
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	if updated == 0 {
		return playground.ErrNotFound
	}
	return nil
}

// DeleteSession deletes the learner's session record with idHash, if any.
func (db *DB) DeleteSession(ctx context.Context, id learner.ID, idHash string) error {
	_, err := db.db.ExecContext(ctx, `DELETE FROM playground_sessions WHERE id_hash = ? AND learner_id = ?`, idHash, string(id))
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteIdleSessions deletes the learner's session records last used
// before lastSeenBefore and returns how many it deleted.
func (db *DB) DeleteIdleSessions(ctx context.Context, id learner.ID, lastSeenBefore time.Time) (int64, error) {
	result, err := db.db.ExecContext(ctx, `DELETE FROM playground_sessions WHERE learner_id = ? AND last_seen_unix_ms < ?`,
		string(id), lastSeenBefore.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete idle sessions: %w", err)
	}
	deleted, err := result.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete idle sessions: %w", err)
	}
	return deleted, nil
}

// PurgeIdleSessions deletes the session records of all learners last used
// before lastSeenBefore and returns how many it deleted.
func (db *DB) PurgeIdleSessions(ctx context.Context, lastSeenBefore time.Time) (int64, error) {
	result, err := db.db.ExecContext(ctx, `DELETE FROM playground_sessions WHERE last_seen_unix_ms < ?`,
		lastSeenBefore.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("purge idle sessions: %w", err)
	}
	deleted, err := result.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purge idle sessions: %w", err)
	}
	return deleted, nil
}

const insertExchange = `
INSERT INTO playground_exchanges (
	learner_id, time_unix_ms, method, path,
	authorization_header, authorization_truncated, cookie_header, set_cookie_header,
	status, response_body, response_body_truncated,
	request_body, request_body_truncated, www_authenticate
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// trimExchanges deletes a learner's (?1) exchanges beyond the newest ?2.
// The subquery finds the newest exchange that falls outside the kept
// ones. With ?2 or fewer exchanges it is NULL, so nothing matches.
const trimExchanges = `
DELETE FROM playground_exchanges
WHERE learner_id = ?1 AND id <= (
	SELECT id FROM playground_exchanges WHERE learner_id = ?1
	ORDER BY id DESC LIMIT 1 OFFSET ?2
)`

// exchangeValues returns the arguments of insertExchange.
func exchangeValues(id learner.ID, exchange playground.Exchange) []any {
	return []any{
		string(id), exchange.Time.UnixMilli(), exchange.Method, exchange.Path,
		exchange.Authorization, exchange.AuthorizationTruncated, exchange.Cookie, exchange.SetCookie,
		exchange.Status, exchange.ResponseBody, exchange.ResponseBodyTruncated,
		exchange.RequestBody, exchange.RequestBodyTruncated, exchange.WWWAuthenticate,
	}
}

// AddExchange appends an exchange to the learner's transcript and deletes
// the oldest ones beyond keep, in one transaction.
func (db *DB) AddExchange(ctx context.Context, id learner.ID, exchange playground.Exchange, keep int) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add transcript exchange: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, insertExchange, exchangeValues(id, exchange)...); err != nil {
		return fmt.Errorf("add transcript exchange: %w", err)
	}
	if _, err := tx.ExecContext(ctx, trimExchanges, string(id), keep); err != nil {
		return fmt.Errorf("trim transcript: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add transcript exchange: %w", err)
	}
	return nil
}

// AddExchangeBatches appends the exchanges of every batch and trims each
// batch's learner to its Keep newest exchanges, in one transaction.
func (db *DB) AddExchangeBatches(ctx context.Context, batches []playground.ExchangeBatch) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("add transcript exchanges: %w", err)
	}
	defer tx.Rollback()

	insert, err := tx.PrepareContext(ctx, insertExchange)
	if err != nil {
		return fmt.Errorf("add transcript exchanges: %w", err)
	}
	defer insert.Close()
	trim, err := tx.PrepareContext(ctx, trimExchanges)
	if err != nil {
		return fmt.Errorf("add transcript exchanges: %w", err)
	}
	defer trim.Close()

	for _, batch := range batches {
		for _, exchange := range batch.Exchanges {
			if _, err := insert.ExecContext(ctx, exchangeValues(batch.Learner, exchange)...); err != nil {
				return fmt.Errorf("add transcript exchanges: %w", err)
			}
		}
		if _, err := trim.ExecContext(ctx, string(batch.Learner), batch.Keep); err != nil {
			return fmt.Errorf("trim transcript: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("add transcript exchanges: %w", err)
	}
	return nil
}

// Exchanges returns the learner's transcript, oldest first.
func (db *DB) Exchanges(ctx context.Context, id learner.ID) ([]playground.Exchange, error) {
	const query = `
SELECT time_unix_ms, method, path,
	authorization_header, authorization_truncated, cookie_header, set_cookie_header,
	status, response_body, response_body_truncated,
	request_body, request_body_truncated, www_authenticate
FROM playground_exchanges WHERE learner_id = ? ORDER BY id`
	rows, err := db.db.QueryContext(ctx, query, string(id))
	if err != nil {
		return nil, fmt.Errorf("load transcript: %w", err)
	}
	defer rows.Close()

	var exchanges []playground.Exchange
	for rows.Next() {
		var (
			exchange   playground.Exchange
			timeMillis int64
		)
		err := rows.Scan(&timeMillis, &exchange.Method, &exchange.Path,
			&exchange.Authorization, &exchange.AuthorizationTruncated, &exchange.Cookie, &exchange.SetCookie,
			&exchange.Status, &exchange.ResponseBody, &exchange.ResponseBodyTruncated,
			&exchange.RequestBody, &exchange.RequestBodyTruncated, &exchange.WWWAuthenticate)
		if err != nil {
			return nil, fmt.Errorf("load transcript: %w", err)
		}
		exchange.Time = time.UnixMilli(timeMillis).UTC()
		exchanges = append(exchanges, exchange)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load transcript: %w", err)
	}
	return exchanges, nil
}

// ClearTranscript deletes all of the learner's exchanges.
func (db *DB) ClearTranscript(ctx context.Context, id learner.ID) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM playground_exchanges WHERE learner_id = ?`, string(id)); err != nil {
		return fmt.Errorf("clear transcript: %w", err)
	}
	return nil
}
