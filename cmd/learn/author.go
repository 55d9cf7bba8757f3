package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"learn/check"
	"learn/content"
	"learn/lessons"
	"learn/playground"
)

// runCheck runs `learn check [DIR]`. It returns errProblems after
// printing the problems it found.
func runCheck(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var opts checkOptions
	flags := checkFlags(&opts)
	if err := parseCommandFlags(flags, args, getenv, stderr); err != nil {
		return err
	}
	if opts.format != "text" && opts.format != "json" {
		return usagef("invalid format %q; use text or json", opts.format)
	}
	// Flags may also follow the folder, as in "learn check content --format json".
	dir := flags.Arg(0)
	if flags.NArg() > 1 {
		if err := parseCommandFlags(flags, flags.Args()[1:], getenv, stderr); err != nil {
			return err
		}
		if flags.NArg() > 0 {
			return usagef("unexpected argument %q; check takes one course folder (run learn --help)", flags.Arg(0))
		}
		if opts.format != "text" && opts.format != "json" {
			return usagef("invalid format %q; use text or json", opts.format)
		}
	}

	var course fs.FS = content.FS
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() {
			return usagef("course folder %s not found; give the folder that contains lessons/ and quizzes/", dir)
		}
		course = os.DirFS(dir)
	}

	report := check.Run(course, check.Options{Scenarios: playground.ScenarioNames()})
	if dir != "" {
		// Paths relative to the working folder let editors open them.
		for i := range report.Problems {
			report.Problems[i].Path = filepath.Join(dir, filepath.FromSlash(report.Problems[i].Path))
		}
	}

	write := report.WriteText
	if opts.format == "json" {
		write = report.WriteJSON
	}
	if err := write(stdout); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if !report.OK() {
		return errProblems
	}
	return nil
}

// runNew runs `learn new lesson TITLE`. Flags may come before or after
// the title.
func runNew(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		printHelp(stderr)
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "lesson" {
		return usagef("learn new needs what to create: learn new lesson \"Title\"")
	}

	var opts newOptions
	flags := newFlags(&opts)
	if err := parseCommandFlags(flags, args[1:], getenv, stderr); err != nil {
		return err
	}
	rest := flags.Args()
	if len(rest) == 0 {
		return usagef("missing title: learn new lesson \"Title\"")
	}
	title := rest[0]
	if err := parseCommandFlags(flags, rest[1:], getenv, stderr); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usagef("unexpected argument %q; quote a title that has spaces", flags.Arg(0))
	}

	name, err := lessons.Create(opts.contentDir, title)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, name)
	return nil
}
