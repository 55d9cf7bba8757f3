package playground

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

const tokenRule = "token must be a string containing a JWT"

type inspectRequest struct {
	Token *string `json:"token"`
}

// tokenSegment is the header or payload of an inspected token.
type tokenSegment struct {
	// Raw is the base64url text between the dots.
	Raw string `json:"raw"`
	// JSON is the decoded JSON object, with its members in the token's
	// order, or null when the segment does not decode to an object.
	JSON json.RawMessage `json:"json"`
	// Error is the reason JSON is null.
	Error string `json:"error,omitempty"`
}

type signatureSegment struct {
	Raw string `json:"raw"`
	// Bytes is the length of the decoded signature.
	Bytes int    `json:"bytes"`
	Error string `json:"error,omitempty"`
}

// explainedField is one header parameter or claim with a sentence on what
// it means. Time and Relative are set for the time claims exp, nbf and
// iat.
type explainedField struct {
	Name     string          `json:"name"`
	Value    json.RawMessage `json:"value"`
	Meaning  string          `json:"meaning"`
	Time     string          `json:"time,omitempty"`
	Relative string          `json:"relative,omitempty"`
}

type inspectWarning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// verificationResult is the decision GET /jwt/data would make for the
// token.
type verificationResult struct {
	Valid    bool   `json:"valid"`
	Reason   string `json:"reason,omitempty"`
	Detail   string `json:"detail"`
	Username string `json:"username,omitempty"`
}

type inspectResponse struct {
	Header           tokenSegment       `json:"header"`
	Payload          tokenSegment       `json:"payload"`
	Signature        signatureSegment   `json:"signature"`
	HeaderParameters []explainedField   `json:"headerParameters"`
	Claims           []explainedField   `json:"claims"`
	Warnings         []inspectWarning   `json:"warnings"`
	Clock            string             `json:"clock"`
	Verification     verificationResult `json:"verification"`
}

// handleInspect takes a token apart, explains its fields and verifies it
// with the same function as GET /jwt/data. It never fails for a bad
// token: the verification result carries the reason instead.
func (s *Server) handleInspect(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req inspectRequest
	if err := decodeJSON(w, r, &req, map[string]string{"token": tokenRule}); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Token == nil || strings.TrimSpace(*req.Token) == "" {
		s.writeError(w, r, invalidf("The field token is missing or empty; %s, such as one from POST /jwt/login.", tokenRule))
		return
	}
	raw := strings.TrimSpace(*req.Token)

	now, err := s.virtualNow(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	response := inspectToken(raw, now)

	verification, err := s.verifyForInspection(r, raw, now)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	response.Verification = verification
	writeJSON(w, http.StatusOK, response)
}

// verifyForInspection runs the bearer token checks on raw as if it came
// in an Authorization header, and returns a plain error only when the
// store fails.
func (s *Server) verifyForInspection(r *http.Request, raw string, now time.Time) (verificationResult, error) {
	id, err := learnerID(r.Context())
	if err != nil {
		return verificationResult{}, err
	}
	token, rejection := bearerToken([]string{"Bearer " + raw})
	if rejection != nil {
		return verificationResult{Reason: rejection.reason, Detail: rejection.detail}, nil
	}
	claims, err := s.verifyToken(r.Context(), id, token, now)
	var apiErr *apiError
	if errors.As(err, &apiErr) {
		return verificationResult{Reason: apiErr.reason, Detail: apiErr.detail}, nil
	}
	if err != nil {
		return verificationResult{}, err
	}
	subject, _ := claims.GetSubject()
	return verificationResult{
		Valid:    true,
		Detail:   "GET /jwt/data accepts this token now.",
		Username: subject,
	}, nil
}

// inspectToken decodes the parts of raw for display. It reads the token
// without verifying it, so nothing it returns may be trusted.
func inspectToken(raw string, now time.Time) inspectResponse {
	response := inspectResponse{
		HeaderParameters: []explainedField{},
		Claims:           []explainedField{},
		Warnings:         []inspectWarning{},
		Clock:            formatTime(now),
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		response.Header.Error = describePartCount(len(parts)) + "."
		response.Payload.Error = response.Header.Error
		response.Signature.Error = response.Header.Error
		if len(parts) > 0 {
			response.Header.Raw = parts[0]
		}
		return response
	}

	var header, payload map[string]json.RawMessage
	response.Header, header = decodeObjectSegment(parts[0])
	response.Payload, payload = decodeObjectSegment(parts[1])
	response.Signature = decodeSignatureSegment(parts[2])

	for _, name := range memberOrder(response.Header.JSON) {
		response.HeaderParameters = append(response.HeaderParameters, explainedField{
			Name: name, Value: header[name], Meaning: headerParameterMeaning(name),
		})
	}
	for _, name := range memberOrder(response.Payload.JSON) {
		response.Claims = append(response.Claims, explainClaim(name, payload[name], now))
	}
	response.Warnings = inspectWarnings(header, payload)
	return response
}

// decodeObjectSegment decodes a header or payload segment strictly, as
// golang-jwt does with WithStrictDecoding, and returns its members.
func decodeObjectSegment(segment string) (tokenSegment, map[string]json.RawMessage) {
	result := tokenSegment{Raw: segment}
	decoded, err := base64.RawURLEncoding.Strict().DecodeString(segment)
	if err != nil {
		result.Error = describeBase64Error(segment)
		return result, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(decoded, &members); err != nil || members == nil {
		result.Error = "The segment decodes, but not to a JSON object."
		return result, nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, decoded); err != nil {
		result.Error = "The segment decodes, but not to a JSON object."
		return result, nil
	}
	result.JSON = compact.Bytes()
	return result, members
}

func decodeSignatureSegment(segment string) signatureSegment {
	result := signatureSegment{Raw: segment}
	decoded, err := base64.RawURLEncoding.Strict().DecodeString(segment)
	if err != nil {
		result.Error = describeBase64Error(segment)
		return result
	}
	result.Bytes = len(decoded)
	return result
}

// describeBase64Error explains why segment is not strict unpadded base64url.
// Strict decoding also rejects a last character whose unused low bits are
// not zero: such a character decodes to the same bytes as the canonical
// one, so accepting it would let two different strings carry one
// signature.
func describeBase64Error(segment string) string {
	if strings.ContainsAny(segment, "+/=") {
		return "The segment contains '+', '/' or '=', which base64url without padding does not use; JWTs use '-' and '_' and no padding."
	}
	if _, err := base64.RawURLEncoding.DecodeString(segment); err == nil {
		return "The segment is not canonical base64url: its last character sets bits that must be zero, so it decodes to the same bytes as a different string. Strict decoding rejects it."
	}
	return "The segment is not valid base64url."
}

// memberOrder returns the member names of a JSON object in the order they
// appear.
func memberOrder(object json.RawMessage) []string {
	if object == nil {
		return nil
	}
	decoder := json.NewDecoder(bytes.NewReader(object))
	if _, err := decoder.Token(); err != nil {
		return nil
	}
	var names []string
	for decoder.More() {
		token, err := decoder.Token()
		if err != nil {
			return names
		}
		name, _ := token.(string)
		var skip json.RawMessage
		if err := decoder.Decode(&skip); err != nil {
			return names
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// embeddedKeyParameters are the header parameters that carry a key or say
// where to fetch one (RFC 7515, section 4.1). The playground reads none of
// them.
var embeddedKeyParameters = []string{"jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"}

func headerParameterMeaning(name string) string {
	switch name {
	case "alg":
		return "Algorithm: the JWS algorithm that produced the signature (RFC 7515, section 4.1.1). The sender chooses it, so a server checks it against its own allow-list and never simply follows it."
	case "typ":
		return "Type: the media type of the whole token, usually JWT (RFC 7519, section 5.1)."
	case "cty":
		return "Content type: set only when the payload is itself a JWT, for nested tokens (RFC 7519, section 5.2)."
	case "kid":
		return "Key ID: names the key that signed the token (RFC 7515, section 4.1.4). The playground looks it up in your sandbox's own key set and nowhere else."
	case "jwk":
		return "JSON Web Key: a public key carried in the token itself. The playground ignores it, because a key that the token brings proves nothing about who signed it."
	case "jku":
		return "JWK Set URL: where to fetch the signing keys. The playground never fetches it."
	case "x5u":
		return "X.509 URL: where to fetch the signer's certificate. The playground never fetches it."
	case "x5c":
		return "X.509 certificate chain carried in the token. The playground ignores it."
	case "x5t", "x5t#S256":
		return "X.509 certificate thumbprint. The playground ignores it and selects the key by kid."
	case "crit":
		return "Critical: header extensions the recipient must understand (RFC 7515, section 4.1.11). The playground understands none, so it rejects a token with crit."
	}
	return "Not a header parameter that RFC 7515 or RFC 7519 registers; the playground ignores it."
}

func claimMeaning(name string) string {
	switch name {
	case "iss":
		return "Issuer: who issued the token (RFC 7519, section 4.1.1). A recipient that expects one issuer rejects tokens from any other."
	case "sub":
		return "Subject: whom the token is about (RFC 7519, section 4.1.2). The playground reads it as the username."
	case "aud":
		return "Audience: the recipients the token is meant for (RFC 7519, section 4.1.3). A recipient that checks it rejects tokens meant for someone else."
	case "exp":
		return "Expiration time: the token must be rejected at or after this time (RFC 7519, section 4.1.4)."
	case "nbf":
		return "Not before: the token must be rejected before this time (RFC 7519, section 4.1.5)."
	case "iat":
		return "Issued at: when the token was issued (RFC 7519, section 4.1.6). The playground rejects a token issued after its clock."
	case "jti":
		return "JWT ID: a unique id for the token (RFC 7519, section 4.1.7), which a denylist can name to revoke the token before it expires."
	}
	return "A private claim that RFC 7519 does not register; its meaning is agreed between issuer and recipient."
}

// explainClaim explains one claim, adding its time in RFC 3339 and
// relative to now for exp, nbf and iat when the value is a number.
func explainClaim(name string, value json.RawMessage, now time.Time) explainedField {
	field := explainedField{Name: name, Value: value, Meaning: claimMeaning(name)}
	if name != "exp" && name != "nbf" && name != "iat" {
		return field
	}

	var seconds float64
	if err := json.Unmarshal(value, &seconds); err != nil {
		field.Relative = "not a number of seconds, so the token fails verification"
		return field
	}
	if math.IsNaN(seconds) || math.Abs(seconds) > 1e11 {
		field.Relative = "too far from today to be a useful time"
		return field
	}
	whole := math.Floor(seconds)
	at := time.Unix(int64(whole), int64((seconds-whole)*1e9))
	field.Time = formatTime(at)
	gap := formatRelative(at.Sub(now))
	future := at.After(now)
	switch {
	case name == "exp" && future:
		field.Relative = "expires in " + gap
	case name == "exp":
		field.Relative = "expired " + gap + " ago"
	case name == "nbf" && future:
		field.Relative = "becomes valid in " + gap
	case name == "nbf":
		field.Relative = "valid since " + gap + " ago"
	case future:
		field.Relative = "issued " + gap + " in the future"
	default:
		field.Relative = "issued " + gap + " ago"
	}
	return field
}

// formatRelative writes the size of d in the largest whole unit, such as
// "4 min" or "2 h", rounded down.
func formatRelative(d time.Duration) string {
	d = d.Abs()
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int64(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int64(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int64(d/time.Hour))
	}
	return fmt.Sprintf("%d d", int64(d/(24*time.Hour)))
}

func inspectWarnings(header, payload map[string]json.RawMessage) []inspectWarning {
	warnings := []inspectWarning{}
	for _, name := range embeddedKeyParameters {
		if _, ok := header[name]; ok {
			warnings = append(warnings, inspectWarning{Code: "key_header_ignored", Message: fmt.Sprintf(
				"The header has %s, which the playground ignores: it selects the key by kid from your sandbox's own key set only. A server that used it would accept a token signed with any key the sender chose.", name)})
		}
	}

	var alg string
	if header != nil {
		json.Unmarshal(header["alg"], &alg)
	}
	if strings.EqualFold(alg, "none") {
		warnings = append(warnings, inspectWarning{Code: "alg_none", Message: fmt.Sprintf(
			"alg is %q: the token says it has no signature, so anyone could have written it. Only a sandbox with the algorithm allow-list off accepts it, and only with alg exactly \"none\".", shorten(alg, 32))})
	}
	// A none token is checked with no key at all, so the kid note would
	// mislead there.
	if header != nil && !strings.EqualFold(alg, "none") {
		if _, ok := header["kid"]; !ok {
			warnings = append(warnings, inspectWarning{Code: "kid_missing", Message: "The header has no kid, so the playground checks the token with your HS256 key."})
		}
	}
	if payload != nil {
		if _, ok := payload["exp"]; !ok {
			warnings = append(warnings, inspectWarning{Code: "exp_missing", Message: "The payload has no exp claim, so the token never expires; a stolen copy works until the key changes."})
		}
	}
	return warnings
}
