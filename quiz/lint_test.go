package quiz

import (
	"strings"
	"testing"

	"learn/content"
)

// choiceQuestion builds a single-choice question whose options are the
// given texts, with the one at index correct marked [x].
func choiceQuestion(id string, correct int, texts ...string) string {
	var b strings.Builder
	b.WriteString("## Question " + id + " {#" + id + "}\n\n")
	for i, text := range texts {
		box := "[ ]"
		if i == correct {
			box = "[x]"
		}
		b.WriteString("- " + box + " " + text + "\n")
	}
	return b.String() + "\n" + sectionsText
}

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // substrings of the warnings, in order
	}{
		{
			name: "correct option longest and first",
			body: choiceQuestion("q1", 0, "The long and correct option.", "Short.") +
				choiceQuestion("q2", 0, "Another long correct option.", "Short.") +
				choiceQuestion("q3", 1, "Long wrong option here.", "Short."),
			want: []string{"longest in 2 of 3 questions", "option 1 in 2 of 3 questions"},
		},
		{
			name: "varied positions and lengths",
			body: choiceQuestion("q1", 0, "Short.", "A longer wrong option.") +
				choiceQuestion("q2", 1, "A longer wrong option.", "Short.") +
				choiceQuestion("q3", 2, "A longer wrong option.", "Other.", "Right."),
		},
		{
			name: "explanation names a letter",
			body: strings.Replace(choiceQuestion("q1", 1, "Long wrong option.", "Right."), "On the server.", "Option B is right.", 1),
			want: []string{`question q1: the explanation names an option by letter ("Option B")`},
		},
		{
			name: "one question",
			body: choiceQuestion("q1", 0, "The long and correct option.", "Short."),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := mustLoad(t, map[string]string{"quizzes/q.md": frontMatterText + tt.body})[0]

			warnings := Lint(q)

			if len(warnings) != len(tt.want) {
				t.Fatalf("Lint returned %d warnings, want %d: %v", len(warnings), len(tt.want), warnings)
			}
			for i, want := range tt.want {
				if !strings.Contains(warnings[i].Message, want) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warnings[i].Message, want)
				}
				if warnings[i].Path != "quizzes/q.md" {
					t.Errorf("warning %d path = %q, want quizzes/q.md", i, warnings[i].Path)
				}
			}
		})
	}
}

func TestWarningString(t *testing.T) {
	w := Warning{Path: "quizzes/q.md", Line: 7, Message: "m"}
	if got, want := w.String(), "quizzes/q.md:7: m"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	w.Line = 0
	if got, want := w.String(), "quizzes/q.md: m"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestLintEmbeddedQuizzes keeps the shipped quizzes free of the smells
// that Lint reports.
func TestLintEmbeddedQuizzes(t *testing.T) {
	quizzes, err := Load(content.FS)
	if err != nil {
		t.Fatalf("Load(content.FS): %v", err)
	}
	for _, q := range quizzes {
		for _, w := range Lint(q) {
			t.Errorf("%s", w)
		}
	}
}
