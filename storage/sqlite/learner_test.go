package sqlite

import (
	"context"
	"testing"
	"time"

	"learn/learner"
)

func TestRecoveryCodeReplaced(t *testing.T) {
	db, _ := openProgressDB(t)
	ctx := context.Background()
	ada := learner.ID("0123456789abcdef0123456789abcdef")

	if _, found, err := db.RecoveryCodeCreated(ctx, ada); err != nil || found {
		t.Fatalf("RecoveryCodeCreated before any code = %v, %v; want false, nil", found, err)
	}
	if err := db.SaveRecoveryCode(ctx, ada, "first", start); err != nil {
		t.Fatalf("SaveRecoveryCode: %v", err)
	}
	later := start.Add(time.Hour)
	if err := db.SaveRecoveryCode(ctx, ada, "second", later); err != nil {
		t.Fatalf("SaveRecoveryCode again: %v", err)
	}

	if _, found, _ := db.LearnerByRecoveryCode(ctx, "first"); found {
		t.Error("the replaced code still matches")
	}
	id, found, err := db.LearnerByRecoveryCode(ctx, "second")
	if err != nil || !found || id != ada {
		t.Errorf("LearnerByRecoveryCode(second) = %q, %v, %v; want %q", id, found, err, ada)
	}
	created, _, _ := db.RecoveryCodeCreated(ctx, ada)
	if !created.Equal(later) {
		t.Errorf("RecoveryCodeCreated = %v, want %v", created, later)
	}
}

func TestDeleteLearnerProgressKeepsOthers(t *testing.T) {
	db, _ := openProgressDB(t)
	ctx := context.Background()
	ada := learner.ID("ada")
	grace := answerAt("storage", "b", true, start)
	grace.Learner = "grace"
	mustSave(t, db, answerAt("storage", "a", false, start), grace)
	if err := db.SaveRecoveryCode(ctx, ada, "ada-code", start); err != nil {
		t.Fatal(err)
	}

	if err := db.DeleteLearnerProgress(ctx, ada); err != nil {
		t.Fatalf("DeleteLearnerProgress: %v", err)
	}
	counts, err := db.CountLearnerRows(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	if counts["quiz_attempts"] != 0 || counts["recovery_codes"] != 0 {
		t.Errorf("rows left after deletion: %v", counts)
	}
	if n := countAttempts(t, db, "grace"); n != 1 {
		t.Errorf("another learner has %d attempts after the deletion, want 1", n)
	}
}
