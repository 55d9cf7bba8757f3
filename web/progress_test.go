package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"

	"learn/learner"
	"learn/quiz"
)

// recoveryCodePattern matches a displayed recovery code.
var recoveryCodePattern = regexp.MustCompile(`[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}`)

// createRecoveryCode asks for a new recovery code as v and returns it.
// replacesPattern finds the create form's token for the current code.
var replacesPattern = regexp.MustCompile(`name="replaces" value="([0-9]*)"`)

// createRecoveryCode creates a recovery code through the form on
// /progress, as a browser would, and returns the code shown.
func (v *visitor) createRecoveryCode() string {
	v.t.Helper()
	form := replacesPattern.FindStringSubmatch(v.get("/progress").body)
	if form == nil {
		v.t.Fatal("/progress has no create form with a replaces field")
	}
	r := v.postForm("/progress/code", url.Values{"replaces": {form[1]}})
	wantStatus(v.t, r, http.StatusOK)
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		v.t.Errorf("Cache-Control of the page with the code = %q, want no-store", got)
	}
	code := recoveryCodePattern.FindString(r.body)
	if code == "" {
		v.t.Fatalf("the progress page shows no recovery code: %s", r.body)
	}
	return code
}

// learnerID returns the learner id in v's learn_learner cookie, decoded
// with the key of the test site.
func (v *visitor) learnerID() learner.ID {
	v.t.Helper()
	base, _ := url.Parse(v.site.server.URL)
	codec := securecookie.New(bytes.Repeat([]byte("k"), 32), nil)
	for _, c := range v.client.Jar.Cookies(base) {
		if c.Name != learner.CookieName {
			continue
		}
		var id string
		if err := codec.Decode(learner.CookieName, c.Value, &id); err != nil {
			v.t.Fatalf("decode learner cookie: %v", err)
		}
		return learner.ID(id)
	}
	v.t.Fatal("visitor has no learn_learner cookie")
	return ""
}

// scoreText is how the outline and the progress page show a score.
func scoreText(correct, total int) string {
	return strconv.Itoa(correct) + " of " + strconv.Itoa(total) + " right"
}

// lessonQuiz returns a quiz of the embedded course that practises a
// lesson, and its single-choice question.
func lessonQuiz(t testing.TB, s *site) (*quiz.Quiz, *quiz.Question) {
	t.Helper()
	for _, q := range s.quizzes {
		if q.Lesson == "" {
			continue
		}
		for _, question := range q.Questions {
			if question.Type == quiz.Single {
				return q, question
			}
		}
	}
	t.Fatal("no quiz with a lesson key has a single-choice question")
	return nil, nil
}

func TestOutlineShowsScore(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	q, question := lessonQuiz(t, s)
	right, _ := correctAndWrong(t, question)

	total := 0
	for _, other := range s.quizzes {
		if other.Lesson == q.Lesson {
			total += len(other.Questions)
		}
	}
	r := v.get("/")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, scoreText(0, total)) {
		t.Errorf("outline lacks %q before any answer", scoreText(0, total))
	}

	v.answer(q, question, url.Values{"choice": {right}})
	r = v.get("/")
	if !strings.Contains(r.body, scoreText(1, total)) {
		t.Errorf("outline lacks %q after one right answer", scoreText(1, total))
	}
	sidebar := v.get("/lessons/" + q.Lesson)
	if !strings.Contains(sidebar.body, scoreText(1, total)) {
		t.Errorf("sidebar of lesson %s lacks %q", q.Lesson, scoreText(1, total))
	}
}

func TestOutlineMarksLessonDone(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	q, _ := lessonQuiz(t, s)

	for _, other := range s.quizzes {
		if other.Lesson != q.Lesson {
			continue
		}
		for _, question := range other.Questions {
			v.answer(other, question, rightAnswer(t, question))
		}
	}
	r := v.get("/")
	if !strings.Contains(r.body, `lesson-progress done`) {
		t.Error("outline shows no done mark for a lesson whose questions are all right")
	}
}

// rightAnswer returns the form that answers question correctly.
func rightAnswer(t testing.TB, question *quiz.Question) url.Values {
	t.Helper()
	if question.Type == quiz.Status {
		result, err := question.GradeValue("0")
		if err != nil {
			t.Fatal(err)
		}
		return url.Values{"answer": {strconv.Itoa(result.Answer)}}
	}
	form := url.Values{}
	for _, o := range question.Options {
		if o.Correct() {
			form.Add("choice", o.ID)
		}
	}
	return form
}

func TestRecoveryCodeRoundTrip(t *testing.T) {
	s := newSite(t)
	q, question := lessonQuiz(t, s)
	right, _ := correctAndWrong(t, question)

	home := s.newVisitor(t)
	home.answer(q, question, url.Values{"choice": {right}})
	code := home.createRecoveryCode()
	if r := home.get("/progress"); strings.Contains(r.body, code) {
		t.Error("the progress page shows the code again after it was created")
	}

	tests := []struct {
		name  string
		typed string
	}{
		{"as shown", code},
		{"lowercase with spaces", strings.ToLower(strings.ReplaceAll(code, "-", " "))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := s.newVisitor(t)
			work.get("/")
			r := work.postForm("/progress/restore", url.Values{"code": {tt.typed}})
			wantStatus(t, r, http.StatusOK)
			if !strings.Contains(r.body, "restored progress") {
				t.Error("restoring shows no confirmation")
			}
			if work.learnerID() != home.learnerID() {
				t.Errorf("learner after restore = %s, want %s", work.learnerID(), home.learnerID())
			}
			quizPage := work.get("/progress")
			if !strings.Contains(quizPage.body, scoreText(1, len(q.Questions))) {
				t.Errorf("restored progress lacks %q", scoreText(1, len(q.Questions)))
			}
		})
	}
}

func TestRecoveryCodeRejected(t *testing.T) {
	s := newSite(t)
	valid := s.newVisitor(t).createRecoveryCode()
	unknown := learner.NewRecoveryCode()

	tests := []struct {
		name string
		code string
	}{
		{"empty", ""},
		{"malformed", "not a code"},
		{"one character short", valid[:len(valid)-1]},
		{"well formed but unknown", unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := s.newVisitor(t)
			v.get("/progress")
			before := v.learnerID()
			r := v.postForm("/progress/restore", url.Values{"code": {tt.code}})
			wantStatus(t, r, http.StatusBadRequest)
			if !strings.Contains(r.body, "That recovery code is not valid") {
				t.Error("a rejected code shows no message")
			}
			if v.learnerID() != before {
				t.Error("a rejected code changed the learner")
			}
		})
	}
}

func TestRecoveryCodeRegenerate(t *testing.T) {
	s := newSite(t)
	home := s.newVisitor(t)
	oldCode := home.createRecoveryCode()
	newCode := home.createRecoveryCode()
	if oldCode == newCode {
		t.Fatal("regenerating returned the same code")
	}

	work := s.newVisitor(t)
	work.get("/")
	wantStatus(t, work.postForm("/progress/restore", url.Values{"code": {oldCode}}), http.StatusBadRequest)
	wantStatus(t, work.postForm("/progress/restore", url.Values{"code": {newCode}}), http.StatusOK)
	if work.learnerID() != home.learnerID() {
		t.Error("the new code did not restore the learner")
	}
}

func TestDeleteMyData(t *testing.T) {
	s, db := newSiteAndDB(t)

	// Fill every table: a quiz answer, a recovery code, and playground
	// keys, settings, denylist, clock, session and transcript.
	v := s.newVisitor(t)
	q, question := lessonQuiz(t, s)
	right, _ := correctAndWrong(t, question)
	v.answer(q, question, url.Values{"choice": {right}})
	v.createRecoveryCode()
	v.jwtLogin(map[string]string{"username": "ada"})
	wantStatus(t, v.postJSON(api+"/session/login", map[string]string{"username": "ada"}), http.StatusOK)
	v.advance(60)
	wantStatus(t, v.putJSON(api+"/settings", map[string]any{"denylist": true}), http.StatusOK)
	esToken := v.jwtLogin(map[string]string{"username": "ada", "alg": "ES256"})
	wantStatus(t, v.postJSON(api+"/jwt/logout", "", "Authorization", "Bearer "+esToken), http.StatusOK)

	// Reading the transcript writes the exchanges that are still queued.
	wantStatus(t, v.get(api+"/transcript"), http.StatusOK)

	old := v.learnerID()
	counts, err := db.CountLearnerRows(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range counts {
		if n == 0 {
			t.Errorf("before deletion, table %s has no row of the learner, so the test proves nothing for it", table)
		}
	}

	wantStatus(t, v.get("/progress/delete"), http.StatusOK)
	r := v.postForm("/progress/delete", nil)
	wantStatus(t, r, http.StatusBadRequest)
	if counts, _ := db.CountLearnerRows(context.Background(), old); counts["quiz_attempts"] == 0 {
		t.Fatal("an unconfirmed deletion deleted quiz attempts")
	}

	r = v.postForm("/progress/delete", url.Values{"confirm": {"delete"}})
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "Your data is deleted") {
		t.Error("deletion shows no confirmation")
	}

	counts, err = db.CountLearnerRows(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) < 6 {
		t.Errorf("counted %d tables with a learner_id, want at least 6", len(counts))
	}
	for table, n := range counts {
		if n != 0 {
			t.Errorf("after deletion, table %s has %d rows of the learner", table, n)
		}
	}
	if v.learnerID() == old {
		t.Error("after deletion the browser keeps its old learner id")
	}
}

func TestPrivacyPage(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	r := v.get("/privacy")
	wantStatus(t, r, http.StatusOK)
	for _, want := range []string{"no accounts", "learn_learner", "Delete all my data"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
	if home := v.get("/"); !strings.Contains(home.body, `href="/privacy"`) {
		t.Error("the footer does not link to /privacy")
	}
}

func TestRecoveryCodeSurvivesResubmittedForm(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)
	v.get("/")

	// The first form names no code. Sending it again, as a reload of the
	// page that showed the code does, must not replace that code.
	code := v.createRecoveryCode()
	r := v.postForm("/progress/code", url.Values{"replaces": {""}})
	wantStatus(t, r, http.StatusConflict)
	if !strings.Contains(r.body, "You already have a recovery code") {
		t.Error("the resubmitted form does not say why nothing changed")
	}
	if recoveryCodePattern.FindString(r.body) != "" {
		t.Error("the resubmitted form shows a new code")
	}

	other := s.newVisitor(t)
	other.get("/")
	wantStatus(t, other.postForm("/progress/restore", url.Values{"code": {code}}), http.StatusOK)
	if other.learnerID() != v.learnerID() {
		t.Error("the first code stopped working after the form was sent again")
	}
}

// TestResetSandboxKeepsQuizProgress resets the playground sandbox and
// checks that the learner's quiz answers are still stored and counted.
func TestResetSandboxKeepsQuizProgress(t *testing.T) {
	s, db := newSiteAndDB(t)
	v := s.newVisitor(t)
	q, question := lessonQuiz(t, s)
	right, _ := correctAndWrong(t, question)
	v.answer(q, question, url.Values{"choice": {right}})
	v.jwtLogin(map[string]string{"username": "ada"})
	before, err := db.CountLearnerRows(context.Background(), v.learnerID())
	if err != nil {
		t.Fatal(err)
	}
	if before["playground_signing_keys"] == 0 {
		t.Fatal("before the reset the learner has no signing key, so the test proves nothing")
	}

	wantStatus(t, v.postJSON(api+"/reset", ""), http.StatusOK)

	counts, err := db.CountLearnerRows(context.Background(), v.learnerID())
	if err != nil {
		t.Fatal(err)
	}
	if counts["quiz_attempts"] != 1 {
		t.Errorf("quiz attempts after the reset = %d, want 1", counts["quiz_attempts"])
	}
	if counts["playground_signing_keys"] != 0 {
		t.Errorf("signing keys after the reset = %d, want 0", counts["playground_signing_keys"])
	}
}
