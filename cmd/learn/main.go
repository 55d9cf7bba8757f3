// Command learn serves the learn course: lessons, quizzes and a live JWT
// and session playground. It also checks a course folder and starts new
// lessons for authors.
//
// Usage:
//
//	learn [serve] [flags]
//	learn check [--format text|json] [DIR]
//	learn new lesson [--content DIR] TITLE
//
// Every flag can also be set with an environment variable named LEARN_ and
// the flag name in upper case with dashes as underscores (--addr is
// LEARN_ADDR). A flag on the command line wins over the variable.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"learn/content"
	"learn/instructor"
	"learn/library"
	"learn/logbuf"
	"learn/playground"
	"learn/secrets"
	"learn/storage/sqlite"
	"learn/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errProblems) {
		fmt.Fprintf(os.Stderr, "learn: %v\n", err)
	}
	os.Exit(exitCode(err))
}

// errProblems is returned by `learn check` when it found and printed
// problems, so that main exits with status 1 without another message.
var errProblems = errors.New("the course has problems")

// usageError is a command line that names an unknown command, flag or
// argument. main exits with status 2 for it.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode returns the process exit status for the error of run: 0 for
// none or --help, 2 for a usage error and 1 for anything else.
func exitCode(err error) int {
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		return 2
	}
	return 1
}

// run parses args and runs the command they name until it finishes, or,
// for serve, until ctx is done. Its arguments stand in for the process's,
// so that tests can start the real program.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}

	switch command {
	case "serve":
		opts, err := parseFlags(args, getenv, stderr)
		if err != nil {
			return err
		}
		return serve(ctx, opts, getenv, stdout, stderr)
	case "check":
		return runCheck(args, getenv, stdout, stderr)
	case "new":
		return runNew(args, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "help":
		printHelp(stderr)
		return flag.ErrHelp
	}
	return usagef("unknown command %q; the commands are serve, check, new and backup (run learn --help)", command)
}

// The server's log keeps up to logBufferBytes of lines, and writes them
// at least every logFlushInterval. Under load, one write then carries
// many request lines, and a crash loses about the last interval.
const (
	logBufferBytes   = 64 << 10
	logFlushInterval = 100 * time.Millisecond
)

func serve(ctx context.Context, opts options, getenv func(string) string, stdout, stderr io.Writer) error {
	// Log lines are written in batches, but warnings and errors at once.
	logs := logbuf.NewWriter(stderr, logBufferBytes, logFlushInterval)
	defer logs.Close()
	var handler slog.Handler = slog.NewTextHandler(logs, nil)
	if opts.logFormat == "json" {
		handler = slog.NewJSONHandler(logs, nil)
	}
	handler = logbuf.NewHandler(handler, logs, slog.LevelWarn)
	logger := slog.New(handler)

	// The course is parsed before anything is written, so a broken lesson
	// stops the start with a message naming the file.
	lib, err := openLibrary(ctx, opts.contentDir, library.NewLoader(opts.drafts), logger)
	if err != nil {
		return err
	}
	current := lib.Current()

	if err := prepareDataDir(opts.dataDir); err != nil {
		return err
	}
	keys, err := secrets.Load(getenv(secrets.EnvVar), opts.dataDir)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, filepath.Join(opts.dataDir, databaseFile))
	if err != nil {
		return err
	}
	defer db.Close()

	pg, err := playground.New(playground.Config{
		Store:      db,
		SessionKey: secrets.Derive(keys[0], "playground session"),
		Logger:     logger,

		MaxSandboxes:          opts.maxSandboxes,
		NewSandboxesPerMinute: opts.rateSandboxes,
	})
	if err != nil {
		return err
	}
	// Idle sessions expire on their own; the purge only reclaims the space.
	go pg.RunPurge(ctx, 5*time.Minute)

	// The password is read from the environment only, so that it never
	// shows in a process list, and kept only as a bcrypt hash.
	instructors, err := instructor.New(instructor.Config{Password: getenv(instructorPasswordEnv), Store: db})
	if err != nil {
		return fmt.Errorf("%s: %w", instructorPasswordEnv, err)
	}

	site, err := web.New(web.Config{
		Library:    lib,
		Progress:   db,
		Playground: pg.Routes(),
		CookieKeys: deriveAll(keys, "learner"),
		Logger:     logger,

		BehindProxy: opts.behindProxy,
		RateLimits:  web.RateLimits{Login: opts.rateLogin, API: opts.rateAPI, Learner: opts.rateLearner},
		Ready:       db.Ping,

		Learners:       db,
		PlaygroundData: pg,
		Instructors:    instructors,
		Stats:          db,
	})
	if err != nil {
		return err
	}

	// The certificate is read before listening, so a wrong path stops the
	// start with a clear message instead of failing after it.
	var tlsConfig *tls.Config
	if opts.tlsCert != "" {
		pair, err := tls.LoadX509KeyPair(opts.tlsCert, opts.tlsKey)
		if err != nil {
			return fmt.Errorf("load TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}

	listener, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another with --addr)", opts.addr, err)
	}
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		TLSConfig:         tlsConfig,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	srv.RegisterOnShutdown(site.CloseStreams)

	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "learn: serving the course at %s (data in %s)\n", siteURL(scheme, listener.Addr(), opts.addr), opts.dataDir)
	logger.Info("server started", "addr", listener.Addr().String(), "data", opts.dataDir,
		"content", contentSource(opts.contentDir), "lessons", len(current.Course.Lessons()),
		"quizzes", len(current.Quizzes), "drafts", opts.drafts, "instructor_access", instructors.Enabled())

	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- srv.ServeTLS(listener, "", "")
			return
		}
		errc <- srv.Serve(listener)
	}()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	logger.Info("server stopping")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shutdownErr := srv.Shutdown(shutdownCtx)
	// The queued transcripts are written even when some requests did not
	// finish in time, with a deadline of their own.
	closeCtx, cancelClose := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelClose()
	if err := pg.Close(closeCtx); err != nil {
		logger.Error("write queued playground transcripts", "err", err)
	}
	if shutdownErr != nil {
		return fmt.Errorf("shut down: %w", shutdownErr)
	}
	logger.Info("server stopped")
	return nil
}

// openLibrary loads the embedded course, or follows dir when it is set.
func openLibrary(ctx context.Context, dir string, load library.Loader, logger *slog.Logger) (*library.Library, error) {
	if dir == "" {
		loaded, err := load(content.FS)
		if err != nil {
			return nil, fmt.Errorf("load the embedded course: %w", err)
		}
		return library.Static(loaded), nil
	}
	return library.Watch(ctx, dir, load, logger)
}

func contentSource(dir string) string {
	if dir == "" {
		return "embedded"
	}
	return dir
}

// deriveAll returns one key per configured key for purpose, keeping the
// newest-first order so that older cookies still verify.
func deriveAll(keys [][]byte, purpose string) [][]byte {
	derived := make([][]byte, len(keys))
	for i, key := range keys {
		derived[i] = secrets.Derive(key, purpose)
	}
	return derived
}

// siteURL returns the address to open in a browser. It keeps the host
// name the user gave (localhost) but the port the listener got, which
// differs when the port was 0.
func siteURL(scheme string, bound net.Addr, requested string) string {
	host, _, err := net.SplitHostPort(requested)
	_, port, perr := net.SplitHostPort(bound.String())
	if err != nil || perr != nil {
		return scheme + "://" + bound.String() + "/"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/"
}
