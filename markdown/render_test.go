package markdown

import (
	"reflect"
	"strings"
	"testing"
)

func TestSafeURL(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		want   string
		wantOK bool
	}{
		{"https", "https://go.dev/doc", "https://go.dev/doc", true},
		{"http upper case", "HTTP://example.com", "HTTP://example.com", true},
		{"mailto", "mailto:ada@example.com", "mailto:ada@example.com", true},
		{"root relative", "/lessons/signing-a-jwt", "/lessons/signing-a-jwt", true},
		{"path relative", "docs/api.md", "docs/api.md", true},
		{"fragment", "#pin-the-algorithm", "#pin-the-algorithm", true},
		{"query", "?page=2", "?page=2", true},
		{"colon after slash", "/a:b", "/a:b", true},
		{"space escaped", "/a b", "/a%20b", true},
		{"entity resolved", "/a&amp;b", "/a&b", true},
		{"javascript", "javascript:alert(1)", "", false},
		{"mixed case", "JaVaScRiPt:alert(1)", "", false},
		{"leading spaces", "  javascript:alert(1)", "", false},
		{"leading control character", "\x01javascript:alert(1)", "", false},
		{"tab inside", "java\tscript:alert(1)", "", false},
		{"tab entity", "jav&#x09;ascript:alert(1)", "", false},
		{"decimal entity", "&#106;avascript:alert(1)", "", false},
		{"entity without semicolon", "&#106avascript:alert(1)", "", false},
		{"colon entity", "javascript&colon;alert(1)", "", false},
		{"percent encoded", "%6Aavascript:alert(1)", "", false},
		{"double encoded", "%256Aavascript:alert(1)", "", false},
		{"vbscript", "vbscript:msgbox(1)", "", false},
		{"data", "data:text/html,x", "", false},
		{"data image", "data:image/png;base64,iVBORw0KGgo=", "", false},
		{"file", "file:///etc/passwd", "", false},
		{"unknown scheme", "foo:bar", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := SafeURL(tt.raw)
			if ok != tt.wantOK {
				t.Fatalf("SafeURL(%q) ok = %v, want %v", tt.raw, ok, tt.wantOK)
			}
			if got != tt.want {
				t.Errorf("SafeURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestRenderHeadings(t *testing.T) {
	src := "# Title\n\n## What `jwt.verify` checks\n\n### Expiry &amp; leeway\n\n#### Too deep\n\n## Revocation {#revoke}\n\n> ## In a quote\n"
	doc, err := Render([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Heading{
		{Level: 2, ID: "what-jwtverify-checks", Text: "What jwt.verify checks"},
		{Level: 3, ID: "expiry-amp-leeway", Text: "Expiry & leeway"},
		{Level: 2, ID: "revoke", Text: "Revocation"},
	}
	if !reflect.DeepEqual(doc.Headings, want) {
		t.Errorf("Headings = %+v\nwant %+v", doc.Headings, want)
	}
}

func TestRenderProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // a part of the only problem, or "" for none
	}{
		{"clean", "[go](https://go.dev) <https://go.dev> ![x](/x.png)\n", ""},
		{"unknown scenario", "```playground nope\n```\n", `Unknown playground scenario "nope"; known: jwt-expiry, session-logout.`},
		{"scenario missing", "```playground\n```\n", "names no scenario"},
		{"javascript link", "[x](javascript:alert(1))\n", `The link "x" has the URL "javascript:alert(1)"`},
		{"data image", "![alt](data:image/svg+xml,x)\n", `The image "alt"`},
		{"vbscript autolink", "<vbscript:msgbox(1)>\n", `The autolink "vbscript:msgbox(1)"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Render([]byte(tt.src), WithScenarios(goldenScenarios...))
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(doc.Problems) != 0 {
					t.Errorf("Problems = %q, want none", doc.Problems)
				}
				return
			}
			if len(doc.Problems) != 1 {
				t.Fatalf("Problems = %q, want one", doc.Problems)
			}
			if !strings.Contains(doc.Problems[0], tt.want) {
				t.Errorf("problem = %q, want it to contain %q", doc.Problems[0], tt.want)
			}
		})
	}
}

// TestNewKeepsQuizSyntax checks the converter that quizzes use directly:
// explicit heading ids and task lists still parse, and raw HTML is off.
func TestNewKeepsQuizSyntax(t *testing.T) {
	var out strings.Builder
	src := "## Question {#q1}\n\n- [x] right\n- [ ] wrong\n\n<script>alert(1)</script>\n"
	if err := New().Convert([]byte(src), &out); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, want := range []string{`<h2 id="q1">`, `<input checked="" disabled="" type="checkbox">`, "<!-- raw HTML omitted -->"} {
		if !strings.Contains(html, want) {
			t.Errorf("output does not contain %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script") {
		t.Errorf("output contains a script element:\n%s", html)
	}
}
