package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// staticPrefix is the URL path under which the static assets are served.
const staticPrefix = "/static/"

// Cache lifetimes of static assets. A hashed name changes whenever the
// content does, so its response may be kept for a year and never
// revalidated. A plain name such as /static/site.css still serves pages
// cached before an upgrade, so browsers keep it for five minutes only.
const (
	hashedAssetCache = "public, max-age=31536000, immutable"
	plainAssetCache  = "public, max-age=300"
)

// assetHashLength is the number of hex digits of the SHA-256 content hash
// that go into a hashed name. Two versions of one file share these 32 bits
// with a chance of one in about four billion.
const assetHashLength = 8

// staticAssets contains the embedded static files, each reachable under
// its plain name and under a name with a hash of its content, such as
// site.3f2a9c1b.css. Both tables are filled once, at start.
type staticAssets struct {
	hashedNames map[string]string       // plain name to hashed name
	files       map[string]*staticAsset // plain and hashed names to the file
}

// staticAsset is one embedded file.
type staticAsset struct {
	name   string // the plain name, whose extension sets the Content-Type
	hashed bool   // whether this entry is the one under the hashed name
	data   []byte
	etag   string
}

// loadStaticAssets reads every file below fsys and computes its hashed
// name.
func loadStaticAssets(fsys fs.FS) (*staticAssets, error) {
	assets := &staticAssets{
		hashedNames: make(map[string]string),
		files:       make(map[string]*staticAsset),
	}
	err := fs.WalkDir(fsys, ".", func(name string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}

		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:])[:assetHashLength]
		hashedName := hashedAssetName(name, hash)
		etag := `"` + hash + `"`
		assets.hashedNames[name] = hashedName
		assets.files[name] = &staticAsset{name: name, data: data, etag: etag}
		assets.files[hashedName] = &staticAsset{name: name, hashed: true, data: data, etag: etag}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: read static assets: %w", err)
	}
	return assets, nil
}

// hashedAssetName puts hash between the base name and the extension:
// site.css becomes site.3f2a9c1b.css.
func hashedAssetName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// URL returns the path of the hashed name of the asset called name, such
// as /static/site.3f2a9c1b.css for site.css. Templates call it as
// {{asset "site.css"}}, so a misspelt name fails the render.
func (a *staticAssets) URL(name string) (string, error) {
	hashed, ok := a.hashedNames[name]
	if !ok {
		return "", fmt.Errorf("no static asset is called %q", name)
	}
	return staticPrefix + hashed, nil
}

// lookup returns the asset served at the URL path p, which starts with
// staticPrefix.
func (a *staticAssets) lookup(p string) (*staticAsset, bool) {
	file, ok := a.files[strings.TrimPrefix(p, staticPrefix)]
	return file, ok
}

// handleStatic serves an embedded asset under its hashed or its plain
// name. http.ServeContent handles conditional and range requests.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	file, ok := s.static.lookup(r.URL.Path)
	if !ok {
		s.handleNotFound(w, r)
		return
	}

	h := w.Header()
	h.Set("ETag", file.etag)
	if file.hashed {
		h.Set("Cache-Control", hashedAssetCache)
	} else {
		h.Set("Cache-Control", plainAssetCache)
	}
	http.ServeContent(w, r, file.name, time.Time{}, bytes.NewReader(file.data))
}
