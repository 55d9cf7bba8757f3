package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

// assetPath returns the hashed URL path of the static asset name, computed
// from the file in web/static the way the server computes it: the first 8
// hex digits of the SHA-256 of the content, between base name and
// extension.
func assetPath(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile("static/" + name)
	if err != nil {
		t.Fatalf("read static asset: %v", err)
	}
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:8] + ext
}

// staticReference matches every reference to a static asset in a page.
var staticReference = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

func TestPagesReferHashedAssets(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	wantRefs := map[string][]string{
		"/":                      {"theme.js", "site.css", "chroma.css", "favicon.svg"},
		"/lessons/signing-a-jwt": {"theme.js", "site.css", "tryit.js", "pager.js"},
		"/playground":            {"theme.js", "playground.js"},
		"/quiz/jwt-vs-sessions":  {"theme.js", "site.css"},
		"/search?q=token":        {"theme.js", "site.css"},
	}
	for page, names := range wantRefs {
		t.Run(page, func(t *testing.T) {
			r := v.get(page)
			wantStatus(t, r, http.StatusOK)
			for _, name := range names {
				if !strings.Contains(r.body, `"`+assetPath(t, name)+`"`) {
					t.Errorf("%s does not refer to %s as %s", page, name, assetPath(t, name))
				}
			}
			for _, match := range staticReference.FindAllStringSubmatch(r.body, -1) {
				if !regexp.MustCompile(`^/static/[\w/-]+\.[0-9a-f]{8}\.\w+$`).MatchString(match[1]) {
					t.Errorf("%s refers to %s, which has no content hash", page, match[1])
				}
			}
		})
	}
}

// TestAssetsNameNoOtherAsset keeps scripts and stylesheets from naming
// another asset by its plain path, which would bypass the hashed name.
// An asset that needs another one must get its URL from the page, such
// as from a data attribute that a template fills with {{asset}}.
func TestAssetsNameNoOtherAsset(t *testing.T) {
	entries, err := os.ReadDir("static")
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range entries {
		ext := path.Ext(entry.Name())
		if ext != ".js" && ext != ".css" {
			continue
		}
		data, err := os.ReadFile("static/" + entry.Name())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "/static/") {
			t.Errorf("static/%s names another asset by its plain path /static/…", entry.Name())
		}
	}
}

func TestHashedAssetIsImmutable(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	for _, name := range []string{"site.css", "chroma.css", "theme.js", "pager.js", "tryit.js", "playground.js", "live.js", "favicon.svg"} {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile("static/" + name)
			if err != nil {
				t.Fatal(err)
			}
			r := v.get(assetPath(t, name))
			wantStatus(t, r, http.StatusOK)
			if r.body != string(want) {
				t.Errorf("%s does not serve the content of static/%s", assetPath(t, name), name)
			}
			if got := r.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q, want a year and immutable", got)
			}
			if r.header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			wantType := map[string]string{".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}[path.Ext(name)]
			if got := r.header.Get("Content-Type"); !strings.HasPrefix(got, wantType) {
				t.Errorf("Content-Type = %q, want %s", got, wantType)
			}
		})
	}
}

func TestPlainAssetNameKeepsWorking(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	hashed := v.get(assetPath(t, "site.css"))
	plain := v.get("/static/site.css")
	wantStatus(t, plain, http.StatusOK)
	if plain.body != hashed.body {
		t.Error("/static/site.css and its hashed name serve different content")
	}
	if got := plain.header.Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control of the plain name = %q, want five minutes", got)
	}

	req, err := http.NewRequest(http.MethodGet, s.server.URL+"/static/site.css", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("If-None-Match", plain.header.Get("ETag"))
	wantStatus(t, v.do(req), http.StatusNotModified)
}

func TestAssetWithWrongHashIs404(t *testing.T) {
	s := newSite(t)
	v := s.newVisitor(t)

	for _, p := range []string{"/static/site.00000000.css", "/static/site.css/", "/static/../server.go"} {
		t.Run(p, func(t *testing.T) {
			wantStatus(t, v.get(p), http.StatusNotFound)
		})
	}
}

func TestFaviconRedirectsToHashedName(t *testing.T) {
	s := newSite(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := client.Get(s.server.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status = %d, want 302", resp.StatusCode)
	}
	if got, want := resp.Header.Get("Location"), assetPath(t, "favicon.svg"); got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
}
