// Command course writes a generated course for the content build
// benchmark, or loads and renders one with the lessons package, as learn
// does at start.
//
//	go run ./bench/course gen -n 1000 DIR   # writes DIR/lessons/lesson-NNNN.md
//	go run ./bench/course load DIR          # loads and renders DIR/lessons
//
// bench/content.sh times load against hugo building the same files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"learn/lessons"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = runGenerate(os.Args[2:])
	case "load":
		err = runLoad(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "course: %v\n", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: course gen [-n lessons] DIR | course load DIR")
	os.Exit(2)
}

// runGenerate writes n lessons of about 2 KB each into DIR/lessons.
func runGenerate(args []string) error {
	fs := flag.NewFlagSet("course gen", flag.ExitOnError)
	n := fs.Int("n", 1000, "number of lessons to write")
	fs.Parse(args)
	if fs.NArg() != 1 || *n < 1 {
		usage()
	}
	dir := filepath.Join(fs.Arg(0), "lessons")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range *n {
		name := filepath.Join(dir, fmt.Sprintf("lesson-%04d.md", i))
		if err := os.WriteFile(name, []byte(lessonText(i)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// lessonText returns lesson i: front matter that both learn and hugo
// read, prose, a fenced Go block and a table, about 2 KB in all.
func lessonText(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"Benchmark lesson %d\"\nsummary: \"Generated text for the content build benchmark.\"\norder: %d\n---\n\n", i, i+1)
	b.WriteString("## Where the state lives\n\n")
	b.WriteString(strings.Repeat("A session keeps the state on the server and hands the browser an opaque ID; a JWT carries signed claims instead. ", 7))
	b.WriteString("\n\n```go\nfunc check(raw string, key []byte) (*jwt.Token, error) {\n\treturn jwt.Parse(raw, func(*jwt.Token) (any, error) {\n\t\treturn key, nil\n\t}, jwt.WithValidMethods([]string{\"HS256\"}))\n}\n```\n\n")
	b.WriteString("## Side by side\n\n| question | session | JWT |\n| --- | --- | --- |\n| where is the state | server | token |\n| can it be revoked at once | yes | not without a list |\n| lookup per request | yes | no |\n\n")
	b.WriteString(strings.Repeat("Expiry bounds how long a stolen token works, which is why short lifetimes and refresh flows go together. ", 6))
	b.WriteString("\n")
	return b.String()
}

// runLoad loads and renders DIR/lessons and prints the lesson count and
// the size of the rendered HTML, so that the work cannot be skipped.
func runLoad(args []string) error {
	if len(args) != 1 {
		usage()
	}
	course, err := lessons.Load(os.DirFS(args[0]))
	if err != nil {
		return err
	}
	size := 0
	for _, lesson := range course.Lessons() {
		size += len(lesson.HTML)
	}
	fmt.Printf("%d lessons, %d bytes of HTML\n", len(course.Lessons()), size)
	return nil
}
