package quiz

import (
	"testing"

	"learn/content"
	"learn/lessons"
)

// TestLoadEmbeddedQuizzes checks the quizzes that ship in the binary, and
// that each one links to a lesson of the embedded course.
func TestLoadEmbeddedQuizzes(t *testing.T) {
	quizzes, err := Load(content.FS)
	if err != nil {
		t.Fatalf("Load(content.FS): %v", err)
	}
	if len(quizzes) == 0 {
		t.Fatal("no quizzes found in content/quizzes/")
	}
	course, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatalf("lessons.Load(content.FS): %v", err)
	}

	for _, q := range quizzes {
		if _, ok := course.Lesson(q.Lesson); q.Lesson != "" && !ok {
			t.Errorf("quiz %s: lesson %q not found; use the file name of a lesson without .md", q.ID, q.Lesson)
		}
		for _, question := range q.Questions {
			checkAcceptedQuestion(t, question)
		}
	}
}
