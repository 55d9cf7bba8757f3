package playground

import (
	"fmt"
	"strings"
)

// maxTokenBytes is the largest bearer token that is parsed. A larger one
// is rejected before any decoding work.
const maxTokenBytes = 8 << 10

// Reason codes of a rejected bearer token, sent in the "reason" field of a
// 401 response from GET /jwt/data.
const (
	reasonMissing             = "missing"
	reasonWrongScheme         = "wrong_scheme"
	reasonMalformed           = "malformed"
	reasonTooLarge            = "too_large"
	reasonSignatureInvalid    = "signature_invalid"
	reasonExpired             = "expired"
	reasonNotYetValid         = "not_yet_valid"
	reasonAlgorithmNotAllowed = "algorithm_not_allowed"
	reasonClaimsInvalid       = "claims_invalid"
	reasonUnknownKeyID        = "unknown_kid"
	reasonUnverifiable        = "unverifiable"
	reasonAudienceInvalid     = "audience_invalid"
	reasonIssuerInvalid       = "issuer_invalid"
	reasonRevoked             = "revoked"
)

// errorDescriptions holds the error_description of the WWW-Authenticate
// challenge for each reason that involves a presented token. RFC 6750
// allows only printable ASCII without '"' and '\' there, so these are
// fixed strings and never echo the request.
var errorDescriptions = map[string]string{
	reasonMalformed:           "The token is not a well-formed JWT",
	reasonTooLarge:            "The token is larger than 8192 bytes",
	reasonSignatureInvalid:    "The token signature is invalid",
	reasonExpired:             "The token expired",
	reasonNotYetValid:         "The token is not valid yet",
	reasonAlgorithmNotAllowed: "The token algorithm is not allowed for its key",
	reasonClaimsInvalid:       "The token claims are invalid",
	reasonUnknownKeyID:        "The token kid names no key of this sandbox",
	reasonUnverifiable:        "The token cannot be verified",
	reasonAudienceInvalid:     "The token audience is wrong",
	reasonIssuerInvalid:       "The token issuer is wrong",
	reasonRevoked:             "The token was revoked",
}

// bearerRealm is the challenge sent with every 401 from GET /jwt/data.
const bearerRealm = `Bearer realm="playground"`

// rejectToken returns the 401 error for a failed bearer check. Following
// RFC 6750 section 3.1, the challenge names the invalid_token error only
// when a token was presented. A request without one, or with another
// authentication scheme, gets the bare challenge.
func rejectToken(reason, detail string) *apiError {
	challenge := bearerRealm
	if description, ok := errorDescriptions[reason]; ok {
		challenge += `, error="invalid_token", error_description="` + description + `"`
	}
	return &apiError{
		kind:      kindUnauthenticated,
		message:   "Invalid or expired token",
		reason:    reason,
		detail:    detail,
		challenge: challenge,
	}
}

// bearerToken extracts the token from the request's Authorization header
// values. The scheme is matched without regard to case, and the token may
// be separated from it by one or more spaces.
func bearerToken(values []string) (string, *apiError) {
	if len(values) > 1 {
		return "", rejectToken(reasonMalformed, fmt.Sprintf("The request has %d Authorization headers; send exactly one, in the form Authorization: Bearer <token>.", len(values)))
	}
	header := ""
	if len(values) == 1 {
		header = strings.Trim(values[0], " \t")
	}
	if header == "" {
		detail := "The request has no Authorization header; log in with POST /jwt/login and send the token as Authorization: Bearer <token>."
		if len(values) == 1 {
			detail = "The Authorization header is empty; send the token from POST /jwt/login as Authorization: Bearer <token>."
		}
		return "", rejectToken(reasonMissing, detail)
	}

	scheme, rest, hasSpace := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "bearer") {
		if !hasSpace && strings.Contains(header, ".") {
			return "", rejectToken(reasonWrongScheme, "The Authorization header contains a token with no scheme; put Bearer and a space before the token.")
		}
		return "", rejectToken(reasonWrongScheme, fmt.Sprintf("The Authorization header uses the scheme %q, but this route accepts only Bearer; send Authorization: Bearer <token>.", shorten(scheme, 32)))
	}

	token := strings.Trim(rest, " \t")
	if token == "" {
		// No token was presented, so the challenge carries no error code.
		// The reason field still names the problem.
		rejection := rejectToken(reasonMalformed, "The Authorization header has the Bearer scheme but no token after it; send Authorization: Bearer <token>.")
		rejection.challenge = bearerRealm
		return "", rejection
	}
	if len(token) > maxTokenBytes {
		return "", rejectToken(reasonTooLarge, fmt.Sprintf("The token is %d bytes, but the playground accepts tokens of at most %d bytes; send the token from POST /jwt/login unchanged.", len(token), maxTokenBytes))
	}
	return token, nil
}
