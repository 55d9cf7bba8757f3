package lessons

import (
	"io/fs"
	"path"
	"testing"

	"learn/content"
	"learn/markdown"
)

// TestEmbeddedLessonsHaveNoProblems fails on what rendering only shows as
// an error box or plain text: an unknown playground scenario, or a link or
// image whose URL was dropped.
func TestEmbeddedLessonsHaveNoProblems(t *testing.T) {
	var names []string
	err := fs.WalkDir(content.FS, Dir, func(name string, entry fs.DirEntry, err error) error {
		if err == nil && !entry.IsDir() && path.Ext(name) == ".md" {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no lesson files in %s/", Dir)
	}

	for _, name := range names {
		src, err := fs.ReadFile(content.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		_, body, err := markdown.SplitFrontMatter(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := markdown.Render(body, renderOptions()...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, problem := range doc.Problems {
			t.Errorf("%s: %s", name, problem)
		}
	}
}

func TestRenderOptionsKnowEveryScenario(t *testing.T) {
	src := []byte("```playground jwt-expiry\n```\n\n```playground session-idle\n```\n\n```playground no-such-scenario\n```\n")
	doc, err := markdown.Render(src, renderOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Problems) != 1 {
		t.Fatalf("problems = %q, want one for no-such-scenario", doc.Problems)
	}
	want := `Unknown playground scenario "no-such-scenario"; known: jwt-expiry, jwt-tamper, jwt-logout, session-logout, session-idle, expiry, logout-replay, role-change, server-restart, second-replica, key-rotation, missing-await, forged-tokens, refresh-tokens, token-theft, cookie-size.`
	if doc.Problems[0] != want {
		t.Errorf("problem = %q, want %q", doc.Problems[0], want)
	}
}
