package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Anchor links go on h2 to h4: h1 is the page title, and deeper levels
// are too small to be worth linking to.
const (
	minAnchorLevel = 2
	maxAnchorLevel = 4
)

// headingRenderer renders a heading as goldmark does, and follows an h2 to
// h4 that has an id with an anchor link to it. Heading and link share a
// wrapper, as on GitHub, so the link's label does not become part of the
// heading's accessible name.
type headingRenderer struct{}

func (headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
}

func renderHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	id, _ := n.AttributeString("id")
	idBytes, _ := id.([]byte)
	anchored := len(idBytes) > 0 && n.Level >= minAnchorLevel && n.Level <= maxAnchorLevel
	tag := "h" + string("0123456"[n.Level])

	if entering {
		if anchored {
			w.WriteString(`<div class="heading">`)
		}
		w.WriteString("<" + tag)
		if n.Attributes() != nil {
			goldhtml.RenderAttributes(w, node, goldhtml.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}

	w.WriteString("</" + tag + ">")
	if anchored {
		escapedID := util.EscapeHTML(idBytes)
		w.WriteString(`<a class="anchor" href="#`)
		w.Write(escapedID)
		w.WriteString(`" aria-label="Link to the section `)
		w.Write(util.EscapeHTML([]byte(PlainText(n, source))))
		w.WriteString(`">#</a></div>`)
	}
	w.WriteByte('\n')
	return ast.WalkContinue, nil
}

// collectHeadings returns the h2 and h3 headings that are direct children
// of the document and have an id. Headings inside blockquotes, lists or
// callouts do not start sections, so they are left out.
func collectHeadings(root ast.Node, source []byte) []Heading {
	var headings []Heading
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Level < 2 || h.Level > 3 {
			continue
		}
		id, _ := h.AttributeString("id")
		idBytes, _ := id.([]byte)
		if len(idBytes) == 0 {
			continue
		}
		headings = append(headings, Heading{Level: h.Level, ID: string(idBytes), Text: PlainText(h, source)})
	}
	return headings
}
