package web_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"learn/content"
	"learn/library"
	"learn/quiz"
)

// courseFS copies the embedded course into a map file system, applying
// edit to the text of every quiz file.
func courseFS(t testing.TB, edit func(name, text string) string) fstest.MapFS {
	t.Helper()

	fsys := fstest.MapFS{}
	err := fs.WalkDir(content.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.FS, name)
		if err != nil {
			return err
		}
		if strings.HasPrefix(name, "quizzes/") {
			data = []byte(edit(name, string(data)))
		}
		fsys[name] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatalf("copy course: %v", err)
	}
	return fsys
}

// staticLibrary loads a course file system and fails the test on error.
func staticLibrary(t testing.TB, fsys fs.FS) *library.Library {
	t.Helper()

	loaded, err := library.Load(fsys)
	if err != nil {
		t.Fatalf("load course: %v", err)
	}
	return library.Static(loaded)
}

var (
	optionLine = regexp.MustCompile(`^- \[[ xX]\] `)
	answerLine = regexp.MustCompile(`^Answer: [0-9]+$`)
)

// moveKeys rewrites a quiz file so that every question has another key:
// choice questions mark only their first wrong option correct, and status
// questions get the answer 599. Option and question ids stay the same.
func moveKeys(_, text string) string {
	lines := strings.Split(text, "\n")
	var options []int
	flush := func() {
		moved := false
		for _, i := range options {
			wasCorrect := lines[i][3] != ' '
			mark := " "
			if !wasCorrect && !moved {
				mark, moved = "x", true
			}
			lines[i] = "- [" + mark + "]" + lines[i][5:]
		}
		options = nil
	}
	status := false
	for i, line := range lines {
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			status = strings.Contains(line, ".status}")
		case answerLine.MatchString(line):
			lines[i] = "Answer: 599"
		case optionLine.MatchString(line) && !status:
			options = append(options, i)
		}
	}
	flush()
	return strings.Join(lines, "\n")
}

// TestQuizPagesHideAnswerKey checks that, before answering, a learner's
// quiz page and API response are the same whatever the key is, so nothing
// in them can reveal it.
func TestQuizPagesHideAnswerKey(t *testing.T) {
	original := newSite(t)
	moved := newSiteWith(t, staticLibrary(t, courseFS(t, moveKeys)))

	v := original.newVisitor(t)
	// Both sites sign cookies with the same keys, and cookies ignore the
	// port, so the same client is the same learner on both.
	other := &visitor{t: t, site: moved, client: v.client}

	for _, q := range original.quizzes {
		for _, path := range []string{"/quiz/" + q.ID, "/api/quiz/" + q.ID} {
			t.Run(path, func(t *testing.T) {
				want := v.get(path)
				wantStatus(t, want, http.StatusOK)

				got := other.get(path)
				if got.body != want.body {
					t.Errorf("the response changes with the answer key:\nkey in file: %s\nkey moved:   %s", want.body, got.body)
				}
				for _, marker := range []string{"Solution</h3>", " correct\"", "checked", "Right.", "feedback"} {
					if strings.Contains(want.body, marker) {
						t.Errorf("a fresh learner's %s contains %q", path, marker)
					}
				}
			})
		}
	}
}

// TestMoveKeysChangesEveryKey makes sure that the answer key test compares
// pages of quizzes whose keys really differ.
func TestMoveKeysChangesEveryKey(t *testing.T) {
	original := newSite(t)
	moved := staticLibrary(t, courseFS(t, moveKeys)).Current().Quizzes

	for _, q := range original.quizzes {
		movedQuiz, _ := quiz.Find(moved, q.ID)
		for i, question := range q.Questions {
			if question.KeyFingerprint() == movedQuiz.Questions[i].KeyFingerprint() {
				t.Errorf("quiz %s question %s has the same key after moveKeys", q.ID, question.ID)
			}
		}
	}
}

func TestQuizFormFlow(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	const page = "/quiz/verifying-a-jwt"
	answer := func(question string, form url.Values) response {
		t.Helper()
		r := v.postForm(page+"/questions/"+question, form)
		wantStatus(t, r, http.StatusOK) // after the 303 redirect
		return r
	}

	// Answer a status question wrong, and read why.
	r := answer("no-token-status", url.Values{"answer": {"403"}})
	for _, want := range []string{"Not quite.", "You typed 403. The answer is 401.", "403 is for a caller whose credentials are valid", "Solution</h3>", "Answered wrong", "Review missed (1)"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after a wrong answer the page lacks %q", want)
		}
	}

	// Answer a bug question right.
	r = answer("decode-not-verify", url.Values{"choice": {"line-6"}})
	if !strings.Contains(r.body, "Answered right") || !strings.Contains(r.body, "1 of 5") {
		t.Error("after a right answer the page lacks the right state or the score 1 of 5")
	}

	// Review only the missed question.
	missed := v.get(page + "?missed=1")
	wantStatus(t, missed, http.StatusOK)
	if !strings.Contains(missed.body, `id="no-token-status"`) || strings.Contains(missed.body, `id="decode-not-verify"`) {
		t.Error("the missed view does not list exactly the wrong question")
	}

	if !strings.Contains(missed.body, `name="view" value="missed"`) {
		t.Error("the missed view's forms do not keep the learner in that view")
	}

	// Retry from the missed view, which stays open, after which nothing
	// is missed.
	r = answer("no-token-status", url.Values{"answer": {" 401 "}, "view": {"missed"}})
	if !strings.Contains(r.body, "2 of 5") || strings.Contains(r.body, "Review missed (") {
		t.Error("after retrying right the score is not 2 of 5, or the page still links to missed questions")
	}
	if !strings.Contains(r.body, "No missed questions") {
		t.Error("answering in the missed view left that view")
	}
	missed = v.get(page + "?missed=1")
	if !strings.Contains(missed.body, "No missed questions") {
		t.Error("the missed view lists questions after every answer is right")
	}

	// A multiple question takes several choices.
	r = answer("checks-before-trust", url.Values{"choice": {"check-exp", "check-signature", "check-iss-aud"}})
	if !strings.Contains(r.body, "3 of 5") {
		t.Error("choosing every correct option of a multiple question did not count as right")
	}
}

func TestQuizFormRejectsWrongShape(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name     string
		question string
		form     url.Values
		want     string
	}{
		{"status without answer", "no-token-status", url.Values{}, "Type a status code"},
		{"status with words", "no-token-status", url.Values{"answer": {"forbidden"}}, "whole number"},
		{"status with choice", "no-token-status", url.Values{"choice": {"w403"}}, "Type a status code"},
		{"multiple without choice", "checks-before-trust", url.Values{}, "Choose at least one option"},
		{"bug without line", "decode-not-verify", url.Values{}, "Choose the line with the bug"},
		{"bug with two lines", "decode-not-verify", url.Values{"choice": {"line-6", "line-7"}}, "not one of this question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.newVisitor(t).postForm("/quiz/verifying-a-jwt/questions/"+tt.question, tt.form)
			wantStatus(t, r, http.StatusBadRequest)
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
		})
	}
}

// TestEditedQuizKeepsAnswers answers on one site, then serves an edited
// quiz from the same database: an answer to a reworded question keeps its
// grade, and an answer whose key changed shows as outdated.
func TestEditedQuizKeepsAnswers(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "learn.db")
	before := newSiteWithDB(t, staticLibrary(t, courseFS(t, func(_, text string) string { return text })), dbPath)
	v := before.newVisitor(t)
	v.postForm("/quiz/signing-a-jwt/questions/exp-value", url.Values{"choice": {"seconds"}})
	v.postForm("/quiz/signing-a-jwt/questions/exp-in-milliseconds", url.Values{"choice": {"line-5"}})

	edit := func(name, text string) string {
		if name != "quizzes/signing-a-jwt.md" {
			return text
		}
		// Reword an option of the first question, and move the key of the
		// second from line 5 to line 4.
		text = strings.Replace(text, "- [x] `\"exp\": 1700003600` {#seconds}", "- [x] The value `1700003600`. {#seconds}", 1)
		text = strings.Replace(text, "- [ ] Line 4 {#line-4}", "- [x] Line 4 {#line-4}", 1)
		return strings.Replace(text, "- [x] Line 5 {#line-5}", "- [ ] Line 5 {#line-5}", 1)
	}
	after := newSiteWithDB(t, staticLibrary(t, courseFS(t, edit)), dbPath)
	other := &visitor{t: t, site: after, client: v.client}

	r := other.get("/quiz/signing-a-jwt")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "The value <code>1700003600</code>.") {
		t.Fatal("the edited quiz is not served")
	}
	for _, want := range []string{"1 of 3</strong> correct (1 answered, 1 outdated)", "Answered right", "Outdated: the question changed"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the edited quiz page lacks %q", want)
		}
	}
}
