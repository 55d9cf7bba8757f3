package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"learn/quiz"
)

func TestOldCourseURLsRedirect(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t).noRedirects()

	tests := []struct {
		name string
		path string
		want string
	}{
		{"merged lesson", "/lessons/choosing-a-strategy", "/lessons/choosing-in-practice"},
		{"merged quiz", "/quiz/choosing-a-strategy", "/quiz/choosing-in-practice"},
		{"split quiz", "/quiz/what-each-strategy-stores", "/quiz/jwt-vs-sessions"},
		{"query string kept", "/quiz/choosing-a-strategy?missed=1", "/quiz/choosing-in-practice?missed=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := v.get(tt.path)
			wantStatus(t, r, http.StatusMovedPermanently)
			if got := r.header.Get("Location"); got != tt.want {
				t.Errorf("Location = %q, want %q", got, tt.want)
			}

			followed := s.newVisitor(t).get(tt.path)
			wantStatus(t, followed, http.StatusOK)
		})
	}
}

func TestOldQuizURLRedirectsHead(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t).noRedirects()

	req, err := http.NewRequest(http.MethodHead, s.server.URL+"/quiz/choosing-a-strategy", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := v.do(req)
	wantStatus(t, r, http.StatusMovedPermanently)
	if got, want := r.header.Get("Location"), "/quiz/choosing-in-practice"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
}

func TestAnswerToOldQuizIDNotFound(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t).noRedirects()

	r := v.postForm("/quiz/choosing-a-strategy/questions/ban-with-jwt", url.Values{"choice": {"until-exp"}})
	wantStatus(t, r, http.StatusNotFound)
}

// scoreOnQuizPage is how a quiz page shows its score.
func scoreOnQuizPage(correct, total, answered int) string {
	return strconv.Itoa(correct) + " of " + strconv.Itoa(total) + "</strong> correct (" + strconv.Itoa(answered) + " answered)"
}

func TestAnswersUnderOldQuizIDsStillCount(t *testing.T) {
	s, db := newSiteAndDB(t)
	v := s.newVisitor(t)
	wantStatus(t, v.get("/progress"), http.StatusOK)
	learnerID := string(v.learnerID())

	// The answers a learner gave before the course was regrouped, each
	// stored under the quiz that held the question then.
	old := []struct {
		oldQuiz, newQuiz, question string
	}{
		{"choosing-a-strategy", "choosing-in-practice", "ban-with-jwt"},
		{"what-each-strategy-stores", "signing-a-jwt", "who-reads-a-jwt"},
		{"what-each-strategy-stores", "jwt-vs-sessions", "session-storage-facts"},
	}
	answeredAt := time.Now().UTC().Add(-24 * time.Hour)
	for _, a := range old {
		q, ok := quiz.Find(s.quizzes, a.newQuiz)
		if !ok {
			t.Fatalf("no quiz %s", a.newQuiz)
		}
		question, ok := q.Question(a.question)
		if !ok {
			t.Fatalf("quiz %s has no question %s", a.newQuiz, a.question)
		}
		err := db.SaveAnswer(context.Background(), quiz.Answer{
			Learner:        learnerID,
			QuizID:         a.oldQuiz,
			QuestionID:     a.question,
			Choices:        []string{"x"},
			Correct:        true,
			AnsweredAt:     answeredAt,
			KeyFingerprint: question.KeyFingerprint(),
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	for _, a := range old {
		t.Run(a.newQuiz, func(t *testing.T) {
			q, _ := quiz.Find(s.quizzes, a.newQuiz)
			r := v.get("/quiz/" + a.newQuiz)
			wantStatus(t, r, http.StatusOK)
			if want := scoreOnQuizPage(1, len(q.Questions), 1); !strings.Contains(r.body, want) {
				t.Errorf("quiz page lacks %q", want)
			}
		})
	}

	// A newer answer under the new id replaces the old one in the score,
	// and the old attempts stay stored.
	q, _ := quiz.Find(s.quizzes, "choosing-in-practice")
	ban, ok := q.Question("ban-with-jwt")
	if !ok {
		t.Fatal("quiz choosing-in-practice has no question ban-with-jwt")
	}
	_, wrong := correctAndWrong(t, ban)
	v.answer(q, ban, url.Values{"choice": {wrong}})
	r := v.get("/quiz/choosing-in-practice")
	if want := scoreOnQuizPage(0, len(q.Questions), 1); !strings.Contains(r.body, want) {
		t.Errorf("after a wrong answer under the new id, the quiz page lacks %q", want)
	}
	counts, err := db.CountLearnerRows(context.Background(), v.learnerID())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts["quiz_attempts"], len(old)+1; got != want {
		t.Errorf("learner has %d stored attempts, want %d: the old ones and the new one", got, want)
	}
}
