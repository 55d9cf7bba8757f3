package sqlite

import (
	"context"
	"reflect"
	"testing"
	"time"

	"learn/instructor"
	"learn/quiz"
)

func TestQuizStats(t *testing.T) {
	db, _ := openProgressDB(t)
	ada := func(question, choice string, correct bool, at time.Time) quiz.Answer {
		return answerAt(question, choice, correct, at)
	}
	grace := func(question, choice string, correct bool, at time.Time) quiz.Answer {
		a := answerAt(question, choice, correct, at)
		a.Learner = "grace"
		return a
	}

	// Ada is wrong, then right. Grace is right, then wrong, with both
	// attempts in the same millisecond, so the one saved first counts as
	// her first try.
	mustSave(t, db,
		ada("storage", "a", false, start),
		ada("storage", "b", true, start.Add(time.Minute)),
		grace("storage", "b", true, start),
		grace("storage", "c", false, start),
		ada("expiry", "401", true, start),
	)
	other := answerAt("storage", "a", false, start)
	other.QuizID = "other-quiz"
	mustSave(t, db, other)

	got, err := db.QuizStats(context.Background(), "sessions")
	if err != nil {
		t.Fatalf("QuizStats: %v", err)
	}
	want := []quiz.QuestionStats{
		{QuestionID: "expiry", Attempts: 1, Learners: 1, FirstTryCorrect: 1,
			Choices: []quiz.ChoiceCount{{Choice: "401", Count: 1, Wrong: 0}}},
		{QuestionID: "storage", Attempts: 4, Learners: 2, FirstTryCorrect: 1,
			Choices: []quiz.ChoiceCount{
				{Choice: "b", Count: 2, Wrong: 0},
				{Choice: "a", Count: 1, Wrong: 1},
				{Choice: "c", Count: 1, Wrong: 1},
			}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("QuizStats =\n%+v\nwant\n%+v", got, want)
	}
}

func TestQuizStatsWithoutAttempts(t *testing.T) {
	db, _ := openProgressDB(t)
	got, err := db.QuizStats(context.Background(), "sessions")
	if err != nil {
		t.Fatalf("QuizStats: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("QuizStats of an unanswered quiz = %+v, want none", got)
	}
}

func TestInstructorSessions(t *testing.T) {
	db, _ := openProgressDB(t)
	ctx := context.Background()

	fresh := instructor.Session{IDHash: "fresh", CreatedAt: start, LastSeen: start.Add(time.Hour)}
	idle := instructor.Session{IDHash: "idle", CreatedAt: start, LastSeen: start}
	for _, s := range []instructor.Session{fresh, idle} {
		if err := db.CreateInstructorSession(ctx, s); err != nil {
			t.Fatalf("CreateInstructorSession: %v", err)
		}
	}

	got, found, err := db.InstructorSession(ctx, "fresh")
	if err != nil || !found || !reflect.DeepEqual(got, fresh) {
		t.Errorf("InstructorSession(fresh) = %+v, %v, %v; want %+v", got, found, err, fresh)
	}

	touched := start.Add(2 * time.Hour)
	if err := db.TouchInstructorSession(ctx, "fresh", touched); err != nil {
		t.Fatalf("TouchInstructorSession: %v", err)
	}
	if got, _, _ := db.InstructorSession(ctx, "fresh"); !got.LastSeen.Equal(touched) {
		t.Errorf("LastSeen after touch = %v, want %v", got.LastSeen, touched)
	}

	deleted, err := db.DeleteExpiredInstructorSessions(ctx, start.Add(time.Minute), start.Add(-time.Hour))
	if err != nil {
		t.Fatalf("DeleteExpiredInstructorSessions: %v", err)
	}
	if deleted != 1 {
		t.Errorf("deleted %d expired sessions, want 1", deleted)
	}
	if _, found, _ := db.InstructorSession(ctx, "idle"); found {
		t.Error("the idle session survived the purge")
	}

	if err := db.DeleteInstructorSession(ctx, "fresh"); err != nil {
		t.Fatalf("DeleteInstructorSession: %v", err)
	}
	if _, found, _ := db.InstructorSession(ctx, "fresh"); found {
		t.Error("the session survived its deletion")
	}
	if err := db.DeleteInstructorSession(ctx, "fresh"); err != nil {
		t.Errorf("deleting a missing session: %v", err)
	}
}
