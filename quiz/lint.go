package quiz

import (
	"fmt"
	"regexp"
	"unicode/utf8"
)

// Warning is a question-writing smell that Lint found. Unlike a Load
// error, it does not stop the quiz from working.
type Warning struct {
	Path     string // the quiz file, such as "quizzes/jwt.md"
	Line     int    // line in that file, from 1, or 0 for the whole file
	Question string // id of the question, or "" for a warning about the quiz
	Message  string // what is wrong and what to do, as a sentence
}

// String formats the warning as "path:line: message", the form that
// editors and compilers use.
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Message)
	}
	return fmt.Sprintf("%s: %s", w.Path, w.Message)
}

// letterReference matches explanation text that names an option by its
// letter, such as "option B" or a bold "B", which breaks once options are
// shuffled or reordered.
var letterReference = regexp.MustCompile(`\b(?:[Oo]ptions?|[Aa]nswer|[Cc]hoice) [A-H]\b|<strong>[A-H]</strong>`)

// Lint returns question-writing smells in q, in this order:
//
//   - the correct option is the longest one in more than half of the
//     quiz's choice questions, so that learners can guess by length;
//   - the correct option sits at the same authored position in more than
//     half of them, which shows when the quiz is not shuffled;
//   - an explanation names an option by letter, although labels are
//     assigned after shuffling.
//
// The first two rules look at the single-choice questions, and at
// multiple-choice ones with one correct option, and need at least two of
// them. Bug and status questions have no options to compare.
func Lint(q *Quiz) []Warning {
	var warnings []Warning
	warnings = append(warnings, lintKeyPatterns(q)...)

	for _, question := range q.Questions {
		for _, html := range question.explanations() {
			if m := letterReference.FindString(html); m != "" {
				warnings = append(warnings, Warning{
					Path: q.Path, Line: question.Line, Question: question.ID,
					Message: fmt.Sprintf("question %s: the explanation names an option by letter (%q); refer to the option by its text, because labels change when options are shuffled", question.ID, m),
				})
				break
			}
		}
	}
	return warnings
}

// lintKeyPatterns finds correct options that stand out by length or
// position across the quiz.
func lintKeyPatterns(q *Quiz) []Warning {
	var eligible, longest int
	positions := make(map[int]int) // authored index of the correct option to question count
	firstLine := make(map[int]int) // authored index to the line of the first such question
	for _, question := range q.Questions {
		correct := question.correctOptions()
		if question.Type == Status || question.Type == Bug || len(correct) != 1 {
			continue
		}
		eligible++

		if isLongest(question.Options, correct[0]) {
			longest++
		}
		for i, o := range question.Options {
			if o == correct[0] {
				positions[i]++
				if _, ok := firstLine[i]; !ok {
					firstLine[i] = question.Line
				}
			}
		}
	}
	if eligible < 2 {
		return nil
	}

	var warnings []Warning
	if 2*longest > eligible {
		warnings = append(warnings, Warning{
			Path:    q.Path,
			Message: fmt.Sprintf("the correct option is the longest in %d of %d questions, so length gives the answer away; lengthen some wrong options or shorten correct ones", longest, eligible),
		})
	}
	for i := range maxOptions {
		if 2*positions[i] > eligible {
			warnings = append(warnings, Warning{
				Path: q.Path, Line: firstLine[i],
				Message: fmt.Sprintf("the correct option is option %d in %d of %d questions; move it to other positions", i+1, positions[i], eligible),
			})
		}
	}
	return warnings
}

// isLongest reports whether option has more characters of text than every
// other option.
func isLongest(options []*Option, option *Option) bool {
	length := utf8.RuneCountInString(option.Text)
	for _, o := range options {
		if o != option && utf8.RuneCountInString(o.Text) >= length {
			return false
		}
	}
	return true
}

// explanations returns the HTML of every part of the worked solution.
func (q *Question) explanations() []string {
	parts := append([]string{q.FinalAnswerHTML, q.QuickCheckHTML, q.MistakesHTML}, q.SolutionSteps...)
	for _, o := range q.Options {
		parts = append(parts, o.FeedbackHTML)
	}
	return parts
}
