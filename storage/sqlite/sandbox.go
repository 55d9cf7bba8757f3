package sqlite

import (
	"context"
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
// real time.
func (db *DB) TouchSandbox(ctx context.Context, id learner.ID, now time.Time) error {
	const upsert = `
INSERT INTO playground_activity (learner_id, last_used_unix_ms) VALUES (?, ?)
ON CONFLICT (learner_id) DO UPDATE SET last_used_unix_ms = max(last_used_unix_ms, excluded.last_used_unix_ms)`
	if _, err := db.db.ExecContext(ctx, upsert, string(id), now.UnixMilli()); err != nil {
		return fmt.Errorf("record playground use: %w", err)
	}
	return nil
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

	rows, err := tx.QueryContext(ctx, `SELECT learner_id FROM playground_activity WHERE last_used_unix_ms < ?`, lastUsedBefore.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("find idle sandboxes: %w", err)
	}
	var ids []learner.ID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find idle sandboxes: %w", err)
		}
		ids = append(ids, learner.ID(id))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find idle sandboxes: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}

	const idle = `SELECT learner_id FROM playground_activity WHERE last_used_unix_ms < ?`
	for _, table := range sandboxTables {
		query := "DELETE FROM " + table + " WHERE learner_id IN (" + idle + ")"
		if _, err := tx.ExecContext(ctx, query, lastUsedBefore.UnixMilli()); err != nil {
			return nil, fmt.Errorf("purge idle sandboxes from %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM playground_activity WHERE last_used_unix_ms < ?`, lastUsedBefore.UnixMilli()); err != nil {
		return nil, fmt.Errorf("purge idle sandboxes: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("purge idle sandboxes: %w", err)
	}
	return ids, nil
}
