package lessons

import (
	"slices"
	"testing"
)

func TestLessonByAlias(t *testing.T) {
	course := mustLoad(t, map[string]string{
		"lessons/merged.md": "---\ntitle: Merged\naliases: [old-one, old-two]\n---\n\ntext\n",
		"lessons/later.md":  "---\ntitle: Later\ndraft: true\naliases: [old-draft]\n---\n\ntext\n",
	})

	merged, _ := course.Lesson("merged")
	if want := []string{"old-one", "old-two"}; !slices.Equal(merged.Aliases, want) {
		t.Errorf("Aliases = %v, want %v", merged.Aliases, want)
	}

	tests := []struct {
		name     string
		course   *Course
		alias    string
		wantSlug string // "" for not found
	}{
		{"first alias", course, "old-one", "merged"},
		{"second alias", course, "old-two", "merged"},
		{"current slug", course, "merged", ""},
		{"alias of a draft", course, "old-draft", "later"},
		{"alias of a draft, published", course.Published(), "old-draft", ""},
		{"alias, published", course.Published(), "old-one", "merged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lesson, ok := tt.course.LessonByAlias(tt.alias)
			if tt.wantSlug == "" {
				if ok {
					t.Errorf("LessonByAlias(%q) = %s, want not found", tt.alias, lesson.Slug)
				}
				return
			}
			if !ok || lesson.Slug != tt.wantSlug {
				t.Errorf("LessonByAlias(%q) = %v, %v; want lesson %s", tt.alias, lesson, ok, tt.wantSlug)
			}
		})
	}
}
