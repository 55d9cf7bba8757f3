package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"learn/storage/sqlite"
)

// databaseFile is the learner database inside the data folder.
const databaseFile = "learn.db"

// prepareDataDir creates the data folder when it is missing and checks
// that the server can write to it, so a read-only or misplaced folder
// stops the start with a message naming it instead of failing on the
// first answer a learner saves.
func prepareDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder %s cannot be created: %w; choose another with --data", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data folder %s is not writable: %w; fix its permissions or choose another with --data", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// runBackup runs `learn backup FILE`.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var opts backupOptions
	flags := backupFlags(&opts)
	if err := parseCommandFlags(flags, args, getenv, stderr); err != nil {
		return err
	}
	if flags.NArg() != 1 {
		return usagef("backup takes one argument, the file to write (run learn --help)")
	}
	target := flags.Arg(0)

	source := filepath.Join(opts.dataDir, databaseFile)
	if _, err := os.Stat(source); err != nil {
		return fmt.Errorf("no database at %s: %w; give the server's data folder with --data", source, err)
	}
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists; backup never overwrites a file, so choose a new name", target)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check backup file: %w", err)
	}

	db, err := sqlite.Open(ctx, source)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "learn: wrote a copy of %s to %s\n", source, target)
	return nil
}
