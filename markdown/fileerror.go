package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// FileError is a problem in one content file. Line and Col are 1-based,
// and Col counts characters. Line is 0 when the problem concerns the whole
// file, and Col is 0 when only the line is known.
type FileError struct {
	Path string
	Line int
	Col  int
	Err  error
}

// Error returns "path:line:col: message", leaving out the parts that are
// unknown, as compilers and linters print positions.
func (e *FileError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %v", e.Path, e.Line, e.Col, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// Errorf returns a FileError whose message is formatted from format and
// args.
func Errorf(path string, line, col int, format string, args ...any) *FileError {
	return &FileError{Path: path, Line: line, Col: col, Err: fmt.Errorf(format, args...)}
}

// Flatten returns the errors inside err, unwrapping every errors.Join on
// the way, in order. It returns nil for a nil err.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range joined.Unwrap() {
		out = append(out, Flatten(e)...)
	}
	return out
}

// AsFileError returns err as a FileError, or a FileError for path with no
// line when err carries no position.
func AsFileError(path string, err error) *FileError {
	var fe *FileError
	if errors.As(err, &fe) {
		return fe
	}
	return &FileError{Path: path, Err: err}
}

// Position returns the 1-based line and character column of the byte at
// offset in src. An offset past the end is clamped to the end.
func Position(src []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	before := src[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// BodyOffset returns the byte offset at which body starts in src, where
// body is the second result of SplitFrontMatter(src).
func BodyOffset(src, body []byte) int {
	return len(src) - len(body)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// YAMLErrorLine returns the first line number that a go.yaml.in/yaml/v3
// error message names, or 0 when it names none.
func YAMLErrorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
