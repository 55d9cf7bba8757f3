package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"learn/instructor"
	"learn/quiz"
)

// instructorSessionSchema creates the table of instructor sessions, keyed
// by the hex SHA-256 of the session ID. Times are Unix milliseconds.
const instructorSessionSchema = `
CREATE TABLE instructor_sessions (
	id_hash           TEXT PRIMARY KEY,
	created_unix_ms   INTEGER NOT NULL,
	last_seen_unix_ms INTEGER NOT NULL
) STRICT;
`

var _ instructor.SessionStore = (*DB)(nil)

// CreateInstructorSession stores a new instructor session.
func (db *DB) CreateInstructorSession(ctx context.Context, session instructor.Session) error {
	const insert = `INSERT INTO instructor_sessions (id_hash, created_unix_ms, last_seen_unix_ms) VALUES (?, ?, ?)`
	if _, err := db.db.ExecContext(ctx, insert, session.IDHash, session.CreatedAt.UnixMilli(), session.LastSeen.UnixMilli()); err != nil {
		return fmt.Errorf("create instructor session: %w", err)
	}
	return nil
}

// InstructorSession returns the instructor session with idHash, and false
// when there is none. Times are in UTC.
func (db *DB) InstructorSession(ctx context.Context, idHash string) (instructor.Session, bool, error) {
	const query = `SELECT created_unix_ms, last_seen_unix_ms FROM instructor_sessions WHERE id_hash = ?`
	var created, lastSeen int64
	err := db.db.QueryRowContext(ctx, query, idHash).Scan(&created, &lastSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return instructor.Session{}, false, nil
	}
	if err != nil {
		return instructor.Session{}, false, fmt.Errorf("load instructor session: %w", err)
	}
	return instructor.Session{
		IDHash:    idHash,
		CreatedAt: time.UnixMilli(created).UTC(),
		LastSeen:  time.UnixMilli(lastSeen).UTC(),
	}, true, nil
}

// TouchInstructorSession sets the last use time of an instructor session.
func (db *DB) TouchInstructorSession(ctx context.Context, idHash string, lastSeen time.Time) error {
	const update = `UPDATE instructor_sessions SET last_seen_unix_ms = ? WHERE id_hash = ?`
	if _, err := db.db.ExecContext(ctx, update, lastSeen.UnixMilli(), idHash); err != nil {
		return fmt.Errorf("update instructor session: %w", err)
	}
	return nil
}

// DeleteInstructorSession deletes an instructor session if it exists.
func (db *DB) DeleteInstructorSession(ctx context.Context, idHash string) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM instructor_sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("delete instructor session: %w", err)
	}
	return nil
}

// DeleteExpiredInstructorSessions deletes the instructor sessions last
// used before lastSeenBefore or created before createdBefore.
func (db *DB) DeleteExpiredInstructorSessions(ctx context.Context, lastSeenBefore, createdBefore time.Time) (int64, error) {
	const del = `DELETE FROM instructor_sessions WHERE last_seen_unix_ms < ? OR created_unix_ms < ?`
	result, err := db.db.ExecContext(ctx, del, lastSeenBefore.UnixMilli(), createdBefore.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete expired instructor sessions: %w", err)
	}
	return result.RowsAffected()
}

// QuizStats summarizes every learner's attempts at each question of the
// quiz, ordered by question id. A question without attempts is left out.
func (db *DB) QuizStats(ctx context.Context, quizID string) ([]quiz.QuestionStats, error) {
	stats, err := db.questionTotals(ctx, quizID)
	if err != nil {
		return nil, fmt.Errorf("load statistics of quiz %s: %w", quizID, err)
	}
	if err := db.addChoiceCounts(ctx, quizID, stats); err != nil {
		return nil, fmt.Errorf("load statistics of quiz %s: %w", quizID, err)
	}
	return stats, nil
}

// questionTotals counts attempts, learners and right first attempts per
// question. A learner's first attempt is the earliest, and of two at the
// same millisecond the one saved first.
func (db *DB) questionTotals(ctx context.Context, quizID string) ([]quiz.QuestionStats, error) {
	const query = `
		SELECT question_id, count(*), count(DISTINCT learner_id),
			sum(CASE WHEN attempt = 1 AND correct = 1 THEN 1 ELSE 0 END)
		FROM (
			SELECT question_id, learner_id, correct,
				row_number() OVER (PARTITION BY question_id, learner_id ORDER BY answered_at, id) AS attempt
			FROM quiz_attempts
			WHERE quiz_id = ?
		)
		GROUP BY question_id
		ORDER BY question_id`
	rows, err := db.db.QueryContext(ctx, query, quizID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var stats []quiz.QuestionStats
	for rows.Next() {
		var s quiz.QuestionStats
		if err := rows.Scan(&s.QuestionID, &s.Attempts, &s.Learners, &s.FirstTryCorrect); err != nil {
			return nil, err
		}
		stats = append(stats, s)
	}
	return stats, rows.Err()
}

// addChoiceCounts fills in the Choices of each entry of stats: how many
// attempts contained each option id or typed value, most chosen first.
func (db *DB) addChoiceCounts(ctx context.Context, quizID string, stats []quiz.QuestionStats) error {
	const query = `
		SELECT a.question_id, c.value, count(*), sum(1 - a.correct)
		FROM quiz_attempts AS a, json_each(a.choices) AS c
		WHERE a.quiz_id = ?
		GROUP BY a.question_id, c.value
		ORDER BY a.question_id, count(*) DESC, c.value`
	rows, err := db.db.QueryContext(ctx, query, quizID)
	if err != nil {
		return err
	}
	defer rows.Close()

	byQuestion := make(map[string]*quiz.QuestionStats, len(stats))
	for i := range stats {
		byQuestion[stats[i].QuestionID] = &stats[i]
	}
	for rows.Next() {
		var questionID string
		var c quiz.ChoiceCount
		if err := rows.Scan(&questionID, &c.Choice, &c.Count, &c.Wrong); err != nil {
			return err
		}
		if s, ok := byQuestion[questionID]; ok {
			s.Choices = append(s.Choices, c)
		}
	}
	return rows.Err()
}
