package check

import (
	"learn/lessons"
	"learn/quiz"
)

// siteMap lists what internal links may point at.
type siteMap struct {
	lessons      map[string]*lessons.Lesson // by slug
	lessonFiles  map[string]*lessons.Lesson // by file path
	sectionFiles map[string]*lessons.Section
	sections     map[string]bool // section slugs, the anchors of the outline
	quizzes      map[string]*quiz.Quiz

	// quizzesLoaded is false when quiz.Load failed and quizzes is empty,
	// so that links to quizzes are not reported as broken on top of it.
	quizzesLoaded bool
}

func newSiteMap(course *lessons.Course, quizzes []*quiz.Quiz, quizzesLoaded bool) *siteMap {
	m := &siteMap{
		lessons:       make(map[string]*lessons.Lesson),
		lessonFiles:   make(map[string]*lessons.Lesson),
		sectionFiles:  make(map[string]*lessons.Section),
		sections:      make(map[string]bool),
		quizzes:       make(map[string]*quiz.Quiz),
		quizzesLoaded: quizzesLoaded,
	}
	for _, lesson := range course.Lessons() {
		m.lessons[lesson.Slug] = lesson
		m.lessonFiles[lesson.Path] = lesson
	}
	for _, entry := range course.Outline() {
		if entry.Section != nil {
			m.sectionFiles[entry.Section.Path] = entry.Section
			m.sections[entry.Section.Slug] = true
		}
	}
	for _, q := range quizzes {
		m.quizzes[q.ID] = q
	}
	return m
}

// hasHeading reports whether the lesson has a heading with the given id.
func hasHeading(lesson *lessons.Lesson, id string) bool {
	for _, h := range lesson.Headings {
		if h.ID == id {
			return true
		}
	}
	return false
}

// hasQuestion reports whether the quiz has a question with the given id.
func hasQuestion(q *quiz.Quiz, id string) bool {
	_, ok := q.Question(id)
	return ok
}
