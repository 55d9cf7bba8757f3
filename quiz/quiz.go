// Package quiz loads practice quizzes written in Markdown, grades answers
// and scores a learner's progress.
//
// A quiz file has YAML front matter (id, title, an optional lesson slug,
// an optional "shuffle: true" and an optional list of old ids under
// aliases), an optional introduction, and one
// "## Question {#id}" section per question. A class on the heading sets the
// question type: "{#id .multiple}", "{#id .status}" or "{#id .bug}", and
// single choice without one. A question contains its prompt, a task list
// of options, and the sections "### Solution" (a numbered list of steps),
// "### Final answer", "### Quick check" and "### Common mistakes".
//
// Each option may end its first line with a stable id, as in
// "- [x] The server keeps the data. {#server-side}". The id is required in
// multiple, status and bug questions. A single-choice question whose
// options have no ids gets the positional ids a, b, c, and so on.
//
// A status question replaces the correct option with a line such as
// "Answer: 401", and its task list, which may be left out, holds wrong
// values with feedback: "- [ ] 403 {#w403}". A bug question has one fenced
// code block at the end of its prompt, and its options name lines of that
// block: "- [x] Line 4 {#line-4}".
package quiz

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"learn/markdown"
)

// dir is the folder, relative to the root of the course file system, that
// contains the quiz files.
const dir = "quizzes"

// idPattern restricts quiz and question ids to what reads well in a URL
// and an HTML id attribute without escaping.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Quiz is one practice page of questions.
type Quiz struct {
	ID        string
	Path      string // file path in the course file system, such as quizzes/jwt.md
	Title     string
	Lesson    string // slug of the lesson that the quiz practises, or ""
	Shuffle   bool   // options appear in a stable order per learner, see OptionsFor
	IntroHTML string
	Questions []*Question

	// Aliases are old ids of this quiz, whose URLs redirect to it.
	Aliases []string

	// Retired are the aliases of every quiz that Load returned with this
	// one: ids of quizzes that no longer exist. Progress counts an answer
	// saved under a retired id for the question of the same id, because
	// a question keeps its id when it moves to another quiz.
	//
	// NOTE: The old quiz files are gone, so nothing records which quiz a
	// question moved to. If two quizzes have a question with the same id,
	// an answer saved under a retired id counts in both.
	Retired []string

	aliases []markdown.Alias // Aliases with their positions, for Load
}

// Type is the kind of a question, which decides how it is answered.
type Type string

// The question types, as written in the heading class.
const (
	Single   Type = "single"   // one correct option; the default
	Multiple Type = "multiple" // several correct options, all of which must be chosen
	Status   Type = "status"   // a typed integer, such as an HTTP status code
	Bug      Type = "bug"      // a line of the prompt's code block
)

// types lists the valid question types in the order error messages name
// them.
var types = []Type{Single, Multiple, Status, Bug}

// Question is one question with its worked solution.
type Question struct {
	ID         string // explicit heading id, unique in the quiz
	Type       Type
	Title      string // heading text without markup
	Line       int    // line of the heading in the quiz file, from 1
	PromptHTML string // for a bug question, without the code block
	Code       *Code  // the code block of a bug question, or nil

	// Options are the choices in authored order. In a status question
	// they are the known wrong values, which are never shown.
	Options []*Option

	SolutionSteps   []string // HTML of each numbered step
	FinalAnswerHTML string
	QuickCheckHTML  string
	MistakesHTML    string

	// answer is the right value of a status question. It is unexported,
	// like Option.correct, so that a template cannot print it.
	answer int
}

// Code is the code block of a bug question, split into lines.
type Code struct {
	Language string   `json:"language"` // the info string's first word, or ""
	Lines    []string `json:"lines"`    // without line endings; Lines[0] is line 1
}

// Option is one choice of a question.
type Option struct {
	ID           string // the explicit {#id}, or "a", "b", … by authored position
	Label        string // "A", "B", … by authored position, or "Line 4" in a bug question
	HTML         string // inline HTML of the option text
	Text         string // the option text without markup
	FeedbackHTML string // shown once the learner has answered, or ""
	FeedbackText string // FeedbackHTML without markup, for exports
	Line         int    // the code line that a bug question's option names, or 0
	Value        int    // the wrong value of a status question's option, or 0

	// correct is unexported so that a template cannot print the answer key
	// by walking the fields.
	correct bool
}

// Correct reports whether the option is the right answer.
func (o *Option) Correct() bool {
	return o.correct
}

// Load reads every quizzes/*.md file in fsys and returns the quizzes sorted
// by id. A missing quizzes folder means a course without quizzes and is not
// an error. The error names each invalid file, the question and what to fix.
func Load(fsys fs.FS) ([]*Quiz, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load quizzes: %w", err)
	}

	var quizzes []*Quiz
	fileNames := make(map[string]string) // quiz id to the file that defined it
	var errs []error
	for _, entry := range entries {
		if entry.IsDir() || !strings.EqualFold(path.Ext(entry.Name()), ".md") {
			continue
		}
		name := path.Join(dir, entry.Name())

		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("load quiz %s: %w", name, err))
			continue
		}
		q, err := parse(name, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}

		if first, ok := fileNames[q.ID]; ok {
			errs = append(errs, markdown.Errorf(name, 0, 0, "quiz id %q is already used by %s; change the id in one of the files", q.ID, first))
			continue
		}
		fileNames[q.ID] = name
		q.Path = name
		quizzes = append(quizzes, q)
	}
	errs = append(errs, checkAliasClashes(quizzes)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	var retired []string
	for _, q := range quizzes {
		retired = append(retired, q.Aliases...)
	}
	slices.Sort(retired)
	for _, q := range quizzes {
		q.Retired = retired
	}

	slices.SortFunc(quizzes, func(a, b *Quiz) int { return cmp.Compare(a.ID, b.ID) })
	return quizzes, nil
}

// Find returns the quiz with the given id.
func Find(quizzes []*Quiz, id string) (*Quiz, bool) {
	i := slices.IndexFunc(quizzes, func(q *Quiz) bool { return q.ID == id })
	if i < 0 {
		return nil, false
	}
	return quizzes[i], true
}

// FindByAlias returns the quiz that lists id among its aliases.
func FindByAlias(quizzes []*Quiz, id string) (*Quiz, bool) {
	i := slices.IndexFunc(quizzes, func(q *Quiz) bool { return slices.Contains(q.Aliases, id) })
	if i < 0 {
		return nil, false
	}
	return quizzes[i], true
}

// Question returns the question with the given id.
func (q *Quiz) Question(id string) (*Question, bool) {
	i := slices.IndexFunc(q.Questions, func(question *Question) bool { return question.ID == id })
	if i < 0 {
		return nil, false
	}
	return q.Questions[i], true
}
