// Package lessons loads the course: one Markdown file with YAML front
// matter per lesson, optionally grouped into section folders, rendered once
// at load time.
package lessons

import (
	"slices"
	"time"
)

// Lesson is one page of the course.
type Lesson struct {
	Slug    string // from front matter, or the file name without .md
	Title   string
	Summary string
	Order   int
	Draft   bool      // hidden unless the server shows drafts
	Tags    []string  // in the order the author wrote them
	Updated time.Time // date of the last real change, or zero
	Aliases []string  // old slugs whose URLs redirect to this lesson
	Path    string    // file path in the course file system, such as lessons/jwt/signing.md
	Section *Section  // nil for a lesson at the top level of lessons/

	// Headings lists the body's headings in document order, each with the
	// id that the rendered HTML gives it.
	Headings []Heading

	// Text is the plain text of the body's paragraphs, lists, tables and
	// quotes, without headings and code blocks, for search.
	Text string

	// HTML is the rendered body. Raw HTML in the Markdown is not passed
	// through, so the value is safe to embed in a page.
	HTML string
}

// TOC returns the lesson's h2 and h3 headings, for a table of contents.
func (l *Lesson) TOC() []Heading {
	var toc []Heading
	for _, h := range l.Headings {
		if h.Level == 2 || h.Level == 3 {
			toc = append(toc, h)
		}
	}
	return toc
}

// Heading is one heading of a lesson body.
type Heading struct {
	Level int // 1 to 6
	ID    string
	Text  string // without markup
}

// Section is a folder of lessons with an _index.md file.
type Section struct {
	Slug      string // the folder name
	Title     string
	Summary   string
	Order     int
	Path      string // path of its _index.md file
	IntroHTML string // rendered body of _index.md, or ""
	Lessons   []*Lesson
}

// Entry is one item at the top level of the outline: either a section or
// a lesson outside any section.
type Entry struct {
	Section *Section
	Lesson  *Lesson
}

// Course is the ordered outline of sections and lessons.
type Course struct {
	outline []Entry
	lessons []*Lesson // every lesson in reading order
	bySlug  map[string]*Lesson
	byAlias map[string]*Lesson
}

// newCourse builds a course from an outline that is already sorted.
func newCourse(outline []Entry) *Course {
	c := &Course{outline: outline, bySlug: make(map[string]*Lesson), byAlias: make(map[string]*Lesson)}
	for _, entry := range outline {
		if entry.Section != nil {
			c.lessons = append(c.lessons, entry.Section.Lessons...)
		} else {
			c.lessons = append(c.lessons, entry.Lesson)
		}
	}
	for _, lesson := range c.lessons {
		c.bySlug[lesson.Slug] = lesson
		for _, alias := range lesson.Aliases {
			c.byAlias[alias] = lesson
		}
	}
	return c
}

// Outline returns the top level of the course in order: sections, each
// with its lessons, and lessons outside any section. The caller must not
// modify the slice.
func (c *Course) Outline() []Entry {
	return c.outline
}

// Lessons returns every lesson in reading order: the lessons of each
// section in turn, with the top-level lessons in their place. The caller
// must not modify the slice.
func (c *Course) Lessons() []*Lesson {
	return c.lessons
}

// Lesson returns the lesson with the given slug.
func (c *Course) Lesson(slug string) (*Lesson, bool) {
	lesson, ok := c.bySlug[slug]
	return lesson, ok
}

// LessonByAlias returns the lesson that lists slug among its aliases. A
// draft lesson's aliases are not in a Published course.
func (c *Course) LessonByAlias(slug string) (*Lesson, bool) {
	lesson, ok := c.byAlias[slug]
	return lesson, ok
}

// Neighbors returns the lessons before and after slug in reading order,
// across section boundaries. Either is nil at an end of the course, and
// both are nil for an unknown slug.
func (c *Course) Neighbors(slug string) (prev, next *Lesson) {
	i := slices.IndexFunc(c.lessons, func(l *Lesson) bool { return l.Slug == slug })
	if i < 0 {
		return nil, nil
	}
	if i > 0 {
		prev = c.lessons[i-1]
	}
	if i+1 < len(c.lessons) {
		next = c.lessons[i+1]
	}
	return prev, next
}

// Published returns the course without its draft lessons. A section whose
// lessons are all drafts is left out too. The lessons are shared with c,
// so a lesson's Section field still points to the section as loaded, with
// its drafts.
func (c *Course) Published() *Course {
	var outline []Entry
	for _, entry := range c.outline {
		if entry.Lesson != nil {
			if !entry.Lesson.Draft {
				outline = append(outline, entry)
			}
			continue
		}

		section := *entry.Section
		section.Lessons = slices.DeleteFunc(slices.Clone(section.Lessons), func(l *Lesson) bool { return l.Draft })
		if len(section.Lessons) > 0 {
			outline = append(outline, Entry{Section: &section})
		}
	}
	return newCourse(outline)
}
