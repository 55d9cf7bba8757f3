package markdown

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// diagramLanguage is the info string word that turns a fenced code block
// into a diagram: ```d2, optionally followed by a caption.
const diagramLanguage = "d2"

// KindDiagram is the node kind of Diagram.
var KindDiagram = ast.NewNodeKind("Diagram")

// Diagram is a ```d2 block compiled to SVG. Either SVG is set, or Err
// explains why the source does not compile.
type Diagram struct {
	ast.BaseBlock
	Caption string // the words after d2 in the info string, if any
	SVG     string
	Err     error

	// ErrOffset is the byte offset in the Markdown source at which Err
	// points: the position d2 reports, or the info string.
	ErrOffset int
}

// Kind implements ast.Node.
func (n *Diagram) Kind() ast.NodeKind { return KindDiagram }

// Dump implements ast.Node.
func (n *Diagram) Dump(source []byte, level int) {
	errText := ""
	if n.Err != nil {
		errText = n.Err.Error()
	}
	ast.DumpHelper(n, source, level, map[string]string{"Caption": n.Caption, "Err": errText}, nil)
}

// diagramTransformer replaces each ```d2 block with a Diagram node and
// compiles it through the shared cache, so that parsing, not rendering,
// reports a diagram that does not compile.
type diagramTransformer struct{}

func (diagramTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()

	for _, block := range fencedBlocks(doc, source, diagramLanguage) {
		info := string(block.Info.Segment.Value(source))
		diagram := &Diagram{
			Caption:   strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(info), diagramLanguage)),
			ErrOffset: block.Info.Segment.Start,
		}

		diagram.SVG, diagram.Err = diagrams.render(string(blockText(block, source)))

		var positioned *diagramError
		if errors.As(diagram.Err, &positioned) && positioned.offset >= 0 {
			diagram.ErrOffset = sourceOffset(block.Lines(), positioned.offset, diagram.ErrOffset)
		}
		block.Parent().ReplaceChild(block.Parent(), block, diagram)
	}
}

// sourceOffset maps offset, counted in the text of the block's lines
// joined, to an offset in the Markdown source. An offset past the lines
// maps to fallback.
func sourceOffset(lines *text.Segments, offset, fallback int) int {
	for i := range lines.Len() {
		segment := lines.At(i)
		if offset < segment.Len() {
			return segment.Start + offset
		}
		offset -= segment.Len()
	}
	return fallback
}

// DiagramErrors returns a FileError for each ```d2 block in root that does
// not compile, positioned in src, the whole file at path. body is the
// Markdown that was parsed into root, the end of src after any front
// matter.
func DiagramErrors(path string, src, body []byte, root ast.Node) []*FileError {
	var errs []*FileError
	ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if d, ok := n.(*Diagram); ok && entering && d.Err != nil {
			line, col := Position(src, BodyOffset(src, body)+d.ErrOffset)
			errs = append(errs, &FileError{Path: path, Line: line, Col: col, Err: d.Err})
		}
		return ast.WalkContinue, nil
	})
	return errs
}

// diagramRenderer renders a Diagram as a figure with the SVG inline, or as
// an error box that names the problem.
type diagramRenderer struct{}

func (diagramRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindDiagram, renderDiagram)
}

func renderDiagram(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*Diagram)

	if n.Err != nil {
		writeErrorBox(w, "diagram-error", n.Err.Error())
		return ast.WalkSkipChildren, nil
	}

	// The SVG's own text labels stay readable by screen readers, so the
	// figure needs no role="img" and no alternative text.
	// On a narrow screen the figure scrolls rather than shrinking the
	// labels, so it takes keyboard focus like a code block.
	w.WriteString(`<figure class="diagram" tabindex="0">` + "\n")
	w.WriteString(n.SVG)
	if n.Caption != "" {
		w.WriteString("\n<figcaption>")
		w.Write(util.EscapeHTML([]byte(n.Caption)))
		w.WriteString("</figcaption>")
	}
	w.WriteString("\n</figure>\n")
	return ast.WalkSkipChildren, nil
}

// diagramProblem returns the sentence that Document.Problems lists for a
// diagram that does not compile.
func diagramProblem(n *Diagram) string {
	return fmt.Sprintf("The d2 diagram does not compile: %v.", n.Err)
}
