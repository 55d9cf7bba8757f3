package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/learner"
	"learn/quiz"
)

// Kinds of quiz API errors. quizAPIStatus maps each to a status code.
var (
	errAPINotFound    = errors.New("not found")
	errAPIBadRequest  = errors.New("bad request")
	errAPITooLarge    = errors.New("request body too large")
	errAPIUnavailable = errors.New("storage unavailable")
	errAPINotAllowed  = errors.New("method not allowed")
)

// apiError is a quiz API error with the sentence shown to the client.
type apiError struct {
	kind    error
	message string
}

func (e *apiError) Error() string { return e.message }
func (e *apiError) Unwrap() error { return e.kind }

func apiErrorf(kind error, format string, args ...any) error {
	return &apiError{kind: kind, message: fmt.Sprintf(format, args...)}
}

// quizAPIStatus maps a quiz API error to its HTTP status code. It is the
// only place that does.
func quizAPIStatus(err error) int {
	switch {
	case errors.Is(err, errAPINotFound):
		return http.StatusNotFound
	case errors.Is(err, errAPIBadRequest), errors.Is(err, quiz.ErrInvalidAnswer):
		return http.StatusBadRequest
	case errors.Is(err, errAPITooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errAPINotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, errAPIUnavailable):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// registerQuizAPIRoutes adds the quiz JSON API under /api/quiz.
func (s *Server) registerQuizAPIRoutes(r chi.Router) {
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.writeQuizAPIError(w, r, apiErrorf(errAPINotFound, "No quiz API route has the path %s; see GET /api/quiz for the quizzes.", r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.writeQuizAPIError(w, r, apiErrorf(errAPINotAllowed, "%s is not supported on %s.", r.Method, r.URL.Path))
	})
	r.Get("/", s.handleAPIQuizzes)
	r.Get("/{quiz}", s.handleAPIQuiz)
	r.Post("/{quiz}/questions/{question}/answers", s.handleAPIAnswer)
}

// apiQuizSummary is one entry of GET /api/quiz.
type apiQuizSummary struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Lesson    string `json:"lesson,omitempty"`
	Questions int    `json:"questions"`
}

func (s *Server) handleAPIQuizzes(w http.ResponseWriter, r *http.Request) {
	list := []apiQuizSummary{}
	for _, q := range s.library.Current().Quizzes {
		list = append(list, apiQuizSummary{ID: q.ID, Title: q.Title, Lesson: q.Lesson, Questions: len(q.Questions)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"quizzes": list})
}

// apiQuiz is the body of GET /api/quiz/{quiz}. It never contains the key.
type apiQuiz struct {
	ID        string        `json:"id"`
	Title     string        `json:"title"`
	Lesson    string        `json:"lesson,omitempty"`
	IntroHTML string        `json:"introHTML,omitempty"`
	Questions []apiQuestion `json:"questions"`
	Score     quiz.Score    `json:"score"`
}

type apiQuestion struct {
	ID         string      `json:"id"`
	Type       quiz.Type   `json:"type"`
	Title      string      `json:"title"`
	PromptHTML string      `json:"promptHTML"`
	Code       *quiz.Code  `json:"code,omitempty"`
	Options    []apiOption `json:"options"`
	State      quiz.State  `json:"state"`
}

type apiOption struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	HTML  string `json:"html"`
}

func (s *Server) handleAPIQuiz(w http.ResponseWriter, r *http.Request) {
	q, err := s.findAPIQuiz(r)
	if err != nil {
		s.writeQuizAPIError(w, r, err)
		return
	}
	progress, err := s.loadProgress(r.Context(), q)
	if err != nil {
		s.writeQuizAPIError(w, r, apiErrorf(errAPIUnavailable, "Your saved answers could not be loaded. Try again in a moment."))
		return
	}

	id, _ := learner.FromContext(r.Context())
	body := apiQuiz{ID: q.ID, Title: q.Title, Lesson: q.Lesson, IntroHTML: q.IntroHTML, Score: quiz.ScoreOf(progress)}
	for _, p := range progress {
		question := apiQuestion{
			ID: p.Question.ID, Type: p.Question.Type, Title: p.Question.Title,
			PromptHTML: p.Question.PromptHTML, Code: p.Question.Code,
			Options: []apiOption{}, State: p.State,
		}
		for _, o := range q.OptionsFor(string(id), p.Question) {
			question.Options = append(question.Options, apiOption{ID: o.ID, Label: o.Label, HTML: o.HTML})
		}
		body.Questions = append(body.Questions, question)
	}
	writeJSON(w, http.StatusOK, body)
}

// apiAnswerRequest is the body of POST …/answers: choices for single,
// multiple and bug questions, or answer for a status question.
type apiAnswerRequest struct {
	Choices []string `json:"choices"`
	Answer  *string  `json:"answer"`
}

// apiAnswerResponse is the graded answer with the worked solution.
type apiAnswerResponse struct {
	Correct        bool           `json:"correct"`
	CorrectOptions []string       `json:"correctOptions"`
	CorrectAnswer  string         `json:"correctAnswer,omitempty"`
	Explanation    apiExplanation `json:"explanation"`
	Feedback       []apiFeedback  `json:"feedback"`
	Score          quiz.Score     `json:"score"`
}

type apiExplanation struct {
	Steps       []string `json:"steps"`
	FinalAnswer string   `json:"finalAnswer"`
	QuickCheck  string   `json:"quickCheck"`
	Mistakes    string   `json:"mistakes"`
}

type apiFeedback struct {
	Option string `json:"option"`
	HTML   string `json:"html"`
}

func (s *Server) handleAPIAnswer(w http.ResponseWriter, r *http.Request) {
	q, err := s.findAPIQuiz(r)
	if err != nil {
		s.writeQuizAPIError(w, r, err)
		return
	}
	questionID := chi.URLParam(r, "question")
	question, ok := q.Question(questionID)
	if !ok {
		s.writeQuizAPIError(w, r, apiErrorf(errAPINotFound, "The quiz %q has no question %q; GET /api/quiz/%s lists its questions.", q.ID, questionID, q.ID))
		return
	}

	sub, err := decodeAnswer(w, r, question)
	if err != nil {
		s.writeQuizAPIError(w, r, err)
		return
	}
	result, err := grade(question, sub)
	if err != nil {
		s.writeQuizAPIError(w, r, err)
		return
	}
	if err := s.saveAttempt(r, q, question, sub, result); err != nil {
		s.writeQuizAPIError(w, r, apiErrorf(errAPIUnavailable, "Your answer could not be saved, and earlier answers are unchanged. Try again in a moment."))
		return
	}
	progress, err := s.loadProgress(r.Context(), q)
	if err != nil {
		s.writeQuizAPIError(w, r, apiErrorf(errAPIUnavailable, "Your answer was saved, but the score could not be loaded. Try again in a moment."))
		return
	}

	body := apiAnswerResponse{
		Correct:        result.Correct,
		CorrectOptions: []string{},
		Explanation: apiExplanation{
			Steps:       question.SolutionSteps,
			FinalAnswer: question.FinalAnswerHTML,
			QuickCheck:  question.QuickCheckHTML,
			Mistakes:    question.MistakesHTML,
		},
		Feedback: []apiFeedback{},
		Score:    quiz.ScoreOf(progress),
	}
	for _, o := range result.CorrectOptions {
		body.CorrectOptions = append(body.CorrectOptions, o.ID)
	}
	if question.Type == quiz.Status {
		body.CorrectAnswer = fmt.Sprint(result.Answer)
	}
	for _, o := range feedbackOptions(result) {
		if o.FeedbackHTML != "" {
			body.Feedback = append(body.Feedback, apiFeedback{Option: o.ID, HTML: o.FeedbackHTML})
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// feedbackOptions returns the chosen options and then the correct ones
// not chosen, each once, which are the options whose feedback applies.
func feedbackOptions(result quiz.Result) []*quiz.Option {
	options := append([]*quiz.Option{}, result.Chosen...)
	for _, o := range result.CorrectOptions {
		seen := false
		for _, c := range result.Chosen {
			seen = seen || c == o
		}
		if !seen {
			options = append(options, o)
		}
	}
	return options
}

// decodeAnswer reads a JSON answer body of at most maxFormBytes, and checks
// that its shape fits the question's type.
func decodeAnswer(w http.ResponseWriter, r *http.Request, question *quiz.Question) (submission, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return submission{}, apiErrorf(errAPITooLarge, "The request body is over 16 KB; send only {\"choices\":[…]} or {\"answer\":\"…\"}.")
		}
		return submission{}, apiErrorf(errAPIBadRequest, "The request body could not be read; send it again.")
	}

	var req apiAnswerRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return submission{}, apiErrorf(errAPIBadRequest, "The body is not a valid answer (%v); send a JSON object such as %s.", err, answerShape(question))
	}
	if dec.More() {
		return submission{}, apiErrorf(errAPIBadRequest, "The body has more than one JSON value; send one object such as %s.", answerShape(question))
	}

	switch {
	case req.Choices != nil && req.Answer != nil:
		return submission{}, apiErrorf(errAPIBadRequest, "The body has both choices and answer; send only %s.", answerShape(question))
	case question.Type == quiz.Status && req.Answer == nil:
		return submission{}, apiErrorf(errAPIBadRequest, "Question %s is a status question, so it takes a typed number; send %s.", question.ID, answerShape(question))
	case question.Type != quiz.Status && req.Choices == nil:
		return submission{}, apiErrorf(errAPIBadRequest, "Question %s takes option ids; send %s.", question.ID, answerShape(question))
	}
	return submission(req), nil
}

// answerShape gives an example body for the question's type.
func answerShape(question *quiz.Question) string {
	if question.Type == quiz.Status {
		return `{"answer":"401"}`
	}
	if len(question.Options) == 0 {
		return `{"choices":[]}`
	}
	return fmt.Sprintf(`{"choices":[%q]}`, question.Options[0].ID)
}

func (s *Server) findAPIQuiz(r *http.Request) (*quiz.Quiz, error) {
	id := chi.URLParam(r, "quiz")
	q, ok := quiz.Find(s.library.Current().Quizzes, id)
	if !ok {
		return nil, apiErrorf(errAPINotFound, "No quiz is called %q; GET /api/quiz lists the quizzes.", id)
	}
	return q, nil
}

// writeQuizAPIError sends err as {"error": message} with the status that
// quizAPIStatus picks. Errors without a client message are logged and
// sent as a generic 500.
func (s *Server) writeQuizAPIError(w http.ResponseWriter, r *http.Request, err error) {
	status := quizAPIStatus(err)
	message := err.Error()
	var apiErr *apiError
	if !errors.As(err, &apiErr) && !errors.Is(err, quiz.ErrInvalidAnswer) {
		s.logger.Error("quiz API", "err", err, "method", r.Method, "path", r.URL.Path,
			"request_id", middleware.GetReqID(r.Context()))
		message = "The server failed to answer this request. Try again; if it keeps failing, report it."
	}
	writeJSON(w, status, map[string]string{"error": message})
}

// writeJSON sends body as JSON that clients must not cache, because it
// depends on the learner.
func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
