package lessons

import (
	"strings"
	"testing"
	"testing/fstest"
)

// mapFS builds a course file system from file names and contents.
func mapFS(tb testing.TB, files map[string]string) fstest.MapFS {
	tb.Helper()

	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// mustLoad loads a course and fails the test on error.
func mustLoad(tb testing.TB, files map[string]string) *Course {
	tb.Helper()

	course, err := Load(mapFS(tb, files))
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return course
}

// slugs returns the slugs of lessons in order.
func slugs(lessons []*Lesson) []string {
	var out []string
	for _, l := range lessons {
		out = append(out, l.Slug)
	}
	return out
}

func TestLoadRendersLesson(t *testing.T) {
	tests := []struct {
		name string
		file string
		want Lesson
	}{
		{
			name: "front matter fields",
			file: "---\ntitle: Sessions\nsummary: Where the server keeps state.\norder: 3\n---\n\nA *session* id.\n",
			want: Lesson{
				Slug:    "intro",
				Title:   "Sessions",
				Summary: "Where the server keeps state.",
				Order:   3,
				HTML:    "<p>A <em>session</em> id.</p>\n",
			},
		},
		{
			name: "title trimmed and order defaults to zero",
			file: "---\ntitle: \"  Tokens  \"\n---\nBody.\n",
			want: Lesson{Slug: "intro", Title: "Tokens", HTML: "<p>Body.</p>\n"},
		},
		{
			name: "code block keeps formatting",
			file: "---\ntitle: Code\n---\n```go\nfunc main() {\n\tfmt.Println(\"<hi>\")\n\n}\n```\n",
			want: Lesson{
				Slug:  "intro",
				Title: "Code",
				HTML: "<pre class=\"chroma\" tabindex=\"0\"><code class=\"language-go\"><span class=\"kd\">func</span><span class=\"w\"> </span><span class=\"nf\">main</span>" +
					"<span class=\"p\">()</span><span class=\"w\"> </span><span class=\"p\">{</span><span class=\"w\">\n</span><span class=\"w\">\t</span>" +
					"<span class=\"nx\">fmt</span><span class=\"p\">.</span><span class=\"nf\">Println</span><span class=\"p\">(</span>" +
					"<span class=\"s\">&#34;&lt;hi&gt;&#34;</span><span class=\"p\">)</span><span class=\"w\">\n</span><span class=\"w\">\n</span>" +
					"<span class=\"p\">}</span><span class=\"w\">\n</span></code></pre>\n",
			},
		},
		{
			name: "headings get ids",
			file: "---\ntitle: Headings\n---\n## Cookie flags\n\n## Revocation {#revoke}\n",
			want: Lesson{
				Slug:  "intro",
				Title: "Headings",
				HTML: "<div class=\"heading\"><h2 id=\"cookie-flags\">Cookie flags</h2>" +
					"<a class=\"anchor\" href=\"#cookie-flags\" aria-label=\"Link to the section Cookie flags\">#</a></div>\n" +
					"<div class=\"heading\"><h2 id=\"revoke\">Revocation</h2>" +
					"<a class=\"anchor\" href=\"#revoke\" aria-label=\"Link to the section Revocation\">#</a></div>\n",
			},
		},
		{
			name: "script element omitted",
			file: "---\ntitle: XSS\n---\n<script>alert(1)</script>\n",
			want: Lesson{Slug: "intro", Title: "XSS", HTML: "<!-- raw HTML omitted -->\n"},
		},
		{
			name: "inline event handler omitted",
			file: "---\ntitle: XSS\n---\nSee <img src=x onerror=alert(1)> here.\n",
			want: Lesson{Slug: "intro", Title: "XSS", HTML: "<p>See <!-- raw HTML omitted --> here.</p>\n"},
		},
		{
			name: "javascript link keeps only its text",
			file: "---\ntitle: XSS\n---\n[click](javascript:alert(1))\n",
			want: Lesson{Slug: "intro", Title: "XSS", HTML: "<p>click</p>\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			course := mustLoad(t, map[string]string{"lessons/intro.md": tt.file})

			got, ok := course.Lesson("intro")
			if !ok {
				t.Fatalf("Lesson(%q) not found; slugs are %v", "intro", slugs(course.Lessons()))
			}
			if got.Slug != tt.want.Slug || got.Title != tt.want.Title || got.Summary != tt.want.Summary || got.Order != tt.want.Order {
				t.Errorf("slug, title, summary, order = %q, %q, %q, %d; want %q, %q, %q, %d",
					got.Slug, got.Title, got.Summary, got.Order, tt.want.Slug, tt.want.Title, tt.want.Summary, tt.want.Order)
			}
			if got.HTML != tt.want.HTML {
				t.Errorf("HTML = %q, want %q", got.HTML, tt.want.HTML)
			}
			if strings.Contains(got.HTML, "<script") {
				t.Errorf("HTML contains a script element: %q", got.HTML)
			}
			if strings.Contains(got.HTML, "javascript:") {
				t.Errorf("HTML contains a javascript: URL: %q", got.HTML)
			}
			if strings.Contains(got.HTML, "title:") {
				t.Errorf("HTML contains front matter: %q", got.HTML)
			}
		})
	}
}

func TestLoadSortsByOrderThenFileName(t *testing.T) {
	course := mustLoad(t, map[string]string{
		"lessons/zeta.md":      "---\ntitle: Z\norder: 1\n---\n",
		"lessons/alpha.md":     "---\ntitle: A\norder: 2\n---\n",
		"lessons/beta.md":      "---\ntitle: B\norder: 1\n---\n",
		"lessons/unordered.md": "---\ntitle: U\n---\n",
		"lessons/negative.md":  "---\ntitle: N\norder: -1\n---\n",
		"lessons/notes.txt":    "not a lesson",
		"lessons/images/a.png": "not a lesson, and no section either",
		"quizzes/q.md":         "not read by this package",
	})

	got := strings.Join(slugs(course.Lessons()), " ")
	want := "negative unordered beta zeta alpha"
	if got != want {
		t.Errorf("lesson order = %q, want %q", got, want)
	}
}

func TestNeighbors(t *testing.T) {
	course := mustLoad(t, map[string]string{
		"lessons/a.md": "---\ntitle: A\norder: 1\n---\n",
		"lessons/b.md": "---\ntitle: B\norder: 2\n---\n",
		"lessons/c.md": "---\ntitle: C\norder: 3\n---\n",
	})

	tests := []struct {
		name     string
		slug     string
		wantPrev string // "" means nil
		wantNext string
	}{
		{name: "first lesson", slug: "a", wantPrev: "", wantNext: "b"},
		{name: "middle lesson", slug: "b", wantPrev: "a", wantNext: "c"},
		{name: "last lesson", slug: "c", wantPrev: "b", wantNext: ""},
		{name: "unknown slug", slug: "zzz", wantPrev: "", wantNext: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev, next := course.Neighbors(tt.slug)

			if got := slugOrEmpty(prev); got != tt.wantPrev {
				t.Errorf("prev = %q, want %q", got, tt.wantPrev)
			}
			if got := slugOrEmpty(next); got != tt.wantNext {
				t.Errorf("next = %q, want %q", got, tt.wantNext)
			}
		})
	}
}

func slugOrEmpty(l *Lesson) string {
	if l == nil {
		return ""
	}
	return l.Slug
}

func TestLessonUnknownSlug(t *testing.T) {
	course := mustLoad(t, map[string]string{"lessons/a.md": "---\ntitle: A\n---\n"})

	if l, ok := course.Lesson("missing"); ok || l != nil {
		t.Errorf("Lesson(%q) = %v, %v; want nil, false", "missing", l, ok)
	}
}

func TestLoadErrors(t *testing.T) {
	valid := "---\ntitle: Fine\n---\n"

	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error message
	}{
		{
			name:  "unknown front matter key",
			files: map[string]string{"lessons/a.md": "---\ntitle: A\nauthor: me\n---\n"},
			want:  []string{"lessons/a.md:3:1: ", "unknown key \"author\"", "title (required), summary, order, slug, draft, tags, updated and aliases"},
		},
		{
			name:  "missing title",
			files: map[string]string{"lessons/a.md": "---\nsummary: S\n---\nBody\n"},
			want:  []string{"lessons/a.md", "missing title", "title: "},
		},
		{
			name:  "blank title",
			files: map[string]string{"lessons/a.md": "---\ntitle: \"   \"\n---\n"},
			want:  []string{"lessons/a.md", "missing title"},
		},
		{
			name:  "no front matter",
			files: map[string]string{"lessons/a.md": "# Just Markdown\n"},
			want:  []string{"lessons/a.md", "missing title"},
		},
		{
			name:  "unclosed front matter",
			files: map[string]string{"lessons/a.md": "---\ntitle: A\n\nBody text\n"},
			want:  []string{"lessons/a.md", "no closing ---", "close the front matter"},
		},
		{
			name:  "invalid YAML",
			files: map[string]string{"lessons/a.md": "---\ntitle: A\nsummary: a: b\n---\n"},
			want:  []string{"lessons/a.md:3:1: ", "invalid front matter"},
		},
		{
			name:  "order not a number",
			files: map[string]string{"lessons/a.md": "---\ntitle: A\norder: first\n---\n"},
			want:  []string{"lessons/a.md:3:8: ", "invalid order \"first\"", "whole number"},
		},
		{
			name: "duplicate slug",
			files: map[string]string{
				"lessons/intro.md": valid,
				"lessons/intro.MD": valid,
			},
			want: []string{"lessons/intro.md", "slug \"intro\" is already used by lessons/intro.MD", "rename"},
		},
		{
			name:  "slug not URL safe",
			files: map[string]string{"lessons/My Lesson.md": valid},
			want:  []string{"lessons/My Lesson.md", "invalid file name", "lowercase letters, digits and hyphens"},
		},
		{
			name:  "empty lessons folder",
			files: map[string]string{"lessons/readme.txt": "no Markdown here"},
			want:  []string{"no lessons found in lessons/"},
		},
		{
			name:  "no lessons folder",
			files: map[string]string{"quizzes/q.md": "x"},
			want:  []string{"no lessons found in lessons/"},
		},
		{
			name: "every broken file reported",
			files: map[string]string{
				"lessons/a.md":  "---\nsummary: S\n---\n",
				"lessons/b.md":  "---\ntitle: B\ncolour: red\n---\n",
				"lessons/ok.md": valid,
			},
			want: []string{"lessons/a.md:1:1: missing title", "lessons/b.md:3:1: "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			course, err := Load(mapFS(t, tt.files))
			if err == nil {
				t.Fatalf("Load succeeded with %d lessons, want an error", len(course.Lessons()))
			}
			if course != nil {
				t.Errorf("Load returned a course along with error %v", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %q", err, want)
				}
			}
		})
	}
}
