package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"learn/markdown"
)

// sectionedCourse has two sections and two top-level lessons, with orders
// that interleave them.
var sectionedCourse = map[string]string{
	"lessons/intro.md":           "---\ntitle: Intro\norder: 1\n---\n",
	"lessons/wrap-up.md":         "---\ntitle: Wrap up\norder: 9\n---\n",
	"lessons/tokens/_index.md":   "---\ntitle: Tokens\nsummary: Signed claims.\norder: 2\n---\nAll about *JWTs*.\n",
	"lessons/tokens/verify.md":   "---\ntitle: Verify\norder: 2\n---\n",
	"lessons/tokens/sign.md":     "---\ntitle: Sign\norder: 1\n---\nThen [verify](verify.md#keys) and [sessions](../sessions/_index.md).\n",
	"lessons/sessions/_index.md": "---\ntitle: Sessions\norder: 3\n---\n",
	"lessons/sessions/cookie.md": "---\ntitle: Cookie\nslug: session-cookie\ndraft: true\n---\n",
	"lessons/sessions/store.md":  "---\ntitle: Store\n---\n",
}

func TestLoadSections(t *testing.T) {
	course := mustLoad(t, sectionedCourse)

	if got, want := strings.Join(slugs(course.Lessons()), " "), "intro sign verify session-cookie store wrap-up"; got != want {
		t.Errorf("reading order = %q, want %q", got, want)
	}

	var outline []string
	for _, entry := range course.Outline() {
		if entry.Section != nil {
			outline = append(outline, "section "+entry.Section.Slug)
		} else {
			outline = append(outline, "lesson "+entry.Lesson.Slug)
		}
	}
	if got, want := strings.Join(outline, ", "), "lesson intro, section tokens, section sessions, lesson wrap-up"; got != want {
		t.Errorf("outline = %q, want %q", got, want)
	}

	tokens := course.Outline()[1].Section
	if tokens.Title != "Tokens" || tokens.Summary != "Signed claims." || tokens.IntroHTML != "<p>All about <em>JWTs</em>.</p>\n" {
		t.Errorf("tokens section = %+v", *tokens)
	}
	sign, _ := course.Lesson("sign")
	if sign.Section != tokens {
		t.Errorf("sign.Section = %v, want the tokens section", sign.Section)
	}
	if sign.Path != "lessons/tokens/sign.md" {
		t.Errorf("sign.Path = %q", sign.Path)
	}

	prev, next := course.Neighbors("verify")
	if slugOrEmpty(prev) != "sign" || slugOrEmpty(next) != "session-cookie" {
		t.Errorf("Neighbors(verify) = %s, %s; want sign, session-cookie", slugOrEmpty(prev), slugOrEmpty(next))
	}
}

func TestLoadRewritesRelativeLinks(t *testing.T) {
	course := mustLoad(t, sectionedCourse)
	sign, _ := course.Lesson("sign")

	for _, want := range []string{`href="/lessons/verify#keys"`, `href="/#sessions"`} {
		if !strings.Contains(sign.HTML, want) {
			t.Errorf("HTML lacks %s: %s", want, sign.HTML)
		}
	}
}

func TestPublishedHidesDrafts(t *testing.T) {
	files := map[string]string{
		"lessons/a.md":            "---\ntitle: A\norder: 1\n---\n",
		"lessons/b.md":            "---\ntitle: B\norder: 2\ndraft: true\n---\n",
		"lessons/c.md":            "---\ntitle: C\norder: 3\n---\n",
		"lessons/later/_index.md": "---\ntitle: Later\norder: 4\n---\n",
		"lessons/later/d.md":      "---\ntitle: D\ndraft: true\n---\n",
	}
	course := mustLoad(t, files)
	published := course.Published()

	if got := strings.Join(slugs(published.Lessons()), " "); got != "a c" {
		t.Errorf("published lessons = %q, want %q", got, "a c")
	}
	if len(published.Outline()) != 2 {
		t.Errorf("published outline has %d entries, want 2 (the all-draft section left out)", len(published.Outline()))
	}
	if _, ok := published.Lesson("b"); ok {
		t.Error("published course finds draft lesson b")
	}
	if prev, next := published.Neighbors("a"); prev != nil || slugOrEmpty(next) != "c" {
		t.Errorf("published Neighbors(a) = %s, %s; want none, c", slugOrEmpty(prev), slugOrEmpty(next))
	}
	if got := strings.Join(slugs(course.Lessons()), " "); got != "a b c d" {
		t.Errorf("full course lessons = %q after Published, want %q", got, "a b c d")
	}
}

func TestLoadFrontMatterKeys(t *testing.T) {
	course := mustLoad(t, map[string]string{
		"lessons/file-name.md": "---\ntitle: T\nslug: custom\ndraft: true\ntags: [jwt, \" cookies \", \"\"]\nupdated: 2025-03-14\n---\n# Top\n\nSome *text*.\n\n## Cookie flags\n\n```go\ncode()\n```\n\n| a | b |\n|---|---|\n| cell | other |\n",
	})

	lesson, ok := course.Lesson("custom")
	if !ok {
		t.Fatalf("no lesson with slug custom; slugs are %v", slugs(course.Lessons()))
	}
	if !lesson.Draft {
		t.Error("Draft = false, want true")
	}
	if !slices.Equal(lesson.Tags, []string{"jwt", "cookies"}) {
		t.Errorf("Tags = %q, want [jwt cookies]", lesson.Tags)
	}
	if want := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC); !lesson.Updated.Equal(want) {
		t.Errorf("Updated = %v, want %v", lesson.Updated, want)
	}
	wantHeadings := []Heading{{1, "top", "Top"}, {2, "cookie-flags", "Cookie flags"}}
	if !slices.Equal(lesson.Headings, wantHeadings) {
		t.Errorf("Headings = %+v, want %+v", lesson.Headings, wantHeadings)
	}
	if lesson.Text != "Some text.\na b cell other" {
		t.Errorf("Text = %q", lesson.Text)
	}
}

func TestLoadErrorPositions(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		wantPath string
		wantLine int
		wantCol  int
		want     string
	}{
		{"unknown key", map[string]string{"lessons/a.md": "---\ntitle: A\n  \nauthor: me\n---\n"}, "lessons/a.md", 4, 1, `unknown key "author"`},
		{"duplicate key", map[string]string{"lessons/a.md": "---\ntitle: A\ntitle: B\n---\n"}, "lessons/a.md", 3, 1, `duplicate key "title"`},
		{"bad draft", map[string]string{"lessons/a.md": "---\ntitle: A\ndraft: maybe\n---\n"}, "lessons/a.md", 3, 8, `invalid draft "maybe"`},
		{"tags not a list", map[string]string{"lessons/a.md": "---\ntitle: A\ntags:\n  key: value\n---\n"}, "lessons/a.md", 4, 3, "invalid tags (a set of keys)"},
		{"bad date", map[string]string{"lessons/a.md": "---\ntitle: A\nupdated: 14/03/2025\n---\n"}, "lessons/a.md", 3, 10, `invalid updated "14/03/2025"`},
		{"bad slug", map[string]string{"lessons/a.md": "---\ntitle: A\nslug: Big Slug\n---\n"}, "lessons/a.md", 3, 7, `invalid slug "Big Slug"`},
		{"unclosed", map[string]string{"lessons/a.md": "---\ntitle: A\n"}, "lessons/a.md", 1, 1, "no closing ---"},
		{"not a mapping", map[string]string{"lessons/a.md": "---\n- a\n- b\n---\n"}, "lessons/a.md", 2, 1, "not a list of keys"},
		{"section without index", map[string]string{"lessons/a.md": "---\ntitle: A\n---\n", "lessons/tokens/b.md": "---\ntitle: B\n---\n"}, "lessons/tokens", 0, 0, "has no _index.md"},
		{"section without title", map[string]string{"lessons/a.md": "---\ntitle: A\n---\n", "lessons/tokens/_index.md": "---\norder: 1\n---\n"}, "lessons/tokens/_index.md", 1, 1, "missing title"},
		{"section unknown key", map[string]string{"lessons/a.md": "---\ntitle: A\n---\n", "lessons/tokens/_index.md": "---\ntitle: T\ndraft: true\n---\n"}, "lessons/tokens/_index.md", 3, 1, `unknown key "draft"; the keys are title (required), summary and order`},
		{"nested section", map[string]string{"lessons/t/_index.md": "---\ntitle: T\n---\n", "lessons/t/a.md": "---\ntitle: A\n---\n", "lessons/t/deeper/b.md": "---\ntitle: B\n---\n"}, "lessons/t/deeper", 0, 0, "sections do not nest"},
		{"index at top", map[string]string{"lessons/a.md": "---\ntitle: A\n---\n", "lessons/_index.md": "---\ntitle: X\n---\n"}, "lessons/_index.md", 0, 0, "belongs to no section"},
		{"duplicate slug across sections", map[string]string{"lessons/a.md": "---\ntitle: A\n---\n", "lessons/t/_index.md": "---\ntitle: T\n---\n", "lessons/t/a.md": "---\ntitle: A2\n---\n"}, "lessons/t/a.md", 0, 0, `slug "a" is already used by lessons/a.md`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(mapFS(t, tt.files))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}

			var found *markdown.FileError
			for _, e := range markdown.Flatten(err) {
				var fe *markdown.FileError
				if errors.As(e, &fe) && strings.Contains(fe.Err.Error(), tt.want) {
					found = fe
				}
			}
			if found == nil {
				t.Fatalf("no FileError containing %q in %v", tt.want, err)
			}
			if found.Path != tt.wantPath || found.Line != tt.wantLine || found.Col != tt.wantCol {
				t.Errorf("position = %s:%d:%d, want %s:%d:%d", found.Path, found.Line, found.Col, tt.wantPath, tt.wantLine, tt.wantCol)
			}
		})
	}
}

func TestLoadPartialKeepsValidLessons(t *testing.T) {
	course, err := LoadPartial(mapFS(t, map[string]string{
		"lessons/good.md": "---\ntitle: Good\n---\n",
		"lessons/bad.md":  "---\ntitle: Bad\ncolour: red\n---\n",
	}))
	if err == nil {
		t.Fatal("LoadPartial returned no error for bad.md")
	}
	if course == nil || len(course.Lessons()) != 1 {
		t.Fatalf("LoadPartial course = %v, want the one valid lesson", course)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct {
		name  string
		title string
		want  string
	}{
		{"words", "Refresh tokens", "refresh-tokens"},
		{"punctuation runs", "  JWTs: why, and when?  ", "jwts-why-and-when"},
		{"digits", "OAuth 2.0 flows", "oauth-2-0-flows"},
		{"non-ASCII dropped", "Café sessions", "caf-sessions"},
		{"nothing usable", "???", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Slugify(tt.title); got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

func TestCreateWritesLoadableStarter(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "lessons", "first.md"), "---\ntitle: First\norder: 4\n---\n")

	name, err := Create(root, "Refresh tokens: a primer")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if want := filepath.Join(root, "lessons", "refresh-tokens-a-primer.md"); name != want {
		t.Errorf("Create path = %q, want %q", name, want)
	}

	course, err := Load(os.DirFS(root))
	if err != nil {
		t.Fatalf("Load after Create: %v", err)
	}
	lesson, ok := course.Lesson("refresh-tokens-a-primer")
	if !ok {
		t.Fatalf("new lesson not loaded; slugs are %v", slugs(course.Lessons()))
	}
	if lesson.Title != "Refresh tokens: a primer" || lesson.Order != 5 || !lesson.Draft || lesson.Summary == "" {
		t.Errorf("new lesson = title %q, order %d, draft %v, summary %q; want the title, order 5, a draft and a summary",
			lesson.Title, lesson.Order, lesson.Draft, lesson.Summary)
	}
}

func TestCreateRejects(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "lessons", "taken.md"), "---\ntitle: Taken\n---\nkeep me\n")
	writeFile(t, filepath.Join(root, "lessons", "s", "_index.md"), "---\ntitle: S\n---\n")
	writeFile(t, filepath.Join(root, "lessons", "s", "inner.md"), "---\ntitle: Inner\n---\n")

	tests := []struct {
		name  string
		title string
		want  string
	}{
		{"existing file", "Taken", "already exists"},
		{"slug used in a section", "Inner", `slug "inner" is already used`},
		{"empty slug", "!!!", "no ASCII letters or digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Create(root, tt.title)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Create(%q) = %v, want an error containing %q", tt.title, err, tt.want)
			}
		})
	}

	data, err := os.ReadFile(filepath.Join(root, "lessons", "taken.md"))
	if err != nil || !strings.Contains(string(data), "keep me") {
		t.Errorf("taken.md changed: %q, %v", data, err)
	}
}

func TestCreateInEmptyLessonsFolder(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "lessons"), 0o755); err != nil {
		t.Fatal(err)
	}
	name, err := Create(root, "Welcome")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	course, err := Load(os.DirFS(root))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if lesson, _ := course.Lesson("welcome"); lesson == nil || lesson.Order != 1 {
		t.Errorf("lesson from %s = %+v, want order 1", name, lesson)
	}
}

func TestCreateWithoutLessonsFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), "not-a-course")
	_, err := Create(root, "Welcome")
	if err == nil || !strings.Contains(err.Error(), "has no lessons folder") {
		t.Fatalf("Create = %v, want an error saying the folder has no lessons folder", err)
	}
	if _, err := os.Stat(root); err == nil {
		t.Error("Create made the folder anyway")
	}
}

func writeFile(tb testing.TB, name, text string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func TestDuplicateSlugBlamesTheClaimingFile(t *testing.T) {
	fsys := fstest.MapFS{
		"lessons/aaa.md":       {Data: []byte("---\ntitle: Claims\nslug: verifying\n---\nbody\n")},
		"lessons/verifying.md": {Data: []byte("---\ntitle: Original\n---\n## Pin {#pin}\n")},
	}
	course, err := LoadPartial(fsys)
	if err == nil || !strings.Contains(err.Error(), "lessons/aaa.md") || strings.Contains(err.Error(), "lessons/verifying.md:") {
		t.Fatalf("error = %v, want it reported at lessons/aaa.md only", err)
	}
	if lesson, ok := course.Lesson("verifying"); !ok || lesson.Title != "Original" {
		t.Errorf("slug verifying serves %+v, want the original lesson", lesson)
	}
}
