package quiz

import (
	"slices"
	"testing"
	"time"
)

// aliasQuizzes loads two quizzes: "merged", which lists the old ids
// "first" and "second", and "sessions", which lists none.
func aliasQuizzes(tb testing.TB) []*Quiz {
	tb.Helper()
	merged := "---\nid: merged\ntitle: Merged\naliases: [second, first]\n---\n" + headingText + optionsText + sectionsText
	return mustLoad(tb, map[string]string{"quizzes/merged.md": merged, "quizzes/sessions.md": validQuizText})
}

func TestLoadAliases(t *testing.T) {
	quizzes := aliasQuizzes(t)

	merged, _ := Find(quizzes, "merged")
	if want := []string{"second", "first"}; !slices.Equal(merged.Aliases, want) {
		t.Errorf("Aliases = %v, want %v in authored order", merged.Aliases, want)
	}
	for _, q := range quizzes {
		if want := []string{"first", "second"}; !slices.Equal(q.Retired, want) {
			t.Errorf("quiz %s: Retired = %v, want every quiz's aliases, sorted: %v", q.ID, q.Retired, want)
		}
	}
}

func TestFindByAlias(t *testing.T) {
	quizzes := aliasQuizzes(t)

	tests := []struct {
		name   string
		id     string
		wantID string // "" for not found
	}{
		{"alias", "first", "merged"},
		{"second alias", "second", "merged"},
		{"current id", "merged", ""},
		{"unknown", "missing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, ok := FindByAlias(quizzes, tt.id)
			if tt.wantID == "" {
				if ok {
					t.Errorf("FindByAlias(%q) = %s, want not found", tt.id, q.ID)
				}
				return
			}
			if !ok || q.ID != tt.wantID {
				t.Errorf("FindByAlias(%q) = %v, %v; want quiz %s", tt.id, q, ok, tt.wantID)
			}
		})
	}
}

func TestProgressCountsAnswersUnderRetiredIDs(t *testing.T) {
	quizzes := aliasQuizzes(t)
	sessions, _ := Find(quizzes, "sessions")
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

	tests := []struct {
		name    string
		answers []Answer
		want    State
	}{
		{
			name:    "answer under a retired id of another quiz",
			answers: []Answer{{QuizID: "first", QuestionID: "state", Correct: true, AnsweredAt: at}},
			want:    Right,
		},
		{
			name:    "answer under an unrelated quiz",
			answers: []Answer{{QuizID: "other", QuestionID: "state", Correct: true, AnsweredAt: at}},
			want:    NotTried,
		},
		{
			name: "newer answer under the current id wins",
			answers: []Answer{
				{QuizID: "sessions", QuestionID: "state", Correct: false, AnsweredAt: at.Add(time.Minute)},
				{QuizID: "second", QuestionID: "state", Correct: true, AnsweredAt: at},
			},
			want: Wrong,
		},
		{
			name: "newer answer under a retired id wins",
			answers: []Answer{
				{QuizID: "sessions", QuestionID: "state", Correct: false, AnsweredAt: at},
				{QuizID: "second", QuestionID: "state", Correct: true, AnsweredAt: at.Add(time.Minute)},
			},
			want: Right,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sessions.Progress(tt.answers)[0].State; got != tt.want {
				t.Errorf("state = %s, want %s", got, tt.want)
			}
		})
	}
}
