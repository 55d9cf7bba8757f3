package quiz

import (
	"cmp"
	"crypto/sha256"
	"slices"
	"strings"
)

// OptionsFor returns the options of a question as the learner sees them,
// as copies with their Label set for that order.
//
// In a quiz with Shuffle set, the order is stable for one learner and
// differs between learners: options are sorted by a SHA-256 hash of the
// learner id, quiz id, question id and option id. Because the hash covers
// ids rather than positions, reordering options in the file does not
// change what a learner sees. Labels A, B, C are given after sorting, so
// explanations must name options by their text, never by letter.
//
// A bug question's options are always in line order and labelled
// "Line 4". A status question shows no options, so the result is nil.
func (q *Quiz) OptionsFor(learner string, question *Question) []*Option {
	if question.Type == Status {
		return nil
	}

	options := make([]*Option, len(question.Options))
	for i, o := range question.Options {
		copied := *o
		options[i] = &copied
	}

	switch {
	case question.Type == Bug:
		slices.SortStableFunc(options, func(a, b *Option) int { return cmp.Compare(a.Line, b.Line) })
		return options
	case q.Shuffle:
		rank := func(o *Option) string {
			sum := sha256.Sum256([]byte(strings.Join([]string{learner, q.ID, question.ID, o.ID}, "\x00")))
			return string(sum[:])
		}
		slices.SortStableFunc(options, func(a, b *Option) int { return cmp.Compare(rank(a), rank(b)) })
	}
	for i, o := range options {
		o.Label = string(rune('A' + i))
	}
	return options
}
