package playground

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"learn/learner"
)

// keyLookupError is a rejection that the key lookup returns to golang-jwt
// from inside the Keyfunc, carrying its reason code out of the parser.
type keyLookupError struct {
	reason string
	detail string
}

func (e *keyLookupError) Error() string { return e.reason + ": " + e.detail }

// verifyToken parses raw and checks its signature and claims at the
// virtual time now, under the learner's settings. It returns a 401
// apiError for a rejected token and a plain error when the store fails.
// GET /jwt/data, POST /jwt/logout and POST /inspect all call it, so they
// report the same reason for the same token.
func (s *Server) verifyToken(ctx context.Context, id learner.ID, raw string, now time.Time) (jwt.MapClaims, error) {
	settings, err := s.store.Settings(ctx, id)
	if err != nil {
		return nil, err
	}

	// Keys are loaded only after golang-jwt has decoded the header, so a
	// malformed token costs no key lookup.
	var storeErr error
	keyFunc := func(token *jwt.Token) (any, error) {
		key, err := s.verificationKey(ctx, id, token.Header)
		var rejection *keyLookupError
		if err != nil && !errors.As(err, &rejection) {
			storeErr = err
		}
		return key, err
	}

	claims := jwt.MapClaims{}
	token, err := newTokenParser(settings, now).ParseWithClaims(raw, claims, keyFunc)
	if storeErr != nil {
		return nil, storeErr
	}
	if err != nil {
		reason, detail := classifyTokenError(err, token, raw, claims, now, settings)
		return nil, rejectToken(reason, detail)
	}

	subject, err := claims.GetSubject()
	if err != nil {
		return nil, rejectToken(reasonClaimsInvalid, "The token's sub claim is not a string; log in again to get a new token.")
	}
	if subject == "" {
		return nil, rejectToken(reasonClaimsInvalid, "The token has no sub claim naming the user; log in again to get a new token.")
	}

	if jti, _ := claims["jti"].(string); settings.Denylist && jti != "" {
		denied, err := s.store.TokenDenied(ctx, id, jti, now)
		if err != nil {
			return nil, err
		}
		if denied {
			return nil, rejectToken(reasonRevoked, "The token was logged out with POST /jwt/logout, and its jti is on your sandbox's denylist until it expires; log in again to get a new token.")
		}
	}
	return claims, nil
}

// newTokenParser returns a golang-jwt parser configured by settings.
// MapClaims, unlike RegisteredClaims, decodes a claim of the wrong type
// (such as a string exp) and leaves it to validation, so that case is
// reported as claims_invalid rather than malformed.
func newTokenParser(settings Settings, now time.Time) *jwt.Parser {
	options := []jwt.ParserOption{
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithLeeway(time.Duration(settings.LeewaySeconds) * time.Second),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
	}
	// Without an allow-list, golang-jwt takes the algorithm from the
	// header, and the key lookup decides what it accepts.
	if settings.AlgorithmAllowList {
		options = append(options, jwt.WithValidMethods(algorithms))
	}
	if settings.RequireExpiration {
		options = append(options, jwt.WithExpirationRequired())
	}
	if settings.Audience != "" {
		options = append(options, jwt.WithAudience(settings.Audience))
	}
	if settings.Issuer != "" {
		options = append(options, jwt.WithIssuer(settings.Issuer))
	}
	return jwt.NewParser(options...)
}

// verificationKey returns the key to check a token with the given header.
// It looks the kid up in the learner's own key set only. Key headers such
// as jwk, jku, x5u and x5c are never read, because a key that the token
// brings proves nothing about who signed it.
func (s *Server) verificationKey(ctx context.Context, id learner.ID, header map[string]any) (any, error) {
	// golang-jwt has checked that alg is a string it implements.
	alg, _ := header["alg"].(string)

	if _, ok := header["crit"]; ok {
		return nil, &keyLookupError{reasonUnverifiable, "The token header has a crit parameter, which lists header extensions the recipient must understand; the playground understands none, so RFC 7515 (section 4.1.11) requires it to reject the token. Remove crit from the header."}
	}
	if alg == jwt.SigningMethodNone.Alg() {
		// Only reachable with the allow-list off.
		return jwt.UnsafeAllowNoneSignatureType, nil
	}

	set, err := s.sandboxKeys(ctx, id)
	if err != nil {
		return nil, err
	}

	value, hasKeyID := header["kid"]
	if !hasKeyID {
		// Tokens issued before tokens carried a kid were all HS256, so a
		// token without one is checked with the HS256 key.
		if alg != "HS256" {
			return nil, &keyLookupError{reasonAlgorithmNotAllowed, fmt.Sprintf(
				"The token header has no kid, so the playground checks it with your HS256 key, but its alg is %q; a key is used only with its own algorithm. Use a token from POST /jwt/login, which names its key in kid.",
				shorten(alg, 32))}
		}
		key, _ := set.get(keyIDFor("HS256"))
		return key.verificationKey, nil
	}

	keyID, isString := value.(string)
	if !isString {
		return nil, &keyLookupError{reasonUnknownKeyID, "The token header's kid is not a string, so it names no key of your sandbox; use a token from POST /jwt/login."}
	}
	key, ok := set.get(keyID)
	if !ok {
		return nil, &keyLookupError{reasonUnknownKeyID, fmt.Sprintf(
			"The token header's kid %q names no key of your sandbox, whose keys are %s; GET /jwks.json lists the public ones. Log in with POST /jwt/login to get a token signed with one of them.",
			shorten(keyID, 64), keyIDList(set))}
	}
	if key.algorithm != alg {
		return nil, &keyLookupError{reasonAlgorithmNotAllowed, fmt.Sprintf(
			"The token header's kid %q names your %s key, but its alg is %q. Each key is used with exactly one algorithm (RFC 8725, section 3.1), so that, for example, a public RSA key can never serve as an HMAC secret.",
			shorten(keyID, 64), key.algorithm, shorten(alg, 32))}
	}
	return key.verificationKey, nil
}

func keyIDList(set *keySet) string {
	var names []string
	for _, key := range set.sorted() {
		names = append(names, key.keyID)
	}
	return strings.Join(names, ", ")
}

// classifyTokenError maps an error from the golang-jwt parser to a reason
// code and a detail sentence.
func classifyTokenError(err error, token *jwt.Token, raw string, claims jwt.MapClaims, now time.Time, settings Settings) (reason, detail string) {
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
	if settings.AlgorithmAllowList && !slices.Contains(algorithms, alg) {
		return reasonAlgorithmNotAllowed, describeAlgorithm(alg)
	}
	if jwt.GetSigningMethod(alg) == nil {
		return reasonUnverifiable, fmt.Sprintf(
			"The token header sets alg to %q, which the playground does not implement, so the signature cannot be checked. alg values are case-sensitive (RFC 7515, section 4.1.1), so only the exact %q means an unsigned token.",
			shorten(alg, 32), jwt.SigningMethodNone.Alg())
	}

	var rejection *keyLookupError
	if errors.As(err, &rejection) {
		return rejection.reason, rejection.detail
	}

	switch {
	case errors.Is(err, jwt.ErrTokenSignatureInvalid) && alg == jwt.SigningMethodNone.Alg():
		return reasonSignatureInvalid, "The token header sets alg to \"none\", but the token has a signature; an unsigned token must end with a dot and nothing after it."
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return reasonSignatureInvalid, "The signature does not match the token's header and payload under your signing key, so the token was changed or signed with another key; use the token from POST /jwt/login unchanged."
	case errors.Is(err, jwt.ErrInvalidType):
		return reasonClaimsInvalid, describeInvalidClaims(claims)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return describeMissingClaim(claims, settings)
	case errors.Is(err, jwt.ErrTokenExpired):
		return reasonExpired, describeExpired(claims, now, settings)
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
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return reasonAudienceInvalid, fmt.Sprintf("The token's aud claim does not contain %q, the audience your settings expect; log in again to get a token for it, or change the audience with PUT /settings.", settings.Audience)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return reasonIssuerInvalid, fmt.Sprintf("The token's iss claim is not %q, the issuer your settings expect; log in again to get a token from it, or change the issuer with PUT /settings.", settings.Issuer)
	}
	return reasonClaimsInvalid, fmt.Sprintf("The token's claims are invalid (%s); log in again to get a new token.", err.Error())
}

// describeMissingClaim names the required claim that the token lacks.
// golang-jwt treats an exp of 0 as absent.
func describeMissingClaim(claims jwt.MapClaims, settings Settings) (reason, detail string) {
	if exp, ok := claims["exp"]; settings.RequireExpiration && (!ok || exp == float64(0)) {
		return reasonClaimsInvalid, describeInvalidClaims(claims)
	}
	if audience, _ := claims.GetAudience(); settings.Audience != "" && len(audience) == 0 {
		return reasonAudienceInvalid, fmt.Sprintf("The token has no aud claim, but your settings expect the audience %q; log in again to get a token with it.", settings.Audience)
	}
	if issuer, _ := claims.GetIssuer(); settings.Issuer != "" && issuer == "" {
		return reasonIssuerInvalid, fmt.Sprintf("The token has no iss claim, but your settings expect the issuer %q; log in again to get a token with it.", settings.Issuer)
	}
	return reasonClaimsInvalid, "The token lacks a claim that your settings require; log in again to get a new token."
}

func describeExpired(claims jwt.MapClaims, now time.Time, settings Settings) string {
	expiresAt, _ := claims.GetExpirationTime()
	if expiresAt == nil {
		return "The token has expired; log in again to get a new one."
	}
	if settings.LeewaySeconds > 0 {
		return fmt.Sprintf("The token expired at %s, %s before the playground clock, which is more than the leeway of %s; log in again to get a new one.",
			formatTime(expiresAt.Time), describeGap(now.Sub(expiresAt.Time)), formatSeconds(settings.LeewaySeconds))
	}
	return fmt.Sprintf("The token expired at %s, %s before the playground clock; log in again to get a new one.",
		formatTime(expiresAt.Time), describeGap(now.Sub(expiresAt.Time)))
}

func describeAlgorithm(alg string) string {
	if strings.EqualFold(alg, "none") {
		return fmt.Sprintf("The token header sets alg to %q, which means the token carries no signature. With the algorithm allow-list on, the playground accepts only %s tokens signed with your keys, such as those from POST /jwt/login.", shorten(alg, 32), algorithmList())
	}
	return fmt.Sprintf("The token header sets alg to %q, but the playground accepts only %s and rejects other algorithms before checking the signature; use a token from POST /jwt/login.", shorten(alg, 32), algorithmList())
}
