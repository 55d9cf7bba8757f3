package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"learn/playground"
	"learn/secrets"
)

// instructorPasswordEnv is the environment variable that sets the
// instructor password. It has no flag, so the password never appears in
// a process list.
const instructorPasswordEnv = "LEARN_INSTRUCTOR_PASSWORD"

// options are the settings of `learn serve`.
type options struct {
	addr        string
	dataDir     string
	contentDir  string
	logFormat   string
	drafts      bool
	tlsCert     string
	tlsKey      string
	behindProxy bool
	rateLogin   int
	rateAPI     int
	rateLearner int
	// rateSandboxes caps new playground sandboxes per client address
	// and minute.
	rateSandboxes int
	maxSandboxes  int
}

// checkOptions are the settings of `learn check`.
type checkOptions struct {
	format string
}

// newOptions are the settings of `learn new`.
type newOptions struct {
	contentDir string
}

// backupOptions are the settings of `learn backup`.
type backupOptions struct {
	dataDir string
}

// command describes one subcommand for its flag set and for --help.
type command struct {
	name    string
	usage   string // the synopsis after "learn"
	summary string
}

var (
	serveCommand  = command{"serve", "[serve] [flags]", "Serves the learn course on HTTP. serve is the default command."}
	checkCommand  = command{"check", "check [flags] [DIR]", "Checks the course in folder DIR, or the embedded course, as the server would load it, and reports broken links,\n\tanchors, images and playground blocks. Exits 0 when clean, 1 on problems and 2 on a usage error."}
	backupCommand = command{"backup", "backup [flags] FILE", "Writes a consistent copy of the learner database to FILE, also while the site runs.\n\tIt never overwrites a file."}
	newCommand    = command{"new", "new lesson [flags] TITLE", "Writes a starter draft lesson to lessons/SLUG.md in the content folder and prints its path.\n\tIt never overwrites a file."}
)

func serveFlags(opts *options) *flag.FlagSet {
	fs := flag.NewFlagSet("learn serve", flag.ContinueOnError)
	fs.StringVar(&opts.addr, "addr", "localhost:8080", "`host:port` to listen on; port 0 picks a free port")
	fs.StringVar(&opts.dataDir, "data", "./data", "`folder` for learner data (SQLite) and cookie keys, created on first run")
	fs.StringVar(&opts.logFormat, "log-format", "text", "log `format`: text or json")
	fs.StringVar(&opts.contentDir, "content", "", "serve the course from this `folder` (with lessons/ and quizzes/) instead of the embedded one, reloading it on every change")
	fs.BoolVar(&opts.drafts, "drafts", false, "show lessons marked draft: true, with a Draft badge")
	fs.StringVar(&opts.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate `file` (needs --tls-key)")
	fs.StringVar(&opts.tlsKey, "tls-key", "", "PEM private key `file` for --tls-cert")
	fs.BoolVar(&opts.behindProxy, "behind-proxy", false, "trust X-Forwarded-Proto and the last X-Forwarded-For hop from a reverse proxy")
	fs.IntVar(&opts.rateLogin, "rate-login", 30, "playground login requests allowed per client address and minute (`n`)")
	fs.IntVar(&opts.rateAPI, "rate-api", 600, "playground API requests and quiz answers allowed per client address and minute (`n`)")
	fs.IntVar(&opts.rateLearner, "rate-learner", 300, "playground API requests allowed per learner (learn_learner cookie) and minute (`n`)")
	fs.IntVar(&opts.rateSandboxes, "rate-sandboxes", playground.DefaultNewSandboxesPerMinute, "new playground sandboxes (first requests of new learners) allowed per client address and minute (`n`)")
	fs.IntVar(&opts.maxSandboxes, "max-sandboxes", playground.DefaultMaxSandboxes, "playground sandboxes kept; a new learner beyond this deletes the least recently used sandbox (`n`)")
	return fs
}

func checkFlags(opts *checkOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("learn check", flag.ContinueOnError)
	fs.StringVar(&opts.format, "format", "text", "output `format`: text (path:line:col: message lines and a summary) or json (an array of problems)")
	return fs
}

func backupFlags(opts *backupOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("learn backup", flag.ContinueOnError)
	fs.StringVar(&opts.dataDir, "data", "./data", "`folder` that contains learn.db")
	return fs
}

func newFlags(opts *newOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("learn new", flag.ContinueOnError)
	fs.StringVar(&opts.contentDir, "content", "./content", "course `folder` that contains lessons/")
	return fs
}

// printHelp writes the usage of every command and its flags.
func printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n")
	for _, c := range []command{serveCommand, checkCommand, newCommand, backupCommand} {
		fmt.Fprintf(w, "  learn %s\n", c.usage)
	}
	fmt.Fprintf(w, "\nEvery flag is also read from the environment variable shown. A flag on the command line wins.\n")

	printCommand(w, serveCommand, serveFlags(&options{}))
	fmt.Fprintf(w, "\n  Environment only:\n  %s\n    \tcookie signing keys, comma separated, newest first, each at least %d bytes\n    \t(default: generated into the data folder on first run)\n", secrets.EnvVar, secrets.MinKeyLength)
	fmt.Fprintf(w, "  %s\n    \tpassword of the instructor dashboard at /instructor, kept only as a bcrypt hash\n    \t(default: none, and /instructor answers 404)\n", instructorPasswordEnv)
	printCommand(w, checkCommand, checkFlags(&checkOptions{}))
	printCommand(w, newCommand, newFlags(&newOptions{}))
	printCommand(w, backupCommand, backupFlags(&backupOptions{}))
}

func printCommand(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "\nlearn %s\n\t%s\n\n", c.usage, c.summary)
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  %s\n    \t%s (env %s, default %q)\n", strings.TrimSpace("--"+f.Name+" "+name), usage, envName(f.Name), f.DefValue)
	})
}

// parseCommandFlags parses args with fs, then sets each flag that the
// command line left out from its environment variable. It returns a
// usageError for a bad command line and flag.ErrHelp for --help, after
// printing the help.
func parseCommandFlags(fs *flag.FlagSet, args []string, getenv func(string) string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	fs.Usage = func() { printHelp(stderr) }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err}
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
			envErr = usagef("invalid %s=%q: %w", envName(f.Name), value, err)
		}
	})
	return envErr
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	var opts options
	fs := serveFlags(&opts)
	if err := parseCommandFlags(fs, args, getenv, stderr); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, usagef("unexpected argument %q (run learn --help)", fs.Arg(0))
	}
	if opts.logFormat != "text" && opts.logFormat != "json" {
		return options{}, usagef("invalid log format %q; use text or json", opts.logFormat)
	}
	if (opts.tlsCert == "") != (opts.tlsKey == "") {
		return options{}, usagef("--tls-cert and --tls-key go together; give both files or neither")
	}
	if opts.rateLogin < 1 || opts.rateAPI < 1 || opts.rateLearner < 1 || opts.rateSandboxes < 1 {
		return options{}, usagef("invalid rate limit (--rate-login %d, --rate-api %d, --rate-learner %d, --rate-sandboxes %d); each must be at least 1 per minute",
			opts.rateLogin, opts.rateAPI, opts.rateLearner, opts.rateSandboxes)
	}
	if opts.maxSandboxes < 1 {
		return options{}, usagef("invalid --max-sandboxes %d; it must be at least 1", opts.maxSandboxes)
	}
	return opts, nil
}

// envName returns the environment variable for a flag: addr is LEARN_ADDR.
func envName(flagName string) string {
	return "LEARN_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}
