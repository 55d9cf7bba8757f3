package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

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

// Alias is one entry of a front matter aliases list: an old slug or id
// that now redirects to the page. It keeps the position of the value, so
// that a clash found after decoding is reported where the author wrote
// it. Line and Col match the file when the front matter is decoded with a
// leading newline that stands for the opening --- line.
type Alias struct {
	Name string
	Line int
	Col  int
}

// UnmarshalYAML decodes a scalar into the alias and records its position.
func (a *Alias) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: an alias must be a slug, not a list or a set of keys", node.Line)
	}
	a.Name = strings.TrimSpace(node.Value)
	a.Line, a.Col = node.Line, node.Column
	return nil
}
