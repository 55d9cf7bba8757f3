package sqlite

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"learn/quiz"
)

// openProgressDB opens a database file in a fresh temporary folder and
// returns it with its path.
func openProgressDB(tb testing.TB) (*DB, string) {
	tb.Helper()

	path := filepath.Join(tb.TempDir(), "progress.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

// mustSave saves answers and fails the test on error.
func mustSave(tb testing.TB, db *DB, answers ...quiz.Answer) {
	tb.Helper()

	for _, a := range answers {
		if err := db.SaveAnswer(context.Background(), a); err != nil {
			tb.Fatalf("SaveAnswer(%+v): %v", a, err)
		}
	}
}

// mustAnswers loads answers and fails the test on error.
func mustAnswers(tb testing.TB, db *DB, learner, quizID string) []quiz.Answer {
	tb.Helper()

	answers, err := db.Answers(context.Background(), learner, quizID)
	if err != nil {
		tb.Fatalf("Answers(%q, %q): %v", learner, quizID, err)
	}
	return answers
}

// countAttempts returns the number of stored attempts of a learner.
func countAttempts(tb testing.TB, db *DB, learner string) int {
	tb.Helper()

	var n int
	err := db.db.QueryRow("SELECT count(*) FROM quiz_attempts WHERE learner_id = ?", learner).Scan(&n)
	if err != nil {
		tb.Fatalf("count attempts: %v", err)
	}
	return n
}

// answerAt builds an answer by learner ada to the quiz "sessions".
func answerAt(question string, choice string, correct bool, at time.Time) quiz.Answer {
	return quiz.Answer{
		Learner:    "ada",
		QuizID:     "sessions",
		QuestionID: question,
		Choices:    []string{choice},
		Correct:    correct,
		AnsweredAt: at,
	}
}

var start = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func TestAnswersReturnsLatestAttempt(t *testing.T) {
	db, _ := openProgressDB(t)
	first := answerAt("storage", "a", false, start)
	second := answerAt("storage", "b", true, start.Add(time.Minute))
	second.KeyFingerprint = "0123456789ab"
	mustSave(t, db, first, second)

	got := mustAnswers(t, db, "ada", "sessions")

	if want := []quiz.Answer{second}; !reflect.DeepEqual(got, want) {
		t.Errorf("Answers = %+v\nwant %+v", got, want)
	}
	if n := countAttempts(t, db, "ada"); n != 2 {
		t.Errorf("stored %d attempts, want both kept", n)
	}
}

func TestAnswersLatestByTime(t *testing.T) {
	tests := []struct {
		name    string
		answers []quiz.Answer // saved in this order
		want    string        // choice of the answer returned
	}{
		{
			name: "older answer saved later",
			answers: []quiz.Answer{
				answerAt("storage", "newer", true, start.Add(time.Hour)),
				answerAt("storage", "older", false, start),
			},
			want: "newer",
		},
		{
			name: "same time, saved last wins",
			answers: []quiz.Answer{
				answerAt("storage", "first", false, start),
				answerAt("storage", "second", true, start),
			},
			want: "second",
		},
		{
			name: "same millisecond, saved last wins",
			answers: []quiz.Answer{
				answerAt("storage", "first", false, start.Add(900*time.Microsecond)),
				answerAt("storage", "second", true, start.Add(100*time.Microsecond)),
			},
			want: "second",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openProgressDB(t)
			mustSave(t, db, tt.answers...)

			got := mustAnswers(t, db, "ada", "sessions")

			if len(got) != 1 {
				t.Fatalf("Answers returned %d answers, want 1: %+v", len(got), got)
			}
			if choice := strings.Join(got[0].Choices, ","); choice != tt.want {
				t.Errorf("latest answer chose %q, want %q", choice, tt.want)
			}
		})
	}
}

func TestAnswersOnePerQuestionOfQuiz(t *testing.T) {
	db, _ := openProgressDB(t)
	other := answerAt("storage", "c", true, start)
	other.QuizID = "tokens"
	mustSave(t, db,
		answerAt("storage", "a", true, start),
		answerAt("expiry", "b", false, start),
		answerAt("expiry", "a", true, start.Add(time.Second)),
		other,
	)

	got := mustAnswers(t, db, "ada", "sessions")

	want := []quiz.Answer{
		answerAt("expiry", "a", true, start.Add(time.Second)),
		answerAt("storage", "a", true, start),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Answers = %+v\nwant %+v", got, want)
	}
}

func TestAnswersLearnersIndependent(t *testing.T) {
	db, _ := openProgressDB(t)
	ada := answerAt("storage", "a", true, start)
	bob := answerAt("storage", "b", false, start.Add(time.Minute))
	bob.Learner = "bob"
	mustSave(t, db, ada, bob)

	if got := mustAnswers(t, db, "ada", "sessions"); !reflect.DeepEqual(got, []quiz.Answer{ada}) {
		t.Errorf("ada's answers = %+v, want %+v", got, ada)
	}
	if got := mustAnswers(t, db, "bob", "sessions"); !reflect.DeepEqual(got, []quiz.Answer{bob}) {
		t.Errorf("bob's answers = %+v, want %+v", got, bob)
	}
	if got := mustAnswers(t, db, "carol", "sessions"); len(got) != 0 {
		t.Errorf("carol's answers = %+v, want none", got)
	}
}

func TestAnswersKeptAfterReopen(t *testing.T) {
	db, path := openProgressDB(t)
	first := answerAt("storage", "a", false, start)
	second := answerAt("storage", "b", true, start.Add(time.Minute))
	second.KeyFingerprint = "0123456789ab"
	mustSave(t, db, first, second)
	if err := db.Close(); err != nil {
		t.Fatalf("close database: %v", err)
	}

	reopened, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen database: %v", err)
	}
	t.Cleanup(func() { reopened.Close() })

	if got := mustAnswers(t, reopened, "ada", "sessions"); !reflect.DeepEqual(got, []quiz.Answer{second}) {
		t.Errorf("Answers after reopen = %+v, want %+v", got, second)
	}
	if n := countAttempts(t, reopened, "ada"); n != 2 {
		t.Errorf("stored %d attempts after reopen, want 2", n)
	}
}

func TestSaveAnswerRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		answer quiz.Answer
		want   quiz.Answer
	}{
		{
			name:   "time in another zone returned in UTC",
			answer: answerAt("storage", "a", true, start.In(time.FixedZone("CET", 3600))),
			want:   answerAt("storage", "a", true, start),
		},
		{
			name:   "time truncated to the millisecond",
			answer: answerAt("storage", "a", true, start.Add(1234567*time.Nanosecond)),
			want:   answerAt("storage", "a", true, start.Add(time.Millisecond)),
		},
		{
			name: "several choices",
			answer: quiz.Answer{
				Learner: "ada", QuizID: "sessions", QuestionID: "storage",
				Choices: []string{"a", "c"}, AnsweredAt: start,
			},
			want: quiz.Answer{
				Learner: "ada", QuizID: "sessions", QuestionID: "storage",
				Choices: []string{"a", "c"}, AnsweredAt: start,
			},
		},
		{
			name: "key fingerprint",
			answer: quiz.Answer{
				Learner: "ada", QuizID: "sessions", QuestionID: "status",
				Choices: []string{"401"}, AnsweredAt: start, KeyFingerprint: "a1b2c3d4e5f6",
			},
			want: quiz.Answer{
				Learner: "ada", QuizID: "sessions", QuestionID: "status",
				Choices: []string{"401"}, AnsweredAt: start, KeyFingerprint: "a1b2c3d4e5f6",
			},
		},
		{
			name: "no choices",
			answer: quiz.Answer{
				Learner: "ada", QuizID: "sessions", QuestionID: "storage", AnsweredAt: start,
			},
			want: quiz.Answer{
				Learner: "ada", QuizID: "sessions", QuestionID: "storage",
				Choices: []string{}, AnsweredAt: start,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openProgressDB(t)
			mustSave(t, db, tt.answer)

			got := mustAnswers(t, db, "ada", "sessions")

			if want := []quiz.Answer{tt.want}; !reflect.DeepEqual(got, want) {
				t.Errorf("Answers = %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSaveAnswerRejectsIncompleteAnswer(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*quiz.Answer)
		want   string
	}{
		{name: "missing learner", modify: func(a *quiz.Answer) { a.Learner = "" }, want: "missing learner id"},
		{name: "missing quiz", modify: func(a *quiz.Answer) { a.QuizID = "" }, want: "missing quiz id"},
		{name: "missing question", modify: func(a *quiz.Answer) { a.QuestionID = "" }, want: "missing question id"},
		{name: "missing time", modify: func(a *quiz.Answer) { a.AnsweredAt = time.Time{} }, want: "missing answer time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openProgressDB(t)
			a := answerAt("storage", "a", true, start)
			tt.modify(&a)

			err := db.SaveAnswer(context.Background(), a)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("SaveAnswer error = %v, want one containing %q", err, tt.want)
			}
			if n := countAttempts(t, db, a.Learner); n != 0 {
				t.Errorf("stored %d attempts for a rejected answer", n)
			}
		})
	}
}

// TestAttemptsBeforeFingerprintMigration checks that an attempt saved by a
// schema without the key_fingerprint column reads back with an empty
// fingerprint after the migration.
func TestAttemptsBeforeFingerprintMigration(t *testing.T) {
	db, path := openProgressDB(t)
	ctx := context.Background()
	if _, err := db.db.ExecContext(ctx, "ALTER TABLE quiz_attempts DROP COLUMN key_fingerprint"); err != nil {
		t.Fatalf("drop column: %v", err)
	}
	// The tables of migrations after the fourth go too, so that
	// reopening applies them again.
	for _, table := range []string{"playground_sandbox_keys", "playground_settings", "playground_denylist", "recovery_codes", "instructor_sessions", "playground_activity"} {
		if _, err := db.db.ExecContext(ctx, "DROP TABLE "+table); err != nil {
			t.Fatalf("drop table %s: %v", table, err)
		}
	}
	if _, err := db.db.ExecContext(ctx, "PRAGMA user_version = 3"); err != nil {
		t.Fatalf("set schema version: %v", err)
	}
	const insert = `INSERT INTO quiz_attempts (learner_id, quiz_id, question_id, choices, correct, answered_at)
		VALUES ('ada', 'sessions', 'storage', '["b"]', 1, ?)`
	if _, err := db.db.ExecContext(ctx, insert, start.UnixMilli()); err != nil {
		t.Fatalf("insert old attempt: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close database: %v", err)
	}

	reopened, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen database: %v", err)
	}
	t.Cleanup(func() { reopened.Close() })

	want := []quiz.Answer{answerAt("storage", "b", true, start)}
	if got := mustAnswers(t, reopened, "ada", "sessions"); !reflect.DeepEqual(got, want) {
		t.Errorf("Answers after migration = %+v, want %+v", got, want)
	}
}

func TestAnswersOfSeveralQuizzes(t *testing.T) {
	db, _ := openProgressDB(t)
	retired := answerAt("storage", "a", true, start)
	retired.QuizID = "old-sessions"
	other := answerAt("storage", "b", true, start)
	other.QuizID = "unrelated"
	current := answerAt("storage", "c", false, start.Add(time.Minute))
	mustSave(t, db, retired, other, current)

	answers, err := db.Answers(context.Background(), "ada", "sessions", "old-sessions")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range answers {
		got = append(got, a.QuizID+"/"+a.QuestionID+"/"+strings.Join(a.Choices, ","))
	}
	if want := []string{"old-sessions/storage/a", "sessions/storage/c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("answers = %v, want the latest of each quiz and no other quiz: %v", got, want)
	}

	none, err := db.Answers(context.Background(), "ada")
	if err != nil || len(none) != 0 {
		t.Errorf("Answers with no quiz id = %v, %v; want none and no error", none, err)
	}
}
