package check

import (
	"testing"

	"learn/lessons/lessonstest"
)

func TestRunReportsLessonAliasProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []wantProblem
	}{
		{
			name: "invalid slug",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases: [Old_Name]\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/a.md:3:11", `invalid alias "Old_Name"`}},
		},
		{
			name: "slug of another lesson",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases: [old, b]\n---\n\ntext\n",
				"lessons/b.md": "---\ntitle: B\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/a.md:3:16", `alias "b" is the slug of lessons/b.md`}},
		},
		{
			name: "slug set in front matter",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases:\n  - renamed\n---\n\ntext\n",
				"lessons/b.md": "---\ntitle: B\nslug: renamed\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/a.md:4:5", `alias "renamed" is the slug of lessons/b.md`}},
		},
		{
			name: "own slug",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases: [a]\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/a.md:3:11", `alias "a" is the lesson's own slug`}},
		},
		{
			name: "alias of another lesson",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases: [old]\n---\n\ntext\n",
				"lessons/b.md": "---\ntitle: B\naliases: [older, old]\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/b.md:3:18", `alias "old" is already an alias of lessons/a.md`}},
		},
		{
			name: "repeated in one list",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases: [old, old]\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/a.md:3:16", `duplicate alias "old"`}},
		},
		{
			name: "not a list",
			files: map[string]string{
				"lessons/a.md": "---\ntitle: A\naliases: old\n---\n\ntext\n",
			},
			want: []wantProblem{{"lessons/a.md:3:10", `invalid aliases "old"; write a list of old slugs`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertProblems(t, Run(lessonstest.FS(tt.files), testOptions), tt.want)
		})
	}
}

func TestRunReportsQuizAliasProblems(t *testing.T) {
	// quizFile returns a quiz with one question that raises no warning.
	quizFile := func(frontMatter string) string {
		return "---\n" + frontMatter + "---\n\n" +
			"## Question {#q}\n\nPick one.\n\n" +
			"- [ ] One {#one}\n\n  Why not.\n\n" +
			"- [x] Two {#two}\n\n  Why.\n\n" +
			"### Solution\n\n1. Step.\n\n### Final answer\n\nTwo.\n\n### Quick check\n\nCheck.\n\n### Common mistakes\n\n- Mistake.\n"
	}
	const lesson = "---\ntitle: T\n---\n\ntext\n"

	tests := []struct {
		name  string
		files map[string]string
		want  []wantProblem
	}{
		{
			name: "invalid id",
			files: map[string]string{
				"quizzes/a.md": quizFile("id: a\ntitle: A\naliases: [old/quiz]\n"),
			},
			want: []wantProblem{{"quizzes/a.md:4:11", `invalid alias "old/quiz"`}},
		},
		{
			name: "id of another quiz",
			files: map[string]string{
				"quizzes/a.md": quizFile("id: a\ntitle: A\naliases: [b]\n"),
				"quizzes/b.md": quizFile("id: b\ntitle: B\n"),
			},
			want: []wantProblem{{"quizzes/a.md:4:11", `alias "b" is the id of quizzes/b.md`}},
		},
		{
			name: "own id",
			files: map[string]string{
				"quizzes/a.md": quizFile("id: a\ntitle: A\naliases:\n  - a\n"),
			},
			want: []wantProblem{{"quizzes/a.md:5:5", `alias "a" is the quiz's own id`}},
		},
		{
			name: "alias of another quiz",
			files: map[string]string{
				"quizzes/a.md": quizFile("id: a\ntitle: A\naliases: [old]\n"),
				"quizzes/b.md": quizFile("id: b\ntitle: B\naliases: [old]\n"),
			},
			want: []wantProblem{{"quizzes/b.md:4:11", `alias "old" is already an alias of quizzes/a.md`}},
		},
		{
			name: "repeated in one list",
			files: map[string]string{
				"quizzes/a.md": quizFile("id: a\ntitle: A\naliases: [old, old]\n"),
			},
			want: []wantProblem{{"quizzes/a.md:4:16", `duplicate alias "old"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.files["lessons/t.md"] = lesson
			assertProblems(t, Run(lessonstest.FS(tt.files), testOptions), tt.want)
		})
	}
}
