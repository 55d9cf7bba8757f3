// Package check validates a course folder the way the server loads it.
// Besides every loading error of lessons and quizzes, it reports broken
// internal links and anchors, missing images and unknown playground
// scenarios, each at its line and column.
package check

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"learn/lessons"
	"learn/markdown"
	"learn/quiz"
)

// SeverityError marks a problem that stops the server from loading the
// course or leaves a learner with a broken page.
const SeverityError = "error"

// SeverityWarning marks a question-writing smell: the course works, but a
// learner may find the answer by its shape instead of its content.
const SeverityWarning = "warning"

// Problem is one thing to fix in one file. Line and Col are 1-based, and a
// problem with a whole file or folder is at line 1, column 1.
type Problem struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// String returns the problem as "path:line:col: message", with
// "warning: " before the message of a warning.
func (p Problem) String() string {
	if p.Severity == SeverityWarning {
		return fmt.Sprintf("%s:%d:%d: warning: %s", p.Path, p.Line, p.Col, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.Path, p.Line, p.Col, p.Message)
}

// Options configures a check.
type Options struct {
	// Scenarios lists the names that a ```playground NAME fenced block may
	// use. With an empty list, every such block is reported.
	Scenarios []string
}

// Report is the outcome of a check.
type Report struct {
	Problems []Problem // sorted by path, line and column
	Lessons  int       // lessons loaded, drafts included
	Quizzes  int       // quizzes loaded
}

// OK reports whether the check found no error. Warnings do not count.
func (r Report) OK() bool {
	return r.errors() == 0
}

func (r Report) errors() int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity != SeverityWarning {
			n++
		}
	}
	return n
}

// Summary returns the last line of the text output: "ok: N lessons, M
// quizzes" or "N problems in M files", each followed by the number of
// warnings when there are any.
func (r Report) Summary() string {
	warnings := ""
	if n := len(r.Problems) - r.errors(); n > 0 {
		warnings = " (" + plural(n, "warning") + ")"
	}
	if r.OK() {
		return fmt.Sprintf("ok: %s, %s%s", plural(r.Lessons, "lesson"), plural(r.Quizzes, "quiz"), warnings)
	}
	files := make(map[string]bool)
	for _, p := range r.Problems {
		if p.Severity != SeverityWarning {
			files[p.Path] = true
		}
	}
	return fmt.Sprintf("%s in %s%s", plural(r.errors(), "problem"), plural(len(files), "file"), warnings)
}

func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "z"):
		return fmt.Sprintf("%d %szes", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Run checks the course in fsys: lessons/ and quizzes/ as the server reads
// them.
func Run(fsys fs.FS, opts Options) Report {
	c := &checker{fsys: fsys, opts: opts}

	course, err := lessons.LoadPartial(fsys)
	c.addErrors(lessons.Dir, err)
	quizzes, err := quiz.Load(fsys)
	c.addErrors("quizzes", err)
	quizzesLoaded := err == nil
	for _, q := range quizzes {
		for _, w := range quiz.Lint(q) {
			c.problems = append(c.problems, Problem{
				Path: w.Path, Line: max(w.Line, 1), Col: 1, Severity: SeverityWarning, Message: w.Message,
			})
		}
	}

	report := Report{Quizzes: len(quizzes)}
	if course != nil {
		report.Lessons = len(course.Lessons())
		c.links = newSiteMap(course, quizzes, quizzesLoaded)
		c.checkQuizLessons(quizzes)
		c.checkQuizDiagrams(quizzes)
		c.checkBodies(course)
	}

	slices.SortStableFunc(c.problems, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	report.Problems = c.problems
	return report
}

// checker collects the problems of one run.
type checker struct {
	fsys     fs.FS
	opts     Options
	links    *siteMap
	problems []Problem
}

func (c *checker) add(path string, line, col int, format string, args ...any) {
	c.problems = append(c.problems, Problem{
		Path:     path,
		Line:     max(line, 1),
		Col:      max(col, 1),
		Severity: SeverityError,
		Message:  fmt.Sprintf(format, args...),
	})
}

// addErrors records each error that a loader returned. An error without a
// file position is reported at folder.
func (c *checker) addErrors(folder string, err error) {
	for _, e := range markdown.Flatten(err) {
		fe := markdown.AsFileError(folder, e)
		c.add(fe.Path, fe.Line, fe.Col, "%s", fe.Err)
	}
}

// checkQuizLessons reports quizzes whose lesson key names no lesson, a
// rule that quiz.Load cannot apply because it does not know the course.
func (c *checker) checkQuizLessons(quizzes []*quiz.Quiz) {
	for _, q := range quizzes {
		if q.Lesson == "" {
			continue
		}
		if _, ok := c.links.lessons[q.Lesson]; ok {
			continue
		}
		line, col := c.keyPosition(q.Path, "lesson")
		c.add(q.Path, line, col, "lesson %q not found; use the slug of a lesson, such as the file name without .md", q.Lesson)
	}
}

// checkQuizDiagrams reports each d2 diagram in a quiz that does not
// compile. The quiz still loads and shows an error box in its place, as a
// lesson does.
func (c *checker) checkQuizDiagrams(quizzes []*quiz.Quiz) {
	md := markdown.New()
	for _, q := range quizzes {
		src, body, err := c.readBody(q.Path)
		if err != nil {
			c.add(q.Path, 1, 1, "read for diagram checks: %v", err)
			continue
		}
		c.addDiagramErrors(q.Path, src, body, md.Parser().Parse(text.NewReader(body)))
	}
}

// addDiagramErrors records each d2 diagram in doc, parsed from body, that
// does not compile, at its position in src, the whole file at path.
func (c *checker) addDiagramErrors(path string, src, body []byte, doc ast.Node) {
	for _, fe := range markdown.DiagramErrors(path, src, body, doc) {
		c.add(fe.Path, fe.Line, fe.Col, "d2 diagram does not compile: %v", fe.Err)
	}
}

// keyPosition returns where a top-level front matter key starts in a
// file, or 1, 1 when the file cannot be read or lacks the key.
func (c *checker) keyPosition(name, key string) (line, col int) {
	src, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return 1, 1
	}
	for i, text := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(text, key+":") {
			return i + 1, 1
		}
	}
	return 1, 1
}

// readBody reads a content file that loaded without error and returns it
// with its Markdown body.
func (c *checker) readBody(name string) (src, body []byte, err error) {
	src, err = fs.ReadFile(c.fsys, name)
	if err != nil {
		return nil, nil, err
	}
	_, body, err = markdown.SplitFrontMatter(src)
	if err != nil {
		return nil, nil, errors.New("front matter not closed")
	}
	return src, body, nil
}
