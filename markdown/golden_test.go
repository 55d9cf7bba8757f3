package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.html golden files")

// goldenScenarios are the playground scenarios the golden files may name.
var goldenScenarios = []Scenario{
	{Name: "jwt-expiry", Title: "A JWT expires on its own", Description: "Move the clock past exp & call again."},
	{Name: "session-logout", Title: "Logging out ends a session", Description: "Log out, then call again."},
}

// TestGolden renders each testdata/*.md file and compares the HTML with
// the .html file of the same name.
func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no golden inputs in testdata")
	}

	for _, input := range inputs {
		name := strings.TrimSuffix(filepath.Base(input), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Render(src, WithScenarios(goldenScenarios...))
			if err != nil {
				t.Fatalf("Render: %v", err)
			}

			goldenPath := strings.TrimSuffix(input, ".md") + ".html"
			if *update {
				if err := os.WriteFile(goldenPath, []byte(doc.HTML), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("read golden file: %v; run go test ./markdown -update", err)
			}
			if !bytes.Equal([]byte(doc.HTML), want) {
				t.Errorf("%s differs from %s; run go test ./markdown -update and review the diff\ngot:\n%s", input, goldenPath, doc.HTML)
			}
		})
	}
}
