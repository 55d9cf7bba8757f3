package playground

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"learn/learner"
)

const (
	// transcriptSize is how many exchanges are kept per learner.
	transcriptSize = 50
	// maxAuthorizationChars and maxResponseBodyBytes bound what an
	// exchange stores for display.
	maxAuthorizationChars = 1000
	maxRequestBodyBytes   = 2000
	maxResponseBodyBytes  = 2000
	// cookieValuePrefix is how many characters of a session cookie value
	// an exchange shows.
	cookieValuePrefix = 12
)

type transcriptResponse struct {
	Exchanges []Exchange `json:"exchanges"`
}

type messageResponse struct {
	Message string `json:"message"`
}

// transcriptControl lets a handler opt its request out of the transcript,
// and carries the request's arrival time on its learner's virtual clock,
// so that the clock is read once per request. The recording middleware
// puts one in the request context.
type transcriptControl struct {
	skip    bool
	learner learner.ID
	arrived time.Time
}

type transcriptControlKey struct{}

// skipTranscript keeps the current request out of the transcript.
func skipTranscript(r *http.Request) {
	if control, ok := r.Context().Value(transcriptControlKey{}).(*transcriptControl); ok {
		control.skip = true
	}
}

// recordExchange is middleware that records every request and its
// response in the learner's transcript, except requests whose handler
// calls skipTranscript. A failure to record is logged and never changes
// the response.
func (s *Server) recordExchange(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := learner.FromContext(r.Context())
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		arrived, err := s.virtualNow(r.Context(), id)
		if err != nil {
			s.logger.ErrorContext(r.Context(), "read clock for transcript", "err", err, "method", r.Method, "path", r.URL.Path, "learner", string(id))
			next.ServeHTTP(w, r)
			return
		}

		exchange := Exchange{
			Time:   arrived,
			Method: r.Method,
			Path:   r.URL.Path,
			Cookie: sessionCookies(r),
		}
		exchange.Authorization, exchange.AuthorizationTruncated = truncateChars(strings.Join(r.Header.Values("Authorization"), ", "), maxAuthorizationChars)

		// The handler reads the body through the recorder, which keeps the
		// first bytes it reads for display.
		bodyRecorder := &requestBodyRecorder{ReadCloser: r.Body}
		r.Body = bodyRecorder

		control := &transcriptControl{learner: id, arrived: arrived}
		recorder := &responseRecorder{ResponseWriter: w}
		next.ServeHTTP(recorder, r.WithContext(context.WithValue(r.Context(), transcriptControlKey{}, control)))
		if control.skip {
			return
		}

		exchange.Status = recorder.statusCode()
		exchange.WWWAuthenticate = strings.Join(w.Header().Values("WWW-Authenticate"), ", ")
		exchange.RequestBody = string(trimPartialRune(bodyRecorder.body))
		exchange.RequestBodyTruncated = bodyRecorder.truncated
		exchange.SetCookie = sessionSetCookies(w.Header())
		exchange.ResponseBody = string(trimPartialRune(recorder.body))
		exchange.ResponseBodyTruncated = recorder.truncated

		// The response is complete, so a client that disconnects now must
		// not cancel the write.
		ctx := context.WithoutCancel(r.Context())
		if err := s.store.AddExchange(ctx, id, exchange, transcriptSize); err != nil {
			s.logger.ErrorContext(ctx, "record transcript exchange", "err", err, "method", r.Method, "path", r.URL.Path, "learner", string(id))
		}
	})
}

func (s *Server) handleGetTranscript(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	exchanges, err := s.store.Exchanges(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if exchanges == nil {
		exchanges = []Exchange{}
	}
	writeJSON(w, http.StatusOK, transcriptResponse{Exchanges: exchanges})
}

func (s *Server) handleClearTranscript(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.ClearTranscript(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, messageResponse{Message: "Transcript cleared"})
}

// requestBodyRecorder passes a request body through and keeps the first
// maxRequestBodyBytes that the handler reads.
type requestBodyRecorder struct {
	io.ReadCloser
	body      []byte
	truncated bool
}

func (rec *requestBodyRecorder) Read(p []byte) (int, error) {
	n, err := rec.ReadCloser.Read(p)
	room := maxRequestBodyBytes - len(rec.body)
	if n > room {
		rec.body = append(rec.body, p[:max(room, 0)]...)
		rec.truncated = true
	} else {
		rec.body = append(rec.body, p[:n]...)
	}
	return n, err
}

// responseRecorder passes a response through and keeps its status and
// the first maxResponseBodyBytes of its body.
type responseRecorder struct {
	http.ResponseWriter
	status    int
	body      []byte
	truncated bool
}

func (rec *responseRecorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *responseRecorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	room := maxResponseBodyBytes - len(rec.body)
	if len(p) > room {
		rec.body = append(rec.body, p[:max(room, 0)]...)
		rec.truncated = true
	} else {
		rec.body = append(rec.body, p...)
	}
	return rec.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *responseRecorder) Unwrap() http.ResponseWriter {
	return rec.ResponseWriter
}

func (rec *responseRecorder) statusCode() int {
	if rec.status == 0 {
		return http.StatusOK
	}
	return rec.status
}

// sessionCookies returns the request's pg_session cookies with abbreviated
// values. Other cookies, above all learn_learner, are left out.
func sessionCookies(r *http.Request) string {
	var parts []string
	for _, cookie := range r.CookiesNamed(sessionCookieName(r)) {
		parts = append(parts, cookie.Name+"="+abbreviate(cookie.Value))
	}
	return strings.Join(parts, "; ")
}

// sessionSetCookies returns the response's pg_session Set-Cookie headers,
// one per line, with abbreviated values and their attributes unchanged.
func sessionSetCookies(header http.Header) string {
	var lines []string
	for _, line := range header.Values("Set-Cookie") {
		nameValue, attributes, _ := strings.Cut(line, ";")
		name, value, _ := strings.Cut(nameValue, "=")
		name = strings.TrimSpace(name)
		if name != sessionCookieBase && name != "__Host-"+sessionCookieBase {
			continue
		}
		abbreviated := name + "=" + abbreviate(value)
		if attributes != "" {
			abbreviated += ";" + attributes
		}
		lines = append(lines, abbreviated)
	}
	return strings.Join(lines, "\n")
}

// abbreviate keeps the first cookieValuePrefix characters of a cookie
// value, enough to tell two cookies apart but useless for replay.
func abbreviate(value string) string {
	if utf8.RuneCountInString(value) <= cookieValuePrefix {
		return value
	}
	runes := []rune(value)
	return string(runes[:cookieValuePrefix]) + "…"
}

// truncateChars cuts s to at most limit characters and marks the cut with
// "…". It reports whether it cut.
func truncateChars(s string, limit int) (string, bool) {
	if utf8.RuneCountInString(s) <= limit {
		return s, false
	}
	runes := []rune(s)
	return string(runes[:limit]) + "…", true
}

// trimPartialRune drops an incomplete UTF-8 sequence that a byte limit
// left at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		start := len(b) - i
		if utf8.RuneStart(b[start]) {
			if utf8.FullRune(b[start:]) {
				return b
			}
			return b[:start]
		}
	}
	return b
}
