package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/learner"
	"learn/quiz"
)

// maxFormBytes caps a quiz answer form. A real answer is a few dozen bytes.
const maxFormBytes = 16 << 10

type quizPage struct {
	Quiz      *quiz.Quiz
	Questions []questionView
	Score     quiz.Score
}

// questionView is one question as the page shows it. Until the learner has
// answered, it carries nothing that reveals the key.
type questionView struct {
	Number   int
	Question *quiz.Question
	Options  []optionView
	Answered bool
	Correct  bool
	Error    string // why the last submission was rejected
}

type optionView struct {
	ID       string
	Label    string
	HTML     template.HTML
	Chosen   bool
	Correct  bool          // only set once answered
	Feedback template.HTML // only set once answered, for chosen and correct options
}

func (s *Server) handleQuiz(w http.ResponseWriter, r *http.Request) {
	q, ok := s.findQuiz(w, r)
	if !ok {
		return
	}
	s.renderQuiz(w, r, http.StatusOK, q, "", "")
}

// handleAnswer grades one question from an HTML form and redirects back
// to the quiz, where the saved answer shows its result.
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
	var choices []string
	for _, choice := range r.PostForm["choice"] {
		if choice != "" {
			choices = append(choices, choice)
		}
	}
	result, err := question.Grade(choices)
	if errors.Is(err, quiz.ErrInvalidAnswer) {
		message := "Choose one option, then submit."
		if len(choices) > 0 {
			message = "That choice is not one of this question's options. Choose one of them and submit again."
		}
		s.renderQuiz(w, r, http.StatusBadRequest, q, question.ID, message)
		return
	}
	if err != nil {
		s.logger.Error("grade answer", "err", err, "quiz", q.ID, "question", question.ID)
		s.fail(w, r, http.StatusInternalServerError, "Grading failed", "Your answer could not be graded. Try again.")
		return
	}

	id, _ := learner.FromContext(r.Context())
	answer := quiz.Answer{
		Learner:    string(id),
		QuizID:     q.ID,
		QuestionID: question.ID,
		Choices:    choices,
		Correct:    result.Correct,
		AnsweredAt: time.Now().UTC(),
	}
	if err := s.progress.SaveAnswer(r.Context(), answer); err != nil {
		s.logger.Error("save answer", "err", err, "quiz", q.ID, "question", question.ID,
			"learner", string(id), "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Answer not saved",
			"Your answer could not be saved, and earlier answers are unchanged. Try again in a moment.")
		return
	}

	// Post/Redirect/Get: a reload shows the result instead of resubmitting.
	http.Redirect(w, r, "/quiz/"+url.PathEscape(q.ID)+"#"+url.PathEscape(question.ID), http.StatusSeeOther)
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

// renderQuiz shows the quiz with the learner's saved answers. errQuestion
// and message mark a rejected submission.
func (s *Server) renderQuiz(w http.ResponseWriter, r *http.Request, status int, q *quiz.Quiz, errQuestion, message string) {
	id, _ := learner.FromContext(r.Context())
	answers, err := s.progress.Answers(r.Context(), string(id), q.ID)
	if err != nil {
		s.logger.Error("load answers", "err", err, "quiz", q.ID, "learner", string(id),
			"request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Progress unavailable",
			"Your saved answers could not be loaded. Try again in a moment.")
		return
	}
	latest := make(map[string]quiz.Answer, len(answers))
	for _, a := range answers {
		latest[a.QuestionID] = a
	}

	page := quizPage{Quiz: q, Score: q.Score(answers)}
	for i, question := range q.Questions {
		view := questionView{Number: i + 1, Question: question}
		if question.ID == errQuestion {
			view.Error = message
		}
		answer, answered := latest[question.ID]
		view.Answered = answered
		view.Correct = answered && answer.Correct

		chosen := make(map[string]bool, len(answer.Choices))
		for _, c := range answer.Choices {
			chosen[c] = true
		}
		for _, option := range question.Options {
			ov := optionView{ID: option.ID, Label: option.Label, HTML: template.HTML(option.HTML)}
			if answered {
				ov.Chosen = chosen[option.ID]
				ov.Correct = option.Correct()
				if ov.Chosen || ov.Correct {
					ov.Feedback = template.HTML(option.FeedbackHTML)
				}
			}
			view.Options = append(view.Options, ov)
		}
		page.Questions = append(page.Questions, view)
	}
	s.render(w, r, status, "quiz", q.Title, page)
}
