package web

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"learn/lessons"
)

// handleCourseFile serves an image of the course folder, such as
// /course-files/lessons/images/flow.png.
func (s *Server) handleCourseFile(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, lessons.FilesPrefix)
	ext := strings.ToLower(path.Ext(name))
	if !fs.ValidPath(name) || !lessons.ServedImage(name) {
		s.handleNotFound(w, r)
		return
	}

	content := s.library.Current()
	data, err := fs.ReadFile(content.FS, name)
	if err != nil {
		s.handleNotFound(w, r)
		return
	}

	h := w.Header()
	h.Set("Content-Type", mime.TypeByExtension(ext))
	h.Set("Cache-Control", "public, max-age=300")
	// An SVG opened on its own is a document that could run script. This
	// policy gives it none, whatever the file contains.
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox")
	w.Write(data)
}
