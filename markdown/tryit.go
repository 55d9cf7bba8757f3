package markdown

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// tryItLanguage is the info string word that turns a fenced code block
// into a try-it panel: ```playground jwt-expiry.
const tryItLanguage = "playground"

// Scenario is the part of a playground scenario that a try-it panel
// shows. The page's script fetches the steps from the playground API.
type Scenario struct {
	Name        string // the name after ```playground, such as "jwt-expiry"
	Title       string
	Description string // one or two sentences on what the run shows
}

// KindTryIt is the node kind of TryIt.
var KindTryIt = ast.NewNodeKind("TryIt")

// TryIt is a ```playground block. Either Scenario is set, or Problem
// explains why the block cannot run.
type TryIt struct {
	ast.BaseBlock
	Name     string
	Scenario *Scenario
	Problem  string

	// Block is the fenced code block this node replaced, kept for the
	// position of its info string in the source.
	Block *ast.FencedCodeBlock
}

// Kind implements ast.Node.
func (n *TryIt) Kind() ast.NodeKind { return KindTryIt }

// Dump implements ast.Node.
func (n *TryIt) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.Name, "Problem": n.Problem}, nil)
}

// tryItTransformer replaces each ```playground block with a TryIt node.
// NOTE: the block's body is ignored; the panel's text comes from the
// scenario, so that every lesson describes a scenario the same way.
type tryItTransformer struct {
	scenarios []Scenario
}

func (t tryItTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()

	for _, block := range fencedBlocks(doc, source, tryItLanguage) {
		tryIt := &TryIt{Block: block}
		fields := strings.Fields(string(block.Info.Segment.Value(source)))
		if len(fields) > 1 {
			tryIt.Name = fields[1]
		}
		tryIt.Scenario = t.find(tryIt.Name)
		switch {
		case tryIt.Name == "":
			tryIt.Problem = fmt.Sprintf("The playground block names no scenario; write ```playground NAME, where NAME is one of: %s.", t.names())
		case tryIt.Scenario == nil:
			tryIt.Problem = fmt.Sprintf("Unknown playground scenario %q; known: %s.", tryIt.Name, t.names())
		}
		block.Parent().ReplaceChild(block.Parent(), block, tryIt)
	}
}

// fencedBlocks returns the fenced code blocks below doc whose info string
// starts with the word language, in document order. Transformers collect
// them first and replace them after, because replacing a node during
// ast.Walk would end the walk early.
func fencedBlocks(doc ast.Node, source []byte, language string) []*ast.FencedCodeBlock {
	var blocks []*ast.FencedCodeBlock
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if b, ok := n.(*ast.FencedCodeBlock); ok && entering && string(b.Language(source)) == language {
			blocks = append(blocks, b)
		}
		return ast.WalkContinue, nil
	})
	return blocks
}

// blockText returns the lines of a code block joined, as written.
func blockText(block ast.Node, source []byte) []byte {
	var code bytes.Buffer
	lines := block.Lines()
	for i := range lines.Len() {
		segment := lines.At(i)
		code.Write(segment.Value(source))
	}
	return code.Bytes()
}

func (t tryItTransformer) find(name string) *Scenario {
	for i := range t.scenarios {
		if t.scenarios[i].Name == name {
			return &t.scenarios[i]
		}
	}
	return nil
}

func (t tryItTransformer) names() string {
	if len(t.scenarios) == 0 {
		return "none"
	}
	names := make([]string, len(t.scenarios))
	for i, s := range t.scenarios {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// writeErrorBox writes a box with class that shows an author's problem in
// place of the block that has it.
func writeErrorBox(w util.BufWriter, class, problem string) {
	w.WriteString(`<div class="` + class + `"><p>`)
	w.Write(util.EscapeHTML([]byte(problem)))
	w.WriteString("</p></div>\n")
}

// tryItRenderer renders a TryIt as the panel that web/static/tryit.js
// fills in, or as an error box that names the problem.
type tryItRenderer struct{}

func (tryItRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTryIt, renderTryIt)
}

func renderTryIt(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*TryIt)
	escape := func(s string) []byte { return util.EscapeHTML([]byte(s)) }

	if n.Scenario == nil {
		writeErrorBox(w, "tryit-error", n.Problem)
		return ast.WalkSkipChildren, nil
	}

	w.WriteString(`<div class="tryit" data-scenario="`)
	w.Write(escape(n.Scenario.Name))
	w.WriteString(`">` + "\n" + `<p class="tryit-title">Try it: `)
	w.Write(escape(n.Scenario.Title))
	w.WriteString("</p>\n" + `<p class="tryit-description">`)
	w.Write(escape(n.Scenario.Description))
	w.WriteString("</p>\n" + `<p><button type="button" class="tryit-run">Run</button> <span class="tryit-status" aria-live="polite"></span></p>` + "\n")
	w.WriteString(`<ol class="tryit-transcript"></ol>` + "\n</div>\n")
	return ast.WalkSkipChildren, nil
}
