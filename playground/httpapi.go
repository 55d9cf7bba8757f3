package playground

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"
)

// maxBodyBytes is the largest accepted request body of every route. It
// leaves room for POST /inspect and POST /sign, which carry a whole token
// of up to 8 KB and its decoded parts.
const maxBodyBytes = 64 << 10

// errorKind classifies an error that the API reports to the client.
// writeError maps each kind to its HTTP status.
type errorKind int

const (
	kindInvalid errorKind = iota + 1
	kindUnauthenticated
	kindNotFound
	kindMethodNotAllowed
	kindTooLarge
	kindUnsupportedMediaType
	kindTooManyRequests
	kindConflict
)

// status returns the HTTP status code of an error of kind k.
func (k errorKind) status() int {
	switch k {
	case kindInvalid:
		return http.StatusBadRequest
	case kindUnauthenticated:
		return http.StatusUnauthorized
	case kindNotFound:
		return http.StatusNotFound
	case kindMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case kindTooLarge:
		return http.StatusRequestEntityTooLarge
	case kindUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case kindTooManyRequests:
		return http.StatusTooManyRequests
	case kindConflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// apiError is an error whose message is meant for the client.
type apiError struct {
	kind errorKind
	// message is the "error" field of the response.
	message string
	// reason is the machine-readable "reason" field, set only by the
	// bearer token check.
	reason string
	// detail is one sentence saying what failed and what to do.
	detail string
	// challenge is the WWW-Authenticate header value of a 401 response.
	challenge string
}

func (e *apiError) Error() string {
	if e.detail != "" {
		return e.message + ": " + e.detail
	}
	return e.message
}

// invalidf returns a 400 error with a formatted message.
func invalidf(format string, args ...any) error {
	return &apiError{kind: kindInvalid, message: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON body of every error response.
type errorBody struct {
	Error  string `json:"error"`
	Reason string `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// internalErrorMessage is the whole body of a 500 response, so that no
// internal detail reaches the client.
const internalErrorMessage = "The playground could not complete the request because of a server error; try again in a moment."

// writeError writes err as a JSON error response. It is the only place
// that maps errors to HTTP status codes. An error that is not an apiError
// is a server error, so it is logged and the client gets a generic 500.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var apiErr *apiError
	if !errors.As(err, &apiErr) {
		id, _ := learnerID(r.Context())
		s.logger.ErrorContext(r.Context(), "playground request failed",
			"err", err, "method", r.Method, "path", r.URL.Path, "learner", string(id))
		writeJSON(w, http.StatusInternalServerError, errorBody{Error: internalErrorMessage})
		return
	}

	status := apiErr.kind.status()
	if apiErr.challenge != "" {
		w.Header().Set("WWW-Authenticate", apiErr.challenge)
	}
	writeJSON(w, status, errorBody{Error: apiErr.message, Reason: apiErr.reason, Detail: apiErr.detail})
}

// writeJSON encodes v into a buffer first, so that an encoding failure
// never leaves a half-written body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(v); err != nil {
		// Only the package's own response types reach this point, and
		// all of them encode, so this is a programming error.
		http.Error(w, internalErrorMessage, http.StatusInternalServerError)
		return
	}

	header := w.Header()
	header.Set("Content-Type", "application/json")
	// Tokens and session state must not be kept by shared caches.
	header.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// decodeJSON decodes the request body, a single JSON object of at most
// maxBodyBytes, into dst, rejecting unknown fields. fieldRules maps a JSON
// field name to the sentence that describes its valid values, which is
// used when a field has the wrong type.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any, fieldRules map[string]string) error {
	const limit = maxBodyBytes
	if r.ContentLength == 0 {
		return invalidf("The request body is empty; send a JSON object with the fields %s.", fieldList(fieldRules))
	}
	if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}

	r.Body = http.MaxBytesReader(w, r.Body, limit)
	decoder := json.NewDecoder(r.Body)
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(dst); err != nil {
		return describeDecodeError(err, fieldRules, limit)
	}

	// A second value after the object, even a valid one, is an error.
	var extra json.RawMessage
	if err := decoder.Decode(&extra); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return bodyTooLarge(limit)
		}
		return invalidf("The request body must contain exactly one JSON object, but more data follows it.")
	}
	return nil
}

func checkJSONContentType(contentType string) error {
	if contentType == "" {
		return &apiError{kind: kindUnsupportedMediaType, message: "The request has a body but no Content-Type header; send the body as JSON with Content-Type: application/json."}
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "application/json" {
		return &apiError{kind: kindUnsupportedMediaType, message: fmt.Sprintf("The Content-Type %q is not supported; send the body as JSON with Content-Type: application/json.", shorten(contentType, 100))}
	}
	return nil
}

func bodyTooLarge(limit int64) error {
	return &apiError{kind: kindTooLarge, message: fmt.Sprintf("The request body is larger than %d bytes; send a smaller JSON object.", limit)}
}

// describeDecodeError turns an encoding/json error into a client error
// that names the problem and, for a field, its valid values.
func describeDecodeError(err error, fieldRules map[string]string, limit int64) error {
	var (
		tooLarge  *http.MaxBytesError
		syntax    *json.SyntaxError
		typeError *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return bodyTooLarge(limit)
	case errors.As(err, &syntax):
		return invalidf("The request body is not valid JSON: %s (at byte %d).", syntax.Error(), syntax.Offset)
	case errors.Is(err, io.EOF):
		return invalidf("The request body is empty; send a JSON object with the fields %s.", fieldList(fieldRules))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalidf("The request body ends before the JSON object is complete.")
	case errors.As(err, &typeError):
		if typeError.Field == "" {
			return invalidf("The request body must be a JSON object, not a JSON %s.", typeError.Value)
		}
		if rule, ok := fieldRules[typeError.Field]; ok {
			return invalidf("The field %s has the wrong type (%s); %s.", typeError.Field, typeError.Value, rule)
		}
		return invalidf("The field %s has the wrong type (%s).", typeError.Field, typeError.Value)
	}

	// encoding/json reports an unknown field only as text of the form
	// `json: unknown field "name"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return invalidf("The request body has the unknown field %s; the allowed fields are %s.", shorten(name, 100), fieldList(fieldRules))
	}
	return invalidf("The request body could not be read as JSON: %s.", err.Error())
}

// fieldList returns the field names of rules in sorted order, for
// messages.
func fieldList(rules map[string]string) string {
	names := make([]string, 0, len(rules))
	for name := range rules {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// shorten cuts s to at most n bytes for quoting in a message.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, &apiError{
		kind:    kindNotFound,
		message: fmt.Sprintf("No playground route matches %s %s; docs/api.md in the learn repository lists the routes.", r.Method, shorten(r.URL.Path, 200)),
	})
}

// handleMethodNotAllowed returns the 405 handler for router. It sets the
// Allow header, which HTTP requires on a 405, by asking the router which
// methods the path supports.
func (s *Server) handleMethodNotAllowed(router *chi.Mux) http.HandlerFunc {
	candidates := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}
	return func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if rctx := chi.RouteContext(r.Context()); rctx != nil && rctx.RoutePath != "" {
			path = rctx.RoutePath
		}

		var allowed []string
		for _, method := range candidates {
			if router.Match(chi.NewRouteContext(), method, path) {
				allowed = append(allowed, method)
			}
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))

		s.writeError(w, r, &apiError{
			kind:    kindMethodNotAllowed,
			message: fmt.Sprintf("The method %s is not allowed on %s; use %s.", shorten(r.Method, 20), shorten(r.URL.Path, 200), strings.Join(allowed, " or ")),
		})
	}
}
