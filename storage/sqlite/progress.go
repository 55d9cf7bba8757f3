package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"learn/quiz"
)

// progressSchema creates the table for quiz progress. It keeps every
// attempt, so a new answer never overwrites an earlier one. choices is a
// JSON array of option ids, and answered_at is in Unix milliseconds.
const progressSchema = `
CREATE TABLE quiz_attempts (
	id          INTEGER PRIMARY KEY,
	learner_id  TEXT NOT NULL,
	quiz_id     TEXT NOT NULL,
	question_id TEXT NOT NULL,
	choices     TEXT NOT NULL CHECK (json_valid(choices) AND json_type(choices) = 'array'),
	correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
	answered_at INTEGER NOT NULL
) STRICT;

-- Answers looks up one learner's attempts at one quiz, and then the latest
-- attempt per question, which the trailing columns let SQLite read in order.
CREATE INDEX quiz_attempts_learner_quiz
	ON quiz_attempts (learner_id, quiz_id, question_id, answered_at);
`

// keyFingerprintSchema adds the question's key fingerprint to each
// attempt, so that an answer graded against an older key can be shown as
// outdated. Attempts saved before it get "", which means unknown.
const keyFingerprintSchema = `
ALTER TABLE quiz_attempts ADD COLUMN key_fingerprint TEXT NOT NULL DEFAULT '';
`

var _ quiz.ProgressStore = (*DB)(nil)

// SaveAnswer records an attempt at a question. Earlier attempts are kept.
// AnsweredAt is stored to the millisecond.
func (db *DB) SaveAnswer(ctx context.Context, a quiz.Answer) error {
	if err := validateAnswer(a); err != nil {
		return fmt.Errorf("save answer: %w", err)
	}

	choices := a.Choices
	if choices == nil {
		choices = []string{}
	}
	choicesJSON, err := json.Marshal(choices)
	if err != nil {
		return fmt.Errorf("save answer: %w", err)
	}

	const insert = `INSERT INTO quiz_attempts (learner_id, quiz_id, question_id, choices, correct, answered_at, key_fingerprint)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	_, err = db.db.ExecContext(ctx, insert,
		a.Learner, a.QuizID, a.QuestionID, string(choicesJSON), a.Correct, a.AnsweredAt.UnixMilli(), a.KeyFingerprint)
	if err != nil {
		return fmt.Errorf("save answer to quiz %s question %s: %w", a.QuizID, a.QuestionID, err)
	}
	return nil
}

func validateAnswer(a quiz.Answer) error {
	switch {
	case a.Learner == "":
		return errors.New("missing learner id")
	case a.QuizID == "":
		return errors.New("missing quiz id")
	case a.QuestionID == "":
		return errors.New("missing question id")
	case a.AnsweredAt.IsZero():
		return errors.New("missing answer time")
	}
	return nil
}

// Answers returns the learner's latest attempt at each question of each
// of the quizzes, ordered by question id and then quiz id. Of two attempts
// with the same time, the one saved last counts. AnsweredAt is in UTC.
func (db *DB) Answers(ctx context.Context, learner string, quizIDs ...string) ([]quiz.Answer, error) {
	if len(quizIDs) == 0 {
		return nil, nil
	}
	quizList := strings.Join(quizIDs, ", ")

	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(quizIDs)), ", ")
	query := `
		SELECT quiz_id, question_id, choices, correct, answered_at, key_fingerprint
		FROM (
			SELECT quiz_id, question_id, choices, correct, answered_at, key_fingerprint,
				row_number() OVER (PARTITION BY quiz_id, question_id ORDER BY answered_at DESC, id DESC) AS recency
			FROM quiz_attempts
			WHERE learner_id = ? AND quiz_id IN (` + placeholders + `)
		)
		WHERE recency = 1
		ORDER BY question_id, quiz_id`
	args := make([]any, 0, 1+len(quizIDs))
	args = append(args, learner)
	for _, id := range quizIDs {
		args = append(args, id)
	}
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load answers to quiz %s: %w", quizList, err)
	}
	defer rows.Close()

	var answers []quiz.Answer
	for rows.Next() {
		a := quiz.Answer{Learner: learner}
		var choicesJSON string
		var answeredMillis int64
		if err := rows.Scan(&a.QuizID, &a.QuestionID, &choicesJSON, &a.Correct, &answeredMillis, &a.KeyFingerprint); err != nil {
			return nil, fmt.Errorf("load answers to quiz %s: %w", quizList, err)
		}
		if err := json.Unmarshal([]byte(choicesJSON), &a.Choices); err != nil {
			return nil, fmt.Errorf("load answers to quiz %s: choices of question %s: %w", a.QuizID, a.QuestionID, err)
		}
		a.AnsweredAt = time.UnixMilli(answeredMillis).UTC()
		answers = append(answers, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load answers to quiz %s: %w", quizList, err)
	}
	return answers, nil
}

// CountAttempts returns how many quiz attempts the database holds, for
// operators and for tests of backups and crash safety.
func (db *DB) CountAttempts(ctx context.Context) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM quiz_attempts").Scan(&n); err != nil {
		return 0, fmt.Errorf("count quiz attempts: %w", err)
	}
	return n, nil
}
