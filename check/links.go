package check

import (
	"bytes"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"learn/lessons"
	"learn/markdown"
)

// page is a lesson or section file whose body is being checked.
type page struct {
	path   string
	src    []byte // the whole file
	body   []byte // the Markdown after the front matter
	lesson *lessons.Lesson
}

// position returns the line and column in the file of a byte offset in
// the body.
func (p *page) position(offset int) (line, col int) {
	return markdown.Position(p.src, markdown.BodyOffset(p.src, p.body)+offset)
}

// checkBodies checks the links, images, playground blocks and d2 diagrams
// of every lesson and section intro that loaded.
func (c *checker) checkBodies(course *lessons.Course) {
	md := markdown.New()
	var pages []*page
	for _, entry := range course.Outline() {
		if entry.Section != nil {
			pages = append(pages, &page{path: entry.Section.Path})
		}
	}
	for _, lesson := range course.Lessons() {
		pages = append(pages, &page{path: lesson.Path, lesson: lesson})
	}

	for _, p := range pages {
		src, body, err := c.readBody(p.path)
		if err != nil {
			c.add(p.path, 1, 1, "read for link checks: %v", err)
			continue
		}
		p.src, p.body = src, body

		doc := md.Parser().Parse(text.NewReader(body))
		c.addDiagramErrors(p.path, src, body, doc)
		ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.Link:
				line, col := p.position(linkStart(n, body, false))
				c.checkLink(p, string(n.Destination), false, line, col)
			case *ast.Image:
				line, col := p.position(linkStart(n, body, true))
				c.checkLink(p, string(n.Destination), true, line, col)
			case *ast.FencedCodeBlock:
				c.checkFencedBlock(p, n)
			case *ast.Heading:
				if n.Level == 1 {
					line, col := p.position(blockStart(n))
					c.add(p.path, line, col, "level-1 heading %q; the page prints the title from the front matter as its only level-1 heading, so start headings at ##", markdown.PlainText(n, body))
				}
			case *markdown.TryIt:
				// markdown.New turns ```playground blocks into TryIt nodes.
				c.checkFencedBlock(p, n.Block)
			}
			return ast.WalkContinue, nil
		})
	}
}

// linkStart returns the offset of the "[" or "![" that opens a link or
// image, found by searching back from its first text. A link without text
// is placed at the start of its block.
func linkStart(n ast.Node, body []byte, image bool) int {
	var first *ast.Text
	ast.Walk(n, func(child ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := child.(*ast.Text); ok && entering && first == nil {
			first = t
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if first == nil {
		return blockStart(n)
	}

	start := first.Segment.Start
	open := bytes.LastIndexByte(body[:start], '[')
	if open < 0 {
		return start
	}
	if image && open > 0 && body[open-1] == '!' {
		open--
	}
	return open
}

// blockStart returns the offset of the first line of the block that
// contains n.
func blockStart(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

// checkFencedBlock reports a ```playground block without a scenario name
// or with one that Options.Scenarios does not list.
func (c *checker) checkFencedBlock(p *page, n *ast.FencedCodeBlock) {
	if n.Info == nil {
		return
	}
	fields := strings.Fields(string(n.Info.Segment.Value(p.body)))
	if len(fields) == 0 || fields[0] != "playground" {
		return
	}

	line, col := p.position(n.Info.Segment.Start)
	known := strings.Join(c.opts.Scenarios, ", ")
	switch {
	case len(fields) < 2:
		c.add(p.path, line, col, "playground block without a scenario; name one after playground, such as ```playground %s (known: %s)", firstOr(c.opts.Scenarios, "NAME"), known)
	case !slices.Contains(c.opts.Scenarios, fields[1]):
		c.add(p.path, line, col, "unknown playground scenario %q; use one of %s", fields[1], known)
	}
}

func firstOr(list []string, fallback string) string {
	if len(list) == 0 {
		return fallback
	}
	return list[0]
}

// checkLink reports a link or image in page p that points nowhere.
func (c *checker) checkLink(p *page, destination string, image bool, line, col int) {
	u, err := url.Parse(destination)
	if err != nil {
		c.add(p.path, line, col, "invalid link %q: %v", destination, err)
		return
	}

	switch {
	case u.Scheme != "" || u.Host != "":
		// The Content-Security-Policy allows images from the site only.
		if image {
			c.add(p.path, line, col, "external image %q is blocked by the site's Content-Security-Policy; save the image next to the lesson and link it by a relative path", destination)
		}
	case u.Path == "" && u.Fragment != "":
		if p.lesson != nil && !hasHeading(p.lesson, u.Fragment) {
			c.add(p.path, line, col, "anchor #%s not found in this lesson; link to the id of one of its headings%s", u.Fragment, headingHint(p.lesson))
		}
	case strings.HasPrefix(u.Path, "/"):
		c.checkSitePath(p, u, destination, image, line, col)
	default:
		c.checkFilePath(p, u, destination, image, line, col)
	}
}

// checkSitePath checks a link to a page of the site, such as
// /lessons/SLUG#ID.
func (c *checker) checkSitePath(p *page, u *url.URL, destination string, image bool, line, col int) {
	segments := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
	switch {
	case u.Path == "/":
		if u.Fragment != "" && !c.links.sections[u.Fragment] {
			c.add(p.path, line, col, "broken link %q: the outline has no section %q; link to a section by its folder name", destination, u.Fragment)
		}
	case segments[0] == "lessons" && len(segments) == 2:
		c.checkLessonLink(p, segments[1], u.Fragment, destination, line, col)
	case segments[0] == "quiz" && len(segments) == 2:
		c.checkQuizLink(p, segments[1], u.Fragment, destination, line, col)
	case u.Path == "/playground/lab" || (len(segments) == 3 && segments[0] == "playground" && segments[1] == "lab"):
		if len(segments) == 3 && !slices.Contains(c.opts.Scenarios, segments[2]) {
			c.add(p.path, line, col, "broken link %q: the lab has no scenario %q (known: %s)", destination, segments[2], strings.Join(c.opts.Scenarios, ", "))
		}
	case u.Path == "/playground", u.Path == "/search", segments[0] == "static":
		// Served by the site; files under /static belong to the web
		// package, which this package does not read.
	case image:
		c.add(p.path, line, col, "missing image %q: the site serves no file at that path; save the image next to the lesson and link it by a relative path", destination)
	default:
		c.add(p.path, line, col, "broken link %q: the site has no such page; internal links go to /lessons/SLUG, /quiz/ID, /playground, /playground/lab/NAME or /search", destination)
	}
}

func (c *checker) checkLessonLink(p *page, slug, fragment, destination string, line, col int) {
	target, ok := c.links.lessons[slug]
	switch {
	case !ok:
		c.add(p.path, line, col, "broken link %q: lesson %q not found; use the slug of a lesson, such as its file name without .md", destination, slug)
	case target.Draft && (p.lesson == nil || !p.lesson.Draft):
		c.add(p.path, line, col, "link %q goes to a draft lesson, which is hidden unless the server runs with --drafts; publish %s or remove the link", destination, target.Path)
	case fragment != "" && !hasHeading(target, fragment):
		c.add(p.path, line, col, "broken link %q: anchor #%s not found in %s%s", destination, fragment, target.Path, headingHint(target))
	}
}

func (c *checker) checkQuizLink(p *page, id, fragment, destination string, line, col int) {
	if !c.links.quizzesLoaded {
		return
	}
	q, ok := c.links.quizzes[id]
	switch {
	case !ok:
		c.add(p.path, line, col, "broken link %q: quiz %q not found; use the id from a quiz's front matter", destination, id)
	case fragment != "" && !hasQuestion(q, fragment):
		c.add(p.path, line, col, "broken link %q: quiz %s has no question with id %q", destination, id, fragment)
	}
}

// checkFilePath checks a relative link or image, which points at a file
// next to the page. The site serves such images under
// lessons.FilesPrefix.
func (c *checker) checkFilePath(p *page, u *url.URL, destination string, image bool, line, col int) {
	target, fragment, ok := lessons.ResolveFileLink(p.path, u.String())
	if !ok {
		return
	}
	if lesson, ok := c.links.lessonFiles[target]; ok {
		switch {
		case image:
			c.add(p.path, line, col, "image %q is a lesson file, not an image; link it as [text](%s) or use an image file", destination, destination)
		case lesson.Draft && (p.lesson == nil || !p.lesson.Draft):
			c.add(p.path, line, col, "link %q goes to a draft lesson, which is hidden unless the server runs with --drafts; publish %s or remove the link", destination, target)
		case fragment != "" && !hasHeading(lesson, fragment):
			c.add(p.path, line, col, "broken link %q: anchor #%s not found in %s%s", destination, fragment, target, headingHint(lesson))
		}
		return
	}
	if _, ok := c.links.sectionFiles[target]; ok {
		return
	}

	_, err := fs.Stat(c.fsys, target)
	switch {
	case image && !lessons.ServedImage(target):
		c.add(p.path, line, col, "image %q is not served: the site serves only PNG, JPEG, GIF, WebP and SVG files from %s/; convert it or fix the path", destination, lessons.Dir)
	case err != nil && image:
		c.add(p.path, line, col, "missing image %q: %s does not exist; add the file or fix the path", destination, target)
	case err != nil:
		c.add(p.path, line, col, "broken link %q: %s does not exist; fix the path, which is relative to this file", destination, target)
	case path.Ext(target) == ".md" && !image:
		c.add(p.path, line, col, "broken link %q: %s did not load as a lesson; fix the problems reported for it", destination, target)
	}
}

// headingHint lists the heading ids of a lesson for an error message.
func headingHint(lesson *lessons.Lesson) string {
	var ids []string
	for _, h := range lesson.Headings {
		ids = append(ids, "#"+h.ID)
	}
	if len(ids) == 0 {
		return ", which has no headings"
	}
	const shown = 6
	if len(ids) > shown {
		ids = append(ids[:shown], "…")
	}
	return "; its headings are " + strings.Join(ids, ", ")
}
