package search

import (
	"strings"
	"testing"

	"learn/content"
	"learn/lessons"
	"learn/lessons/lessonstest"
)

// slugs returns the slugs of results in order.
func slugs(results []Result) string {
	var out []string
	for _, r := range results {
		out = append(out, r.Lesson.Slug)
	}
	return strings.Join(out, " ")
}

// render returns a snippet as HTML-like text, with matches in <mark>.
func render(fragments []Fragment) string {
	var b strings.Builder
	for _, f := range fragments {
		if f.Match {
			b.WriteString("<mark>" + f.Text + "</mark>")
		} else {
			b.WriteString(f.Text)
		}
	}
	return b.String()
}

var rankingCourse = map[string]string{
	"lessons/body.md":    "---\ntitle: Other things\norder: 1\n---\nA cookie, and another cookie, and a third cookie.\n",
	"lessons/heading.md": "---\ntitle: Storage\norder: 2\n---\n## Cookie flags\n\nText without the word.\n",
	"lessons/title.md":   "---\ntitle: Cookies\norder: 3\n---\nNothing here.\n",
	"lessons/none.md":    "---\ntitle: Tokens\norder: 4\n---\nSigned claims.\n",
}

func TestSearchRanking(t *testing.T) {
	ix := New(lessonstest.Load(t, rankingCourse))

	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"title above heading above body", "cookie", "title heading body"},
		{"prefix matches longer words", "COOK", "title heading body"},
		{"every term required", "cookie flags", "heading"},
		{"short term matches whole words only", "a", "body"},
		{"no match", "oauth", ""},
		{"empty query", "  ", ""},
		{"punctuation only", "?!", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slugs(ix.Search(tt.query)); got != tt.want {
				t.Errorf("Search(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestSearchTermFrequencyRaisesScore(t *testing.T) {
	ix := New(lessonstest.Load(t, map[string]string{
		"lessons/once.md":  "---\ntitle: A\norder: 1\n---\nOne session here.\n",
		"lessons/often.md": "---\ntitle: B\norder: 2\n---\nSession, session and session.\n",
	}))

	results := ix.Search("session")
	if got := slugs(results); got != "often once" {
		t.Fatalf("Search(session) = %q, want %q", got, "often once")
	}
	if results[0].Score <= results[1].Score {
		t.Errorf("scores = %d, %d; want the first higher", results[0].Score, results[1].Score)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("filler ", 40) + "the secret key signs the token " + strings.Repeat("padding ", 40)
	ix := New(lessonstest.Load(t, map[string]string{
		"lessons/long.md":    "---\ntitle: Long\n---\n" + long + "\n",
		"lessons/summary.md": "---\ntitle: Keys in summary\nsummary: Where the keys live.\n---\nBody.\n",
		"lessons/title.md":   "---\ntitle: Revocation\nsummary: Ending a login early.\n---\nNothing else.\n",
		"lessons/markup.md":  "---\ntitle: Markup\n---\nIs 5 < 6 & a `token`\nacross (lines).\n",
	}))

	tests := []struct {
		name  string
		query string
		slug  string
		want  string
	}{
		{"window around match", "secret", "long", "… filler filler filler filler filler filler filler filler the <mark>secret</mark> key signs the token padding padding padding padding padding padding padding padding padding padding padding padding padding padding …"},
		{"summary match", "keys", "summary", "Where the <mark>keys</mark> live."},
		{"title only shows summary", "revocation", "title", "Ending a login early."},
		{"text kept raw for escaping", "token", "markup", "Is 5 < 6 & a <mark>token</mark> across (lines)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range ix.Search(tt.query) {
				if r.Lesson.Slug != tt.slug {
					continue
				}
				if got := render(r.Snippet); got != tt.want {
					t.Errorf("snippet =\n%q\nwant\n%q", got, tt.want)
				}
				return
			}
			t.Fatalf("Search(%q) did not find %s", tt.query, tt.slug)
		})
	}
}

func TestSearchEmbeddedCourse(t *testing.T) {
	course, err := lessons.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	ix := New(course)

	results := ix.Search("getServerSession")
	if len(results) == 0 || results[0].Lesson.Slug != "sessions-and-next-auth" {
		t.Errorf("Search(getServerSession) = %q, want sessions-and-next-auth first", slugs(results))
	}
}
