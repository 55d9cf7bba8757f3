// Package quiz loads single-choice practice quizzes written in Markdown,
// grades answers and scores a learner's progress.
//
// A quiz file has YAML front matter (id, title and an optional lesson
// slug), an optional introduction, and one "## Question {#id}" section per
// question. A question contains its prompt, a task list whose checked item
// is the correct option, and the sections "### Solution" (a numbered list
// of steps), "### Final answer", "### Quick check" and "### Common
// mistakes".
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
	IntroHTML string
	Questions []*Question
}

// Question is one single-choice question with its worked solution.
type Question struct {
	ID         string // explicit heading id, unique in the quiz
	Title      string // heading text without markup
	PromptHTML string
	Options    []*Option

	SolutionSteps   []string // HTML of each numbered step
	FinalAnswerHTML string
	QuickCheckHTML  string
	MistakesHTML    string
}

// Option is one choice of a question.
type Option struct {
	ID           string // "a", "b", … by authored position
	Label        string // "A", "B", … as shown on screen
	HTML         string // inline HTML of the option text
	FeedbackHTML string // shown once the learner has answered, or ""

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
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
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

// Question returns the question with the given id.
func (q *Quiz) Question(id string) (*Question, bool) {
	i := slices.IndexFunc(q.Questions, func(question *Question) bool { return question.ID == id })
	if i < 0 {
		return nil, false
	}
	return q.Questions[i], true
}
