package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"learn/lessons"
	"learn/quiz"
)

type indexPage struct {
	Outline []lessons.Entry
	Quizzes []*quiz.Quiz
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	content := s.library.Current()
	s.render(w, r, http.StatusOK, "index", "", indexPage{
		Outline: content.Course.Outline(),
		Quizzes: content.Quizzes,
	})
}

type lessonPage struct {
	Lesson  *lessons.Lesson
	Prev    *lessons.Lesson
	Next    *lessons.Lesson
	Quizzes []*quiz.Quiz // quizzes that practise this lesson
	Outline []lessons.Entry
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
