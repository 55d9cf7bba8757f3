package playground

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestResponseRecorderKeepsPrefix(t *testing.T) {
	tests := []struct {
		name          string
		writes        []string
		wantBody      string
		wantTruncated bool
	}{
		{"short body", []string{`{"ok":true}`}, `{"ok":true}`, false},
		{"exactly the limit", []string{strings.Repeat("a", 2000)}, strings.Repeat("a", 2000), false},
		{"one byte over", []string{strings.Repeat("a", 2001)}, strings.Repeat("a", 2000), true},
		{"over the limit in pieces", []string{strings.Repeat("a", 1500), strings.Repeat("b", 1500)}, strings.Repeat("a", 1500) + strings.Repeat("b", 500), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			underlying := httptest.NewRecorder()
			recorder := &responseRecorder{ResponseWriter: underlying}
			for _, chunk := range tt.writes {
				recorder.Write([]byte(chunk))
			}

			if got := string(recorder.body); got != tt.wantBody {
				t.Errorf("kept %d bytes, want %d", len(got), len(tt.wantBody))
			}
			if recorder.truncated != tt.wantTruncated {
				t.Errorf("truncated = %v, want %v", recorder.truncated, tt.wantTruncated)
			}
			if underlying.Body.Len() != len(strings.Join(tt.writes, "")) {
				t.Errorf("client received %d bytes, want all %d", underlying.Body.Len(), len(strings.Join(tt.writes, "")))
			}
			if recorder.statusCode() != http.StatusOK {
				t.Errorf("status = %d, want 200 when only Write was called", recorder.statusCode())
			}
		})
	}
}

func TestTrimPartialRune(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"ASCII", "abc", "abc"},
		{"whole multibyte rune", "ab…", "ab…"},
		{"cut inside a rune", "ab" + "…"[:2], "ab"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(trimPartialRune([]byte(tt.input)))
			if got != tt.want {
				t.Errorf("trimPartialRune(%q) = %q, want %q", tt.input, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("trimPartialRune(%q) = %q is not valid UTF-8", tt.input, got)
			}
		})
	}
}

func TestAbbreviate(t *testing.T) {
	tests := []struct {
		name  string
		value string
		want  string
	}{
		{"long value", "MTc2NDg3NjQwMHxEdi1CQkFFQ", "MTc2NDg3NjQw…"},
		{"twelve characters", "abcdefghijkl", "abcdefghijkl"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := abbreviate(tt.value); got != tt.want {
				t.Errorf("abbreviate(%q) = %q, want %q", tt.value, got, tt.want)
			}
		})
	}
}

func TestSessionSetCookiesFiltersAndAbbreviates(t *testing.T) {
	header := http.Header{}
	header.Add("Set-Cookie", "learn_learner=secret-learner-value; Path=/; HttpOnly")
	header.Add("Set-Cookie", "pg_session=MTc2NDg3NjQwMHxEdi1CQkFFQ; Path=/; HttpOnly; SameSite=Lax")
	header.Add("Set-Cookie", "pg_session=; Path=/; Max-Age=0")

	got := sessionSetCookies(header)
	want := "pg_session=MTc2NDg3NjQw…; Path=/; HttpOnly; SameSite=Lax\npg_session=; Path=/; Max-Age=0"
	if got != want {
		t.Errorf("sessionSetCookies = %q, want %q", got, want)
	}
}
