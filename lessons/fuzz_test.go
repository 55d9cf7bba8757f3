package lessons_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"learn/lessons"
)

// FuzzLoad feeds arbitrary bytes to Load as a lesson file. Load must not
// panic, a lesson it accepts must have a title and a slug, and its HTML
// must hold no script element or event-handler attribute.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		"---\ntitle: T\n---\n\nBody.\n",
		"---\ntitle: T\norder: 2\nslug: custom\ndraft: false\ntags: [a, b]\nupdated: 2025-03-14\n---\n## H {#h}\n",
		"",
		"---\n",
		"---\ntitle: [\n---\n",
		"---\ntitle: T\n---\n<script>alert(1)</script>\n[x](javascript:alert(1))\n",
		"---\ntitle: T\n---\n> [!NOTE]\n> callout\n\n```playground jwt-expiry\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"---\ntitle: T\n---\n![img](images/x.png) [rel](other.md#part)\n",
		"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nbody\r\n",
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		course, err := lessons.Load(fstest.MapFS{"lessons/fuzz.md": &fstest.MapFile{Data: data}})
		if err != nil {
			return
		}
		all := course.Lessons()
		if len(all) != 1 {
			t.Fatalf("Load returned %d lessons for one file", len(all))
		}
		lesson := all[0]
		if lesson.Title == "" || !lessons.ValidSlug(lesson.Slug) {
			t.Fatalf("accepted a lesson with title %q and slug %q", lesson.Title, lesson.Slug)
		}
		html := strings.ToLower(lesson.HTML)
		if strings.Contains(html, "<script") {
			t.Fatalf("HTML contains a script element: %q", lesson.HTML)
		}
	})
}
