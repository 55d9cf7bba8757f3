package quiz

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Question bodies of each type, which the tests add to frontMatterText.
const (
	multipleText = "## Pick several {#several .multiple}\n\n" +
		"- [x] One. {#one}\n- [ ] Two. {#two}\n- [x] Three. {#three}\n\n" + sectionsText
	statusText = "## Type a status {#code .status}\n\nPrompt.\n\nAnswer: 401\n\n" +
		"- [ ] 403 {#w403}\n\n  Forbidden is for known callers.\n\n" + sectionsText
	bugText = "## Find the bug {#bug .bug}\n\nWhich line?\n\n```js\nconst a = 1;\nconst b = a + 'x';\nreturn b;\n```\n\n" +
		"- [ ] Line 1 {#line-1}\n- [x] Line 2 {#line-2}\n- [ ] Line 3 {#line-3}\n\n" + sectionsText
	idsText = "## Where is the state? {#state}\n\nPrompt.\n\n" +
		"- [x] On the server. {#server}\n- [ ] In the token. {#token}\n- [ ] In a header. {#header}\n\n" + sectionsText
)

// loadQuestion loads a quiz with one question body and returns the
// question.
func loadQuestion(tb testing.TB, body string) *Question {
	tb.Helper()
	return mustLoad(tb, map[string]string{"quizzes/q.md": frontMatterText + body})[0].Questions[0]
}

func TestGradeByType(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		choices     []string
		answer      string // graded with GradeValue when choices is nil
		wantCorrect bool
		wantChosen  []string
	}{
		{name: "single right", body: idsText, choices: []string{"server"}, wantCorrect: true, wantChosen: []string{"server"}},
		{name: "single wrong", body: idsText, choices: []string{"header"}, wantChosen: []string{"header"}},
		{name: "multiple all correct", body: multipleText, choices: []string{"three", "one"}, wantCorrect: true, wantChosen: []string{"three", "one"}},
		{name: "multiple one missing", body: multipleText, choices: []string{"one"}, wantChosen: []string{"one"}},
		{name: "multiple with a wrong one", body: multipleText, choices: []string{"one", "two", "three"}, wantChosen: []string{"one", "two", "three"}},
		{name: "multiple only wrong", body: multipleText, choices: []string{"two"}, wantChosen: []string{"two"}},
		{name: "status right", body: statusText, answer: "401", wantCorrect: true},
		{name: "status right with spaces and zero", body: statusText, answer: " 0401 ", wantCorrect: true},
		{name: "status listed wrong value", body: statusText, answer: "403", wantChosen: []string{"w403"}},
		{name: "status other wrong value", body: statusText, answer: "500"},
		{name: "bug right line", body: bugText, choices: []string{"line-2"}, wantCorrect: true, wantChosen: []string{"line-2"}},
		{name: "bug wrong line", body: bugText, choices: []string{"line-3"}, wantChosen: []string{"line-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			question := loadQuestion(t, tt.body)

			var result Result
			var err error
			if tt.choices != nil {
				result, err = question.Grade(tt.choices)
			} else {
				result, err = question.GradeValue(tt.answer)
			}
			if err != nil {
				t.Fatalf("grade: %v", err)
			}

			if result.Correct != tt.wantCorrect {
				t.Errorf("Correct = %v, want %v", result.Correct, tt.wantCorrect)
			}
			var chosen []string
			for _, o := range result.Chosen {
				chosen = append(chosen, o.ID)
			}
			if !slices.Equal(chosen, tt.wantChosen) {
				t.Errorf("Chosen = %v, want %v", chosen, tt.wantChosen)
			}
		})
	}
}

func TestGradeRejectsWrongShape(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		choices []string
		answer  *string
		want    string
	}{
		{name: "options for status", body: statusText, choices: []string{"w403"}, want: "takes a typed number"},
		{name: "number for single", body: idsText, answer: new("401"), want: "takes option ids"},
		{name: "words for status", body: statusText, answer: new("forbidden"), want: `answer "forbidden" to question code is not a whole number`},
		{name: "empty status", body: statusText, answer: new(""), want: "not a whole number"},
		{name: "two lines for bug", body: bugText, choices: []string{"line-1", "line-2"}, want: "find-the-bug question"},
		{name: "unknown option for multiple", body: multipleText, choices: []string{"one", "four"}, want: `has no option "four"; choose from one, two, three`},
		{name: "repeated option for multiple", body: multipleText, choices: []string{"one", "one"}, want: `option "one" chosen twice`},
		{name: "nothing for multiple", body: multipleText, choices: []string{}, want: "no option chosen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			question := loadQuestion(t, tt.body)

			var err error
			if tt.answer != nil {
				_, err = question.GradeValue(*tt.answer)
			} else {
				_, err = question.Grade(tt.choices)
			}
			if !errors.Is(err, ErrInvalidAnswer) {
				t.Fatalf("error %v does not wrap ErrInvalidAnswer", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadTypeErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"invalid type", strings.Replace(idsText, "{#state}", "{#state .essay}", 1), `question state: invalid question type "essay"; write one of single, multiple, status, bug`},
		{"two types", strings.Replace(idsText, "{#state}", "{#state .single .bug}", 1), `invalid question type "single bug"`},
		{"duplicate option id", strings.Replace(idsText, "{#header}", "{#token}", 1), `question state: duplicate option id "token"`},
		{"invalid option id", strings.Replace(idsText, "{#header}", "{#Header}", 1), `option C has the invalid id "Header"`},
		{"some option ids missing in single", strings.Replace(idsText, " {#header}", "", 1), "options C have no id; give every option an {#id}"},
		{"option id missing in multiple", strings.Replace(multipleText, " {#two}", "", 1), "options B have no id; a multiple question needs an id"},
		{"multiple without correct option", strings.ReplaceAll(multipleText, "[x]", "[ ]"), "question several: no correct option"},
		{"single with two correct", strings.Replace(idsText, "- [ ] In the token.", "- [x] In the token.", 1), "options A, B are all marked correct; mark exactly one with [x], because the question is single-choice"},
		{"empty option with id", strings.Replace(idsText, "In a header. {#header}", "{#header}", 1), "option C is empty"},
		{"missing solution", strings.Replace(statusText, solutionText, "", 1), `question code: missing section; add a "### Solution"`},
		{"status without Answer line", strings.Replace(statusText, "Answer: 401\n\n", "", 1), "question code: missing Answer line"},
		{"status answer not a code", strings.Replace(statusText, "Answer: 401", "Answer: forbidden", 1), `invalid answer "forbidden"; write an HTTP status code from 100 to 599`},
		{"status text after Answer line", strings.Replace(statusText, "Answer: 401\n\n", "Answer: 401\n\nMore text.\n\n", 1), "text after the Answer line"},
		{"status with a correct option", strings.Replace(statusText, "- [ ] 403", "- [x] 403", 1), "options A are marked [x]; a status question states its right value in the Answer line"},
		{"status wrong value not a number", strings.Replace(statusText, "- [ ] 403 {#w403}", "- [ ] Forbidden {#w403}", 1), `option w403 is "Forbidden"; a status question lists wrong values as whole numbers`},
		{"status wrong value equal to answer", strings.Replace(statusText, "- [ ] 403 {#w403}", "- [ ] 401 {#w401}", 1), "option w401 lists 401, which is the Answer"},
		{"bug without code block", strings.Replace(bugText, "```js\nconst a = 1;\nconst b = a + 'x';\nreturn b;\n```\n\n", "", 1), "the prompt has 0 code blocks; a bug question needs exactly one"},
		{"bug with two code blocks", strings.Replace(bugText, "Which line?\n\n", "Which line?\n\n```\nx\n```\n\n", 1), "the prompt has 2 code blocks"},
		{"bug code not last", strings.Replace(bugText, "return b;\n```\n\n", "return b;\n```\n\nMore text.\n\n", 1), "text after the code block"},
		{"bug line outside block", strings.Replace(bugText, "Line 3 {#line-3}", "Line 4 {#line-4}", 1), "option line-4 names line 4, outside the code block's lines 1 to 3"},
		{"bug line zero", strings.Replace(bugText, "Line 3 {#line-3}", "Line 0 {#line-0}", 1), "option line-0 names line 0, outside"},
		{"bug option not a line", strings.Replace(bugText, "Line 3 {#line-3}", "The return {#line-3}", 1), `option C is "The return"; a bug question's options name code lines`},
		{"bug same line twice", strings.Replace(bugText, "Line 3 {#line-3}", "Line 2 {#line-2b}", 1), "options line-2 and line-2b both name line 2"},
		{"bug two correct lines", strings.Replace(bugText, "- [ ] Line 1", "- [x] Line 1", 1), "because the question is a find-the-bug question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(mapFS(t, map[string]string{"quizzes/q.md": frontMatterText + tt.body}))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !regexp.MustCompile(`quizzes/q\.md:\d+:\d+: question `).MatchString(err.Error()) {
				t.Errorf("error does not name the file and question:\n%v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not contain %q:\n%v", tt.want, err)
			}
		})
	}
}

func TestOptionIDKeepsSoftLineBreak(t *testing.T) {
	question := loadQuestion(t, "## Q {#q}\n\n- [x] *Bold* {#right}\n  next line.\n- [ ] Other. {#other}\n\n"+sectionsText)

	option := question.Options[0]
	if option.ID != "right" || option.HTML != "<em>Bold</em>\nnext line." {
		t.Errorf("option = id %q, HTML %q; want id right, HTML %q", option.ID, option.HTML, "<em>Bold</em>\nnext line.")
	}
}

func TestOptionsFor(t *testing.T) {
	shuffled := strings.Replace(frontMatterText, "title: Practice\n", "title: Practice\nshuffle: true\n", 1)
	body := "## Q {#q}\n\n" +
		"- [x] A. {#a1}\n- [ ] B. {#b1}\n- [ ] C. {#c1}\n- [ ] D. {#d1}\n- [ ] E. {#e1}\n- [ ] F. {#f1}\n\n" + sectionsText
	q := mustLoad(t, map[string]string{"quizzes/q.md": shuffled + body})[0]
	question := q.Questions[0]

	ids := func(options []*Option) string {
		var s []string
		for _, o := range options {
			s = append(s, o.ID+"="+o.Label)
		}
		return strings.Join(s, " ")
	}
	ada := ids(q.OptionsFor("ada", question))
	if again := ids(q.OptionsFor("ada", question)); again != ada {
		t.Errorf("order for ada changed between calls: %s, then %s", ada, again)
	}
	orders := map[string]bool{}
	for _, learner := range []string{"ada", "bob", "cy", "dee", "eve"} {
		orders[ids(q.OptionsFor(learner, question))] = true
	}
	if len(orders) < 2 {
		t.Errorf("five learners all got the order %s", ada)
	}
	if !strings.Contains(ada, "=A ") || question.Options[0].Label != "A" {
		t.Errorf("labels are not reassigned on copies: %s, authored label %s", ada, question.Options[0].Label)
	}

	q.Shuffle = false
	if got, want := ids(q.OptionsFor("ada", question)), "a1=A b1=B c1=C d1=D e1=E f1=F"; got != want {
		t.Errorf("unshuffled order = %s, want %s", got, want)
	}

	status := loadQuestion(t, statusText)
	if got := q.OptionsFor("ada", status); got != nil {
		t.Errorf("OptionsFor(status question) = %v, want nil", got)
	}
}

func TestProgressStates(t *testing.T) {
	q := mustLoad(t, map[string]string{"quizzes/q.md": frontMatterText + idsText + multipleText + statusText + bugText})[0]
	state, several, code := q.Questions[0], q.Questions[1], q.Questions[2]
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	answer := func(question *Question, correct bool, fingerprint string, minutes int) Answer {
		return Answer{QuizID: q.ID, QuestionID: question.ID, Correct: correct, KeyFingerprint: fingerprint,
			AnsweredAt: at.Add(time.Duration(minutes) * time.Minute)}
	}

	answers := []Answer{
		answer(state, true, state.KeyFingerprint(), 0),
		answer(several, true, several.KeyFingerprint(), 2),
		answer(several, false, several.KeyFingerprint(), 1), // older, so ignored
		answer(code, true, "000000000000", 0),               // graded against another key
		{QuizID: "other", QuestionID: "bug", Correct: true, AnsweredAt: at},
		{QuizID: q.ID, QuestionID: "removed", Correct: true, AnsweredAt: at},
	}
	var states []State
	for _, p := range q.Progress(answers) {
		states = append(states, p.State)
	}
	if want := []State{Right, Right, Outdated, NotTried}; !slices.Equal(states, want) {
		t.Errorf("states = %v, want %v", states, want)
	}
	if got, want := q.Score(answers), (Score{Correct: 2, Answered: 2, Outdated: 1, Total: 4}); got != want {
		t.Errorf("Score = %+v, want %+v", got, want)
	}

	// An answer saved before fingerprints were kept keeps its grade.
	legacy := []Answer{answer(code, false, "", 0)}
	if got := q.Progress(legacy)[2].State; got != Wrong {
		t.Errorf("state of an answer without fingerprint = %v, want wrong", got)
	}
}

func TestKeyFingerprint(t *testing.T) {
	base := loadQuestion(t, idsText).KeyFingerprint()
	tests := []struct {
		name string
		body string
		same bool
	}{
		{"reworded option", strings.Replace(idsText, "On the server.", "Kept by the server.", 1), true},
		{"reordered options", strings.Replace(idsText, "- [x] On the server. {#server}\n- [ ] In the token. {#token}", "- [ ] In the token. {#token}\n- [x] On the server. {#server}", 1), true},
		{"moved key", strings.Replace(strings.Replace(idsText, "- [x] On", "- [ ] On", 1), "- [ ] In a header", "- [x] In a header", 1), false},
		{"changed type", strings.Replace(idsText, "{#state}", "{#state .multiple}", 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := loadQuestion(t, tt.body).KeyFingerprint()
			if (got == base) != tt.same {
				t.Errorf("fingerprint %s vs %s: same = %v, want %v", got, base, got == base, tt.same)
			}
		})
	}
}
