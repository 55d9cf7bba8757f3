package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"learn/learner"
)

// recoveryCodeSchema creates the table of recovery codes: at most one per
// learner, kept only as the hex SHA-256 of the code.
const recoveryCodeSchema = `
CREATE TABLE recovery_codes (
	learner_id      TEXT PRIMARY KEY,
	code_hash       TEXT NOT NULL UNIQUE,
	created_unix_ms INTEGER NOT NULL
) STRICT;
`

// SaveRecoveryCode stores the hash of the learner's recovery code,
// replacing the learner's earlier code, which then no longer matches.
func (db *DB) SaveRecoveryCode(ctx context.Context, id learner.ID, codeHash string, createdAt time.Time) error {
	const upsert = `INSERT INTO recovery_codes (learner_id, code_hash, created_unix_ms) VALUES (?, ?, ?)
		ON CONFLICT (learner_id) DO UPDATE SET code_hash = excluded.code_hash, created_unix_ms = excluded.created_unix_ms`
	if _, err := db.db.ExecContext(ctx, upsert, string(id), codeHash, createdAt.UnixMilli()); err != nil {
		return fmt.Errorf("save recovery code: %w", err)
	}
	return nil
}

// RecoveryCodeCreated returns when the learner's recovery code was
// created, and false when the learner has none. The time is in UTC.
func (db *DB) RecoveryCodeCreated(ctx context.Context, id learner.ID) (time.Time, bool, error) {
	var millis int64
	err := db.db.QueryRowContext(ctx, `SELECT created_unix_ms FROM recovery_codes WHERE learner_id = ?`, string(id)).Scan(&millis)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("load recovery code: %w", err)
	}
	return time.UnixMilli(millis).UTC(), true, nil
}

// LearnerByRecoveryCode returns the learner whose recovery code has
// codeHash, and false when no code matches.
func (db *DB) LearnerByRecoveryCode(ctx context.Context, codeHash string) (learner.ID, bool, error) {
	var id string
	err := db.db.QueryRowContext(ctx, `SELECT learner_id FROM recovery_codes WHERE code_hash = ?`, codeHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up recovery code: %w", err)
	}
	return learner.ID(id), true, nil
}

// DeleteLearnerProgress deletes the learner's quiz attempts and recovery
// code in one transaction.
func (db *DB) DeleteLearnerProgress(ctx context.Context, id learner.ID) error {
	return db.deleteLearnerRows(ctx, "delete learner progress", id, "quiz_attempts", "recovery_codes")
}

// DeletePlaygroundData deletes the learner's signing key, clock offset,
// session records and transcript in one transaction.
func (db *DB) DeletePlaygroundData(ctx context.Context, id learner.ID) error {
	return db.deleteLearnerRows(ctx, "delete playground data", id, append(sandboxTables, "playground_activity")...)
}

// deleteLearnerRows deletes the learner's rows from each table, which
// must have a learner_id column, in one transaction. The table names
// are constants of this package, never input.
func (db *DB) deleteLearnerRows(ctx context.Context, action string, id learner.ID, tables ...string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	defer tx.Rollback()

	for _, table := range tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE learner_id = ?", string(id)); err != nil {
			return fmt.Errorf("%s from %s: %w", action, table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

// CountLearnerRows returns how many rows of each table with a learner_id
// column belong to the learner, for tests that prove a deletion and for
// operators. It finds the tables in the schema, so a table added later is
// counted too.
func (db *DB) CountLearnerRows(ctx context.Context, id learner.ID) (map[string]int, error) {
	const tablesQuery = `SELECT m.name FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS c
		WHERE m.type = 'table' AND c.name = 'learner_id' ORDER BY m.name`
	rows, err := db.db.QueryContext(ctx, tablesQuery)
	if err != nil {
		return nil, fmt.Errorf("list learner tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list learner tables: %w", err)
		}
		tables = append(tables, table)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list learner tables: %w", err)
	}

	counts := make(map[string]int, len(tables))
	for _, table := range tables {
		var n int
		query := `SELECT count(*) FROM "` + table + `" WHERE learner_id = ?`
		if err := db.db.QueryRowContext(ctx, query, string(id)).Scan(&n); err != nil {
			return nil, fmt.Errorf("count rows of %s: %w", table, err)
		}
		counts[table] = n
	}
	return counts, nil
}
