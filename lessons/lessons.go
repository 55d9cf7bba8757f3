// Package lessons loads the course: one Markdown file with YAML front
// matter per lesson, rendered once at load time.
package lessons

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"learn/markdown"
)

// dir is the folder, relative to the root of the course file system, that
// contains the lesson files.
const dir = "lessons"

// slugPattern restricts slugs to what reads well in a URL path segment
// without escaping.
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Lesson is one page of the course.
type Lesson struct {
	Slug    string // file name without the .md extension
	Title   string
	Summary string
	Order   int

	// HTML is the rendered body. Raw HTML in the Markdown is not passed
	// through, so the value is safe to embed in a page.
	HTML string

	// TOC lists the lesson's h2 and h3 headings, for a table of contents.
	TOC []markdown.Heading
}

// Course is the ordered list of lessons.
type Course struct {
	lessons []*Lesson // sorted by Order, then by file name
	bySlug  map[string]*Lesson
}

// frontMatter is the YAML block at the top of a lesson file.
type frontMatter struct {
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	Order   int    `yaml:"order"`
}

// Load reads every lessons/*.md file in fsys. The error names each invalid
// file and what to fix in it. A course with no lesson files is an error.
func Load(fsys fs.FS) (*Course, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load lessons: %w", err)
	}

	course := &Course{bySlug: make(map[string]*Lesson)}
	fileNames := make(map[string]string) // slug to the file that defined it
	renderOpts := renderOptions()
	var errs []error
	for _, entry := range entries {
		if entry.IsDir() || !strings.EqualFold(path.Ext(entry.Name()), ".md") {
			continue
		}
		name := path.Join(dir, entry.Name())

		lesson, err := loadLesson(fsys, name, renderOpts)
		if err != nil {
			errs = append(errs, err)
			continue
		}

		if first, ok := fileNames[lesson.Slug]; ok {
			errs = append(errs, fmt.Errorf("%s: slug %q is already used by %s; rename one of the files", name, lesson.Slug, first))
			continue
		}
		fileNames[lesson.Slug] = name
		course.bySlug[lesson.Slug] = lesson
		course.lessons = append(course.lessons, lesson)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(course.lessons) == 0 {
		return nil, fmt.Errorf("no lessons found in %s/; add a Markdown file such as %s/introduction.md", dir, dir)
	}

	slices.SortStableFunc(course.lessons, func(a, b *Lesson) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(fileNames[a.Slug], fileNames[b.Slug]))
	})
	return course, nil
}

// loadLesson reads, validates and renders one lesson file. Its errors start
// with the file name.
func loadLesson(fsys fs.FS, name string, renderOpts []markdown.Option) (*Lesson, error) {
	slug := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if !slugPattern.MatchString(slug) {
		return nil, fmt.Errorf("%s: invalid file name: the part before .md becomes the URL slug, so use only lowercase letters, digits and hyphens, starting with a letter or digit", name)
	}

	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load lesson %s: %w", name, err)
	}
	meta, body, err := markdown.SplitFrontMatter(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; close the front matter with a line containing only ---", name, err)
	}

	// The leading newline stands for the opening --- line, so the line
	// numbers in YAML errors match the lines of the file.
	var fm frontMatter
	if err := markdown.DecodeFrontMatter(append([]byte("\n"), meta...), &fm); err != nil {
		return nil, fmt.Errorf("%s: %w; the front matter is YAML with the keys title (required), summary and order", name, err)
	}
	fm.Title = strings.TrimSpace(fm.Title)
	if fm.Title == "" {
		return nil, fmt.Errorf("%s: missing title; add a line such as \"title: Sessions\" to the front matter between the --- lines at the top", name)
	}

	doc, err := markdown.Render(body, renderOpts...)
	if err != nil {
		return nil, fmt.Errorf("render lesson %s: %w", name, err)
	}

	return &Lesson{
		Slug:    slug,
		Title:   fm.Title,
		Summary: strings.TrimSpace(fm.Summary),
		Order:   fm.Order,
		HTML:    doc.HTML,
		TOC:     doc.Headings,
	}, nil
}

// Lessons returns the lessons in course order. The caller must not modify
// the slice.
func (c *Course) Lessons() []*Lesson {
	return c.lessons
}

// Lesson returns the lesson with the given slug.
func (c *Course) Lesson(slug string) (*Lesson, bool) {
	lesson, ok := c.bySlug[slug]
	return lesson, ok
}

// Neighbors returns the lessons before and after slug in course order.
// Either is nil at an end of the course, and both are nil for an unknown
// slug.
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
