package playground

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"learn/clientinfo"
	"learn/learner"
)

// Cookie names of the demo app. It is served over HTTPS on one host, so
// every cookie has the __Host- prefix: Secure, Path=/ and no Domain.
const (
	labTokenCookie   = "__Host-token"
	labSessionCookie = "__Host-sid"
	labDataCookie    = "__Host-session"
)

// labMaxCookieBytes is the cookie size that browsers must at least
// support (RFC 6265, section 6.1, counting name, value and attributes),
// and the longest value gorilla's CookieStore encodes.
const labMaxCookieBytes = 4096

// Session values of the demo app.
const (
	labUserKey     = "user"
	labRoleKey     = "role"
	labLastSeenKey = "lastSeen"
	labNotesKey    = "notes"
)

// Reason codes of the demo app's 401 and 403 responses.
const (
	labReasonNoCredentials  = "no_credentials"
	labReasonSessionUnknown = "session_unknown"
	labReasonSessionIdle    = "session_idle"
	labReasonSessionExpired = "session_expired"
	labReasonCookieInvalid  = "cookie_invalid"
	labReasonForbidden      = "forbidden"
	labReasonRefreshUnknown = "refresh_unknown"
	labReasonRefreshReused  = "refresh_reused"
	labReasonRefreshRevoked = "refresh_revoked"
	labReasonRefreshExpired = "refresh_expired"
	labReasonCrossOrigin    = "cross_origin"
)

// labAuth is the user a request is authenticated as.
type labAuth struct {
	user string
	role string
	// tokenID and expires are the jti and exp of a JWT.
	tokenID string
	expires time.Time
	// session is the loaded session of the cookie strategies.
	session *sessions.Session
}

// labRejection is a failed authentication or authorization.
type labRejection struct {
	status  int
	reason  string
	message string
	// clearCookie names a cookie that the response deletes, so that a
	// browser holding a dead session cookie ends up cleanly logged out.
	clearCookie string
	// challenge is the WWW-Authenticate value of a 401.
	challenge string
}

type labErrorBody struct {
	Error  string `json:"error"`
	Reason string `json:"reason,omitempty"`
}

// labApp is one replica of the demo app of a world.
type labApp struct {
	world   *labWorld
	replica string
}

// handler returns the demo app's routes.
func (a *labApp) handler() http.Handler {
	r := chi.NewRouter()
	r.Post("/login", a.handleLogin)
	r.Get("/me", a.handleMe)
	r.Get("/admin", a.handleAdmin)
	r.Post("/logout", a.handleLogout)
	r.Post("/refresh", a.handleRefresh)
	r.Put("/notes", a.handleNotes)
	r.Get("/welcome", a.handleWelcome)

	// A state-changing route, guarded against cross-site requests only
	// while the world's cross-origin check is on.
	protection := http.NewCrossOriginProtection()
	protection.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeLabError(w, &labRejection{status: http.StatusForbidden, reason: labReasonCrossOrigin,
			message: "The request came from another site (Sec-Fetch-Site: cross-site), and this app rejects cross-site requests that change state."})
	}))
	transfer := http.HandlerFunc(a.handleTransfer)
	guarded := protection.Handler(transfer)
	r.Post("/transfer", func(w http.ResponseWriter, r *http.Request) {
		a.world.mu.Lock()
		check := a.world.crossOriginCheck
		a.world.mu.Unlock()
		if check {
			guarded.ServeHTTP(w, r)
			return
		}
		transfer.ServeHTTP(w, r)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeLabError(w, &labRejection{status: http.StatusNotFound, message: "The demo app has no route " + r.Method + " " + shorten(r.URL.Path, 100) + "."})
	})
	// The demo app reads the scheme from its own requests, which arrive
	// over TLS, and never from the playground request that runs it.
	return clientinfo.Middleware(false)(r)
}

func writeLabError(w http.ResponseWriter, rejection *labRejection) {
	if rejection.clearCookie != "" {
		http.SetCookie(w, &http.Cookie{Name: rejection.clearCookie, Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	if rejection.status == http.StatusUnauthorized {
		challenge := rejection.challenge
		if challenge == "" {
			challenge = `Bearer realm="demo app"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}
	writeJSON(w, rejection.status, labErrorBody{Error: rejection.message, Reason: rejection.reason})
}

func (a *labApp) sameSite() http.SameSite {
	switch a.world.cfg.sameSite {
	case "strict":
		return http.SameSiteStrictMode
	case "none":
		return http.SameSiteNoneMode
	}
	return http.SameSiteLaxMode
}

// sessionStore returns the gorilla/sessions store of the session
// strategy: serverSessions over this replica's record store, with the
// world's current cookie keys.
func (a *labApp) sessionStore() *serverSessions {
	w := a.world
	w.mu.Lock()
	signer := cookieSigner{key: w.sessionKeys[0], previous: w.sessionKeys[1:]}
	w.mu.Unlock()
	return &serverSessions{
		records: w.sessionRecords(a.replica),
		signer:  signer,
		timeouts: func(context.Context, learner.ID) (time.Duration, time.Duration, error) {
			return DefaultIdleTimeout, DefaultAbsoluteTimeout, nil
		},
		now: func(context.Context, learner.ID) (time.Time, error) {
			return w.clock(), nil
		},
	}
}

// cookieStore returns gorilla's CookieStore with the world's keys: the
// newest pair signs and encrypts, and older pairs still decode.
func (a *labApp) cookieStore() *sessions.CookieStore {
	w := a.world
	w.mu.Lock()
	pairs := make([][]byte, len(w.cookieKeys))
	copy(pairs, w.cookieKeys)
	w.mu.Unlock()
	store := sessions.NewCookieStore(pairs...)
	store.Options = &sessions.Options{Path: "/", MaxAge: 30 * 24 * 3600, Secure: true, HttpOnly: true, SameSite: a.sameSite()}
	return store
}

type labLoginRequest struct {
	Username string `json:"username"`
}

type labLoginResponse struct {
	Message      string `json:"message"`
	AccessToken  string `json:"accessToken,omitempty"`
	ExpiresIn    int64  `json:"expiresIn,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

type labMessage struct {
	Message string `json:"message"`
	User    string `json:"user,omitempty"`
	Role    string `json:"role,omitempty"`
}

func (a *labApp) decode(w http.ResponseWriter, r *http.Request, dst any, rules map[string]string) bool {
	if err := decodeJSON(w, r, dst, rules); err != nil {
		// decodeJSON returns only apiErrors, whose kind gives the status.
		status := http.StatusBadRequest
		var apiErr *apiError
		if errors.As(err, &apiErr) {
			status = apiErr.kind.status()
		}
		writeLabError(w, &labRejection{status: status, message: err.Error()})
		return false
	}
	return true
}

func (a *labApp) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req labLoginRequest
	if !a.decode(w, r, &req, map[string]string{"username": "username must be ada or bob"}) {
		return
	}
	world := a.world
	world.mu.Lock()
	role, ok := world.users[req.Username]
	world.mu.Unlock()
	if !ok {
		writeLabError(w, &labRejection{status: http.StatusUnauthorized, reason: "unknown_user",
			message: fmt.Sprintf("No account is called %q; the demo accounts are ada (admin) and bob (member).", shorten(req.Username, 40))})
		return
	}

	message := "Logged in as " + req.Username + "."
	switch world.cfg.strategy {
	case strategyJWTBearer:
		token, err := a.issueToken(req.Username, role)
		if err != nil {
			a.fail(w, err)
			return
		}
		response := labLoginResponse{Message: message, AccessToken: token, ExpiresIn: int64(world.cfg.accessTTL / time.Second)}
		if world.cfg.refreshTokens {
			response.RefreshToken = world.newRefreshToken(req.Username, "")
		}
		writeJSON(w, http.StatusOK, response)
	case strategyJWTCookie:
		token, err := a.issueToken(req.Username, role)
		if err != nil {
			a.fail(w, err)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: labTokenCookie, Value: token, Path: "/", MaxAge: int(world.cfg.accessTTL / time.Second),
			Secure: true, HttpOnly: true, SameSite: a.sameSite()})
		writeJSON(w, http.StatusOK, labLoginResponse{Message: message})
	case strategySession:
		store := a.sessionStore()
		session, err := store.Get(r, labSessionCookie)
		if err != nil && !isNormalSessionError(err) {
			a.fail(w, err)
			return
		}
		// A new session ID at login, so that an ID planted before login
		// never becomes authenticated.
		if err := store.renew(r, session); err != nil {
			a.fail(w, err)
			return
		}
		session.Values[labUserKey] = req.Username
		session.Options.SameSite = a.sameSite()
		if err := store.Save(r, w, session); err != nil {
			a.fail(w, err)
			return
		}
		world.mu.Lock()
		world.issued = append(world.issued, hashSessionID(session.ID))
		world.mu.Unlock()
		writeJSON(w, http.StatusOK, labLoginResponse{Message: message})
	case strategyCookieStore:
		store := a.cookieStore()
		// A bad old cookie is replaced, so its decoding error is ignored.
		session, _ := store.New(r, labDataCookie)
		session.Values = map[any]any{labUserKey: req.Username, labRoleKey: role, labLastSeenKey: world.clock().Unix()}
		if err := store.Save(r, w, session); err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, labLoginResponse{Message: message})
	}
}

// isNormalSessionError reports whether err from serverSessions.Get only
// means that the request has no live session.
func isNormalSessionError(err error) bool {
	var (
		idle *sessionIdleError
		age  *sessionAgeError
	)
	return errors.Is(err, errNoSessionCookie) || errors.Is(err, errSessionCookieInvalid) ||
		errors.Is(err, errSessionUnknown) || errors.As(err, &idle) || errors.As(err, &age)
}

// fail writes a 500 for a failure of the demo app itself. The runner then
// fails the whole run, and the playground logs it with the learner id.
func (a *labApp) fail(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusInternalServerError, labErrorBody{Error: "The demo app failed: " + err.Error()})
}

// issueToken signs an access token for user with the current key.
func (a *labApp) issueToken(user, role string) (string, error) {
	world := a.world
	world.mu.Lock()
	keyID := world.currentKeyID
	secret := world.signingKeys[keyID]
	now := world.now
	ttl := world.cfg.accessTTL
	world.mu.Unlock()

	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub":  user,
		"role": role,
		"iat":  now.Unix(),
		"exp":  now.Add(ttl).Unix(),
		"jti":  strings.ToLower(rand.Text()[:16]),
	})
	token.Header["kid"] = keyID
	return token.SignedString(secret)
}

// newRefreshToken issues a refresh token in family, or in a new family
// when family is empty.
func (w *labWorld) newRefreshToken(user, family string) string {
	token := rand.Text()
	w.mu.Lock()
	defer w.mu.Unlock()
	if family == "" {
		family = "family-" + strings.ToLower(rand.Text()[:8])
	}
	w.refresh[hashSessionID(token)] = &labRefreshToken{family: family, username: user, expires: w.now.Add(labRefreshTTL)}
	return token
}

// authenticate checks the request's credentials under the world's
// strategy. A 401 challenges for what the strategy reads: a bearer token,
// or a cookie, for which HTTP registers no scheme, so that challenge only
// informs.
func (a *labApp) authenticate(r *http.Request) (labAuth, *labRejection) {
	auth, rejection := a.check(r)
	if rejection != nil && rejection.status == http.StatusUnauthorized {
		switch a.world.cfg.strategy {
		case strategyJWTCookie:
			rejection.challenge = `Cookie realm="demo app", cookie-name="` + labTokenCookie + `"`
		case strategySession:
			rejection.challenge = `Cookie realm="demo app", cookie-name="` + labSessionCookie + `"`
		case strategyCookieStore:
			rejection.challenge = `Cookie realm="demo app", cookie-name="` + labDataCookie + `"`
		}
	}
	return auth, rejection
}

// check checks the request's credentials under the world's strategy.
func (a *labApp) check(r *http.Request) (labAuth, *labRejection) {
	world := a.world
	switch world.cfg.strategy {
	case strategyJWTBearer:
		values := r.Header.Values("Authorization")
		token, rejection := bearerToken(values)
		if rejection != nil {
			reason, message := rejection.reason, "The Authorization header is not of the form Bearer <token>; send the token from POST /login that way."
			if reason == reasonMissing {
				reason, message = labReasonNoCredentials, "The request has no Authorization header; log in with POST /login and send the token as Authorization: Bearer <token>."
			}
			return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: reason, message: message}
		}
		return a.verify(token)
	case strategyJWTCookie:
		cookie, err := r.Cookie(labTokenCookie)
		if err != nil {
			return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonNoCredentials, message: "The request has no " + labTokenCookie + " cookie; log in first."}
		}
		auth, rejection := a.verify(cookie.Value)
		if rejection != nil {
			rejection.clearCookie = labTokenCookie
		}
		return auth, rejection
	case strategySession:
		return a.loadSession(r)
	case strategyCookieStore:
		return a.loadCookieSession(r)
	}
	return labAuth{}, &labRejection{status: http.StatusInternalServerError, message: "unknown strategy"}
}

func (a *labApp) loadSession(r *http.Request) (labAuth, *labRejection) {
	session, err := a.sessionStore().Get(r, labSessionCookie)
	var (
		idle *sessionIdleError
		age  *sessionAgeError
	)
	switch {
	case errors.Is(err, errNoSessionCookie):
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonNoCredentials, message: "The request has no session cookie; log in first."}
	case errors.Is(err, errSessionCookieInvalid):
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonCookieInvalid, clearCookie: labSessionCookie,
			message: "The session cookie's signature matches none of the server's cookie keys, so the server deletes the cookie; log in again."}
	case errors.Is(err, errSessionUnknown):
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonSessionUnknown, clearCookie: labSessionCookie,
			message: "The cookie names a session that this server's session store does not hold; log in again."}
	case errors.As(err, &idle):
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonSessionIdle, clearCookie: labSessionCookie,
			message: fmt.Sprintf("The session was unused for %s, longer than the idle timeout of %s, so the server ended it; log in again.", describeGap(idle.idle), describeGap(idle.timeout))}
	case errors.As(err, &age):
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonSessionExpired, clearCookie: labSessionCookie,
			message: fmt.Sprintf("The session began %s ago, longer than the absolute timeout of %s, so the server ended it; log in again.", describeGap(age.age), describeGap(age.timeout))}
	case err != nil:
		return labAuth{}, &labRejection{status: http.StatusInternalServerError, message: "The session store failed: " + err.Error()}
	}
	user, _ := session.Values[labUserKey].(string)
	a.world.mu.Lock()
	role, ok := a.world.users[user]
	a.world.mu.Unlock()
	if !ok {
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonSessionUnknown, message: "The session's user no longer exists; log in again."}
	}
	// The role comes from the user table on every request, so a change
	// takes effect at once.
	return labAuth{user: user, role: role, session: session}, nil
}

func (a *labApp) loadCookieSession(r *http.Request) (labAuth, *labRejection) {
	if _, err := r.Cookie(labDataCookie); err != nil {
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonNoCredentials, message: "The request has no session cookie; log in first."}
	}
	session, err := a.cookieStore().New(r, labDataCookie)
	if err != nil || session.IsNew {
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonCookieInvalid, clearCookie: labDataCookie,
			message: "The session cookie cannot be decrypted or its signature is wrong under every current key, so the server deletes it; log in again."}
	}
	lastSeen, _ := session.Values[labLastSeenKey].(int64)
	now := a.world.clock()
	if idle := now.Sub(time.Unix(lastSeen, 0)); idle >= DefaultIdleTimeout {
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: labReasonSessionIdle, clearCookie: labDataCookie,
			message: fmt.Sprintf("The cookie records that its session was last used %s ago, longer than the idle timeout of %s; log in again.", describeGap(idle), describeGap(DefaultIdleTimeout))}
	}
	user, _ := session.Values[labUserKey].(string)
	// The role was copied into the cookie at login, so it is as old as
	// the cookie.
	role, _ := session.Values[labRoleKey].(string)
	session.Values[labLastSeenKey] = now.Unix()
	return labAuth{user: user, role: role, session: session}, nil
}

// touch saves a cookie-store session whose last use moved, which sends
// the cookie again. The other strategies need nothing here.
func (a *labApp) touch(w http.ResponseWriter, r *http.Request, auth labAuth) error {
	if a.world.cfg.strategy != strategyCookieStore || auth.session == nil {
		return nil
	}
	return a.cookieStore().Save(r, w, auth.session)
}

// verify checks a JWT with golang-jwt. The strict verifier allows only
// HS256 and requires exp; the careless one takes the algorithm from the
// token's header, as misconfigured libraries once did.
func (a *labApp) verify(raw string) (labAuth, *labRejection) {
	world := a.world
	now := world.clock()
	options := []jwt.ParserOption{
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithStrictDecoding(),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
	}
	if !world.cfg.careless {
		options = append(options, jwt.WithValidMethods([]string{"HS256"}))
	}

	var unknownKey bool
	claims := jwt.MapClaims{}
	token, err := jwt.NewParser(options...).ParseWithClaims(raw, claims, func(token *jwt.Token) (any, error) {
		if token.Method == jwt.SigningMethodNone {
			// Reached only without the allow-list.
			return jwt.UnsafeAllowNoneSignatureType, nil
		}
		keyID, _ := token.Header["kid"].(string)
		world.mu.Lock()
		secret, ok := world.signingKeys[keyID]
		world.mu.Unlock()
		if !ok {
			unknownKey = true
			return nil, errors.New("unknown kid")
		}
		return secret, nil
	})

	reject := func(reason, message string) (labAuth, *labRejection) {
		return labAuth{}, &labRejection{status: http.StatusUnauthorized, reason: reason, message: message}
	}
	if err != nil {
		switch {
		case errors.Is(err, jwt.ErrTokenMalformed):
			return reject(reasonMalformed, "The token is not a well-formed JWT.")
		case unknownKey:
			return reject(reasonUnknownKeyID, "The token's kid names no key that this server still holds, so its signature cannot be checked; log in again.")
		case token != nil && token.Header["alg"] != "HS256" && !world.cfg.careless:
			return reject(reasonAlgorithmNotAllowed, fmt.Sprintf("The token's header says alg %q, but this server accepts only HS256.", fmt.Sprint(token.Header["alg"])))
		case errors.Is(err, jwt.ErrTokenSignatureInvalid):
			return reject(reasonSignatureInvalid, "The signature does not match the header and payload, so the token was changed or signed with another key.")
		case errors.Is(err, jwt.ErrTokenExpired):
			next := "log in again"
			if world.cfg.refreshTokens {
				next = "renew it with the refresh token, or log in again"
			}
			expires, _ := claims.GetExpirationTime()
			if expires != nil {
				return reject(reasonExpired, fmt.Sprintf("The token expired %s ago; %s.", describeGap(now.Sub(expires.Time)), next))
			}
			return reject(reasonExpired, "The token expired; "+next+".")
		}
		return reject(reasonClaimsInvalid, "The token's claims are invalid: "+err.Error())
	}

	user, _ := claims["sub"].(string)
	role, _ := claims["role"].(string)
	jti, _ := claims["jti"].(string)
	expires, _ := claims.GetExpirationTime()
	if world.cfg.denylist && jti != "" {
		world.mu.Lock()
		_, denied := world.denied[jti]
		world.mu.Unlock()
		if denied {
			return reject(reasonRevoked, "The token's jti is on the server's denylist, because it was logged out; log in again.")
		}
	}
	auth := labAuth{user: user, role: role, tokenID: jti}
	if expires != nil {
		auth.expires = expires.Time
	}
	return auth, nil
}

func (a *labApp) handleMe(w http.ResponseWriter, r *http.Request) {
	auth, rejection := a.authenticate(r)
	if rejection != nil {
		writeLabError(w, rejection)
		return
	}
	if err := a.touch(w, r, auth); err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, labMessage{Message: "Hello, " + auth.user + ".", User: auth.user, Role: auth.role})
}

func (a *labApp) handleAdmin(w http.ResponseWriter, r *http.Request) {
	auth, rejection := a.authenticate(r)
	if rejection != nil {
		writeLabError(w, rejection)
		return
	}
	if auth.role != "admin" {
		writeLabError(w, &labRejection{status: http.StatusForbidden, reason: labReasonForbidden,
			message: fmt.Sprintf("%s has the role %s, and the admin area needs the role admin.", auth.user, auth.role)})
		return
	}
	if err := a.touch(w, r, auth); err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, labMessage{Message: "Admin area: " + auth.user + " may manage accounts.", User: auth.user, Role: auth.role})
}

func (a *labApp) handleLogout(w http.ResponseWriter, r *http.Request) {
	world := a.world
	switch world.cfg.strategy {
	case strategyJWTBearer, strategyJWTCookie:
		message := "Logged out. The server keeps no record of tokens, so it had nothing to delete; the page forgets its token."
		if world.cfg.strategy == strategyJWTCookie {
			message = "Logged out. The server sent a Set-Cookie header that deletes the token cookie, but it keeps no record of tokens, so a copy of the token still verifies until it expires."
		}
		if auth, rejection := a.authenticate(r); rejection == nil && world.cfg.denylist {
			world.mu.Lock()
			world.denied[auth.tokenID] = auth.expires
			world.mu.Unlock()
			message = "Logged out. The server put the token's jti on its denylist until the token expires."
		}
		if world.cfg.strategy == strategyJWTCookie {
			http.SetCookie(w, &http.Cookie{Name: labTokenCookie, Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: a.sameSite()})
		}
		writeJSON(w, http.StatusOK, labMessage{Message: message})
	case strategySession:
		store := a.sessionStore()
		session, err := store.Get(r, labSessionCookie)
		if err != nil && !isNormalSessionError(err) {
			a.fail(w, err)
			return
		}
		session.Options.MaxAge = -1
		if err := store.Save(r, w, session); err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, labMessage{Message: "Logged out. The server deleted the session from its store and cleared the cookie."})
	case strategyCookieStore:
		http.SetCookie(w, &http.Cookie{Name: labDataCookie, Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: a.sameSite()})
		writeJSON(w, http.StatusOK, labMessage{Message: "Logged out. The server cleared the cookie, but it keeps no record of sessions, so a copy of the cookie still decodes."})
	}
}

type labRefreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// handleRefresh exchanges a refresh token for a new access token and a
// new refresh token. Each refresh token works once. Presenting a used one
// means two parties hold the family, so the whole family is revoked.
func (a *labApp) handleRefresh(w http.ResponseWriter, r *http.Request) {
	world := a.world
	if world.cfg.strategy != strategyJWTBearer || !world.cfg.refreshTokens {
		writeLabError(w, &labRejection{status: http.StatusNotFound, message: "This app issues no refresh tokens under the " + world.cfg.strategy + " strategy."})
		return
	}
	var req labRefreshRequest
	if !a.decode(w, r, &req, map[string]string{"refreshToken": "refreshToken must be the token from login or the last refresh"}) {
		return
	}

	world.mu.Lock()
	record, ok := world.refresh[hashSessionID(req.RefreshToken)]
	var rejection *labRejection
	switch {
	case !ok:
		rejection = &labRejection{status: http.StatusUnauthorized, reason: labReasonRefreshUnknown, message: "The server has no record of this refresh token; log in again."}
	case record.expires.IsZero():
		rejection = &labRejection{status: http.StatusUnauthorized, reason: labReasonRefreshRevoked, message: "The refresh token's family was revoked after a reuse; log in again."}
	case record.used:
		// Reuse: revoke every token of the family.
		for _, other := range world.refresh {
			if other.family == record.family {
				other.used = true
				other.expires = time.Time{}
			}
		}
		rejection = &labRejection{status: http.StatusUnauthorized, reason: labReasonRefreshReused,
			message: "This refresh token was already used once, so two parties hold it; the server revoked every token of its family, and the user must log in again."}
	case !world.now.Before(record.expires):
		rejection = &labRejection{status: http.StatusUnauthorized, reason: labReasonRefreshExpired, message: "The refresh token expired; log in again."}
	default:
		record.used = true
	}

	var user, family string
	if ok {
		user, family = record.username, record.family
	}
	role := world.users[user]
	world.mu.Unlock()

	if rejection != nil {
		writeLabError(w, rejection)
		return
	}
	access, err := a.issueToken(user, role)
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, labLoginResponse{
		Message:      "Refreshed: a new access token and a new refresh token; the old refresh token is now used up.",
		AccessToken:  access,
		ExpiresIn:    int64(world.cfg.accessTTL / time.Second),
		RefreshToken: world.newRefreshToken(user, family),
	})
}

type labNotesRequest struct {
	Text string `json:"text"`
}

// handleNotes stores text in the session. The session strategy keeps it
// on the server; the cookie store must fit it into the cookie.
func (a *labApp) handleNotes(w http.ResponseWriter, r *http.Request) {
	world := a.world
	if world.cfg.strategy != strategySession && world.cfg.strategy != strategyCookieStore {
		writeLabError(w, &labRejection{status: http.StatusNotFound, message: "Notes live in the session, and the " + world.cfg.strategy + " strategy has none."})
		return
	}
	var req labNotesRequest
	if !a.decode(w, r, &req, map[string]string{"text": "text must be a string"}) {
		return
	}

	auth, rejection := a.authenticate(r)
	if rejection != nil {
		writeLabError(w, rejection)
		return
	}
	auth.session.Values[labNotesKey] = req.Text

	if world.cfg.strategy == strategySession {
		if err := a.sessionStore().Save(r, w, auth.session); err != nil {
			a.fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, labMessage{Message: fmt.Sprintf("Saved %d bytes of notes in the server's session store; the cookie still holds only the session ID.", len(req.Text))})
		return
	}
	err := a.cookieStore().Save(r, w, auth.session)
	if err != nil && strings.Contains(err.Error(), "too long") {
		size := encodedSize(auth.session)
		writeLabError(w, &labRejection{status: http.StatusRequestEntityTooLarge, reason: "cookie_too_large",
			message: fmt.Sprintf("With %d bytes of notes the encoded session cookie would be about %d bytes, over the %d bytes up to which browsers must store a cookie; the server sent no cookie, so the session keeps its old data. Store large data on the server instead.", len(req.Text), size, labMaxCookieBytes)})
		return
	}
	if err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, labMessage{Message: fmt.Sprintf("Saved %d bytes of notes in the cookie itself.", len(req.Text))})
}

// encodedSize estimates the cookie value of session without the length
// limit, for the message of a 413.
func encodedSize(session *sessions.Session) int {
	codec := securecookie.New(randomBytes(32), randomBytes(32))
	codec.MaxLength(0)
	encoded, err := codec.Encode(session.Name(), session.Values)
	if err != nil {
		return 0
	}
	return len(encoded)
}

type labTransferRequest struct {
	To     string `json:"to"`
	Amount int    `json:"amount"`
}

// handleTransfer is a state-changing request that only needs the user's
// credentials, which a cross-site form can trigger when the browser
// attaches them on its own.
func (a *labApp) handleTransfer(w http.ResponseWriter, r *http.Request) {
	var req labTransferRequest
	if !a.decode(w, r, &req, map[string]string{"to": "to must be a username", "amount": "amount must be a whole number"}) {
		return
	}
	auth, rejection := a.authenticate(r)
	if rejection != nil {
		writeLabError(w, rejection)
		return
	}
	if err := a.touch(w, r, auth); err != nil {
		a.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, labMessage{Message: fmt.Sprintf("%s sent %d coins to %s.", auth.user, req.Amount, shorten(req.To, 40)), User: auth.user})
}

// labPromise stands for the JavaScript promise that an async session
// lookup returns. It is never nil, as a promise object is always truthy.
type labPromise struct {
	result chan *labAuth
}

// getServerSessionAsync starts the session lookup and returns at once,
// like calling an async function without await.
func (a *labApp) getServerSessionAsync(r *http.Request) *labPromise {
	promise := &labPromise{result: make(chan *labAuth, 1)}
	auth, rejection := a.authenticate(r)
	if rejection != nil {
		promise.result <- nil
	} else {
		promise.result <- &auth
	}
	return promise
}

// handleWelcome mirrors a Next.js API route that checks the session. The
// correct version awaits the lookup; the buggy one tests the promise.
func (a *labApp) handleWelcome(w http.ResponseWriter, r *http.Request) {
	if a.world.cfg.missingAwait {
		// const session = getServerSession(req, res, authOptions) // no await
		// if (!session) return res.status(401)...
		session := a.getServerSessionAsync(r)
		if session == nil {
			writeLabError(w, &labRejection{status: http.StatusUnauthorized, reason: labReasonNoCredentials, message: "Log in first."})
			return
		}
		writeJSON(w, http.StatusOK, labMessage{Message: "Welcome!"})
		return
	}
	// const session = await getServerSession(req, res, authOptions)
	session := <-a.getServerSessionAsync(r).result
	if session == nil {
		writeLabError(w, &labRejection{status: http.StatusUnauthorized, reason: labReasonNoCredentials, message: "Log in first."})
		return
	}
	writeJSON(w, http.StatusOK, labMessage{Message: "Welcome, " + session.user + "!", User: session.user})
}
