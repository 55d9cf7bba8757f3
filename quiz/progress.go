package quiz

import (
	"context"
	"slices"
	"time"
)

// Answer is one graded attempt at a question.
type Answer struct {
	Learner    string // the learner package's ID as a string
	QuizID     string
	QuestionID string

	// Choices are the chosen option ids, or for a status question the
	// typed value as a decimal number, such as "401".
	Choices    []string
	Correct    bool // the grade when the learner answered
	AnsweredAt time.Time

	// KeyFingerprint is the question's KeyFingerprint when the learner
	// answered, or "" for an answer saved before fingerprints were kept.
	KeyFingerprint string
}

// ProgressStore keeps learners' answers.
type ProgressStore interface {
	// SaveAnswer records an attempt. Earlier attempts at the same question
	// are kept.
	SaveAnswer(ctx context.Context, a Answer) error

	// Answers returns the learner's latest answer to each question of
	// each of the quizzes, or none if the learner has not answered any.
	Answers(ctx context.Context, learner string, quizIDs ...string) ([]Answer, error)
}

// State is a learner's progress on one question.
type State string

// The states of a question, from the learner's latest answer.
const (
	NotTried State = "not-tried" // no answer yet
	Right    State = "right"
	Wrong    State = "wrong"

	// Outdated means the question's key has changed since the answer, so
	// the old grade no longer holds. It counts as neither right nor wrong.
	Outdated State = "outdated"
)

// QuestionProgress is a learner's latest answer to one question.
type QuestionProgress struct {
	Question *Question
	Answer   *Answer // the latest answer, or nil
	State    State
}

// Progress returns the state of every question of the quiz, in quiz order,
// from a learner's answers. Only the latest answer to each question
// counts, by AnsweredAt and then by position in answers. Answers saved
// under a retired quiz id (see Quiz.Retired) count like answers to this
// quiz. Answers to other quizzes or to question ids that are no longer in
// the quiz are ignored.
// An answer keeps the grade it got when given, unless its KeyFingerprint
// differs from the question's current one, which makes it Outdated.
func (q *Quiz) Progress(answers []Answer) []QuestionProgress {
	latest := make(map[string]Answer, len(q.Questions))
	for _, a := range answers {
		if a.QuizID != q.ID && !slices.Contains(q.Retired, a.QuizID) {
			continue
		}
		if prev, ok := latest[a.QuestionID]; ok && a.AnsweredAt.Before(prev.AnsweredAt) {
			continue
		}
		latest[a.QuestionID] = a
	}

	progress := make([]QuestionProgress, len(q.Questions))
	for i, question := range q.Questions {
		progress[i] = QuestionProgress{Question: question, State: NotTried}
		a, ok := latest[question.ID]
		if !ok {
			continue
		}

		progress[i].Answer = &a
		switch {
		case a.KeyFingerprint != "" && a.KeyFingerprint != question.KeyFingerprint():
			progress[i].State = Outdated
		case a.Correct:
			progress[i].State = Right
		default:
			progress[i].State = Wrong
		}
	}
	return progress
}

// Score counts a learner's progress through one quiz.
type Score struct {
	Correct  int `json:"correct"`  // questions whose latest answer is right
	Answered int `json:"answered"` // questions whose latest answer is right or wrong
	Outdated int `json:"outdated"` // questions whose latest answer was graded against an older key
	Total    int `json:"total"`    // questions in the quiz
}

// Score scores the quiz from a learner's answers, with the rules of
// Progress. Outdated answers count in neither Correct nor Answered.
func (q *Quiz) Score(answers []Answer) Score {
	return ScoreOf(q.Progress(answers))
}

// ScoreOf counts the states in progress.
func ScoreOf(progress []QuestionProgress) Score {
	score := Score{Total: len(progress)}
	for _, p := range progress {
		switch p.State {
		case Right:
			score.Correct++
			score.Answered++
		case Wrong:
			score.Answered++
		case Outdated:
			score.Outdated++
		}
	}
	return score
}
