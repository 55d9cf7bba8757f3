package markdown

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/text"
)

const loginDiagram = `shape: sequence_diagram
browser: Browser
server: Server
browser -> server: "POST /login"
server -> browser: "200 with a token"
`

func TestDiagramSVGFitsThePolicy(t *testing.T) {
	svg, err := newDiagramCache(1).render(loginDiagram)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	for _, banned := range []string{"<style", " style=", "<script", "<foreignObject"} {
		if strings.Contains(svg, banned) {
			t.Errorf("the SVG contains %q, which the Content-Security-Policy blocks or the site rejects", banned)
		}
	}
	for _, want := range []string{`<svg `, `width="`, `class=" stroke-B1 fill-B5"`, `>Browser</text>`, `text-anchor="middle"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}

func TestDiagramErrorsArePositioned(t *testing.T) {
	src := []byte("---\ntitle: Diagrams\n---\n\nIntro.\n\n```d2\nshape: sequence_diagram\na -> : missing\n```\n\n```d2\na: |md\n  # Title\n|\n```\n")
	_, body, err := SplitFrontMatter(src)
	if err != nil {
		t.Fatal(err)
	}
	root := New().Parser().Parse(text.NewReader(body))

	errs := DiagramErrors("lessons/diagrams.md", src, body, root)
	if len(errs) != 2 {
		t.Fatalf("got %d errors, want 2: %v", len(errs), errs)
	}
	tests := []struct {
		name       string
		err        *FileError
		line, col  int
		wantInText string
	}{
		// d2 points at the start of the connection on line 9 of the file.
		{"missing destination", errs[0], 9, 1, "connection missing destination"},
		// A rejected label has no position inside the block, so the
		// error points at the info string after the fence.
		{"markdown label", errs[1], 12, 4, "Markdown or LaTeX label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Line != tt.line || tt.err.Col != tt.col {
				t.Errorf("position = %d:%d, want %d:%d", tt.err.Line, tt.err.Col, tt.line, tt.col)
			}
			if !strings.Contains(tt.err.Error(), tt.wantInText) {
				t.Errorf("error %q does not contain %q", tt.err, tt.wantInText)
			}
			if !strings.HasPrefix(tt.err.Error(), fmt.Sprintf("lessons/diagrams.md:%d:%d: ", tt.line, tt.col)) {
				t.Errorf("error %q does not start with path:line:col", tt.err)
			}
		})
	}
}

func TestDiagramProblemIsListed(t *testing.T) {
	doc, err := Render([]byte("```d2\nx -> \n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Problems) != 1 || !strings.HasPrefix(doc.Problems[0], "The d2 diagram does not compile: ") {
		t.Errorf("problems = %q, want one about the diagram", doc.Problems)
	}
	if !strings.Contains(doc.HTML, `<div class="diagram-error">`) {
		t.Errorf("HTML has no error box:\n%s", doc.HTML)
	}
}

func TestDiagramCache(t *testing.T) {
	cache := newDiagramCache(2)
	first, err := cache.render(loginDiagram)
	if err != nil {
		t.Fatalf("first render: %v", err)
	}

	t.Run("hit", func(t *testing.T) {
		again, err := cache.render(loginDiagram)
		if err != nil {
			t.Fatalf("second render: %v", err)
		}
		if again != first {
			t.Error("the cached SVG differs from the first render")
		}
		if hits, misses := cache.stats(); hits != 1 || misses != 1 {
			t.Errorf("hits, misses = %d, %d; want 1, 1", hits, misses)
		}
	})

	t.Run("errors are cached too", func(t *testing.T) {
		for range 2 {
			if _, err := cache.render("a -> "); err == nil {
				t.Fatal("a connection without a destination compiled")
			}
		}
		if hits, misses := cache.stats(); hits != 2 || misses != 2 {
			t.Errorf("hits, misses = %d, %d; want 2, 2", hits, misses)
		}
	})

	t.Run("oldest is evicted when full", func(t *testing.T) {
		if _, err := cache.render("c -> d"); err != nil {
			t.Fatal(err)
		}
		if _, err := cache.render(loginDiagram); err != nil {
			t.Fatal(err)
		}
		if hits, misses := cache.stats(); hits != 2 || misses != 4 {
			t.Errorf("hits, misses = %d, %d; want 2, 4: the first diagram should have been evicted", hits, misses)
		}
	})
}

func TestDiagramLimits(t *testing.T) {
	t.Run("source too large", func(t *testing.T) {
		source := strings.Repeat("a -> b\n", maxDiagramSource/7+1)
		_, err := newDiagramCache(1).render(source)
		if err == nil || !strings.Contains(err.Error(), "over the limit") {
			t.Errorf("err = %v, want the size limit", err)
		}
	})

	t.Run("layout too slow", func(t *testing.T) {
		// The stand-in blocks until the deadline, as a layout that never
		// ends would, so the test does not depend on how fast d2 is.
		cache := newDiagramCache(1)
		cache.timeout = 1
		cache.compile = func(ctx context.Context, source string) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		}
		_, err := cache.render("a -> b")
		if err == nil || !strings.Contains(err.Error(), "took longer than") {
			t.Errorf("err = %v, want a timeout", err)
		}
		if _, misses := cache.stats(); misses != 1 || len(cache.entries) != 0 {
			t.Errorf("a timed-out diagram was cached")
		}
	})

	t.Run("panic in d2", func(t *testing.T) {
		cache := newDiagramCache(1)
		cache.compile = func(ctx context.Context, source string) (string, error) {
			panic("index out of range")
		}
		_, err := cache.render("a -> b")
		if err == nil || !strings.Contains(err.Error(), "d2 failed on this diagram (index out of range)") {
			t.Errorf("err = %v, want the panic as an error", err)
		}
	})

	t.Run("imports read no file", func(t *testing.T) {
		// The file exists, so only the empty file system stops d2 from
		// reading it into the diagram.
		secret := filepath.Join(t.TempDir(), "secret.d2")
		if err := os.WriteFile(secret, []byte("leaked: secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		svg, err := newDiagramCache(1).render("...@" + strings.TrimSuffix(secret, ".d2") + "\n")
		var positioned *diagramError
		if err == nil || !errors.As(err, &positioned) || !strings.Contains(err.Error(), "failed to import") {
			t.Errorf("err = %v, want an import error", err)
		}
		if strings.Contains(svg, "leaked") {
			t.Error("the SVG contains the imported file")
		}
	})
}

func BenchmarkDiagram(b *testing.B) {
	b.Run("first render", func(b *testing.B) {
		for b.Loop() {
			if _, err := newDiagramCache(1).render(loginDiagram); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		cache := newDiagramCache(1)
		if _, err := cache.render(loginDiagram); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := cache.render(loginDiagram); err != nil {
				b.Fatal(err)
			}
		}
	})
}
