package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"learn/search"
)

type searchPage struct {
	Query   string
	Results []search.Result
}

// handleSearch serves /search?q=WORDS. It works without JavaScript: the
// form in the layout header sends a plain GET.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	query := strings.TrimSpace(r.URL.Query().Get("q"))
	if n := utf8.RuneCountInString(query); n > search.MaxQueryLength {
		s.fail(w, r, http.StatusBadRequest, "Search query too long",
			fmt.Sprintf("The query has %d characters, and the limit is %d. Search for fewer words.", n, search.MaxQueryLength))
		return
	}

	page := searchPage{Query: query, Results: s.library.Current().Search.Search(query)}
	title := "Search"
	if query != "" {
		title = "Search: " + query
	}
	s.render(w, r, http.StatusOK, "search", title, page)
}
