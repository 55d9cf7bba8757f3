package check

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"learn/content"
	"learn/lessons/lessonstest"
	"learn/playground"
)

var testOptions = Options{Scenarios: []string{"jwt-expiry", "session-idle"}}

// wantProblem is a problem expected at a position, with a part of its
// message.
type wantProblem struct {
	at      string // path:line:col
	message string
}

func TestRunReportsEachProblemAtItsPosition(t *testing.T) {
	report := Run(os.DirFS("testdata/broken"), testOptions)

	want := []wantProblem{
		{"lessons/bad-keys.md:4:1", `unknown key "author"`},
		{"lessons/bad-keys.md:5:8", `invalid draft "sometimes"`},
		{"lessons/bad-keys.md:6:10", `invalid updated "2025-13-01"`},
		{"lessons/intro.md:8:59", `lesson "nowhere" not found`},
		{"lessons/intro.md:10:5", "anchor #no-such-heading not found in lessons/tokens/sign.md; its headings are #keys"},
		{"lessons/intro.md:11:5", "anchor #nope not found in this lesson"},
		{"lessons/intro.md:13:33", `quiz "none" not found`},
		{"lessons/intro.md:15:3", `broken link "/admin"`},
		{"lessons/intro.md:15:74", "lessons/tokens/gone.md does not exist"},
		{"lessons/intro.md:17:33", `missing image "images/missing.png"`},
		{"lessons/intro.md:17:68", "Content-Security-Policy"},
		{"lessons/intro.md:22:4", `unknown playground scenario "jwt-teleport"`},
		{"lessons/intro.md:25:9", "goes to a draft lesson"},
		{"lessons/no-title.md:1:1", "missing title"},
		{"lessons/nosection:1:1", "section folder has no _index.md"},
		{"lessons/tokens/_index.md:6:14", `lesson "nothing-here" not found`},
		{"lessons/tokens/intro.md:1:1", `slug "intro" is already used by lessons/intro.md`},
		{"lessons/unclosed.md:1:1", "no closing --- line"},
		{"quizzes/practice.md:4:1", `lesson "not-a-lesson" not found`},
	}
	assertProblems(t, report, want)

	if got, want := report.Summary(), "19 problems in 8 files"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	for _, p := range report.Problems {
		if p.Severity != SeverityError {
			t.Errorf("%s: severity %q, want %q", p, p.Severity, SeverityError)
		}
	}
}

func TestRunReportsQuizErrors(t *testing.T) {
	report := Run(os.DirFS("testdata/broken-quiz"), testOptions)

	// The lesson's link to the quiz is not reported, because the quiz did
	// not load and its own problem is reported.
	assertProblems(t, report, []wantProblem{
		{"quizzes/broken.md:6:1", "question no-options: no options list"},
	})
}

func TestRunPlaygroundBlockWithoutName(t *testing.T) {
	report := Run(lessonsFS("---\ntitle: T\n---\n\ntext\n\n```playground\n```\n"), testOptions)

	assertProblems(t, report, []wantProblem{
		{"lessons/t.md:7:4", "playground block without a scenario; name one after playground, such as ```playground jwt-expiry (known: jwt-expiry, session-idle)"},
	})
}

func TestRunLabLinks(t *testing.T) {
	report := Run(lessonsFS("---\ntitle: T\n---\n\n[lab](/playground/lab), [one](/playground/lab/session-idle) and [none](/playground/lab/nope)\n"), testOptions)

	assertProblems(t, report, []wantProblem{
		{"lessons/t.md:5:65", `broken link "/playground/lab/nope": the lab has no scenario "nope"`},
	})
}

func TestRunDiagramThatDoesNotCompile(t *testing.T) {
	report := Run(lessonsFS("---\ntitle: T\n---\n\ntext\n\n```d2\nshape: sequence_diagram\nbrowser -> : POST /login\n```\n"), testOptions)

	assertProblems(t, report, []wantProblem{
		{"lessons/t.md:9:1", "d2 diagram does not compile: connection missing destination"},
	})
}

func TestRunQuizDiagramThatDoesNotCompile(t *testing.T) {
	files := map[string]string{
		"lessons/t.md":       "---\ntitle: T\n---\n\ntext\n",
		"quizzes/diagram.md": "---\nid: diagram\ntitle: Diagram\n---\n\n```d2\nbrowser -> \n```\n\n" + smellyQuestion("one"),
	}
	report := Run(lessonstest.FS(files), testOptions)

	var errs []Problem
	for _, p := range report.Problems {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) != 1 || errs[0].Path != "quizzes/diagram.md" || errs[0].Line != 7 ||
		!strings.HasPrefix(errs[0].Message, "d2 diagram does not compile: ") {
		t.Errorf("errors = %v, want one d2 error at quizzes/diagram.md:7", errs)
	}
}

func TestRunEmbeddedCourseIsClean(t *testing.T) {
	report := Run(content.FS, Options{Scenarios: playground.ScenarioNames()})

	for _, p := range report.Problems {
		t.Errorf("embedded course: %s", p)
	}
	if report.Lessons < 5 || report.Quizzes < 1 {
		t.Errorf("report counts %d lessons and %d quizzes, want at least 5 and 1", report.Lessons, report.Quizzes)
	}
	if !strings.HasPrefix(report.Summary(), "ok: ") {
		t.Errorf("Summary() = %q, want it to start with ok:", report.Summary())
	}
}

func TestReportOutput(t *testing.T) {
	report := Report{Problems: []Problem{{Path: "lessons/a.md", Line: 3, Col: 7, Severity: SeverityError, Message: "broken link \"/x\""}}}

	var text bytes.Buffer
	if err := report.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if want := "lessons/a.md:3:7: broken link \"/x\"\n1 problem in 1 file\n"; text.String() != want {
		t.Errorf("WriteText = %q, want %q", text.String(), want)
	}

	var out bytes.Buffer
	if err := report.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	var decoded []map[string]any
	if err := json.Unmarshal(out.Bytes(), &decoded); err != nil {
		t.Fatalf("WriteJSON output is not JSON: %v\n%s", err, out.String())
	}
	want := map[string]any{"path": "lessons/a.md", "line": 3.0, "col": 7.0, "severity": "error", "message": "broken link \"/x\""}
	if len(decoded) != 1 || len(decoded[0]) != len(want) {
		t.Fatalf("WriteJSON = %s, want one object with %d keys", out.String(), len(want))
	}
	for key, value := range want {
		if decoded[0][key] != value {
			t.Errorf("JSON %s = %v, want %v", key, decoded[0][key], value)
		}
	}

	var empty bytes.Buffer
	if err := (Report{}).WriteJSON(&empty); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(empty.String()) != "[]" {
		t.Errorf("WriteJSON with no problems = %q, want []", empty.String())
	}
}

func TestSummaryPlurals(t *testing.T) {
	tests := []struct {
		name   string
		report Report
		want   string
	}{
		{"clean, one of each", Report{Lessons: 1, Quizzes: 1}, "ok: 1 lesson, 1 quiz"},
		{"clean, several", Report{Lessons: 5, Quizzes: 2}, "ok: 5 lessons, 2 quizzes"},
		{"problems in two files", Report{Problems: []Problem{{Path: "a"}, {Path: "a"}, {Path: "b"}}}, "3 problems in 2 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.report.Summary(); got != tt.want {
				t.Errorf("Summary() = %q, want %q", got, tt.want)
			}
		})
	}
}

// lessonsFS returns a course with one lesson, lessons/t.md.
func lessonsFS(lesson string) fstest.MapFS {
	return lessonstest.FS(map[string]string{"lessons/t.md": lesson})
}

// assertProblems checks that report has exactly the wanted problems, in
// order.
func assertProblems(tb testing.TB, report Report, want []wantProblem) {
	tb.Helper()
	for i := range max(len(report.Problems), len(want)) {
		switch {
		case i >= len(want):
			tb.Errorf("unexpected problem %s", report.Problems[i])
		case i >= len(report.Problems):
			tb.Errorf("missing problem at %s: %s", want[i].at, want[i].message)
		default:
			got := report.Problems[i]
			at := strings.TrimSuffix(got.String(), ": "+got.Message)
			if at != want[i].at || !strings.Contains(got.Message, want[i].message) {
				tb.Errorf("problem %d = %s\nwant at %s containing %q", i, got, want[i].at, want[i].message)
			}
		}
	}
}

// smellyQuestion returns a single-choice question whose correct option is
// the first and the longest.
func smellyQuestion(id string) string {
	return "## Question " + id + " {#" + id + "}\n\nPick one.\n\n" +
		"- [x] The right and much longer option text {#right}\n\n  Why.\n\n" +
		"- [ ] Short {#short}\n\n  Why not.\n\n" +
		"### Solution\n\n1. Step.\n\n### Final answer\n\nThe right one.\n\n### Quick check\n\nCheck.\n\n### Common mistakes\n\n- Mistake.\n\n"
}

func TestRunWarnsAboutQuestionSmells(t *testing.T) {
	files := map[string]string{
		"lessons/t.md":      "---\ntitle: T\n---\n\ntext\n",
		"quizzes/smelly.md": "---\nid: smelly\ntitle: Smelly\n---\n\n" + smellyQuestion("one") + smellyQuestion("two") + smellyQuestion("three"),
	}
	report := Run(lessonstest.FS(files), testOptions)

	var warnings []Problem
	for _, p := range report.Problems {
		if p.Severity != SeverityWarning {
			t.Errorf("unexpected error: %s", p)
			continue
		}
		warnings = append(warnings, p)
	}
	if len(warnings) < 2 {
		t.Fatalf("got %d warnings, want the longest-option and same-position smells: %v", len(warnings), report.Problems)
	}
	for _, w := range warnings {
		if w.Path != "quizzes/smelly.md" || !strings.Contains(w.String(), ": warning: ") {
			t.Errorf("warning %q is not reported against the quiz file as a warning", w)
		}
	}
	if !report.OK() {
		t.Error("warnings alone made the report fail")
	}
	if !strings.Contains(report.Summary(), "warnings)") {
		t.Errorf("summary %q does not count the warnings", report.Summary())
	}
}

func TestRunReportsServedFileProblems(t *testing.T) {
	files := map[string]string{
		"lessons/t.md": "---\ntitle: T\n---\n\n# Big title\n\n" +
			"[draft](later.md)\n\n" +
			"![bitmap](images/x.bmp)\n\n" +
			"![lesson](later.md)\n",
		"lessons/later.md":     "---\ntitle: Later\ndraft: true\n---\n\ntext\n",
		"lessons/images/x.bmp": "BM",
	}
	report := Run(lessonstest.FS(files), testOptions)

	assertProblems(t, report, []wantProblem{
		{"lessons/t.md:5:3", `level-1 heading "Big title"`},
		{"lessons/t.md:7:1", `link "later.md" goes to a draft lesson`},
		{"lessons/t.md:9:1", `image "images/x.bmp" is not served`},
		{"lessons/t.md:11:1", `image "later.md" is a lesson file, not an image`},
	})
}
