package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"learn/learner"
)

// sandboxActivitySchema records when each learner last used the
// playground, so that abandoned sandboxes can be purged. Learners who
// already have playground data count as active from the migration on.
const sandboxActivitySchema = `
CREATE TABLE playground_activity (
	learner_id        TEXT PRIMARY KEY,
	last_used_unix_ms INTEGER NOT NULL
) STRICT;

INSERT OR IGNORE INTO playground_activity (learner_id, last_used_unix_ms)
SELECT learner_id, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM (
	SELECT learner_id FROM playground_signing_keys
	UNION SELECT learner_id FROM playground_clocks
	UNION SELECT learner_id FROM playground_sessions
	UNION SELECT learner_id FROM playground_exchanges
	UNION SELECT learner_id FROM playground_sandbox_keys
	UNION SELECT learner_id FROM playground_settings
	UNION SELECT learner_id FROM playground_denylist
);
`

// sandboxTables are the playground's tables of per-learner data. The names
// are constants, never input.
var sandboxTables = []string{
	"playground_signing_keys", "playground_clocks", "playground_sessions", "playground_exchanges",
	"playground_sandbox_keys", "playground_settings", "playground_denylist",
}

// TouchSandbox records that the learner used the playground at now, in
// real time, and reports whether the learner has a sandbox. It creates
// none, because only CreateSandbox evicts to make room.
func (db *DB) TouchSandbox(ctx context.Context, id learner.ID, now time.Time) (bool, error) {
	const update = `UPDATE playground_activity SET last_used_unix_ms = max(last_used_unix_ms, ?) WHERE learner_id = ?`
	result, err := db.db.ExecContext(ctx, update, now.UnixMilli(), string(id))
	if err != nil {
		return false, fmt.Errorf("record playground use: %w", err)
	}
	updated, err := result.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record playground use: %w", err)
	}
	return updated > 0, nil
}

// CreateSandbox records the learner's first use of the playground at now.
// When the learner is new and maxSandboxes sandboxes exist already, it
// first deletes all playground data of the least recently used ones, so
// that maxSandboxes remain with the new one, and returns their ids. The
// count, the deletion and the insert share one transaction. For a learner
// who has a sandbox already it only records the use.
func (db *DB) CreateSandbox(ctx context.Context, id learner.ID, now time.Time, maxSandboxes int) ([]learner.ID, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create sandbox: %w", err)
	}
	defer tx.Rollback()

	// Concurrent first requests of one learner may both get here.
	const update = `UPDATE playground_activity SET last_used_unix_ms = max(last_used_unix_ms, ?) WHERE learner_id = ?`
	result, err := tx.ExecContext(ctx, update, now.UnixMilli(), string(id))
	if err != nil {
		return nil, fmt.Errorf("create sandbox: %w", err)
	}
	updated, err := result.RowsAffected()
	if err != nil {
		return nil, fmt.Errorf("create sandbox: %w", err)
	}
	if updated > 0 {
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("create sandbox: %w", err)
		}
		return nil, nil
	}

	var count int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM playground_activity`).Scan(&count); err != nil {
		return nil, fmt.Errorf("count sandboxes: %w", err)
	}
	var evicted []learner.ID
	if excess := count + 1 - maxSandboxes; excess > 0 {
		// Learners last seen in the same millisecond leave in the order
		// they came.
		const leastRecent = `SELECT learner_id FROM playground_activity ORDER BY last_used_unix_ms, rowid LIMIT ?`
		evicted, err = deleteSandboxes(ctx, tx, leastRecent, excess)
		if err != nil {
			return nil, fmt.Errorf("evict sandboxes: %w", err)
		}
	}

	const insert = `INSERT INTO playground_activity (learner_id, last_used_unix_ms) VALUES (?, ?)`
	if _, err := tx.ExecContext(ctx, insert, string(id), now.UnixMilli()); err != nil {
		return nil, fmt.Errorf("create sandbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create sandbox: %w", err)
	}
	return evicted, nil
}

// CountSandboxes returns how many learners have a sandbox.
func (db *DB) CountSandboxes(ctx context.Context) (int, error) {
	var count int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM playground_activity`).Scan(&count); err != nil {
		return 0, fmt.Errorf("count sandboxes: %w", err)
	}
	return count, nil
}

// PurgeIdleSandboxes deletes all playground data of the learners who last
// used the playground before lastUsedBefore, in one transaction, and
// returns their ids.
func (db *DB) PurgeIdleSandboxes(ctx context.Context, lastUsedBefore time.Time) ([]learner.ID, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("purge idle sandboxes: %w", err)
	}
	defer tx.Rollback()

	const idle = `SELECT learner_id FROM playground_activity WHERE last_used_unix_ms < ?`
	ids, err := deleteSandboxes(ctx, tx, idle, lastUsedBefore.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("purge idle sandboxes: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("purge idle sandboxes: %w", err)
	}
	return ids, nil
}

// deleteSandboxes deletes, inside tx, all playground data of the learners
// that selectIDs returns, and returns their ids. selectIDs is a constant
// query that selects learner_id from playground_activity with args. It is
// run again inside each DELETE, so it must return the same rows until the
// activity rows go last.
func deleteSandboxes(ctx context.Context, tx *sql.Tx, selectIDs string, args ...any) ([]learner.ID, error) {
	rows, err := tx.QueryContext(ctx, selectIDs, args...)
	if err != nil {
		return nil, fmt.Errorf("find sandboxes: %w", err)
	}
	var ids []learner.ID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find sandboxes: %w", err)
		}
		ids = append(ids, learner.ID(id))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find sandboxes: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}

	for _, table := range append(sandboxTables, "playground_activity") {
		query := "DELETE FROM " + table + " WHERE learner_id IN (" + selectIDs + ")"
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return nil, fmt.Errorf("delete sandboxes from %s: %w", table, err)
		}
	}
	return ids, nil
}
