// Command learn serves the learn course: lessons, quizzes and a live JWT
// and session playground.
//
// Usage:
//
//	learn [serve] [flags]
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
	"learn/library"
	"learn/playground"
	"learn/secrets"
	"learn/storage/sqlite"
	"learn/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "learn: %v\n", err)
		os.Exit(1)
	}
}

// options are the settings of `learn serve`.
type options struct {
	addr        string
	dataDir     string
	contentDir  string
	logFormat   string
	tlsCert     string
	tlsKey      string
	behindProxy bool
	rateLogin   int
	rateAPI     int
}

// run parses args and serves until ctx is done. Its arguments stand in for
// the process's, so that tests can start the real program.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if args[0] != "serve" {
			return fmt.Errorf("unknown command %q; the only command is serve (run learn --help)", args[0])
		}
		args = args[1:]
	}

	opts, err := parseFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	return serve(ctx, opts, getenv, stdout, stderr)
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	var opts options
	fs := flag.NewFlagSet("learn", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.addr, "addr", "localhost:8080", "`host:port` to listen on; port 0 picks a free port")
	fs.StringVar(&opts.dataDir, "data", "./data", "`folder` for learner data (SQLite) and cookie keys, created on first run")
	fs.StringVar(&opts.contentDir, "content", "", "serve the course from this `folder` (with lessons/ and quizzes/) instead of the embedded one, reloading it on every change")
	fs.StringVar(&opts.logFormat, "log-format", "text", "log `format`: text or json")
	fs.StringVar(&opts.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (needs --tls-key)")
	fs.StringVar(&opts.tlsKey, "tls-key", "", "PEM private key `file` for --tls-cert")
	fs.BoolVar(&opts.behindProxy, "behind-proxy", false, "trust X-Forwarded-Proto and the last X-Forwarded-For hop from a reverse proxy")
	fs.IntVar(&opts.rateLogin, "rate-login", 30, "playground login requests allowed per client and `minute`")
	fs.IntVar(&opts.rateAPI, "rate-api", 600, "playground API requests and quiz answers allowed per client and `minute`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: learn [serve] [flags]\n\nServes the learn course on HTTP.\n\nFlags (each also read from the environment variable shown):\n")
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(stderr, "  --%s %s\n    \t%s (env %s, default %q)\n", f.Name, name, usage, envName(f.Name), f.DefValue)
		})
		fmt.Fprintf(stderr, "\nEnvironment only:\n  %s\n    \tcookie signing keys, comma separated, newest first, each at least %d bytes\n    \t(default: generated into the data folder on first run)\n", secrets.EnvVar, secrets.MinKeyLength)
	}
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected argument %q (run learn --help)", fs.Arg(0))
	}

	// A flag given on the command line wins; otherwise its variable does.
	given := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		value := getenv(envName(f.Name))
		if given[f.Name] || value == "" || envErr != nil {
			return
		}
		if err := f.Value.Set(value); err != nil {
			envErr = fmt.Errorf("invalid %s=%q: %w", envName(f.Name), value, err)
		}
	})
	if envErr != nil {
		return options{}, envErr
	}

	if opts.logFormat != "text" && opts.logFormat != "json" {
		return options{}, fmt.Errorf("invalid log format %q; use text or json", opts.logFormat)
	}
	if (opts.tlsCert == "") != (opts.tlsKey == "") {
		return options{}, errors.New("--tls-cert and --tls-key go together; give both files or neither")
	}
	if opts.rateLogin < 1 || opts.rateAPI < 1 {
		return options{}, fmt.Errorf("invalid rate limit (--rate-login %d, --rate-api %d); each must be at least 1 request per minute", opts.rateLogin, opts.rateAPI)
	}
	return opts, nil
}

// envName returns the environment variable for a flag: addr is LEARN_ADDR.
func envName(flagName string) string {
	return "LEARN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func serve(ctx context.Context, opts options, getenv func(string) string, stdout, stderr io.Writer) error {
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if opts.logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	logger := slog.New(handler)

	// The course is parsed before anything is written, so a broken lesson
	// stops the start with a message naming the file.
	lib, err := openLibrary(ctx, opts.contentDir, logger)
	if err != nil {
		return err
	}
	current := lib.Current()

	if err := os.MkdirAll(opts.dataDir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	keys, err := secrets.Load(getenv(secrets.EnvVar), opts.dataDir)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, filepath.Join(opts.dataDir, "learn.db"))
	if err != nil {
		return err
	}
	defer db.Close()

	pg, err := playground.New(playground.Config{
		Store:      db,
		SessionKey: secrets.Derive(keys[0], "playground session"),
		Logger:     logger,
	})
	if err != nil {
		return err
	}
	// Idle sessions expire on their own; the purge only reclaims the space.
	go pg.RunPurge(ctx, 5*time.Minute)

	site, err := web.New(web.Config{
		Library:    lib,
		Progress:   db,
		Playground: pg.Routes(),
		CookieKeys: deriveAll(keys, "learner"),
		Logger:     logger,

		BehindProxy: opts.behindProxy,
		RateLimits:  web.RateLimits{Login: opts.rateLogin, API: opts.rateAPI},
		Ready:       db.Ping,
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
		"content", contentSource(opts.contentDir), "lessons", len(current.Course.Lessons()), "quizzes", len(current.Quizzes))

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
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	logger.Info("server stopped")
	return nil
}

// openLibrary loads the embedded course, or follows dir when it is set.
func openLibrary(ctx context.Context, dir string, logger *slog.Logger) (*library.Library, error) {
	if dir == "" {
		loaded, err := library.Load(content.FS)
		if err != nil {
			return nil, fmt.Errorf("load the embedded course: %w", err)
		}
		return library.Static(loaded), nil
	}
	return library.Watch(ctx, dir, library.Load, logger)
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
