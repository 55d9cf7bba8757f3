package quiz

import (
	"strconv"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to Load as a quiz file. Load must not
// panic, and every quiz that it accepts must satisfy the rules that the web
// package relies on.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		validQuizText,
		fullQuizText,
		"",
		"---\n",
		"---\n---\n",
		frontMatterText,
		frontMatterText + "## {#x}\n",
		frontMatterText + headingText + "- [x]\n- [ ]\n",
		frontMatterText + headingText + optionsText + "### Solution\n\n1.\n2. \n",
		frontMatterText + "Q\n---\n- [x] a\n  - [ ] nested\n",
		frontMatterText + "## Q {#q}\n\n> - [x] quoted\n> - [ ] option\n",
		"\xef\xbb\xbf---\nid: [\n---\n",
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		quizzes, err := Load(fstest.MapFS{"quizzes/fuzz.md": &fstest.MapFile{Data: data}})
		if err != nil {
			return
		}

		if len(quizzes) != 1 {
			t.Fatalf("Load returned %d quizzes for one file", len(quizzes))
		}
		q := quizzes[0]
		if !idPattern.MatchString(q.ID) || q.Title == "" || len(q.Questions) == 0 {
			t.Fatalf("accepted invalid quiz: id %q, title %q, %d questions", q.ID, q.Title, len(q.Questions))
		}
		for _, question := range q.Questions {
			checkAcceptedQuestion(t, question)
		}
	})
}

// checkAcceptedQuestion fails the test unless question satisfies the rules
// that Load enforces.
func checkAcceptedQuestion(tb testing.TB, question *Question) {
	tb.Helper()

	if !idPattern.MatchString(question.ID) || question.Title == "" {
		tb.Fatalf("accepted question with id %q and title %q", question.ID, question.Title)
	}
	if question.Type != Status && len(question.Options) < 2 {
		tb.Fatalf("question %s: accepted %d options", question.ID, len(question.Options))
	}
	if len(question.SolutionSteps) == 0 || question.FinalAnswerHTML == "" || question.QuickCheckHTML == "" || question.MistakesHTML == "" {
		tb.Fatalf("question %s: accepted a missing or empty section", question.ID)
	}

	var correct []string
	for _, option := range question.Options {
		if option.HTML == "" {
			tb.Fatalf("question %s: accepted empty option %s", question.ID, option.ID)
		}
		if option.Correct() {
			correct = append(correct, option.ID)
		}
	}

	var result Result
	var err error
	switch question.Type {
	case Status:
		if len(correct) != 0 {
			tb.Fatalf("question %s: accepted a status question with %d correct options", question.ID, len(correct))
		}
		result, err = question.GradeValue(strconv.Itoa(question.answer))
	case Multiple:
		if len(correct) == 0 {
			tb.Fatalf("question %s: accepted a multiple question without correct options", question.ID)
		}
		result, err = question.Grade(correct)
	default:
		if len(correct) != 1 {
			tb.Fatalf("question %s: accepted %d correct options", question.ID, len(correct))
		}
		result, err = question.Grade(correct)
	}
	if err != nil || !result.Correct {
		tb.Fatalf("question %s: grading the key %v gave %+v, %v", question.ID, correct, result, err)
	}
}
