package lessons

import (
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"

	"learn/markdown"
)

// headings returns the headings of a parsed body with their ids.
func headings(doc ast.Node, source []byte) []Heading {
	var out []Heading
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		out = append(out, Heading{Level: h.Level, ID: markdown.HeadingID(h), Text: markdown.PlainText(h, source)})
	}
	return out
}

// bodyText returns the plain text of a parsed body for search: one line
// per paragraph, list item, table cell or quote, without headings and
// code blocks, which search treats apart or leaves out.
func bodyText(doc ast.Node, source []byte) string {
	var b strings.Builder
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.Kind() {
		case ast.KindHeading, ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindParagraph, ast.KindTextBlock:
			if entering {
				if line := markdown.PlainText(n, source); line != "" {
					b.WriteString(line)
					b.WriteByte('\n')
				}
			}
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline && entering {
			// An inline node outside a paragraph, such as a table cell's.
			if line := markdown.PlainText(n, source); line != "" {
				b.WriteString(line)
				b.WriteByte(' ')
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// rewriteFileLinks points links to other content files, written as
// relative paths such as "signing.md" or "../tokens/_index.md#intro", at
// the pages that serve them. urls maps file paths in the course file
// system to page URLs. A link to an unknown file is left as written, and
// `learn check` reports it.
func rewriteFileLinks(doc ast.Node, from string, urls map[string]string) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if image, ok := n.(*ast.Image); ok && entering {
			if target, _, ok := ResolveFileLink(from, string(image.Destination)); ok {
				image.Destination = []byte(FileURL(target))
			}
			return ast.WalkContinue, nil
		}
		link, ok := n.(*ast.Link)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		target, fragment, ok := ResolveFileLink(from, string(link.Destination))
		if !ok {
			return ast.WalkContinue, nil
		}
		if page, ok := urls[target]; ok {
			if fragment != "" {
				page += "#" + fragment
			}
			link.Destination = []byte(page)
		}
		return ast.WalkContinue, nil
	})
}

// FilesPrefix is the URL path under which the site serves files of the
// course folder, such as a lesson's images.
const FilesPrefix = "/course-files/"

// servedImageTypes are the file extensions the site serves from the course
// folder: images only, so that nothing else a lesson folder holds, such as
// a draft's Markdown, can be fetched by URL.
var servedImageTypes = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".svg": true,
}

// ServedImage reports whether the site serves the file at target, a path
// in the course file system: an image type inside the lessons folder.
func ServedImage(target string) bool {
	return strings.HasPrefix(target, Dir+"/") && servedImageTypes[strings.ToLower(path.Ext(target))]
}

// FileURL returns the URL that serves the file at target, a path in the
// course file system such as lessons/images/flow.png.
func FileURL(target string) string {
	return FilesPrefix + (&url.URL{Path: target}).EscapedPath()
}

// ResolveFileLink returns the file path in the course file system that a
// relative link in the file from points to, and the link's fragment. It
// returns ok false for links that are not relative file paths: absolute
// paths, URLs with a scheme or host, and fragment-only links.
func ResolveFileLink(from, destination string) (target, fragment string, ok bool) {
	u, err := url.Parse(destination)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return "", "", false
	}
	return path.Join(path.Dir(from), u.Path), u.Fragment, true
}
