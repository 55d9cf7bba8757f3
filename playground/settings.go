package playground

import (
	"net/http"
	"slices"
	"time"
	"unicode"
)

const (
	// maxLeewaySeconds is the largest clock leeway a learner may set.
	maxLeewaySeconds = 300
	// maxClaimValueChars is the longest expected audience or issuer.
	maxClaimValueChars = 200
)

const (
	// minSessionTimeoutSeconds and the maximums bound the session timeouts
	// a learner may set.
	minSessionTimeoutSeconds  = 60
	maxSessionIdleSeconds     = 86400
	maxSessionAbsoluteSeconds = 30 * 86400
	sessionIdleRule           = "sessionIdleSeconds must be a whole number of seconds from 60 to 86400"
	sessionAbsoluteRule       = "sessionAbsoluteSeconds must be a whole number of seconds from 60 to 2592000 (30 days)"
	absoluteBeforeIdleWarning = "The absolute timeout is shorter than the idle timeout, so every session ends at the absolute timeout before it can ever sit idle long enough."
)

const (
	leewayRule     = "leewaySeconds must be a whole number of seconds from 0 to 300"
	booleanRule    = "the value must be true or false"
	claimValueRule = "the value must be a string of at most 200 characters without control characters; an empty string turns the check off"
)

// allowListOffWarning is sent with the settings while the algorithm
// allow-list is off, so that no reader of the JSON misses it.
const allowListOffWarning = "The algorithm allow-list is off, so this sandbox accepts tokens whose header says alg \"none\". Such a token has no signature, so anyone can write one with any claims, such as another user's sub, and the server accepts it. Real servers must fix the algorithms they accept (RFC 8725, section 3.1); turn the allow-list back on."

// Settings are the verification options of one learner's sandbox.
type Settings struct {
	// LeewaySeconds is the clock skew, 0 to 300 seconds, allowed when
	// checking exp, nbf and iat.
	LeewaySeconds int64
	// AlgorithmAllowList restricts alg to the supported algorithms. When
	// it is off, tokens with alg "none" and no signature are accepted.
	AlgorithmAllowList bool
	// RequireExpiration rejects tokens without an exp claim.
	RequireExpiration bool
	// Audience, when not empty, is the value the aud claim must contain.
	// POST /jwt/login then puts it into new tokens.
	Audience string
	// Issuer, when not empty, is the value the iss claim must equal.
	// POST /jwt/login then puts it into new tokens.
	Issuer string
	// Denylist makes POST /jwt/logout record the token's jti and makes
	// verification reject recorded ones.
	Denylist bool
	// SessionIdleSeconds ends a cookie session unused for this long, and
	// SessionAbsoluteSeconds one this long after its login, both on the
	// learner's clock. Zero means the server's default.
	SessionIdleSeconds     int64
	SessionAbsoluteSeconds int64
}

// DefaultSettings returns the settings of a learner who never changed
// them: the allow-list on, exp required, no leeway and no other checks.
func DefaultSettings() Settings {
	return Settings{AlgorithmAllowList: true, RequireExpiration: true}
}

// settingsBody is the JSON form of Settings in requests and responses.
// In a request, a field that is left out or null keeps its value.
type settingsBody struct {
	LeewaySeconds      *int64  `json:"leewaySeconds"`
	AlgorithmAllowList *bool   `json:"algorithmAllowList"`
	RequireExpiration  *bool   `json:"requireExp"`
	Audience           *string `json:"audience"`
	Issuer             *string `json:"issuer"`
	Denylist           *bool   `json:"denylist"`
	SessionIdle        *int64  `json:"sessionIdleSeconds"`
	SessionAbsolute    *int64  `json:"sessionAbsoluteSeconds"`
}

type settingsResponse struct {
	LeewaySeconds      int64  `json:"leewaySeconds"`
	AlgorithmAllowList bool   `json:"algorithmAllowList"`
	RequireExpiration  bool   `json:"requireExp"`
	Audience           string `json:"audience"`
	Issuer             string `json:"issuer"`
	Denylist           bool   `json:"denylist"`
	// SessionIdleSeconds and SessionAbsoluteSeconds are the session
	// timeouts in force, the server's defaults unless the learner set them.
	SessionIdleSeconds     int64 `json:"sessionIdleSeconds"`
	SessionAbsoluteSeconds int64 `json:"sessionAbsoluteSeconds"`
	// AcceptedAlgorithms lists the alg values that verification accepts
	// under these settings.
	AcceptedAlgorithms []string `json:"acceptedAlgorithms"`
	Warnings           []string `json:"warnings"`
}

func (s *Server) newSettingsResponse(settings Settings) settingsResponse {
	idle, absolute := s.sessionTimeouts(settings)
	response := settingsResponse{
		SessionIdleSeconds:     int64(idle / time.Second),
		SessionAbsoluteSeconds: int64(absolute / time.Second),
		LeewaySeconds:          settings.LeewaySeconds,
		AlgorithmAllowList:     settings.AlgorithmAllowList,
		RequireExpiration:      settings.RequireExpiration,
		Audience:               settings.Audience,
		Issuer:                 settings.Issuer,
		Denylist:               settings.Denylist,
		AcceptedAlgorithms:     acceptedAlgorithms(settings),
		Warnings:               []string{},
	}
	if !settings.AlgorithmAllowList {
		response.Warnings = append(response.Warnings, allowListOffWarning)
	}
	if !settings.RequireExpiration {
		response.Warnings = append(response.Warnings, "exp is not required, so a token without it never expires: a stolen copy works until the signing key changes.")
	}
	if absolute < idle {
		response.Warnings = append(response.Warnings, absoluteBeforeIdleWarning)
	}
	return response
}

// sessionTimeouts returns the idle and absolute session timeouts under
// settings: the learner's own, or the server's defaults.
func (s *Server) sessionTimeouts(settings Settings) (idle, absolute time.Duration) {
	idle, absolute = s.idle, s.absolute
	if settings.SessionIdleSeconds > 0 {
		idle = time.Duration(settings.SessionIdleSeconds) * time.Second
	}
	if settings.SessionAbsoluteSeconds > 0 {
		absolute = time.Duration(settings.SessionAbsoluteSeconds) * time.Second
	}
	return idle, absolute
}

// acceptedAlgorithms returns the alg values that verification accepts.
// golang-jwt registers "none" only in lower case, and RFC 7515 makes alg
// values case-sensitive, so "NONE" stays unverifiable even with the
// allow-list off.
func acceptedAlgorithms(settings Settings) []string {
	accepted := slices.Clone(algorithms)
	if !settings.AlgorithmAllowList {
		accepted = append(accepted, "none")
	}
	return accepted
}

func (s *Server) handleGetSettings(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	settings, err := s.store.Settings(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.newSettingsResponse(settings))
}

// handlePutSettings changes the fields the request names and keeps the
// others.
func (s *Server) handlePutSettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req settingsBody
	rules := map[string]string{
		"leewaySeconds":          leewayRule,
		"algorithmAllowList":     booleanRule,
		"requireExp":             booleanRule,
		"audience":               claimValueRule,
		"issuer":                 claimValueRule,
		"denylist":               booleanRule,
		"sessionIdleSeconds":     sessionIdleRule,
		"sessionAbsoluteSeconds": sessionAbsoluteRule,
	}
	if err := decodeJSON(w, r, &req, rules); err != nil {
		s.writeError(w, r, err)
		return
	}
	settings, err := s.store.Settings(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := applySettings(&settings, req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.store.SaveSettings(ctx, id, settings); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.newSettingsResponse(settings))
}

// applySettings checks every field of req before it changes settings, so
// an invalid request changes nothing.
func applySettings(settings *Settings, req settingsBody) error {
	if req.LeewaySeconds != nil && (*req.LeewaySeconds < 0 || *req.LeewaySeconds > maxLeewaySeconds) {
		return invalidf("leewaySeconds is %d; %s.", *req.LeewaySeconds, leewayRule)
	}
	if req.SessionIdle != nil && (*req.SessionIdle < minSessionTimeoutSeconds || *req.SessionIdle > maxSessionIdleSeconds) {
		return invalidf("sessionIdleSeconds is %d; %s.", *req.SessionIdle, sessionIdleRule)
	}
	if req.SessionAbsolute != nil && (*req.SessionAbsolute < minSessionTimeoutSeconds || *req.SessionAbsolute > maxSessionAbsoluteSeconds) {
		return invalidf("sessionAbsoluteSeconds is %d; %s.", *req.SessionAbsolute, sessionAbsoluteRule)
	}
	for name, value := range map[string]*string{"audience": req.Audience, "issuer": req.Issuer} {
		if value == nil {
			continue
		}
		if err := checkClaimValue(name, *value); err != nil {
			return err
		}
	}

	if req.LeewaySeconds != nil {
		settings.LeewaySeconds = *req.LeewaySeconds
	}
	if req.AlgorithmAllowList != nil {
		settings.AlgorithmAllowList = *req.AlgorithmAllowList
	}
	if req.RequireExpiration != nil {
		settings.RequireExpiration = *req.RequireExpiration
	}
	if req.Audience != nil {
		settings.Audience = *req.Audience
	}
	if req.Issuer != nil {
		settings.Issuer = *req.Issuer
	}
	if req.Denylist != nil {
		settings.Denylist = *req.Denylist
	}
	if req.SessionIdle != nil {
		settings.SessionIdleSeconds = *req.SessionIdle
	}
	if req.SessionAbsolute != nil {
		settings.SessionAbsoluteSeconds = *req.SessionAbsolute
	}
	return nil
}

func checkClaimValue(name, value string) error {
	if n := len([]rune(value)); n > maxClaimValueChars {
		return invalidf("%s is %d characters long; %s.", name, n, claimValueRule)
	}
	for _, char := range value {
		if unicode.IsControl(char) {
			return invalidf("%s contains the control character %U; %s.", name, char, claimValueRule)
		}
	}
	return nil
}
