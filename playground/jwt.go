package playground

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"learn/learner"
)

const (
	// signingKeyBytes is the length of each learner's HS256 key, the
	// output size of SHA-256.
	signingKeyBytes = 32
	// defaultExpiresIn and maxExpiresIn bound a token's lifetime in
	// seconds.
	defaultExpiresIn = 3600
	maxExpiresIn     = 86400
)

const expiresInRule = "expiresIn must be a whole number of seconds from 1 to 86400, and is 3600 when left out"

type jwtLoginRequest struct {
	Username  *string `json:"username"`
	ExpiresIn *int64  `json:"expiresIn"`
	Algorithm *string `json:"alg"`
}

type jwtLoginResponse struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expiresAt"`
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
}

type jwtDataResponse struct {
	Message   string `json:"message"`
	Username  string `json:"username"`
	ExpiresAt string `json:"expiresAt"`
}

// handleJWTLogin issues a token signed with the learner's key for the
// requested algorithm, HS256 by default, naming that key in its kid
// header. Its iat and exp come from the learner's virtual clock, and its
// aud and iss from the learner's settings when they are set.
func (s *Server) handleJWTLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req jwtLoginRequest
	rules := map[string]string{"username": usernameRule, "expiresIn": expiresInRule, "alg": algorithmRule()}
	if err := decodeJSON(w, r, &req, rules); err != nil {
		s.writeError(w, r, err)
		return
	}
	username, err := checkUsername(req.Username)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	expiresIn := int64(defaultExpiresIn)
	if req.ExpiresIn != nil {
		expiresIn = *req.ExpiresIn
	}
	if expiresIn < 1 || expiresIn > maxExpiresIn {
		s.writeError(w, r, invalidf("expiresIn is %d; %s.", expiresIn, expiresInRule))
		return
	}

	alg := defaultAlgorithm
	if req.Algorithm != nil {
		alg = *req.Algorithm
	}
	if !slices.Contains(algorithms, alg) {
		s.writeError(w, r, invalidf("alg is %q; %s.", shorten(alg, 32), algorithmRule()))
		return
	}

	key, err := s.signingKeyFor(ctx, id, alg)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now, err := s.virtualNow(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	settings, err := s.store.Settings(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	claims := jwt.RegisteredClaims{
		Issuer:    settings.Issuer,
		Subject:   username,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Duration(expiresIn) * time.Second)),
		ID:        rand.Text(),
	}
	if settings.Audience != "" {
		claims.Audience = jwt.ClaimStrings{settings.Audience}
	}
	token := jwt.NewWithClaims(key.method, claims)
	token.Header["kid"] = key.keyID
	signed, err := token.SignedString(key.signingKey)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("sign %s token: %w", alg, err))
		return
	}
	writeJSON(w, http.StatusOK, jwtLoginResponse{
		Token:     signed,
		ExpiresAt: formatTime(claims.ExpiresAt.Time),
		Algorithm: alg,
		KeyID:     key.keyID,
	})
}

// algorithmRule describes the valid values of the alg field of
// POST /jwt/login.
func algorithmRule() string {
	return "alg must be one of " + algorithmList() + " (case-sensitive), and is " + defaultAlgorithm + " when left out"
}

// handleJWTData returns the token's subject when the Authorization header
// carries a valid token, and a 401 with a reason code otherwise.
func (s *Server) handleJWTData(w http.ResponseWriter, r *http.Request) {
	claims, _, err := s.verifyBearer(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	// verifyToken has checked that sub is a non-empty string and that exp,
	// when present, is a number. exp is absent only when the learner's
	// settings do not require it, and then expiresAt is empty.
	subject, _ := claims.GetSubject()
	response := jwtDataResponse{Message: "Access granted", Username: subject}
	if expiresAt, _ := claims.GetExpirationTime(); expiresAt != nil {
		response.ExpiresAt = formatTime(expiresAt.Time)
	}
	writeJSON(w, http.StatusOK, response)
}

// verifyBearer checks the request's bearer token at the learner's
// virtual time and returns its claims and that time.
func (s *Server) verifyBearer(r *http.Request) (jwt.MapClaims, time.Time, error) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	raw, rejection := bearerToken(r.Header.Values("Authorization"))
	if rejection != nil {
		return nil, time.Time{}, rejection
	}
	now, err := s.virtualNow(ctx, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	claims, err := s.verifyToken(ctx, id, raw, now)
	if err != nil {
		return nil, time.Time{}, err
	}
	return claims, now, nil
}

// signingKey returns the learner's HS256 key, creating it from crypto/rand
// on first use.
func (s *Server) signingKey(ctx context.Context, id learner.ID) ([]byte, error) {
	candidate := make([]byte, signingKeyBytes)
	rand.Read(candidate)
	return s.store.SigningKey(ctx, id, candidate)
}

// describeGap writes a positive duration in whole seconds, rounded down,
// and a gap under one second in words.
func describeGap(d time.Duration) string {
	seconds := int64(d / time.Second)
	if seconds < 1 {
		return "less than a second"
	}
	return formatSeconds(seconds)
}

// describeInvalidClaims names the first registered claim that is missing
// or has the wrong type.
func describeInvalidClaims(claims jwt.MapClaims) string {
	for _, name := range []string{"exp", "nbf", "iat"} {
		value, ok := claims[name]
		if !ok {
			continue
		}
		switch value.(type) {
		case float64, json.Number:
		default:
			return fmt.Sprintf("The token's %s claim is not a number of seconds since 1970-01-01T00:00:00Z; log in again to get a new token.", name)
		}
	}
	// golang-jwt treats an exp of 0 as absent.
	if exp, ok := claims["exp"]; !ok || exp == float64(0) {
		return "The token has no exp claim (or exp is 0), but the playground requires every token to expire; log in again to get a token with one."
	}
	return "The token's registered claims are invalid; log in again to get a new token."
}

// describePartCount explains that a token of n dot-separated parts is not
// a JWT, as one clause without a final full stop.
func describePartCount(n int) string {
	if n == 1 {
		return "The token contains no dots, but a JWT has three parts separated by dots (header.payload.signature)"
	}
	return fmt.Sprintf("The token has %d parts separated by dots, but a JWT has three (header.payload.signature)", n)
}

// describeMalformed finds the first structural problem in raw, checking in
// the order golang-jwt parses a token.
func describeMalformed(raw string) string {
	const fix = "send the token from POST /jwt/login unchanged."
	segments := strings.Split(raw, ".")
	if len(segments) != 3 {
		return describePartCount(len(segments)) + "; " + fix
	}

	names := []string{"header", "payload", "signature"}
	for i, segment := range segments {
		decoded, err := base64.RawURLEncoding.Strict().DecodeString(segment)
		if err != nil {
			return fmt.Sprintf("The token's %s is not valid unpadded base64url; %s", names[i], fix)
		}
		if i < 2 {
			var object map[string]any
			if err := json.Unmarshal(decoded, &object); err != nil {
				return fmt.Sprintf("The token's %s is not a JSON object after base64url decoding; %s", names[i], fix)
			}
		}
	}
	return "The token is not a well-formed JWT; " + fix
}
