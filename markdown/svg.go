package markdown

import (
	"errors"
	"regexp"
	"strings"
)

// The site's Content-Security-Policy allows no inline style, so d2's SVG
// cannot keep its <style> element nor its style attributes. cleanSVG
// drops the first and turns the second into presentation attributes, and
// site.css colors the d2 classes (fill-N1, stroke-B1 and so on) with the
// theme's colors.
var (
	svgStyleElement   = regexp.MustCompile(`(?s)<style[^>]*>.*?</style>`)
	svgStyleAttribute = regexp.MustCompile(`\sstyle="([^"]*)"`)
	cssPropertyName   = regexp.MustCompile(`^[a-z][a-z-]*$`)
	outerSVG          = regexp.MustCompile(`^<svg ([^>]*)viewBox="0 0 (\d+) (\d+)"`)
)

// svgElementsRejected lists the elements of d2's output that make a
// diagram rejected, because a page of this site cannot show them. d2
// writes HTML inside the SVG for Markdown and LaTeX labels, and images and
// icons may come from other sites. Links and scripts have no place in a
// diagram.
var svgElementsRejected = []string{"<foreignObject", "<image", "<a ", "<script", "<iframe"}

// errSVGContent is the error for a diagram with an element of
// svgElementsRejected.
var errSVGContent = errors.New("the diagram uses a Markdown or LaTeX label, an icon, an image or a link, which lessons cannot show; use plain text labels")

// cleanSVG makes d2's SVG fit the Content-Security-Policy, as described
// above, and rejects an SVG with an element this site cannot show.
func cleanSVG(svg string) (string, error) {
	for _, element := range svgElementsRejected {
		if strings.Contains(svg, element) {
			return "", errSVGContent
		}
	}

	svg = svgStyleElement.ReplaceAllString(svg, "")
	svg = svgStyleAttribute.ReplaceAllStringFunc(svg, func(attribute string) string {
		declarations := svgStyleAttribute.FindStringSubmatch(attribute)[1]
		var out strings.Builder
		for declaration := range strings.SplitSeq(declarations, ";") {
			name, value, ok := strings.Cut(declaration, ":")
			name = strings.TrimSpace(name)
			value = strings.TrimSpace(value)
			if !ok || !cssPropertyName.MatchString(name) || value == "" {
				continue
			}
			out.WriteString(" " + name + `="` + value + `"`)
		}
		return out.String()
	})

	// d2's outer <svg> has a viewBox but no size, which makes it as wide
	// as the page. Its natural size keeps text at the size d2 measured,
	// and site.css lets it shrink on narrow screens.
	svg = strings.TrimSpace(svg)
	svg = outerSVG.ReplaceAllString(svg, `<svg ${1}width="${2}" height="${3}" viewBox="0 0 ${2} ${3}"`)
	return svg, nil
}
