package playground

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
}

type jwtLoginResponse struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expiresAt"`
}

type jwtDataResponse struct {
	Message   string `json:"message"`
	Username  string `json:"username"`
	ExpiresAt string `json:"expiresAt"`
}

// handleJWTLogin issues an HS256 token signed with the learner's key. Its
// iat and exp come from the learner's virtual clock.
func (s *Server) handleJWTLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req jwtLoginRequest
	rules := map[string]string{"username": usernameRule, "expiresIn": expiresInRule}
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

	key, err := s.signingKey(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now, err := s.virtualNow(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	claims := jwt.RegisteredClaims{
		Subject:   username,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Duration(expiresIn) * time.Second)),
		ID:        rand.Text(),
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("sign token: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, jwtLoginResponse{Token: token, ExpiresAt: formatTime(claims.ExpiresAt.Time)})
}

// handleJWTData returns the token's subject when the Authorization header
// carries a valid token, and a 401 with a reason code otherwise.
func (s *Server) handleJWTData(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	raw, rejection := bearerToken(r.Header.Values("Authorization"))
	if rejection != nil {
		s.writeError(w, r, rejection)
		return
	}
	now, err := s.virtualNow(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	claims, err := s.verifyToken(ctx, id, raw, now)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	// verifyToken has checked that sub is a non-empty string and exp a
	// number.
	subject, _ := claims.GetSubject()
	expiresAt, _ := claims.GetExpirationTime()
	writeJSON(w, http.StatusOK, jwtDataResponse{
		Message:   "Access granted",
		Username:  subject,
		ExpiresAt: formatTime(expiresAt.Time),
	})
}

// signingKey returns the learner's HS256 key, creating it from crypto/rand
// on first use.
func (s *Server) signingKey(ctx context.Context, id learner.ID) ([]byte, error) {
	candidate := make([]byte, signingKeyBytes)
	rand.Read(candidate)
	return s.store.SigningKey(ctx, id, candidate)
}

// verifyToken parses raw and checks its signature and claims at the
// virtual time now. It returns a 401 apiError for a rejected token and a
// plain error when the store fails.
func (s *Server) verifyToken(ctx context.Context, id learner.ID, raw string, now time.Time) (jwt.MapClaims, error) {
	// The key is loaded only after the header has been checked, so a
	// malformed token costs no store access.
	var keyErr error
	keyFunc := func(*jwt.Token) (any, error) {
		key, err := s.signingKey(ctx, id)
		if err != nil {
			keyErr = err
			return nil, err
		}
		return key, nil
	}

	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
	)
	// MapClaims, unlike RegisteredClaims, decodes a claim of the wrong
	// type (such as a string exp) and leaves it to validation, so that
	// case is reported as claims_invalid rather than malformed.
	claims := jwt.MapClaims{}
	token, err := parser.ParseWithClaims(raw, claims, keyFunc)
	if keyErr != nil {
		return nil, keyErr
	}
	if err != nil {
		reason, detail := classifyTokenError(err, token, raw, claims, now)
		return nil, rejectToken(reason, detail)
	}

	subject, err := claims.GetSubject()
	if err != nil {
		return nil, rejectToken(reasonClaimsInvalid, "The token's sub claim is not a string; log in again to get a new token.")
	}
	if subject == "" {
		return nil, rejectToken(reasonClaimsInvalid, "The token has no sub claim naming the user; log in again to get a new token.")
	}
	return claims, nil
}

// classifyTokenError maps an error from the golang-jwt parser to a reason
// code and a detail sentence.
func classifyTokenError(err error, token *jwt.Token, raw string, claims jwt.MapClaims, now time.Time) (reason, detail string) {
	if errors.Is(err, jwt.ErrTokenMalformed) {
		return reasonMalformed, describeMalformed(raw)
	}

	// golang-jwt reports an algorithm outside WithValidMethods as
	// ErrTokenSignatureInvalid and an unknown one as ErrTokenUnverifiable,
	// so the header is checked first to tell these apart.
	alg, algIsString := "", false
	if token != nil {
		alg, algIsString = token.Header["alg"].(string)
	}
	if !algIsString {
		return reasonMalformed, "The token header has no alg field naming its signing algorithm; send the token from POST /jwt/login unchanged."
	}
	if alg != jwt.SigningMethodHS256.Alg() {
		return reasonAlgorithmNotAllowed, describeAlgorithm(alg)
	}

	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return reasonSignatureInvalid, "The signature does not match the token's header and payload under your signing key, so the token was changed or signed with another key; use the token from POST /jwt/login unchanged."
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing), errors.Is(err, jwt.ErrInvalidType):
		return reasonClaimsInvalid, describeInvalidClaims(claims)
	case errors.Is(err, jwt.ErrTokenExpired):
		if expiresAt, _ := claims.GetExpirationTime(); expiresAt != nil {
			return reasonExpired, fmt.Sprintf("The token expired at %s, %s before the playground clock; log in again to get a new one.",
				formatTime(expiresAt.Time), describeGap(now.Sub(expiresAt.Time)))
		}
		return reasonExpired, "The token has expired; log in again to get a new one."
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		if notBefore, _ := claims.GetNotBefore(); notBefore != nil {
			return reasonNotYetValid, fmt.Sprintf("The token is not valid before %s (its nbf claim), %s after the playground clock; advance the clock with POST /clock or use a token without nbf.",
				formatTime(notBefore.Time), describeGap(notBefore.Time.Sub(now)))
		}
		return reasonNotYetValid, "The token is not valid yet (its nbf claim); advance the clock with POST /clock or use a token without nbf."
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		if issuedAt, _ := claims.GetIssuedAt(); issuedAt != nil {
			return reasonNotYetValid, fmt.Sprintf("The token says it was issued at %s (its iat claim), %s after the playground clock, so it cannot be used yet; advance the clock with POST /clock or log in again.",
				formatTime(issuedAt.Time), describeGap(issuedAt.Time.Sub(now)))
		}
		return reasonNotYetValid, "The token's iat claim is after the playground clock, so it cannot be used yet; advance the clock with POST /clock or log in again."
	}
	return reasonClaimsInvalid, fmt.Sprintf("The token's claims are invalid (%s); log in again to get a new token.", err.Error())
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

func describeAlgorithm(alg string) string {
	if strings.EqualFold(alg, "none") {
		return fmt.Sprintf("The token header sets alg to %q, which means the token carries no signature; the playground accepts only HS256 tokens signed with your key, such as those from POST /jwt/login.", shorten(alg, 32))
	}
	return fmt.Sprintf("The token header sets alg to %q, but the playground accepts only HS256 and rejects other algorithms before checking the signature; use a token from POST /jwt/login.", shorten(alg, 32))
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

// describeMalformed finds the first structural problem in raw, checking in
// the order golang-jwt parses a token.
func describeMalformed(raw string) string {
	const fix = "send the token from POST /jwt/login unchanged."
	segments := strings.Split(raw, ".")
	if len(segments) == 1 {
		return "The token contains no dots, but a JWT has three parts separated by dots (header.payload.signature); " + fix
	}
	if len(segments) != 3 {
		return fmt.Sprintf("The token has %d parts separated by dots, but a JWT has three (header.payload.signature); %s", len(segments), fix)
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
