package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// PlainText returns the text of an inline container, such as a heading or
// a paragraph, without markup, with backslash escapes and character
// references resolved and runs of white space collapsed.
func PlainText(n ast.Node, source []byte) string {
	var b bytes.Buffer
	ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}

		switch n := n.(type) {
		case *ast.Text:
			value := n.Value(source)
			if !n.IsRaw() {
				value = util.UnescapePunctuations(value)
				value = util.ResolveNumericReferences(value)
				value = util.ResolveEntityNames(value)
			}
			b.Write(value)
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(source))
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// HeadingID returns the id attribute of a heading, or "".
func HeadingID(n ast.Node) string {
	value, _ := n.AttributeString("id")
	switch v := value.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}
