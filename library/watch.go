package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"learn/markdown"
)

// settleDelay is how long the watcher waits after the last file event
// before it reloads. Editors save in several steps (write a temporary
// file, rename it, change its mode), and one reload should see them all.
const settleDelay = 150 * time.Millisecond

// Loader parses a course folder.
type Loader func(fsys fs.FS) (*Content, error)

// Watch loads the course in dir and reloads it whenever a file under dir
// changes, until ctx is done. The first load must succeed. A later load
// that fails keeps the last good content in service and records the
// error in the snapshot and the log.
func Watch(ctx context.Context, dir string, load Loader, logger *slog.Logger) (*Library, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("content folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("content folder %s is a file; give the folder that contains lessons/", dir)
	}

	content, err := load(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("load content from %s (fix the files, or start without --content to serve the embedded course):\n%w", dir, inFolder(dir, err))
	}

	watcher, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch content folder: %w", err)
	}
	if err := addTree(watcher, dir); err != nil {
		watcher.Close()
		return nil, fmt.Errorf("watch content folder: %w", err)
	}

	l := Static(content)
	l.live = true
	go l.follow(ctx, watcher, dir, load, logger)
	return l, nil
}

// follow reloads the content after file events settle, until ctx is done.
func (l *Library) follow(ctx context.Context, watcher *fsnotify.Watcher, dir string, load Loader, logger *slog.Logger) {
	defer watcher.Close()

	settle := time.NewTimer(settleDelay)
	settle.Stop()
	for {
		select {
		case <-ctx.Done():
			return

		case event, ok := <-watcher.Events:
			if !ok {
				return
			}
			// A new folder, such as a new section, must be watched too,
			// because inotify does not follow subfolders by itself.
			if event.Has(fsnotify.Create) {
				if info, err := os.Stat(event.Name); err == nil && info.IsDir() {
					if err := addTree(watcher, event.Name); err != nil {
						logger.Error("watch new content folder", "path", event.Name, "err", err)
					}
				}
			}
			settle.Reset(settleDelay)

		case err, ok := <-watcher.Errors:
			if !ok {
				return
			}
			logger.Error("watch content folder", "dir", dir, "err", err)

		case <-settle.C:
			l.reload(dir, load, logger)
		}
	}
}

// reload loads dir once and publishes the result.
func (l *Library) reload(dir string, load Loader, logger *slog.Logger) {
	previous := l.Current()
	content, err := load(os.DirFS(dir))
	if err != nil {
		err = inFolder(dir, err)
		logger.Error("reload content; serving the last version that loaded", "dir", dir, "err", err)
		l.publish(&Snapshot{Content: previous.Content, Version: previous.Version, Err: err})
		return
	}

	logger.Info("content reloaded", "dir", dir, "version", previous.Version+1)
	l.publish(&Snapshot{Content: content, Version: previous.Version + 1})
}

// inFolder returns err with each file path prefixed by dir, so messages
// name files as learn check DIR does and an editor can open them.
func inFolder(dir string, err error) error {
	var errs []error
	for _, e := range markdown.Flatten(err) {
		fe := markdown.AsFileError("", e)
		if fe.Path == "" {
			errs = append(errs, e)
			continue
		}
		errs = append(errs, &markdown.FileError{Path: filepath.Join(dir, filepath.FromSlash(fe.Path)), Line: fe.Line, Col: fe.Col, Err: fe.Err})
	}
	return errors.Join(errs...)
}

// addTree watches dir and every folder below it.
func addTree(watcher *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			// A folder removed while walking is not an error.
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !entry.IsDir() {
			return nil
		}
		return watcher.Add(path)
	})
}
