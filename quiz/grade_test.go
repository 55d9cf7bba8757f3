package quiz

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// threeOptionQuestion returns a question whose options are a, b (correct)
// and c.
func threeOptionQuestion(tb testing.TB) *Question {
	tb.Helper()

	file := frontMatterText + headingText + "- [ ] One.\n- [x] Two.\n- [ ] Three.\n\n" + sectionsText
	return mustLoad(tb, map[string]string{"quizzes/q.md": file})[0].Questions[0]
}

func TestGrade(t *testing.T) {
	question := threeOptionQuestion(t)

	tests := []struct {
		name        string
		choices     []string
		wantCorrect bool
		wantChosen  string
	}{
		{name: "right option", choices: []string{"b"}, wantCorrect: true, wantChosen: "b"},
		{name: "wrong option", choices: []string{"a"}, wantCorrect: false, wantChosen: "a"},
		{name: "last option", choices: []string{"c"}, wantCorrect: false, wantChosen: "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			result, err := question.Grade(tt.choices)
			if err != nil {
				t.Fatalf("Grade(%q): %v", tt.choices, err)
			}

			if result.Correct != tt.wantCorrect {
				t.Errorf("Correct = %v, want %v", result.Correct, tt.wantCorrect)
			}
			if len(result.Chosen) != 1 || result.Chosen[0].ID != tt.wantChosen {
				t.Errorf("Chosen = %v, want option %s", result.Chosen, tt.wantChosen)
			}
			if len(result.CorrectOptions) != 1 || result.CorrectOptions[0].ID != "b" {
				t.Errorf("CorrectOptions = %v, want option b", result.CorrectOptions)
			}
		})
	}
}

func TestGradeInvalidAnswer(t *testing.T) {
	question := threeOptionQuestion(t)

	tests := []struct {
		name    string
		choices []string
		want    string // substring of the error message
	}{
		{name: "nil choices", choices: nil, want: "no option chosen for question state; choose from a, b, c"},
		{name: "empty choices", choices: []string{}, want: "no option chosen"},
		{name: "unknown id", choices: []string{"z"}, want: `question state has no option "z"; choose from a, b, c`},
		{name: "empty id", choices: []string{""}, want: `has no option ""`},
		{name: "uppercase label instead of id", choices: []string{"B"}, want: `has no option "B"`},
		{name: "two choices", choices: []string{"a", "b"}, want: "2 options chosen for question state, which is single-choice"},
		{name: "same choice twice", choices: []string{"b", "b"}, want: `option "b" chosen twice`},
		{name: "unknown among two", choices: []string{"a", "q"}, want: `has no option "q"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			result, err := question.Grade(tt.choices)
			if err == nil {
				t.Fatalf("Grade(%q) = %+v, want an error", tt.choices, result)
			}

			if !errors.Is(err, ErrInvalidAnswer) {
				t.Errorf("error %v does not wrap ErrInvalidAnswer", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if result.Correct {
				t.Errorf("invalid answer graded correct")
			}
		})
	}
}

func TestScore(t *testing.T) {
	q := mustLoad(t, map[string]string{"quizzes/q.md": fullQuizText})[0]
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	answer := func(question string, correct bool, minutes int) Answer {
		return Answer{
			Learner:    "l1",
			QuizID:     q.ID,
			QuestionID: question,
			Correct:    correct,
			AnsweredAt: start.Add(time.Duration(minutes) * time.Minute),
		}
	}

	tests := []struct {
		name    string
		answers []Answer
		want    Score
	}{
		{
			name: "no answers",
			want: Score{Correct: 0, Answered: 0, Total: 2},
		},
		{
			name:    "one right answer",
			answers: []Answer{answer("storage-location", true, 0)},
			want:    Score{Correct: 1, Answered: 1, Total: 2},
		},
		{
			name:    "latest answer wrong after a right one",
			answers: []Answer{answer("storage-location", true, 0), answer("storage-location", false, 1)},
			want:    Score{Correct: 0, Answered: 1, Total: 2},
		},
		{
			name:    "latest answer right after a wrong one",
			answers: []Answer{answer("storage-location", false, 0), answer("storage-location", true, 1)},
			want:    Score{Correct: 1, Answered: 1, Total: 2},
		},
		{
			name:    "latest by time, not by position",
			answers: []Answer{answer("revocation", true, 5), answer("revocation", false, 1)},
			want:    Score{Correct: 1, Answered: 1, Total: 2},
		},
		{
			name:    "same time, later position wins",
			answers: []Answer{answer("revocation", true, 1), answer("revocation", false, 1)},
			want:    Score{Correct: 0, Answered: 1, Total: 2},
		},
		{
			name:    "both questions answered",
			answers: []Answer{answer("storage-location", true, 0), answer("revocation", false, 0)},
			want:    Score{Correct: 1, Answered: 2, Total: 2},
		},
		{
			name:    "removed question ignored",
			answers: []Answer{answer("deleted-question", true, 0), answer("revocation", true, 0)},
			want:    Score{Correct: 1, Answered: 1, Total: 2},
		},
		{
			name: "other quiz ignored",
			answers: []Answer{{
				Learner:    "l1",
				QuizID:     "other-quiz",
				QuestionID: "revocation",
				Correct:    true,
				AnsweredAt: start,
			}},
			want: Score{Correct: 0, Answered: 0, Total: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := q.Score(tt.answers); got != tt.want {
				t.Errorf("Score = %+v, want %+v", got, tt.want)
			}
		})
	}
}
