package markdown

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// calloutMarker matches the first line of a blockquote in GitHub's alert
// syntax, such as "[!NOTE]", in any letter case.
var calloutMarker = regexp.MustCompile(`(?i)^\[!(note|tip|important|warning|caution)\]$`)

// KindCallout is the node kind of Callout.
var KindCallout = ast.NewNodeKind("Callout")

// Callout is a blockquote that starts with an alert marker such as
// [!WARNING]. Its children are the blockquote's, without the marker.
type Callout struct {
	ast.BaseBlock
	Alert string // note, tip, important, warning or caution
}

// Kind implements ast.Node.
func (n *Callout) Kind() ast.NodeKind { return KindCallout }

// Dump implements ast.Node.
func (n *Callout) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Alert": n.Alert}, nil)
}

// calloutTransformer replaces each blockquote that starts with an alert
// marker with a Callout. Any other blockquote is left as it is.
type calloutTransformer struct{}

func (calloutTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()

	// Collect first, because replacing nodes during ast.Walk would skip
	// siblings.
	var quotes []*ast.Blockquote
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return ast.WalkContinue, nil
	})

	for _, quote := range quotes {
		para, ok := quote.FirstChild().(*ast.Paragraph)
		if !ok || para.Lines().Len() == 0 {
			continue
		}
		firstLine := para.Lines().At(0)
		match := calloutMarker.FindSubmatch(util.TrimRightSpace(util.TrimLeftSpace(firstLine.Value(source))))
		if match == nil {
			continue
		}

		dropFirstLine(para, firstLine.Stop)
		if para.ChildCount() == 0 {
			quote.RemoveChild(quote, para)
		}

		callout := &Callout{Alert: strings.ToLower(string(match[1]))}
		for child := quote.FirstChild(); child != nil; {
			next := child.NextSibling()
			callout.AppendChild(callout, child)
			child = next
		}
		quote.Parent().ReplaceChild(quote.Parent(), quote, callout)
	}
}

// dropFirstLine removes the inline nodes of the paragraph's first line,
// which ends at byte offset stop, and the line itself.
func dropFirstLine(para *ast.Paragraph, stop int) {
	for child := para.FirstChild(); child != nil; {
		next := child.NextSibling()
		text, ok := child.(*ast.Text)
		if !ok || text.Segment.Start >= stop {
			break
		}
		para.RemoveChild(para, child)
		child = next
	}
	rest := text.NewSegments()
	rest.AppendAll(para.Lines().Sliced(1, para.Lines().Len()))
	para.SetLines(rest)
}

// calloutTitles are the visible titles of the callout kinds.
var calloutTitles = map[string]string{
	"note":      "Note",
	"tip":       "Tip",
	"important": "Important",
	"warning":   "Warning",
	"caution":   "Caution",
}

type calloutRenderer struct{}

func (calloutRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindCallout, renderCallout)
}

func renderCallout(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Callout)
	if !entering {
		w.WriteString("</div>\n")
		return ast.WalkContinue, nil
	}
	// The alert comes from calloutMarker, so it is one of five lowercase
	// words and needs no escaping.
	w.WriteString(`<div class="callout callout-` + n.Alert + `" role="note">` + "\n")
	w.WriteString(`<p class="callout-title">` + calloutTitles[n.Alert] + "</p>\n")
	return ast.WalkContinue, nil
}
