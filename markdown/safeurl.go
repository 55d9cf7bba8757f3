package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// allowedSchemes are the only URL schemes a rendered link or image may use.
// A URL without a scheme is relative and always allowed.
var allowedSchemes = map[string]bool{"http": true, "https": true, "mailto": true}

// maxDecodeRounds bounds how often SafeURL decodes entities and percent
// escapes. Real URLs need one round, and a URL still changing after four
// is treated as hostile.
const maxDecodeRounds = 4

// SafeURL checks a link or image destination as written in Markdown
// against the allow-list of schemes: http, https, mailto, and relative
// URLs. It returns the URL to put in the attribute (entities resolved and
// unsafe characters percent-escaped, not yet HTML-escaped) and true, or ""
// and false for any other scheme, such as javascript:, vbscript: or data:.
//
// The scheme is judged after decoding HTML entities and percent escapes,
// repeatedly, and after deleting every ASCII control character and space,
// because browsers ignore tabs and newlines inside a URL and leading
// control characters before it. So "jav&#x09;ascript:", "&#106;avascript:"
// and " JaVaScRiPt:" are all rejected. This is stricter than a browser: a
// relative URL whose decoded form has a colon before any "/", "?" or "#",
// such as "a%3Ab", is rejected too.
func SafeURL(raw string) (string, bool) {
	escaped := string(util.URLEscape([]byte(strings.TrimSpace(raw)), true))

	// Check both what the author wrote and what goldmark would write, so
	// that neither form can hide a scheme.
	for _, candidate := range []string{raw, escaped} {
		if !allowedScheme(candidate) {
			return "", false
		}
	}
	return escaped, true
}

// allowedScheme decodes s until it stops changing and reports whether the
// result has no scheme or an allowed one.
func allowedScheme(s string) bool {
	for range maxDecodeRounds {
		decoded := percentDecode(html.UnescapeString(s))
		if decoded == s {
			break
		}
		s = decoded
	}
	if percentDecode(html.UnescapeString(s)) != s {
		return false
	}

	s = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)

	end := strings.IndexAny(s, ":/?#")
	if end < 0 || s[end] != ':' {
		return true
	}
	return allowedSchemes[strings.ToLower(s[:end])]
}

// percentDecode decodes every valid %XX escape and keeps any other "%" as
// it is, unlike url.PathUnescape, which rejects the whole string.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// autoLinkURL returns the target of an autolink, with mailto: added to an
// email address as goldmark does.
func autoLinkURL(n *ast.AutoLink, source []byte) string {
	url := string(n.URL(source))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
		url = "mailto:" + url
	}
	return url
}

// linkRenderer renders links, images and autolinks through SafeURL. A
// dropped link renders its text without an <a>, and a dropped image
// renders its alt text.
type linkRenderer struct{}

func (linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindAutoLink, renderAutoLink)
}

func renderLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	url, ok := SafeURL(string(n.Destination))
	if !ok {
		// Render the children only, so the text stays and nothing is live.
		return ast.WalkContinue, nil
	}
	if !entering {
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}

	w.WriteString(`<a href="`)
	w.Write(util.EscapeHTML([]byte(url)))
	w.WriteByte('"')
	writeTitle(w, n.Title)
	w.WriteByte('>')
	return ast.WalkContinue, nil
}

// writeTitle writes a link or image title attribute, if there is one.
func writeTitle(w util.BufWriter, title []byte) {
	if title == nil {
		return
	}
	w.WriteString(` title="`)
	goldhtml.DefaultWriter.Write(w, title)
	w.WriteByte('"')
}

func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := util.EscapeHTML([]byte(PlainText(n, source)))
	url, ok := SafeURL(string(n.Destination))
	if !ok {
		w.Write(alt)
		return ast.WalkSkipChildren, nil
	}

	w.WriteString(`<img src="`)
	w.Write(util.EscapeHTML([]byte(url)))
	w.WriteString(`" alt="`)
	w.Write(alt)
	w.WriteByte('"')
	writeTitle(w, n.Title)
	w.WriteByte('>')
	return ast.WalkSkipChildren, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := util.EscapeHTML(n.Label(source))
	url, ok := SafeURL(autoLinkURL(n, source))
	if !ok {
		w.Write(label)
		return ast.WalkContinue, nil
	}

	w.WriteString(`<a href="`)
	w.Write(util.EscapeHTML([]byte(url)))
	w.WriteString(`">`)
	w.Write(label)
	w.WriteString("</a>")
	return ast.WalkContinue, nil
}
