package quiz

import (
	"context"
	"time"
)

// Answer is one graded attempt at a question.
type Answer struct {
	Learner    string // the learner package's ID as a string
	QuizID     string
	QuestionID string
	Choices    []string // chosen option ids
	Correct    bool     // the grade when the learner answered
	AnsweredAt time.Time
}

// ProgressStore keeps learners' answers.
type ProgressStore interface {
	// SaveAnswer records an attempt. Earlier attempts at the same question
	// are kept.
	SaveAnswer(ctx context.Context, a Answer) error

	// Answers returns the learner's latest answer to each question of the
	// quiz, or none if the learner has not answered any.
	Answers(ctx context.Context, learner, quizID string) ([]Answer, error)
}

// Score counts a learner's progress through one quiz.
type Score struct {
	Correct  int // questions whose latest answer is correct
	Answered int // questions with at least one answer
	Total    int // questions in the quiz
}

// Score scores the quiz from a learner's answers. Only the latest answer to
// each question counts, by AnsweredAt and then by position in answers.
// Answers to other quizzes or to question ids that are no longer in the
// quiz are ignored. An answer counts as correct if it was graded correct
// when given, even if the quiz has changed since.
func (q *Quiz) Score(answers []Answer) Score {
	latest := make(map[string]Answer, len(q.Questions))
	for _, a := range answers {
		if a.QuizID != q.ID {
			continue
		}
		if _, ok := q.Question(a.QuestionID); !ok {
			continue
		}
		if prev, ok := latest[a.QuestionID]; ok && a.AnsweredAt.Before(prev.AnsweredAt) {
			continue
		}
		latest[a.QuestionID] = a
	}

	score := Score{Answered: len(latest), Total: len(q.Questions)}
	for _, a := range latest {
		if a.Correct {
			score.Correct++
		}
	}
	return score
}
