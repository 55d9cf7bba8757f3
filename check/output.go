package check

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes one "path:line:col: message" line per problem, then
// the summary line.
func (r Report) WriteText(w io.Writer) error {
	for _, p := range r.Problems {
		if _, err := fmt.Fprintln(w, p); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, r.Summary())
	return err
}

// WriteJSON writes the problems as one JSON array, empty when there are
// none, for tools such as CI annotations.
func (r Report) WriteJSON(w io.Writer) error {
	problems := r.Problems
	if problems == nil {
		problems = []Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(problems)
}
