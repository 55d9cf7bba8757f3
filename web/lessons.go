package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"learn/lessons"
	"learn/quiz"
)

type indexPage struct {
	Outline  []lessons.Entry
	Quizzes  []*quiz.Quiz
	Scores   map[string]quiz.Score // the learner's score by quiz id
	Progress lessonScores
}

// handleIndex shows the outline with the learner's progress. When the
// progress cannot be loaded, the outline is shown without it.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	content := s.library.Current()
	scores, progress, _ := s.learnerScores(r.Context(), content.Quizzes)
	s.render(w, r, http.StatusOK, "index", "", indexPage{
		Outline:  content.Course.Outline(),
		Quizzes:  content.Quizzes,
		Scores:   scores,
		Progress: progress,
	})
}

type lessonPage struct {
	Lesson  *lessons.Lesson
	Prev    *lessons.Lesson
	Next    *lessons.Lesson
	Quizzes []*quiz.Quiz // quizzes that practise this lesson
	Outline []lessons.Entry

	// Progress is the learner's progress per lesson, for the sidebar.
	Progress lessonScores
}

func (s *Server) handleLesson(w http.ResponseWriter, r *http.Request) {
	content := s.library.Current()
	slug := chi.URLParam(r, "slug")
	lesson, ok := content.Course.Lesson(slug)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "Lesson not found",
			"No lesson is called \""+slug+"\". Pick one from the course outline.")
		return
	}

	page := lessonPage{Lesson: lesson, Outline: content.Course.Outline()}
	_, page.Progress, _ = s.learnerScores(r.Context(), content.Quizzes)
	page.Prev, page.Next = content.Course.Neighbors(slug)
	for _, q := range content.Quizzes {
		if q.Lesson == slug {
			page.Quizzes = append(page.Quizzes, q)
		}
	}
	s.render(w, r, http.StatusOK, "lesson", lesson.Title, page)
}

func (s *Server) handlePlayground(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "playground", "Playground", nil)
}
