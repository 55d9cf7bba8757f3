package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"learn/clientinfo"
	"learn/learner"
	"learn/lessons"
	"learn/quiz"
)

// LearnerStore keeps recovery codes and deletes a learner's progress.
type LearnerStore interface {
	// SaveRecoveryCode stores the hash of the learner's recovery code and
	// replaces the learner's earlier code, which then no longer matches.
	SaveRecoveryCode(ctx context.Context, id learner.ID, codeHash string, createdAt time.Time) error

	// RecoveryCodeCreated returns when the learner's code was created,
	// and false when the learner has none.
	RecoveryCodeCreated(ctx context.Context, id learner.ID) (time.Time, bool, error)

	// LearnerByRecoveryCode returns the learner whose code has codeHash,
	// and false when no code matches.
	LearnerByRecoveryCode(ctx context.Context, codeHash string) (learner.ID, bool, error)

	// DeleteLearnerProgress deletes the learner's quiz attempts and
	// recovery code.
	DeleteLearnerProgress(ctx context.Context, id learner.ID) error
}

// LearnerDeleter deletes the data that another part of the site keeps
// about a learner. The playground implements it.
type LearnerDeleter interface {
	DeleteLearner(ctx context.Context, id learner.ID) error
}

// lessonProgress is a learner's score on the quizzes that practise one
// lesson.
type lessonProgress struct {
	Correct int // questions whose latest answer is right
	Total   int // questions in those quizzes
}

// Done reports whether every question of the lesson's quizzes is right.
func (p lessonProgress) Done() bool {
	return p.Total > 0 && p.Correct == p.Total
}

// lessonScores maps a lesson slug to the learner's progress on it. Only
// lessons with a quiz have an entry.
type lessonScores map[string]lessonProgress

// Of returns the progress on the lesson with slug, or nil when no quiz
// practises it.
func (m lessonScores) Of(slug string) *lessonProgress {
	p, ok := m[slug]
	if !ok {
		return nil
	}
	return &p
}

// outlineItem is one lesson of the outline with the learner's progress.
type outlineItem struct {
	Lesson   *lessons.Lesson
	Progress *lessonProgress
}

// Item returns the outline entry of lesson.
func (m lessonScores) Item(lesson *lessons.Lesson) outlineItem {
	return outlineItem{Lesson: lesson, Progress: m.Of(lesson.Slug)}
}

// learnerScores returns the request learner's score on each quiz, by quiz
// id, and the sum over the quizzes of each lesson, by the quizzes' lesson
// key. A failed load is logged by loadProgress and returns the error.
func (s *Server) learnerScores(ctx context.Context, quizzes []*quiz.Quiz) (map[string]quiz.Score, lessonScores, error) {
	byQuiz := make(map[string]quiz.Score, len(quizzes))
	byLesson := make(lessonScores)
	for _, q := range quizzes {
		progress, err := s.loadProgress(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		score := quiz.ScoreOf(progress)
		byQuiz[q.ID] = score
		byLesson.add(q, score)
	}
	return byQuiz, byLesson, nil
}

// unansweredScores returns the lesson scores of a learner who has answered
// no question, as learnerScores returns them for such a learner.
func unansweredScores(quizzes []*quiz.Quiz) lessonScores {
	byLesson := make(lessonScores)
	for _, q := range quizzes {
		byLesson.add(q, quiz.ScoreOf(q.Progress(nil)))
	}
	return byLesson
}

// add counts score on quiz q towards the lesson that q practises, if any.
func (m lessonScores) add(q *quiz.Quiz, score quiz.Score) {
	if q.Lesson == "" {
		return
	}
	lesson := m[q.Lesson]
	lesson.Correct += score.Correct
	lesson.Total += score.Total
	m[q.Lesson] = lesson
}

// progressPage is the data of the progress template.
type progressPage struct {
	Quizzes []*quiz.Quiz
	Scores  map[string]quiz.Score

	// NewCode is a recovery code created by this request. It is shown
	// once, because only its hash is stored.
	NewCode     string
	HasCode     bool
	CodeCreated time.Time

	// ReplacesToken names the code that the create form replaces, so that
	// a reloaded form, whose code was already replaced, changes nothing.
	ReplacesToken string
	// CodeExistsNotice marks a create request that named an older code.
	CodeExistsNotice bool

	Restored     bool   // this browser has just restored its progress
	RestoreError string // the reason the submitted code was rejected
}

func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) {
	s.renderProgress(w, r, http.StatusOK, progressPage{Restored: r.URL.Query().Get("restored") == "1"})
}

// renderProgress fills in the learner's scores and recovery code state
// and renders the progress page. No response of it may be cached, because
// it can contain a recovery code.
func (s *Server) renderProgress(w http.ResponseWriter, r *http.Request, status int, page progressPage) {
	id, _ := learner.FromContext(r.Context())
	page.Quizzes = s.library.Current().Quizzes

	scores, _, err := s.learnerScores(r.Context(), page.Quizzes)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "Progress unavailable",
			"Your saved answers could not be loaded. Try again in a moment.")
		return
	}
	page.Scores = scores

	created, found, err := s.learnerStore.RecoveryCodeCreated(r.Context(), id)
	if err != nil {
		s.logger.Error("load recovery code", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Progress unavailable",
			"Your recovery code could not be loaded. Try again in a moment.")
		return
	}
	page.HasCode, page.CodeCreated = found, created
	if found {
		page.ReplacesToken = replacesToken(created)
	}

	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "progress", "Your progress", page)
}

// handleCreateRecoveryCode creates a recovery code for the learner,
// replacing any earlier one, and shows it once.
//
// The form names the code it replaces. A reload of the page that showed
// a new code sends the form again with the name of the code before it,
// so it changes nothing and the code the learner just saw keeps working.
func (s *Server) handleCreateRecoveryCode(w http.ResponseWriter, r *http.Request) {
	id, _ := learner.FromContext(r.Context())
	if !s.parseSmallForm(w, r) {
		return
	}
	created, found, err := s.learnerStore.RecoveryCodeCreated(r.Context(), id)
	if err != nil {
		s.logger.Error("read recovery code", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Recovery code not created",
			"The recovery code could not be read, and any earlier code still works. Try again in a moment.")
		return
	}
	if found && r.PostForm.Get("replaces") != replacesToken(created) {
		s.renderProgress(w, r, http.StatusConflict, progressPage{CodeExistsNotice: true})
		return
	}

	code := learner.NewRecoveryCode()
	hash, err := learner.HashRecoveryCode(code)
	if err == nil {
		err = s.learnerStore.SaveRecoveryCode(r.Context(), id, hash, time.Now().UTC())
	}
	if err != nil {
		s.logger.Error("save recovery code", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Recovery code not created",
			"The recovery code could not be saved, and any earlier code still works. Try again in a moment.")
		return
	}
	s.logger.Info("recovery code created", "request_id", middleware.GetReqID(r.Context()))
	s.renderProgress(w, r, http.StatusOK, progressPage{NewCode: code})
}

// replacesToken names the recovery code created at created.
func replacesToken(created time.Time) string {
	return strconv.FormatInt(created.UnixNano(), 10)
}

// handleRestoreProgress switches this browser to the learner whose
// recovery code the form carries.
func (s *Server) handleRestoreProgress(w http.ResponseWriter, r *http.Request) {
	if !s.parseSmallForm(w, r) {
		return
	}

	hash, err := learner.HashRecoveryCode(r.PostForm.Get("code"))
	var id learner.ID
	found := false
	if err == nil {
		id, found, err = s.learnerStore.LearnerByRecoveryCode(r.Context(), hash)
		if err != nil {
			s.logger.Error("look up recovery code", "err", err, "request_id", middleware.GetReqID(r.Context()))
			s.fail(w, r, http.StatusServiceUnavailable, "Progress not restored",
				"The recovery code could not be checked. Try again in a moment.")
			return
		}
	}
	if !found {
		s.logger.Info("recovery code rejected", "client", clientinfo.FromRequest(r).Addr, "request_id", middleware.GetReqID(r.Context()))
		s.renderProgress(w, r, http.StatusBadRequest, progressPage{
			RestoreError: "That recovery code is not valid. Check it for typing errors, or create a new code in the browser that has your progress.",
		})
		return
	}

	if err := s.learners.SetCookie(w, r, id); err != nil {
		s.logger.Error("set learner cookie", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusInternalServerError, "Progress not restored",
			"This browser could not be switched to your progress. Try again.")
		return
	}
	s.logger.Info("progress restored with a recovery code", "request_id", middleware.GetReqID(r.Context()))
	http.Redirect(w, r, "/progress?restored=1", http.StatusSeeOther)
}

// deletePage is the data of the progress-delete template.
type deletePage struct {
	Deleted bool   // the data is gone and the browser has a new learner id
	Error   string // the reason the confirmation was rejected
}

func (s *Server) handleDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "progress-delete", "Delete all my data", deletePage{})
}

// handleDeleteData deletes everything the site keeps about the learner,
// then gives the browser a new learner id. The form must carry
// confirm=delete, which only the confirmation page's form sends.
func (s *Server) handleDeleteData(w http.ResponseWriter, r *http.Request) {
	if !s.parseSmallForm(w, r) {
		return
	}
	if r.PostForm.Get("confirm") != "delete" {
		s.render(w, r, http.StatusBadRequest, "progress-delete", "Delete all my data", deletePage{
			Error: "Nothing was deleted because the form was not confirmed. Press the button below to delete your data.",
		})
		return
	}

	id, _ := learner.FromContext(r.Context())
	err := s.learnerStore.DeleteLearnerProgress(r.Context(), id)
	if err == nil {
		err = s.playgroundData.DeleteLearner(r.Context(), id)
	}
	if err != nil {
		s.logger.Error("delete learner data", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Data not deleted",
			"Deleting your data failed, possibly part way. Try again: deleting again is safe.")
		return
	}

	if err := s.learners.SetCookie(w, r, learner.NewID()); err != nil {
		s.logger.Error("set learner cookie", "err", err, "request_id", middleware.GetReqID(r.Context()))
	}
	s.logger.Info("learner data deleted", "request_id", middleware.GetReqID(r.Context()))
	s.render(w, r, http.StatusOK, "progress-delete", "Your data is deleted", deletePage{Deleted: true})
}

func (s *Server) handlePrivacy(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "privacy", "Privacy", nil)
}

// parseSmallForm reads a form of at most maxFormBytes. On failure it
// writes the error page, 413 for a larger body and 400 otherwise, and
// returns false.
func (s *Server) parseSmallForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "Form too large",
				"A form on this site is at most 16 KB. Reload the page, check what you typed, and submit it again.")
			return false
		}
		s.fail(w, r, http.StatusBadRequest, "Invalid form",
			"The form could not be read. Reload the page and submit it again.")
		return false
	}
	return true
}
