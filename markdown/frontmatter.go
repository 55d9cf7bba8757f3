package markdown

import (
	"bytes"
	"errors"
	"fmt"

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
