package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantMeta string
		wantBody string
		wantNil  bool // no front matter at all
	}{
		{"front matter and body", "---\ntitle: A\n---\n# Body\n", "title: A\n", "# Body\n", false},
		{"crlf line endings", "---\r\ntitle: A\r\n---\r\nBody\r\n", "title: A\r\n", "Body\r\n", false},
		{"byte order mark", "\xef\xbb\xbf---\ntitle: A\n---\nBody", "title: A\n", "Body", false},
		{"empty front matter", "---\n---\nBody", "", "Body", false},
		{"no front matter", "# Title\n\ntext\n", "", "# Title\n\ntext\n", true},
		{"thematic break later", "text\n\n---\n\nmore\n", "", "text\n\n---\n\nmore\n", true},
		{"closing fence at end of file", "---\ntitle: A\n---", "title: A\n", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta, body, err := SplitFrontMatter([]byte(tt.src))
			if err != nil {
				t.Fatalf("SplitFrontMatter: %v", err)
			}
			if tt.wantNil && meta != nil {
				t.Errorf("meta = %q, want nil", meta)
			}
			if string(meta) != tt.wantMeta {
				t.Errorf("meta = %q, want %q", meta, tt.wantMeta)
			}
			if string(body) != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
		})
	}
}

func TestSplitFrontMatterUnclosed(t *testing.T) {
	for _, src := range []string{"---\ntitle: A\n# Body\n", "---", "---\n"} {
		_, _, err := SplitFrontMatter([]byte(src))
		if !errors.Is(err, ErrFrontMatter) {
			t.Errorf("SplitFrontMatter(%q) error = %v, want ErrFrontMatter", src, err)
		}
	}
}

func TestDecodeFrontMatter(t *testing.T) {
	type meta struct {
		Title string `yaml:"title"`
		Order int    `yaml:"order"`
	}

	t.Run("known keys", func(t *testing.T) {
		var m meta
		if err := DecodeFrontMatter([]byte("title: Hello\norder: 3\n"), &m); err != nil {
			t.Fatal(err)
		}
		if m.Title != "Hello" || m.Order != 3 {
			t.Errorf("decoded %+v, want title Hello and order 3", m)
		}
	})

	bad := []struct {
		name string
		src  string
	}{
		{"unknown key", "title: A\nauthor: B\n"},
		{"wrong type", "order: first\n"},
		{"invalid yaml", "title: [unclosed\n"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			var m meta
			err := DecodeFrontMatter([]byte(tt.src), &m)
			if !errors.Is(err, ErrFrontMatter) {
				t.Errorf("error = %v, want ErrFrontMatter", err)
			}
		})
	}
}

func TestRenderDropsRawHTMLAndScriptLinks(t *testing.T) {
	src := "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	var out bytes.Buffer
	if err := New().Convert([]byte(src), &out); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, banned := range []string{"<script", "onerror", "javascript:"} {
		if strings.Contains(html, banned) {
			t.Errorf("output contains %q:\n%s", banned, html)
		}
	}
	if !strings.Contains(html, "<table>") {
		t.Errorf("GFM table not rendered:\n%s", html)
	}
}
