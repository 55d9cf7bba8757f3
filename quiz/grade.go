package quiz

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalidAnswer is wrapped by Grade's errors for a choice that cannot be
// graded: no option, an unknown option id or more than one option.
var ErrInvalidAnswer = errors.New("invalid answer")

// Result is the outcome of grading one answer.
type Result struct {
	Correct        bool
	Chosen         []*Option // the chosen options, in the order given
	CorrectOptions []*Option // the right options, in authored order
}

// Grade checks the chosen option ids against the key. Every question is
// single-choice, so choices must contain exactly one id of the question's
// options. Otherwise the error wraps ErrInvalidAnswer and names the
// offending id and the valid ones.
func (q *Question) Grade(choices []string) (Result, error) {
	var result Result
	for _, id := range choices {
		i := slices.IndexFunc(q.Options, func(o *Option) bool { return o.ID == id })
		if i < 0 {
			return Result{}, fmt.Errorf("%w: question %s has no option %q; choose one of %s", ErrInvalidAnswer, q.ID, id, q.optionIDs())
		}
		result.Chosen = append(result.Chosen, q.Options[i])
	}

	switch {
	case len(choices) == 0:
		return Result{}, fmt.Errorf("%w: no option chosen for question %s; choose one of %s", ErrInvalidAnswer, q.ID, q.optionIDs())
	case len(choices) > 1:
		return Result{}, fmt.Errorf("%w: %d options chosen for question %s, which is single-choice; choose one of %s", ErrInvalidAnswer, len(choices), q.ID, q.optionIDs())
	}

	for _, o := range q.Options {
		if o.correct {
			result.CorrectOptions = append(result.CorrectOptions, o)
		}
	}
	result.Correct = result.Chosen[0].correct
	return result, nil
}

// optionIDs returns the valid option ids for error messages, such as
// "a, b, c".
func (q *Question) optionIDs() string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}
