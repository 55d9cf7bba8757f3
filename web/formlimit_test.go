package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSmallFormsTooLarge(t *testing.T) {
	s := newInstructorSite(t)
	oversized := strings.Repeat("A", 17<<10)

	tests := []struct {
		name string
		path string
		form url.Values
	}{
		{"create recovery code", "/progress/code", url.Values{"replaces": {oversized}}},
		{"restore progress", "/progress/restore", url.Values{"code": {oversized}}},
		{"delete data", "/progress/delete", url.Values{"confirm": {"delete"}, "padding": {oversized}}},
		{"instructor login", "/instructor/login", url.Values{"password": {oversized}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := s.newVisitor(t)
			q := s.quizzes[0]
			v.answer(q, q.Questions[0], url.Values{"choice": {q.Questions[0].Options[0].ID}})
			before := v.get("/progress").body

			r := v.postForm(tt.path, tt.form)
			wantStatus(t, r, http.StatusRequestEntityTooLarge)
			if !strings.Contains(r.body, "at most 16 KB") {
				t.Errorf("the 413 page does not give the limit: %s", r.body)
			}

			// The rejected form changed nothing: no code was created or
			// restored, and the answer was not deleted.
			if after := v.get("/progress").body; after != before {
				t.Errorf("/progress changed after a rejected form:\nbefore: %s\nafter: %s", before, after)
			}
		})
	}
}
