// Package sqlite stores learner data in one SQLite file through the pure Go
// driver modernc.org/sqlite. It implements the storage interfaces that the
// playground and quiz packages declare.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is an open learner database.
type DB struct {
	db *sql.DB
}

// migrations are applied in order, once each, and recorded in SQLite's
// user_version. Append new ones; never edit one that has shipped.
var migrations = []string{
	playgroundSchema,
	progressSchema,
	exchangeDetailsSchema,
	keyFingerprintSchema,
	playgroundLabSchema,
	recoveryCodeSchema,
	instructorSessionSchema,
	sandboxActivitySchema,
	sessionTimeoutsSchema,
}

// Open opens or creates the database file at path, creating its folder,
// and brings the schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}

	// WAL lets readers work while a write is in progress; busy_timeout
	// makes a writer wait for the lock instead of failing at once.
	query := url.Values{}
	query.Add("_pragma", "busy_timeout(5000)")
	query.Add("_pragma", "journal_mode(WAL)")
	query.Add("_pragma", "synchronous(NORMAL)")
	query.Add("_pragma", "foreign_keys(ON)")
	dsn := "file:" + filepath.ToSlash(path) + "?" + query.Encode()

	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One connection serializes statements in Go instead of in SQLite's
	// busy handler, which sleeps and retries: under load that doubled
	// throughput (bench/load, 32 connections). Because of it, code inside
	// a transaction must use the transaction, never db.db, or it waits
	// forever for the connection it holds.
	sqlDB.SetMaxOpenConns(1)
	db := &DB{db: sqlDB}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var result int
	if err := db.db.QueryRowContext(ctx, "SELECT 1").Scan(&result); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the database to path, a file that
// must not exist. SQLite's VACUUM INTO reads in one transaction, so the
// copy is whole even while the server writes.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := db.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("back up database to %s: %w", path, err)
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	return db.db.Close()
}

func (db *DB) migrate(ctx context.Context) error {
	var version int
	if err := db.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program knows (%d); run a newer learn", version, len(migrations))
	}

	for i := version; i < len(migrations); i++ {
		tx, err := db.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("apply migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("record migration %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("apply migration %d: %w", i+1, err)
		}
	}
	return nil
}
