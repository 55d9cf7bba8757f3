package content_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"learn/content"
)

// fragmentMarker is the info string word that marks a code block as
// deliberately incomplete, such as ```js fragment. The snippet tests skip
// such blocks, and every other js, javascript, mjs and go block must pass.
const fragmentMarker = "fragment"

// snippet is one fenced code block of the course.
type snippet struct {
	name     string // file:line, such as "lessons/verifying-a-jwt.md:42"
	language string // the info string's first word
	fragment bool
	code     string
}

// courseSnippets returns every fenced code block in the embedded lessons
// and quizzes, including blocks indented under quiz options.
func courseSnippets(t testing.TB) []snippet {
	t.Helper()

	parser := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()
	var snippets []snippet
	err := fs.WalkDir(content.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".md" {
			return err
		}
		source, err := fs.ReadFile(content.FS, name)
		if err != nil {
			return err
		}

		doc := parser.Parse(text.NewReader(source))
		return ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			block, ok := n.(*ast.FencedCodeBlock)
			if !ok || !entering || block.Info == nil {
				return ast.WalkContinue, nil
			}
			fields := strings.Fields(string(block.Info.Segment.Value(source)))
			if len(fields) == 0 {
				return ast.WalkContinue, nil
			}

			var code strings.Builder
			for i := range block.Lines().Len() {
				line := block.Lines().At(i)
				code.Write(line.Value(source))
			}
			lineNumber := bytes.Count(source[:block.Info.Segment.Start], []byte("\n")) + 1
			snippets = append(snippets, snippet{
				name:     fmt.Sprintf("%s:%d", name, lineNumber),
				language: fields[0],
				fragment: slices.Contains(fields[1:], fragmentMarker),
				code:     code.String(),
			})
			return ast.WalkContinue, nil
		})
	})
	if err != nil {
		t.Fatalf("read the course: %v", err)
	}
	return snippets
}

// snippetsIn returns the snippets whose language is one of languages,
// leaving out fragments.
func snippetsIn(t testing.TB, languages ...string) []snippet {
	t.Helper()

	var found []snippet
	for _, s := range courseSnippets(t) {
		if slices.Contains(languages, s.language) && !s.fragment {
			found = append(found, s)
		}
	}
	if len(found) == 0 {
		t.Fatalf("found no %s snippets in the course, so the extraction is broken", strings.Join(languages, " or "))
	}
	return found
}

// requireNode returns the path of the node binary. Without node the test
// skips, except under CI=true, where it fails.
func requireNode(t testing.TB) string {
	t.Helper()

	node, err := exec.LookPath("node")
	if err == nil {
		return node
	}
	const message = "node is not installed, so JavaScript snippets cannot be checked. Install it with: apt-get install -y nodejs"
	if os.Getenv("CI") == "true" {
		t.Fatal(message)
	}
	t.Skip(message)
	return ""
}

// checkJavaScript runs node --check on code saved as an ES module and
// returns node's output when the syntax check fails.
func checkJavaScript(t testing.TB, node, code string) error {
	t.Helper()

	file := filepath.Join(t.TempDir(), "snippet.mjs")
	if err := os.WriteFile(file, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	output, err := exec.Command(node, "--check", file).CombinedOutput()
	if err != nil {
		return fmt.Errorf("node --check: %w\n%s", err, output)
	}
	return nil
}

func TestJavaScriptSnippetsParse(t *testing.T) {
	node := requireNode(t)

	for _, s := range snippetsIn(t, "js", "javascript", "mjs") {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			if err := checkJavaScript(t, node, s.code); err != nil {
				t.Errorf("%s does not parse as an ES module. Fix the snippet, or mark it ```%s %s if it is deliberately incomplete:\n%v", s.name, s.language, fragmentMarker, err)
			}
		})
	}
}

func TestCheckJavaScriptRejectsBadSyntax(t *testing.T) {
	node := requireNode(t)

	tests := []struct {
		name string
		code string
	}{
		{"unclosed brace", "export function f() {\n"},
		{"top-level return", "return 1;\n"},
		{"missing expression", "const x = ;\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkJavaScript(t, node, tt.code); err == nil {
				t.Errorf("checkJavaScript(%q) = nil, want a syntax error", tt.code)
			}
		})
	}
}

// goModule is a module in a temporary folder with this repository's
// requirements, so that snippets import the same library versions as the
// project, from the local module cache.
type goModule struct {
	dir string
}

// newGoModule writes go.mod and go.sum for a module named snippets that
// requires what this repository requires.
func newGoModule(t testing.TB) *goModule {
	t.Helper()

	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH, so Go snippets cannot be built")
	}
	goMod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatalf("read the repository's go.mod: %v", err)
	}
	goSum, err := os.ReadFile(filepath.Join("..", "go.sum"))
	if err != nil {
		t.Fatalf("read the repository's go.sum: %v", err)
	}

	// Keep the go line and the require blocks. The tool lines would make
	// the go command load tools that no snippet needs.
	var kept []string
	for _, line := range strings.Split(string(goMod), "\n") {
		if strings.HasPrefix(line, "module ") || strings.HasPrefix(line, "tool ") {
			continue
		}
		kept = append(kept, line)
	}
	module := "module snippets\n" + strings.Join(kept, "\n")

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(module), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), goSum, 0o600); err != nil {
		t.Fatal(err)
	}
	return &goModule{dir: dir}
}

var packageClause = regexp.MustCompile(`(?m)^package \w+`)

// build compiles code as the only file of package folder and returns the
// compiler's output when it fails. A snippet without a package clause
// gets one.
func (m *goModule) build(t testing.TB, folder, code string) error {
	t.Helper()

	if !packageClause.MatchString(code) {
		code = "package snippet\n\n" + code
	}
	dir := filepath.Join(m.dir, folder)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "snippet.go"), []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command("go", "build", "./"+folder)
	cmd.Dir = m.dir
	// -mod=mod lets the go command add go.sum lines for the packages that
	// the snippets import. The modules themselves come from the cache.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	output, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build: %w\n%s", err, output)
	}
	return nil
}

func TestGoSnippetsCompile(t *testing.T) {
	module := newGoModule(t)

	for i, s := range snippetsIn(t, "go") {
		t.Run(s.name, func(t *testing.T) {
			if err := module.build(t, fmt.Sprintf("snippet%02d", i), s.code); err != nil {
				t.Errorf("%s does not compile. Fix the snippet, or mark it ```go %s if it is deliberately incomplete:\n%v", s.name, fragmentMarker, err)
			}
		})
	}
}

func TestBuildRejectsBrokenGo(t *testing.T) {
	module := newGoModule(t)

	tests := []struct {
		name string
		code string
	}{
		{"undefined name", "package auth\n\nfunc F() int { return missing }\n"},
		{"unused import", "package auth\n\nimport \"strings\"\n"},
		{"wrong key type", "package auth\n\nimport \"github.com/golang-jwt/jwt/v5\"\n\nvar _ jwt.Claims = 42\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := module.build(t, fmt.Sprintf("broken%02d", i), tt.code); err == nil {
				t.Errorf("build(%q) = nil, want a compile error", tt.code)
			}
		})
	}
}

func TestFragmentMarkerOnCheckedLanguages(t *testing.T) {
	for _, s := range courseSnippets(t) {
		if s.fragment && s.language != "js" && s.language != "javascript" && s.language != "mjs" && s.language != "go" {
			t.Errorf("%s: the %s marker only applies to js, javascript, mjs and go blocks, not %q", s.name, fragmentMarker, s.language)
		}
	}
}
