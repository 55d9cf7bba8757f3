package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5/middleware"

	"learn/library"
)

// pages holds one parsed template set per page, each the layout, the
// shared partials and the page's own file, so that page blocks cannot
// collide.
type pages struct {
	byName map[string]*template.Template
}

var pageNames = []string{"index", "lesson", "quiz", "playground", "search", "error",
	"progress", "progress-delete", "privacy", "instructor-login", "instructor", "lab"}

// parsePages parses every page. Templates refer to the static assets
// through {{asset "name"}}, which returns the hashed URL from static.
func parsePages(static *staticAssets) (*pages, error) {
	funcs := template.FuncMap{"asset": static.URL}
	p := &pages{byName: make(map[string]*template.Template)}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(templateFuncs).Funcs(funcs).ParseFS(assets,
			"templates/layout.html", "templates/partials/*.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

var templateFuncs = template.FuncMap{
	// trusted marks HTML that goldmark rendered with raw HTML off.
	"trusted": func(s string) template.HTML { return template.HTML(s) },
	"inc":     func(i int) int { return i + 1 },
}

// layoutData is the data the layout needs from every page.
type layoutData struct {
	Title string // the page title, without the site name
	Page  any    // the page's own data

	// Live is set when the server follows a content folder, so the page
	// loads the script that refreshes it after an edit.
	Live bool
	// ContentError is the last failed reload of that folder, shown in a
	// banner while the last good version is served.
	ContentError string
}

// render executes a page into a buffer first, so that a failing template
// serves a clean 500 page and never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	body, err := s.renderPage(s.library.Current(), name, title, data)
	if err != nil {
		s.logger.Error("render page", "page", name, "err", err, "method", r.Method,
			"path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
		s.failPlain(w, r)
		return
	}

	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// renderPage executes the page called name inside the layout, which shows
// the live-reload script and the last reload error of snapshot.
func (s *Server) renderPage(snapshot *library.Snapshot, name, title string, data any) ([]byte, error) {
	t, ok := s.pages.byName[name]
	if !ok {
		return nil, fmt.Errorf("no page template is called %q", name)
	}

	layout := layoutData{Title: title, Page: data, Live: s.library.Live()}
	if snapshot.Err != nil && layout.Live {
		layout.ContentError = snapshot.Err.Error()
	}

	var buf bytes.Buffer
	if err := t.Execute(&buf, layout); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// errorPage is the data of the error template.
type errorPage struct {
	Status  int
	Heading string
	Detail  string
}

// fail writes an error response: JSON under /playground/api and /api,
// where clients are scripts, and an HTML page everywhere else. Heading names what failed
// and detail says what to do.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, heading, detail string) {
	if strings.HasPrefix(r.URL.Path, "/playground/api/") || strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"error": heading, "detail": detail})
		return
	}
	s.render(w, r, status, "error", heading, errorPage{Status: status, Heading: heading, Detail: detail})
}

// failPlain is the last resort when even the error page cannot render.
func (s *Server) failPlain(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "500 Internal Server Error: the page failed to render. Try again later.", http.StatusInternalServerError)
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "Page not found",
		"No page exists at "+r.URL.Path+". Start again from the course outline.")
}

func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusMethodNotAllowed, "Method not allowed",
		r.Method+" is not supported on "+r.URL.Path+".")
}
