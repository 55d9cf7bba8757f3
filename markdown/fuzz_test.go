package markdown

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// browserScheme finds the scheme of a URL attribute the way the WHATWG URL
// standard's parser does. It strips leading and trailing C0 controls and
// spaces and removes tabs and newlines anywhere. A scheme is then a letter
// followed by letters, digits, "+", "-" or "." up to a ":". It is written
// apart from SafeURL, as the oracle of the fuzz tests.
func browserScheme(attribute string) string {
	url := html.UnescapeString(attribute)
	url = strings.TrimFunc(url, func(r rune) bool { return r <= ' ' })
	url = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(url)
	if m := schemePattern.FindStringSubmatch(url); m != nil {
		return strings.ToLower(m[1])
	}
	return ""
}

var (
	schemePattern = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.\-]*):`)
	// startTag and attribute read start tags the way an HTML tokenizer
	// does for well-formed output: quoted values may contain spaces and
	// "=", but not the quote itself.
	startTag  = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	attribute = regexp.MustCompile(`\s([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?`)
)

// checkSafeHTML fails when rendered HTML could run a script: a script
// element, an event-handler attribute, or a URL attribute whose scheme is
// not allowed.
func checkSafeHTML(t *testing.T, src, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("script element from %q:\n%s", src, out)
	}
	for _, tag := range startTag.FindAllString(out, -1) {
		for _, m := range attribute.FindAllStringSubmatch(tag, -1) {
			name := strings.ToLower(m[1])
			value := m[2] + m[3] + m[4]
			if strings.HasPrefix(name, "on") {
				t.Fatalf("event-handler attribute %s from %q:\n%s", name, src, out)
			}
			if name != "href" && name != "src" {
				continue
			}
			if scheme := browserScheme(value); scheme != "" && !allowedSchemes[scheme] {
				t.Fatalf("URL with scheme %q from %q:\n%s", scheme, src, out)
			}
		}
	}
}

func FuzzSafeURL(f *testing.F) {
	for _, seed := range []string{
		"https://go.dev", "/lessons/x", "#top", "mailto:a@example.com",
		"javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x09;ascript:alert(1)",
		"&#106;avascript:alert(1)", "  javascript:alert(1)", "\x00javascript:alert(1)",
		"%6Aavascript:alert(1)", "vbscript:msgbox(1)", "data:image/svg+xml,x",
		"java\nscript:alert(1)", "javascript&colon;alert(1)", "&Tab;javascript:alert(1)",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		url, ok := SafeURL(raw)
		if !ok {
			if url != "" {
				t.Fatalf("SafeURL(%q) rejected the URL but returned %q", raw, url)
			}
			return
		}
		if scheme := browserScheme(url); scheme != "" && !allowedSchemes[scheme] {
			t.Fatalf("SafeURL(%q) = %q, whose scheme %q is not allowed", raw, url, scheme)
		}

		// The same destination in every kind of Markdown link.
		for _, src := range []string{"[x](" + raw + ")", "![x](" + raw + ")", "<" + raw + ">", "[x]\n\n[x]: " + raw} {
			doc, err := Render([]byte(src))
			if err != nil {
				t.Fatalf("Render(%q): %v", src, err)
			}
			checkSafeHTML(t, src, doc.HTML)
		}
	})
}

func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
		"<javascript:alert(1)>", "![x](data:image/svg+xml,x)", "## h {onclick=alert(1)}",
		"> [!NOTE]\n> text", "```playground jwt-expiry\n```", "```go\nfunc main() {}\n```",
		"www.example.com javascript:alert(1)", "| a |\n| - |\n| [x](vbscript:x) |",
		"```d2 <b>caption</b>\nshape: sequence_diagram\na -> b: \"<script>alert(1)</script>\"\n```",
		"```d2\na.link: javascript:alert(1)\nb.icon: https://example.com/x.svg\n```",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		doc, err := Render([]byte(src), WithScenarios(goldenScenarios...))
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		checkSafeHTML(t, src, doc.HTML)
	})
}
