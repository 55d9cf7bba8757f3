package lessons

import (
	"strings"
	"testing"

	"learn/content"
)

// TestLoadEmbeddedCourse checks the lessons that ship in the binary.
func TestLoadEmbeddedCourse(t *testing.T) {
	course, err := Load(content.FS)
	if err != nil {
		t.Fatalf("Load(content.FS): %v", err)
	}

	for _, lesson := range course.Lessons() {
		if lesson.HTML == "" {
			t.Errorf("lesson %s has an empty body", lesson.Slug)
		}
		if strings.Contains(lesson.HTML, "raw HTML omitted") {
			t.Errorf("lesson %s contains raw HTML, which is not rendered; write it in Markdown", lesson.Slug)
		}
	}
}
