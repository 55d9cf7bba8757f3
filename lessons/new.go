package lessons

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Slugify returns the slug for a title: its ASCII letters and digits in
// lower case, with each run of other characters turned into one hyphen.
//
// NOTE: letters outside ASCII, such as é, are dropped, not transliterated.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
			continue
		}
		hyphen = true
	}
	return b.String()
}

// starterMeta is the front matter of a new lesson, in the order written.
type starterMeta struct {
	Title   string `yaml:"title"`
	Summary string `yaml:"summary"`
	Order   int    `yaml:"order"`
	Draft   bool   `yaml:"draft"`
}

// Starter returns the text of a new draft lesson file with the given title
// and order.
func Starter(title string, order int) ([]byte, error) {
	meta, err := yaml.Marshal(starterMeta{
		Title:   title,
		Summary: "One sentence that tells the learner what this lesson gives them.",
		Order:   order,
		Draft:   true,
	})
	if err != nil {
		return nil, fmt.Errorf("write front matter: %w", err)
	}

	var b strings.Builder
	b.WriteString("---\n")
	b.Write(meta)
	b.WriteString("---\n\n")
	b.WriteString("Start with the question this lesson answers. The title above is the page heading, so start sections at level 2.\n\n")
	b.WriteString("## First section\n\n")
	b.WriteString("Write the lesson here. Remove `draft: true` from the front matter when it is ready to publish.\n")
	return []byte(b.String()), nil
}

// Create writes a starter lesson for title to lessons/SLUG.md in the
// course folder root and returns the path of the new file. The lesson's
// order comes after the last item of the outline. It never overwrites a
// file, and fails when the slug is already used by another lesson.
func Create(root, title string) (string, error) {
	title = strings.TrimSpace(title)
	slug := Slugify(title)
	if slug == "" {
		return "", fmt.Errorf("title %q has no ASCII letters or digits to make a file name from; use a title such as \"Refresh tokens\"", title)
	}

	// A missing lessons folder means a wrong --content or working folder,
	// and creating one there would hide the lesson from the real course.
	if info, err := os.Stat(filepath.Join(root, Dir)); err != nil || !info.IsDir() {
		return "", fmt.Errorf("course folder %s has no %s folder; run the command in the folder that contains %s, or give the course folder with --content", root, Dir, root)
	}

	order := 1
	course, _ := LoadPartial(os.DirFS(root))
	if course != nil {
		// A file at the new lesson's own path is reported below, when the
		// exclusive create fails.
		if existing, ok := course.Lesson(slug); ok && existing.Path != path.Join(Dir, slug+".md") {
			return "", fmt.Errorf("slug %q is already used by %s; choose another title", slug, filepath.Join(root, filepath.FromSlash(existing.Path)))
		}
		for _, entry := range course.Outline() {
			order = max(order, entry.order()+1)
		}
	}

	source, err := Starter(title, order)
	if err != nil {
		return "", err
	}
	folder := filepath.Join(root, Dir)
	name := filepath.Join(folder, slug+".md")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s already exists; edit it, or choose another title", name)
	}
	if err != nil {
		return "", fmt.Errorf("create lesson: %w", err)
	}
	if _, err := f.Write(source); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	return name, nil
}
