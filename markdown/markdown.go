// Package markdown configures the one goldmark instance that renders every
// lesson and quiz, and splits YAML front matter from a Markdown file.
package markdown

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"go.yaml.in/yaml/v3"
)

// New returns the goldmark converter shared by lessons and quizzes.
//
// Raw HTML is left off (goldmark's default), so a <script> element or an
// event-handler attribute written in a lesson is replaced by a comment.
func New() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			// Tables, strikethrough, task lists and autolinks, as authors
			// know them from GitHub.
			extension.GFM,
		),
		goldmark.WithParserOptions(
			// Stable heading ids let lessons link to sections, and let a
			// quiz give each question an explicit id with {#id}.
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
		),
	)
}

// ErrFrontMatter is wrapped by every front matter error.
var ErrFrontMatter = errors.New("invalid front matter")

// SplitFrontMatter separates a leading YAML block, fenced by lines of
// exactly "---", from the Markdown body. A file that does not start with a
// "---" line has no front matter, so meta is nil. An opening fence without
// a closing one is an error, because the body would otherwise start with
// YAML that renders as text.
func SplitFrontMatter(src []byte) (meta, body []byte, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest := cutLine(src)
	if !isDelimiter(first) {
		return nil, src, nil
	}

	metaStart := rest
	offset := 0
	for len(rest) > 0 {
		line, next := cutLine(rest)
		if isDelimiter(line) {
			return metaStart[:offset], next, nil
		}
		offset += len(rest) - len(next)
		rest = next
	}
	return nil, nil, fmt.Errorf("%w: the opening --- line has no closing --- line", ErrFrontMatter)
}

// DecodeFrontMatter unmarshals YAML front matter into v, rejecting keys
// that v does not declare so that a misspelt key is reported, not ignored.
func DecodeFrontMatter(meta []byte, v any) error {
	if len(bytes.TrimSpace(meta)) == 0 {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(meta))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrFrontMatter, err)
	}
	return nil
}

func isDelimiter(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == "---"
}

// cutLine returns the first line of b without its "\n", and the remainder.
func cutLine(b []byte) (line, rest []byte) {
	line, rest, _ = bytes.Cut(b, []byte("\n"))
	return line, rest
}
