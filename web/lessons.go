package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"learn/clientinfo"
	"learn/learner"
	"learn/lessons"
	"learn/library"
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
		Quizzes:  quizzesInCourseOrder(content.Course, content.Quizzes),
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

// handleLesson shows a lesson with the learner's progress in the sidebar.
// A learner made for this request has no progress, so they get the page
// from the page cache, rendered once per lesson and course version.
func (s *Server) handleLesson(w http.ResponseWriter, r *http.Request) {
	snapshot := s.library.Current()
	slug := chi.URLParam(r, "slug")
	lesson, ok := snapshot.Course.Lesson(slug)
	if !ok {
		if moved, found := snapshot.Course.LessonByAlias(slug); found {
			redirectPermanent(w, r, "/lessons/"+moved.Slug)
			return
		}
		s.fail(w, r, http.StatusNotFound, "Lesson not found",
			"No lesson is called \""+slug+"\". Pick one from the course outline.")
		return
	}

	if learner.IsNew(r.Context()) {
		s.serveNewLearnerLesson(w, r, snapshot, lesson)
		return
	}
	page := newLessonPage(snapshot.Content, lesson)
	_, page.Progress, _ = s.learnerScores(r.Context(), snapshot.Quizzes)
	s.render(w, r, http.StatusOK, "lesson", lesson.Title, page)
}

// serveCachedLesson serves from the page cache, before the router and
// its middleware, a request that the router would serve with the same
// bytes: a GET or HEAD of a cached lesson page from a visitor who sends
// no learner cookie. It reports whether it wrote a response. The router
// fills the cache, so the first such request for a lesson goes through
// the router.
//
// For such a request the middleware does three things, and this does
// them too: a request id, the security headers and the log line. The
// rate limits, the cross-origin check and the learner cookie do not
// apply to reading a lesson. TestCachedLessonSkipsRouter compares the
// two responses, so a new header in the middleware shows up there.
func (s *Server) serveCachedLesson(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	// chi routes by the escaped path when it differs from the decoded
	// one, and may then find no lesson, so such a path takes the router.
	slug, ok := strings.CutPrefix(r.URL.Path, "/lessons/")
	if !ok || r.URL.RawPath != "" || learner.HasCookie(r) {
		return false
	}
	page, ok := s.pageCache.get(s.library.Current(), slug)
	if !ok {
		return false
	}

	start := time.Now()
	h := w.Header()
	setSecurityHeaders(h, clientinfo.Resolve(r, s.behindProxy).Secure)
	h["Content-Type"] = htmlContentType
	h["Content-Length"] = page.contentLength
	w.WriteHeader(http.StatusOK)
	// For HEAD, net/http drops the body, and logRequest logs no bytes.
	n, _ := w.Write(page.body)
	end := time.Now()
	s.logRequest(r, s.requestIDs.next(), http.StatusOK, end, end.Sub(start), n)
	return true
}

// serveNewLearnerLesson writes the lesson page of a learner without
// progress from the page cache, rendering and storing it on a miss.
func (s *Server) serveNewLearnerLesson(w http.ResponseWriter, r *http.Request, snapshot *library.Snapshot, lesson *lessons.Lesson) {
	cached, ok := s.pageCache.get(snapshot, lesson.Slug)
	if !ok {
		page := newLessonPage(snapshot.Content, lesson)
		page.Progress = unansweredScores(snapshot.Quizzes)
		body, err := s.renderPage(snapshot, "lesson", lesson.Title, page)
		if err != nil {
			s.logger.Error("render page", "page", "lesson", "err", err, "method", r.Method,
				"path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
			s.failPlain(w, r)
			return
		}
		cached = s.pageCache.put(snapshot, lesson.Slug, body)
	}

	h := w.Header()
	h["Content-Type"] = htmlContentType
	h["Content-Length"] = cached.contentLength
	w.WriteHeader(http.StatusOK)
	w.Write(cached.body)
}

// newLessonPage returns the data of lesson's page, without progress.
func newLessonPage(content *library.Content, lesson *lessons.Lesson) lessonPage {
	page := lessonPage{Lesson: lesson, Outline: content.Course.Outline()}
	page.Prev, page.Next = content.Course.Neighbors(lesson.Slug)
	for _, q := range content.Quizzes {
		if q.Lesson == lesson.Slug {
			page.Quizzes = append(page.Quizzes, q)
		}
	}
	return page
}

func (s *Server) handlePlayground(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "playground", "Playground", nil)
}

// quizzesInCourseOrder returns the quizzes in the order of the lessons
// they practise, so that the practice list follows the course. Quizzes
// of no lesson, or of a lesson not shown, keep their order at the end.
func quizzesInCourseOrder(course *lessons.Course, quizzes []*quiz.Quiz) []*quiz.Quiz {
	position := make(map[string]int)
	for i, lesson := range course.Lessons() {
		position[lesson.Slug] = i
	}
	ordered := slices.Clone(quizzes)
	slices.SortStableFunc(ordered, func(a, b *quiz.Quiz) int {
		pa, okA := position[a.Lesson]
		pb, okB := position[b.Lesson]
		switch {
		case okA && okB:
			return pa - pb
		case okA:
			return -1
		case okB:
			return 1
		}
		return 0
	})
	return ordered
}
