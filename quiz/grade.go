package quiz

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalidAnswer is wrapped by the errors of Grade and GradeValue for an
// answer that cannot be graded, such as no option, an unknown option id,
// two options in a single-choice question or a value that is not a whole
// number.
var ErrInvalidAnswer = errors.New("invalid answer")

// Result is the outcome of grading one answer.
type Result struct {
	Correct bool

	// Chosen are the chosen options, in the order given. For a status
	// question it is the listed wrong value that the learner typed, if any,
	// so that its feedback can be shown.
	Chosen         []*Option
	CorrectOptions []*Option // the right options in authored order, none for a status question
	Answer         int       // the right value of a status question, or 0
}

// Grade checks the chosen option ids against the key of a single, multiple
// or bug question. A single or bug question takes exactly one id. A
// multiple question takes one or more distinct ids, and is correct when
// they are exactly the correct options. Otherwise, and for a status
// question, the error wraps ErrInvalidAnswer and names the valid choices.
func (q *Question) Grade(choices []string) (Result, error) {
	if q.Type == Status {
		return Result{}, fmt.Errorf("%w: question %s takes a typed number, not options; send the number as the answer", ErrInvalidAnswer, q.ID)
	}

	var result Result
	for i, id := range choices {
		o, ok := q.Option(id)
		if !ok {
			return Result{}, fmt.Errorf("%w: question %s has no option %q; choose from %s", ErrInvalidAnswer, q.ID, id, q.optionIDs())
		}
		if slices.Contains(choices[:i], id) {
			return Result{}, fmt.Errorf("%w: option %q chosen twice for question %s; choose each option at most once", ErrInvalidAnswer, id, q.ID)
		}
		result.Chosen = append(result.Chosen, o)
	}

	switch {
	case len(choices) == 0:
		return Result{}, fmt.Errorf("%w: no option chosen for question %s; choose from %s", ErrInvalidAnswer, q.ID, q.optionIDs())
	case len(choices) > 1 && q.Type != Multiple:
		return Result{}, fmt.Errorf("%w: %d options chosen for question %s, which is %s; choose one of %s", ErrInvalidAnswer, len(choices), q.ID, q.Type.describe(), q.optionIDs())
	}

	result.CorrectOptions = q.correctOptions()
	result.Correct = len(result.Chosen) == len(result.CorrectOptions)
	for _, o := range result.Chosen {
		result.Correct = result.Correct && o.correct
	}
	return result, nil
}

// GradeValue checks a typed answer to a status question. The answer is
// compared as a whole number, so " 401 " and "0401" are both 401. An empty
// or non-numeric answer, or a question of another type, gives an error
// that wraps ErrInvalidAnswer.
func (q *Question) GradeValue(answer string) (Result, error) {
	if q.Type != Status {
		return Result{}, fmt.Errorf("%w: question %s is %s, so it takes option ids, not a typed number; choose from %s", ErrInvalidAnswer, q.ID, q.Type.describe(), q.optionIDs())
	}
	value, err := strconv.Atoi(strings.TrimSpace(answer))
	if err != nil {
		return Result{}, fmt.Errorf("%w: answer %q to question %s is not a whole number; type a status code such as 200", ErrInvalidAnswer, answer, q.ID)
	}

	result := Result{Correct: value == q.answer, Answer: q.answer}
	for _, o := range q.Options {
		if o.Value == value {
			result.Chosen = append(result.Chosen, o)
		}
	}
	return result, nil
}

// Option returns the option with the given id.
func (q *Question) Option(id string) (*Option, bool) {
	i := slices.IndexFunc(q.Options, func(o *Option) bool { return o.ID == id })
	if i < 0 {
		return nil, false
	}
	return q.Options[i], true
}

// KeyFingerprint returns a short hash of the question's type and answer
// key. An answer saved with another fingerprint was graded against a key
// that has changed since. Rewording or reordering options keeps the
// fingerprint, because it covers option ids, not text or position.
func (q *Question) KeyFingerprint() string {
	var key strings.Builder
	key.WriteString(string(q.Type))
	if q.Type == Status {
		fmt.Fprintf(&key, "\n%d", q.answer)
	}
	var ids []string
	for _, o := range q.correctOptions() {
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	for _, id := range ids {
		key.WriteString("\n" + id)
	}

	sum := sha256.Sum256([]byte(key.String()))
	return hex.EncodeToString(sum[:6])
}

func (q *Question) correctOptions() []*Option {
	var correct []*Option
	for _, o := range q.Options {
		if o.correct {
			correct = append(correct, o)
		}
	}
	return correct
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
