package web_test

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"learn/markdown"
)

var update = flag.Bool("update", false, "rewrite web/static/chroma.css from markdown.WriteHighlightCSS")

// TestHighlightCSSUpToDate keeps the checked-in stylesheet equal to what
// the pinned chroma version generates.
func TestHighlightCSSUpToDate(t *testing.T) {
	var want bytes.Buffer
	if err := markdown.WriteHighlightCSS(&want); err != nil {
		t.Fatal(err)
	}

	const path = "static/chroma.css"
	if *update {
		if err := os.WriteFile(path, want.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v; run go test ./web -run TestHighlightCSSUpToDate -update", path, err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%s is out of date; run go test ./web -run TestHighlightCSSUpToDate -update", path)
	}
}
