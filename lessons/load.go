package lessons

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"learn/markdown"
)

// Dir is the folder, relative to the root of the course file system, that
// contains the lesson files and section folders.
const Dir = "lessons"

// IndexFile is the name of the file that makes a folder a section.
const IndexFile = "_index.md"

// DateLayout is the layout of the updated key, as time.Parse reads it.
const DateLayout = "2006-01-02"

// slugPattern restricts slugs to what reads well in a URL path segment
// without escaping.
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ValidSlug reports whether s can be a lesson slug or section folder name:
// lowercase letters, digits and hyphens, starting with a letter or digit.
func ValidSlug(s string) bool {
	return slugPattern.MatchString(s)
}

// lessonMeta is the front matter of a lesson file.
type lessonMeta struct {
	Title   string
	Summary string
	Order   int
	Slug    string
	Draft   bool
	Tags    []string
	Updated string
	Aliases []markdown.Alias
}

func (m *lessonMeta) fields() []field {
	return []field{
		{"title", "text, such as \"title: Sessions\"", &m.Title},
		{"summary", "one sentence of text", &m.Summary},
		{"order", "a whole number, such as 3", &m.Order},
		{"slug", "lowercase letters, digits and hyphens", &m.Slug},
		{"draft", "true or false", &m.Draft},
		{"tags", "a list of words, such as [jwt, cookies]", &m.Tags},
		{"updated", "a date as YYYY-MM-DD, such as 2025-03-14", &m.Updated},
		{"aliases", "a list of old slugs, such as [choosing-a-strategy]", &m.Aliases},
	}
}

// sectionMeta is the front matter of a section's _index.md file.
type sectionMeta struct {
	Title   string
	Summary string
	Order   int
}

func (m *sectionMeta) fields() []field {
	return []field{
		{"title", "text, such as \"title: Tokens\"", &m.Title},
		{"summary", "one sentence of text", &m.Summary},
		{"order", "a whole number, such as 3", &m.Order},
	}
}

// pendingBody is a lesson or section body that is parsed but not yet
// rendered, because its relative links can only be resolved once every
// file is known.
type pendingBody struct {
	path   string
	source []byte
	doc    ast.Node
	html   *string // destination of the rendered HTML
	lesson *Lesson // the lesson the body belongs to, or nil for a section
}

// loader collects the files of one course and every problem found in
// them, so that the error from Load lists all of them at once.
type loader struct {
	fsys     fs.FS
	md       goldmark.Markdown
	outline  []Entry
	lessons  []*Lesson // every parsed lesson in file path order
	sections []*Section
	bodies   []pendingBody
	aliases  map[*Lesson][]markdown.Alias // the valid aliases of each lesson, with their positions
	errs     []error
}

// Load reads the course in fsys: every lessons/*.md file, and every
// lessons/FOLDER/*.md file of a folder that contains an _index.md. The
// error lists each problem as a *markdown.FileError with the file, line
// and what to fix. A course with no lesson files is an error.
func Load(fsys fs.FS) (*Course, error) {
	course, err := LoadPartial(fsys)
	if err != nil {
		return nil, err
	}
	return course, nil
}

// LoadPartial loads the course like Load, but when some files are invalid
// it returns, along with the error, the course built from the valid ones,
// so that a checker can go on to check their links. The course is nil
// only when no lesson could be loaded.
func LoadPartial(fsys fs.FS) (*Course, error) {
	l := &loader{fsys: fsys, md: markdown.New(renderOptions()...), aliases: make(map[*Lesson][]markdown.Alias)}
	entries, err := fs.ReadDir(fsys, Dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load lessons: %w", err)
	}

	for _, entry := range entries {
		name := path.Join(Dir, entry.Name())
		switch {
		case entry.IsDir():
			l.loadSection(name)
		case entry.Name() == IndexFile:
			l.errorf(name, 0, 0, "an %s file at the top of %s/ belongs to no section; move it into a section folder, or delete it", IndexFile, Dir)
		case isMarkdown(entry.Name()):
			if lesson := l.parseLesson(name, nil); lesson != nil {
				l.outline = append(l.outline, Entry{Lesson: lesson})
			}
		}
	}

	l.dropDuplicateSlugs()
	l.dropClashingAliases()
	l.renderBodies()
	sortOutline(l.outline)
	course := newCourse(l.outline)

	if len(course.lessons) == 0 && len(l.errs) == 0 {
		return nil, fmt.Errorf("no lessons found in %s/; add a Markdown file such as %s/introduction.md", Dir, Dir)
	}
	if len(course.lessons) == 0 {
		return nil, errors.Join(l.errs...)
	}
	return course, errors.Join(l.errs...)
}

func isMarkdown(name string) bool {
	return strings.EqualFold(path.Ext(name), ".md")
}

func (l *loader) errorf(name string, line, col int, format string, args ...any) {
	l.errs = append(l.errs, markdown.Errorf(name, line, col, format, args...))
}

// loadSection loads a folder of lessons. A folder without _index.md and
// without Markdown files, such as a folder of images, is skipped.
func (l *loader) loadSection(folder string) {
	entries, err := fs.ReadDir(l.fsys, folder)
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("load section %s: %w", folder, err))
		return
	}
	hasIndex := slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return e.Name() == IndexFile })
	hasLessons := slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return !e.IsDir() && isMarkdown(e.Name()) })
	switch {
	case !hasIndex && !hasLessons:
		return
	case !hasIndex:
		l.errorf(folder, 0, 0, "section folder has no %s; add one with a line such as \"title: Tokens\" in its front matter", IndexFile)
		return
	case !ValidSlug(path.Base(folder)):
		l.errorf(folder, 0, 0, "invalid section folder name; use only lowercase letters, digits and hyphens, starting with a letter or digit, because it becomes the section's anchor in the outline")
		return
	}

	section := l.parseSection(path.Join(folder, IndexFile))
	if section == nil {
		return
	}
	for _, entry := range entries {
		name := path.Join(folder, entry.Name())
		switch {
		case entry.IsDir():
			if l.containsMarkdown(name) {
				l.errorf(name, 0, 0, "lessons in a folder inside a section are not loaded, because sections do not nest; move them up into %s", folder)
			}
		case entry.Name() != IndexFile && isMarkdown(entry.Name()):
			if lesson := l.parseLesson(name, section); lesson != nil {
				section.Lessons = append(section.Lessons, lesson)
			}
		}
	}
	l.outline = append(l.outline, Entry{Section: section})
}

// containsMarkdown reports whether a folder or any folder below it
// contains a Markdown file.
func (l *loader) containsMarkdown(folder string) bool {
	found := false
	fs.WalkDir(l.fsys, folder, func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isMarkdown(name) {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// readFrontMatter reads a content file and splits it. It records the
// problem and returns ok false when the file cannot be read or its front
// matter is not closed.
func (l *loader) readFrontMatter(name string) (meta, body []byte, ok bool) {
	src, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("load %s: %w", name, err))
		return nil, nil, false
	}
	meta, body, err = markdown.SplitFrontMatter(src)
	if err != nil {
		l.errorf(name, 1, 1, "%w; close the front matter with a line containing only ---", err)
		return nil, nil, false
	}
	return meta, body, true
}

func (l *loader) parseSection(name string) *Section {
	meta, body, ok := l.readFrontMatter(name)
	if !ok {
		return nil
	}
	var m sectionMeta
	_, errs := decodeFrontMatter(name, meta, m.fields())
	if len(errs) > 0 {
		l.errs = append(l.errs, errs...)
		return nil
	}
	m.Title = strings.TrimSpace(m.Title)
	if m.Title == "" {
		l.errorf(name, 1, 1, "missing title; add a line such as \"title: Tokens\" to the front matter between the --- lines at the top")
		return nil
	}

	section := &Section{
		Slug:    path.Base(path.Dir(name)),
		Title:   m.Title,
		Summary: strings.TrimSpace(m.Summary),
		Order:   m.Order,
		Path:    name,
	}
	l.sections = append(l.sections, section)
	l.bodies = append(l.bodies, pendingBody{path: name, source: body, doc: l.parse(body), html: &section.IntroHTML})
	return section
}

// parseLesson reads, validates and parses one lesson file. It records
// every problem and returns nil when there is one.
func (l *loader) parseLesson(name string, section *Section) *Lesson {
	meta, body, ok := l.readFrontMatter(name)
	if !ok {
		return nil
	}
	var m lessonMeta
	positions, errs := decodeFrontMatter(name, meta, m.fields())

	m.Title = strings.TrimSpace(m.Title)
	if m.Title == "" && len(errs) == 0 {
		errs = append(errs, markdown.Errorf(name, 1, 1, "missing title; add a line such as \"title: Sessions\" to the front matter between the --- lines at the top"))
	}

	slug := strings.TrimSpace(m.Slug)
	if at, ok := positions["slug"]; ok && !ValidSlug(slug) {
		errs = append(errs, markdown.Errorf(name, at.line, at.col, "invalid slug %q; use only lowercase letters, digits and hyphens, starting with a letter or digit", slug))
	}
	if slug == "" {
		slug = strings.TrimSuffix(path.Base(name), path.Ext(name))
		if !ValidSlug(slug) {
			errs = append(errs, markdown.Errorf(name, 0, 0, "invalid file name: the part before .md becomes the URL slug, so use only lowercase letters, digits and hyphens, starting with a letter or digit, or set a slug in the front matter"))
		}
	}

	aliases, aliasErrs := checkAliases(name, slug, m.Aliases)
	errs = append(errs, aliasErrs...)

	var updated time.Time
	if at, ok := positions["updated"]; ok && m.Updated != "" {
		var err error
		updated, err = time.Parse(DateLayout, m.Updated)
		if err != nil {
			errs = append(errs, markdown.Errorf(name, at.line, at.col, "%w: invalid updated %q; write a date as YYYY-MM-DD, such as 2025-03-14", markdown.ErrFrontMatter, m.Updated))
		}
	}
	if len(errs) > 0 {
		l.errs = append(l.errs, errs...)
		return nil
	}

	doc := l.parse(body)
	lesson := &Lesson{
		Slug:     slug,
		Title:    m.Title,
		Summary:  strings.TrimSpace(m.Summary),
		Order:    m.Order,
		Draft:    m.Draft,
		Tags:     cleanTags(m.Tags),
		Updated:  updated,
		Aliases:  aliasNames(aliases),
		Path:     name,
		Section:  section,
		Headings: headings(doc, body),
		Text:     bodyText(doc, body),
	}
	l.lessons = append(l.lessons, lesson)
	l.aliases[lesson] = aliases
	l.bodies = append(l.bodies, pendingBody{path: name, source: body, doc: doc, html: &lesson.HTML, lesson: lesson})
	return lesson
}

func (l *loader) parse(body []byte) ast.Node {
	return l.md.Parser().Parse(text.NewReader(body))
}

// cleanTags trims the tags and drops empty ones.
func cleanTags(tags []string) []string {
	var out []string
	for _, tag := range tags {
		if tag = strings.TrimSpace(tag); tag != "" {
			out = append(out, tag)
		}
	}
	return out
}

// dropDuplicateSlugs reports every lesson whose slug another file already
// uses, and removes it from the outline. A lesson whose file name is its
// slug keeps it, so that a new file claiming an existing lesson's slug in
// its front matter is the one blamed; otherwise the first path wins.
func (l *loader) dropDuplicateSlugs() {
	ownsSlug := func(lesson *Lesson) bool {
		return strings.TrimSuffix(path.Base(lesson.Path), path.Ext(lesson.Path)) == lesson.Slug
	}
	slices.SortFunc(l.lessons, func(a, b *Lesson) int {
		if ownsSlug(a) != ownsSlug(b) {
			if ownsSlug(a) {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Path, b.Path)
	})
	first := make(map[string]*Lesson)
	duplicate := make(map[*Lesson]bool)
	for _, lesson := range l.lessons {
		if earlier, ok := first[lesson.Slug]; ok {
			l.errorf(lesson.Path, 0, 0, "slug %q is already used by %s; slugs must be unique across sections, so rename one of the files or set a slug in its front matter", lesson.Slug, earlier.Path)
			duplicate[lesson] = true
			continue
		}
		first[lesson.Slug] = lesson
	}
	if len(duplicate) == 0 {
		return
	}

	isDuplicate := func(lesson *Lesson) bool { return duplicate[lesson] }
	l.lessons = slices.DeleteFunc(l.lessons, isDuplicate)
	l.bodies = slices.DeleteFunc(l.bodies, func(b pendingBody) bool { return duplicate[b.lesson] })
	l.outline = slices.DeleteFunc(l.outline, func(e Entry) bool { return e.Lesson != nil && duplicate[e.Lesson] })
	for _, section := range l.sections {
		section.Lessons = slices.DeleteFunc(section.Lessons, isDuplicate)
	}
}

// renderBodies rewrites relative links between content files into page
// URLs, then renders every body.
func (l *loader) renderBodies() {
	urls := make(map[string]string)
	for _, lesson := range l.lessons {
		urls[lesson.Path] = "/lessons/" + lesson.Slug
	}
	for _, section := range l.sections {
		urls[section.Path] = "/#" + section.Slug
	}

	for _, b := range l.bodies {
		rewriteFileLinks(b.doc, b.path, urls)
		var html bytes.Buffer
		if err := l.md.Renderer().Render(&html, b.source, b.doc); err != nil {
			l.errs = append(l.errs, fmt.Errorf("render %s: %w", b.path, err))
			continue
		}
		*b.html = html.String()
	}
}

// sortOutline sorts the top level and each section's lessons by order,
// then by file or folder name.
func sortOutline(outline []Entry) {
	byOrderThenName := func(orderA, orderB int, pathA, pathB string) int {
		return cmp.Or(cmp.Compare(orderA, orderB), cmp.Compare(pathA, pathB))
	}
	for _, entry := range outline {
		if entry.Section != nil {
			slices.SortStableFunc(entry.Section.Lessons, func(a, b *Lesson) int {
				return byOrderThenName(a.Order, b.Order, a.Path, b.Path)
			})
		}
	}
	slices.SortStableFunc(outline, func(a, b Entry) int {
		orderA, nameA := a.sortKey()
		orderB, nameB := b.sortKey()
		return byOrderThenName(orderA, orderB, nameA, nameB)
	})
}

// sortKey returns the order and the file or folder name of an entry.
func (e Entry) sortKey() (int, string) {
	if e.Section != nil {
		return e.Section.Order, e.Section.Slug
	}
	return e.Lesson.Order, path.Base(e.Lesson.Path)
}

func (e Entry) order() int {
	order, _ := e.sortKey()
	return order
}
