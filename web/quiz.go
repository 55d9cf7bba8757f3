package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/learner"
	"learn/quiz"
)

// maxFormBytes caps a quiz answer form and a quiz API request body. A real
// answer is a few dozen bytes.
const maxFormBytes = 16 << 10

// submission is one answer to grade, from the form or the JSON API.
type submission struct {
	Choices []string // option ids, for single, multiple and bug questions
	Answer  *string  // the typed value of a status question, or nil
}

// grade grades sub against question. The error wraps
// quiz.ErrInvalidAnswer when sub does not fit the question's type.
func grade(question *quiz.Question, sub submission) (quiz.Result, error) {
	if question.Type == quiz.Status {
		if sub.Answer == nil || len(sub.Choices) > 0 {
			return question.GradeValue("")
		}
		return question.GradeValue(*sub.Answer)
	}
	if sub.Answer != nil {
		return question.Grade(nil)
	}
	return question.Grade(sub.Choices)
}

// saveAttempt stores a graded answer of the request's learner. For a
// status question it stores the typed value as a decimal number.
func (s *Server) saveAttempt(r *http.Request, q *quiz.Quiz, question *quiz.Question, sub submission, result quiz.Result) error {
	choices := sub.Choices
	if question.Type == quiz.Status {
		value, _ := strconv.Atoi(trimmed(sub.Answer))
		choices = []string{strconv.Itoa(value)}
	}

	id, _ := learner.FromContext(r.Context())
	answer := quiz.Answer{
		Learner:        string(id),
		QuizID:         q.ID,
		QuestionID:     question.ID,
		Choices:        choices,
		Correct:        result.Correct,
		AnsweredAt:     time.Now().UTC(),
		KeyFingerprint: question.KeyFingerprint(),
	}
	if err := s.progress.SaveAnswer(r.Context(), answer); err != nil {
		s.logger.Error("save answer", "err", err, "quiz", q.ID, "question", question.ID,
			"learner", string(id), "request_id", middleware.GetReqID(r.Context()))
		return err
	}
	return nil
}

// loadProgress returns the state of each question for the request's
// learner, logging a failure.
func (s *Server) loadProgress(ctx context.Context, q *quiz.Quiz) ([]quiz.QuestionProgress, error) {
	id, _ := learner.FromContext(ctx)
	// Answers saved under a retired quiz id count for the question that
	// kept its id, so a learner's work survives a regrouped course.
	answers, err := s.progress.Answers(ctx, string(id), append([]string{q.ID}, q.Retired...)...)
	if err != nil {
		s.logger.Error("load answers", "err", err, "quiz", q.ID, "learner", string(id),
			"request_id", middleware.GetReqID(ctx))
		return nil, err
	}
	return q.Progress(answers), nil
}

// handleQuiz shows a quiz, and redirects the old id of a quiz that was
// renamed or merged to the quiz that lists it among its aliases. Only this
// GET route redirects: an answer posted to an old id still gets a 404,
// because on a 301 most clients resend a POST as a GET, which would lose
// the answer silently.
func (s *Server) handleQuiz(w http.ResponseWriter, r *http.Request) {
	if q, ok := quiz.FindByAlias(s.library.Current().Quizzes, chi.URLParam(r, "quiz")); ok {
		redirectPermanent(w, r, "/quiz/"+q.ID)
		return
	}
	q, ok := s.findQuiz(w, r)
	if !ok {
		return
	}
	s.renderQuiz(w, r, http.StatusOK, q, "", "")
}

// handleAnswer grades one question from an HTML form and redirects back
// to the quiz, where the saved answer shows its result. The form sends
// "choice" values, or "answer" for a status question.
func (s *Server) handleAnswer(w http.ResponseWriter, r *http.Request) {
	q, ok := s.findQuiz(w, r)
	if !ok {
		return
	}
	questionID := chi.URLParam(r, "question")
	question, ok := q.Question(questionID)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "Question not found",
			"The quiz \""+q.ID+"\" has no question \""+questionID+"\". Reload the quiz and answer again.")
		return
	}

	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "Answer too large",
				"An answer form is at most 16 KB. Choose one option and submit again.")
			return
		}
		s.fail(w, r, http.StatusBadRequest, "Invalid form", "The answer form could not be read. Reload the quiz and answer again.")
		return
	}

	// An empty value is what a browser sends for no selection in some
	// custom forms, so it counts as no choice.
	var sub submission
	for _, choice := range r.PostForm["choice"] {
		if choice != "" {
			sub.Choices = append(sub.Choices, choice)
		}
	}
	if answer, ok := r.PostForm["answer"]; ok && len(answer) == 1 {
		sub.Answer = &answer[0]
	}

	result, err := grade(question, sub)
	if errors.Is(err, quiz.ErrInvalidAnswer) {
		s.renderQuiz(w, r, http.StatusBadRequest, q, question.ID, formErrorMessage(question, sub))
		return
	}
	if err != nil {
		s.logger.Error("grade answer", "err", err, "quiz", q.ID, "question", question.ID)
		s.fail(w, r, http.StatusInternalServerError, "Grading failed", "Your answer could not be graded. Try again.")
		return
	}

	if err := s.saveAttempt(r, q, question, sub, result); err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Answer not saved",
			"Your answer could not be saved, and earlier answers are unchanged. Try again in a moment.")
		return
	}

	// Post/Redirect/Get: a reload shows the result instead of resubmitting.
	// An answer given while reviewing missed questions stays in that view.
	target := "/quiz/" + url.PathEscape(q.ID)
	if r.PostForm.Get("view") == "missed" {
		target += "?missed=1"
	}
	http.Redirect(w, r, target+"#"+url.PathEscape(question.ID), http.StatusSeeOther)
}

// formErrorMessage returns the message that tells the learner how to fix
// a rejected form submission.
func formErrorMessage(question *quiz.Question, sub submission) string {
	switch {
	case question.Type == quiz.Status && trimmed(sub.Answer) == "":
		return "Type a status code, such as 200, then submit."
	case question.Type == quiz.Status:
		return "Type the status code as a whole number, such as 200, then submit."
	case len(sub.Choices) == 0 && question.Type == quiz.Multiple:
		return "Choose at least one option, then submit."
	case len(sub.Choices) == 0 && question.Type == quiz.Bug:
		return "Choose the line with the bug, then submit."
	case len(sub.Choices) == 0:
		return "Choose one option, then submit."
	}
	return "That choice is not one of this question's options. Choose one of them and submit again."
}

func trimmed(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

func (s *Server) findQuiz(w http.ResponseWriter, r *http.Request) (*quiz.Quiz, bool) {
	id := chi.URLParam(r, "quiz")
	q, ok := quiz.Find(s.library.Current().Quizzes, id)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "Quiz not found",
			"No quiz is called \""+id+"\". Pick one from the course outline.")
	}
	return q, ok
}

// renderQuiz shows the quiz with the learner's saved answers, or with
// ?missed=1 only the questions whose latest answer is wrong. errQuestion
// and message mark a rejected submission.
func (s *Server) renderQuiz(w http.ResponseWriter, r *http.Request, status int, q *quiz.Quiz, errQuestion, message string) {
	progress, err := s.loadProgress(r.Context(), q)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Progress unavailable",
			"Your saved answers could not be loaded. Try again in a moment.")
		return
	}

	id, _ := learner.FromContext(r.Context())
	page := quizPage{Quiz: q, Score: quiz.ScoreOf(progress), MissedOnly: r.URL.Query().Get("missed") == "1"}
	for i, p := range progress {
		if p.State == quiz.Wrong {
			page.Missed++
		}
		if page.MissedOnly && p.State != quiz.Wrong {
			continue
		}
		view := newQuestionView(i+1, q, string(id), p)
		if p.Question.ID == errQuestion {
			view.Error = message
		}
		page.Questions = append(page.Questions, view)
	}
	s.render(w, r, status, "quiz", q.Title, page)
}
