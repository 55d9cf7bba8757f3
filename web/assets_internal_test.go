package web

import (
	"regexp"
	"testing"
	"testing/fstest"
)

func TestStaticAssetNameFollowsContent(t *testing.T) {
	first, err := loadStaticAssets(fstest.MapFS{
		"site.css":       {Data: []byte("body { color: red; }")},
		"img/logo.svg":   {Data: []byte("<svg/>")},
		"LICENSE":        {Data: []byte("text")},
		"archive.tar.gz": {Data: []byte("gz")},
	})
	if err != nil {
		t.Fatal(err)
	}
	second, err := loadStaticAssets(fstest.MapFS{"site.css": {Data: []byte("body { color: blue; }")}})
	if err != nil {
		t.Fatal(err)
	}

	firstURL, err := first.URL("site.css")
	if err != nil {
		t.Fatal(err)
	}
	secondURL, err := second.URL("site.css")
	if err != nil {
		t.Fatal(err)
	}
	if firstURL == secondURL {
		t.Errorf("site.css has the URL %s for two different contents", firstURL)
	}

	tests := []struct {
		name string
		want string // a regular expression
	}{
		// The SHA-256 of "body { color: red; }" starts with 5de625c3.
		{"site.css", `^/static/site\.5de625c3\.css$`},
		{"img/logo.svg", `^/static/img/logo\.[0-9a-f]{8}\.svg$`},
		{"LICENSE", `^/static/LICENSE\.[0-9a-f]{8}$`},
		{"archive.tar.gz", `^/static/archive\.tar\.[0-9a-f]{8}\.gz$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := first.URL(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tt.want).MatchString(got) {
				t.Errorf("URL(%q) = %q, want %s", tt.name, got, tt.want)
			}
			if _, ok := first.lookup(got); !ok {
				t.Errorf("%s is not served", got)
			}
		})
	}

	if _, err := first.URL("missing.css"); err == nil {
		t.Error("URL of a missing asset returned no error")
	}
}
