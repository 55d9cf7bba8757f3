// Package markdown configures the one goldmark instance that renders every
// lesson and quiz, and splits YAML front matter from a Markdown file.
package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Option configures New and Render.
type Option func(*config)

type config struct {
	scenarios []Scenario
}

// WithScenarios sets the playground scenarios that a ```playground block
// may name. A block that names any other scenario renders as an error box.
func WithScenarios(scenarios ...Scenario) Option {
	return func(c *config) {
		c.scenarios = append(c.scenarios, scenarios...)
	}
}

// New returns the goldmark converter shared by lessons and quizzes.
//
// Raw HTML is left off (goldmark's default), so a <script> element or an
// event-handler attribute written in a lesson is replaced by a comment.
func New(opts ...Option) goldmark.Markdown {
	var c config
	for _, opt := range opts {
		opt(&c)
	}

	return goldmark.New(
		goldmark.WithExtensions(
			// Tables, strikethrough, task lists and autolinks, as authors
			// know them from GitHub (the parts of extension.GFM). Table
			// cells align with the align attribute, because the
			// Content-Security-Policy drops inline style attributes.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.TaskList,
			extension.Linkify,
		),
		goldmark.WithParserOptions(
			// Stable heading ids let lessons link to sections, and let a
			// quiz give each question an explicit id with {#id}.
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			// GitHub's alert syntax turns a blockquote into a callout, so
			// authors write notes and warnings the way GitHub shows them.
			parser.WithASTTransformers(util.Prioritized(calloutTransformer{}, 100)),
			// A ```playground block becomes a try-it panel that runs a
			// scenario against the real playground API.
			parser.WithASTTransformers(util.Prioritized(tryItTransformer(c), 100)),
			// A ```d2 block becomes an SVG diagram, laid out on the server
			// so that it shows without JavaScript.
			parser.WithASTTransformers(util.Prioritized(diagramTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(
			// These replace goldmark's own renderers for the same nodes,
			// which run at priority 1000; a lower number wins.
			renderer.WithNodeRenderers(
				// Every link, image and autolink passes SafeURL, the one
				// allow-list of URL schemes.
				util.Prioritized(linkRenderer{}, 100),
				// Code is highlighted with CSS classes, not inline styles,
				// because the Content-Security-Policy forbids inline styles.
				util.Prioritized(codeRenderer{}, 100),
				// h2 to h4 get an anchor link that readers can copy.
				util.Prioritized(headingRenderer{}, 100),
				util.Prioritized(calloutRenderer{}, 100),
				util.Prioritized(tryItRenderer{}, 100),
				util.Prioritized(diagramRenderer{}, 100),
			),
		),
	)
}

// Document is a rendered Markdown file.
type Document struct {
	// HTML is the rendered body. Raw HTML and unsafe URLs are left out, so
	// the value is safe to embed in a page.
	HTML string
	// Headings lists the top-level h2 and h3 headings in document order:
	// the entries of a table of contents.
	Headings []Heading
	// Problems lists what an author should fix, one sentence each, such as
	// an unknown playground scenario or a link with a dropped URL. The HTML
	// still renders: each problem shows as an error box or as plain text.
	Problems []string
}

// Heading is one entry of a table of contents.
type Heading struct {
	Level int    // 2 or 3
	ID    string // the heading's id attribute, without "#"
	Text  string // the heading as plain text
}

// Render converts src, a Markdown body without front matter, to HTML and
// collects its headings and problems.
func Render(src []byte, opts ...Option) (Document, error) {
	md := New(opts...)
	root := md.Parser().Parse(text.NewReader(src))

	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, root); err != nil {
		return Document{}, fmt.Errorf("render markdown: %w", err)
	}
	return Document{
		HTML:     out.String(),
		Headings: collectHeadings(root, src),
		Problems: collectProblems(root, src),
	}, nil
}

// collectProblems walks the tree for the problems that rendering hides
// from the reader but an author must see.
func collectProblems(root ast.Node, src []byte) []string {
	var problems []string
	ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *TryIt:
			if n.Problem != "" {
				problems = append(problems, n.Problem)
			}
		case *Diagram:
			if n.Err != nil {
				problems = append(problems, diagramProblem(n))
			}
		case *ast.Link:
			if _, ok := SafeURL(string(n.Destination)); !ok {
				problems = append(problems, fmt.Sprintf("The link %q has the URL %q, which is not http, https, mailto or relative, so only the link text is shown.", PlainText(n, src), n.Destination))
			}
		case *ast.Image:
			if _, ok := SafeURL(string(n.Destination)); !ok {
				problems = append(problems, fmt.Sprintf("The image %q has the URL %q, which is not http, https, mailto or relative, so only its alt text is shown.", PlainText(n, src), n.Destination))
			}
		case *ast.AutoLink:
			if _, ok := SafeURL(autoLinkURL(n, src)); !ok {
				problems = append(problems, fmt.Sprintf("The autolink %q is not http, https or mailto, so it shows as plain text.", n.Label(src)))
			}
		}
		return ast.WalkContinue, nil
	})
	return problems
}
