package playground

import (
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// weakSecret is the HS256 secret of the careless verifier in the
// forged-tokens scenario, chosen to be guessable. No other code path
// signs with a fixed secret.
const weakSecret = "mysecret"

// weakSecretList is the small word list that the forged-tokens scenario's
// attacker tries, one common secret per line.
//
//go:embed weak-secrets.txt
var weakSecretList string

func weakSecrets() []string {
	var words []string
	for line := range strings.Lines(weakSecretList) {
		if word := strings.TrimSpace(line); word != "" && !strings.HasPrefix(word, "#") {
			words = append(words, word)
		}
	}
	return words
}

// Steps shared by several scenarios.

// login logs user in through replica, as the browser, and keeps what the
// login returns as the page would.
func login(user, replica string) func(l *labLane) labOutput {
	return func(l *labLane) labOutput {
		out := l.request(labSend{method: http.MethodPost, path: "/login", body: fmt.Sprintf(`{"username":%q}`, user), replica: replica, credentials: labOwn})
		if l.strategy.Name == strategyJWTBearer && out.result.status == http.StatusOK {
			var tokens labLoginResponse
			json.Unmarshal(out.exchange.Response.Body, &tokens)
			l.browser.storage["accessToken"] = tokens.AccessToken
			if tokens.RefreshToken != "" {
				l.browser.storage["refreshToken"] = tokens.RefreshToken
			}
		}
		return out
	}
}

// get sends GET path with the browser's credentials.
func get(path, replica string) func(l *labLane) labOutput {
	return func(l *labLane) labOutput {
		return l.request(labSend{method: http.MethodGet, path: path, replica: replica, credentials: labOwn})
	}
}

// getWith sends GET path with the given credentials.
func getWith(path, credentials string) func(l *labLane) labOutput {
	return func(l *labLane) labOutput {
		return l.request(labSend{method: http.MethodGet, path: path, credentials: credentials})
	}
}

// logout logs out, and the page deletes the tokens it stored.
func logout(l *labLane) labOutput {
	out := l.request(labSend{method: http.MethodPost, path: "/logout", credentials: labOwn})
	clear(l.browser.storage)
	return out
}

// advance moves the lane's clock.
func advance(d time.Duration, summary string) func(l *labLane) labOutput {
	return func(l *labLane) labOutput {
		l.world.advance(d)
		return event(summary)
	}
}

// copyCredential lets the attacker copy what logs the browser in: the
// stored token, or the login cookie.
func copyCredential(l *labLane) labOutput {
	if token := l.browser.storage["accessToken"]; token != "" {
		l.stolen["token"] = token
		return clientStep("copied", "The attacker copies the access token from the page's storage.")
	}
	if cookie := l.browser.loginCookie(); cookie != nil {
		l.stolen["cookie"] = cookie.Name + "=" + cookie.Value
		return clientStep("copied", "The attacker copies the "+cookie.Name+" cookie.")
	}
	return clientStep("nothing", "The attacker finds nothing to copy.")
}

// statelessOption returns the option that picks the lane set against the
// server-side session.
func statelessOption() LabOption {
	return LabOption{
		Name:        "other",
		Label:       "Set against the session",
		Description: "The strategy set against the server-side session: a JWT in the Authorization header, a JWT in an HttpOnly cookie, or gorilla's CookieStore, which keeps the session data in the cookie.",
		Choices:     []string{strategyJWTBearer, strategyJWTCookie, strategyCookieStore},
		Default:     strategyJWTBearer,
	}
}

func storeOption(defaultStore string) LabOption {
	return LabOption{
		Name:        "store",
		Label:       "Session store",
		Description: "Where the session side keeps its sessions: in each replica's memory, or in the database that every replica shares and that survives a restart.",
		Choices:     []string{storeMemory, storeDatabase},
		Default:     defaultStore,
	}
}

func strategyLabel(name string) string {
	strategy, _ := labStrategyByName(name)
	return strategy.Title
}

// jwtConfig returns the configuration of a JWT lane with one-hour tokens.
func jwtConfig(strategy string) labConfig {
	return labConfig{strategy: strategy, accessTTL: time.Hour, sessionStore: storeDatabase}
}

func sessionConfig(store string) labConfig {
	return labConfig{strategy: strategySession, accessTTL: time.Hour, sessionStore: store}
}

// sessionVersus returns the lanes of a scenario that sets the server-side
// session against the strategy the "other" option names.
func sessionVersus(options map[string]string) [2]labLaneSpec {
	other := options["other"]
	cfg := jwtConfig(other)
	cfg.denylist = options["denylist"] == "on"
	return [2]labLaneSpec{
		{label: strategyLabel(strategySession), cfg: sessionConfig(storeDatabase)},
		{label: strategyLabel(other), cfg: cfg},
	}
}

// storeVersusToken returns the lanes of a scenario that sets a session,
// kept in the store the "store" option names, against a bearer token.
func storeVersusToken(options map[string]string) [2]labLaneSpec {
	return [2]labLaneSpec{
		{label: strategyLabel(strategySession) + " in " + options["store"], cfg: sessionConfig(options["store"])},
		{label: strategyLabel(strategyJWTBearer), cfg: jwtConfig(strategyJWTBearer)},
	}
}

// forgeUnsigned returns a JWT with alg "none" and no signature.
func forgeUnsigned(claims map[string]any) string {
	header, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
	payload, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

// crack tries every word of the list as the HS256 secret of token, as an
// attacker does offline. It returns the secret and how many words it
// tried, or "" when none matched.
func crack(token string) (string, int) {
	lastDot := strings.LastIndex(token, ".")
	if lastDot < 0 {
		return "", 0
	}
	signingInput, signature := token[:lastDot], token[lastDot+1:]
	decoded, err := base64.RawURLEncoding.DecodeString(signature)
	if err != nil {
		return "", 0
	}
	words := weakSecrets()
	for i, word := range words {
		if jwt.SigningMethodHS256.Verify(signingInput, decoded, []byte(word)) == nil {
			return word, i + 1
		}
	}
	return "", len(words)
}

// resign replaces the payload's role with admin and signs the token with
// secret, keeping its header.
func resign(token, secret string) string {
	parser := jwt.NewParser()
	claims := jwt.MapClaims{}
	parsed, _, err := parser.ParseUnverified(token, claims)
	if err != nil {
		return token
	}
	claims["role"] = "admin"
	forged := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	forged.Header = parsed.Header
	signed, err := forged.SignedString([]byte(secret))
	if err != nil {
		return token
	}
	return signed
}

// tamper replaces the payload's role with admin and keeps the signature.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return token
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return token
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return token
	}
	claims["role"] = "admin"
	edited, _ := json.Marshal(claims)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(edited) + "." + parts[2]
}

// labScenarios returns the lab's scenarios in the order of the course.
func labScenarios() []labScenario {
	return []labScenario{
		{
			Name:        "expiry",
			Title:       "A token expires at a fixed time; a session when left idle",
			Description: "Log in, then keep using the app with gaps between requests. The token's exp was fixed at login; the session's idle timeout starts again at every request.",
			Lesson:      "expiry-and-refresh-tokens",
			lanes: func(map[string]string) [2]labLaneSpec {
				return [2]labLaneSpec{
					{label: strategyLabel(strategySession) + ", 30-minute idle timeout", cfg: sessionConfig(storeDatabase)},
					{label: strategyLabel(strategyJWTBearer) + ", one-hour token", cfg: jwtConfig(strategyJWTBearer)},
				}
			},
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{Note: "Twenty minutes pass.", Do: advance(20*time.Minute, "The clock moves 20 minutes.")},
				{Note: "Call GET /me again.", Do: get("/me", "")},
				{Note: "Another twenty minutes pass.", Do: advance(20*time.Minute, "The clock moves 20 minutes.")},
				{Note: "Call GET /me again.", Do: get("/me", "")},
				{Note: "Twenty-five more minutes pass: 65 minutes since login, 25 since the last request.", Do: advance(25*time.Minute, "The clock moves 25 minutes.")},
				{
					Note:    "Call GET /me again.",
					Explain: "The token's exp was fixed at login, one hour later, and no request moves it; the session's idle timeout restarted at the last request, and 25 idle minutes are under its 30.",
					Do:      get("/me", ""),
				},
				{Note: "Thirty-one minutes pass without a request.", Do: advance(31*time.Minute, "The clock moves 31 minutes.")},
				{
					Note:    "Call GET /me again.",
					Explain: "Both sides refuse now, for different reasons: the session sat unused for longer than its idle timeout, and the token is past its exp.",
					Do:      get("/me", ""),
				},
			},
		},
		{
			Name:        "logout-replay",
			Title:       "Logout, then a copy of the credential is replayed",
			Description: "An attacker copies the login credential, the user logs out, and the attacker replays the copy. The session is gone from the server; a token is valid until it expires, unless a denylist names it.",
			Lesson:      "logout-and-revocation",
			Options: []LabOption{
				statelessOption(),
				{
					Name:        "denylist",
					Label:       "Denylist",
					Description: "With the denylist on, logging out records the token's jti, and the server rejects recorded tokens until they expire. It applies to the two JWT strategies.",
					Choices:     []string{"off", "on"},
					Default:     "off",
				},
			},
			notices: func(options map[string]string) []string {
				if options["denylist"] == "on" && options["other"] == strategyCookieStore {
					return []string{"The denylist applies to the two JWT strategies: the cookie store's cookie carries no jti to list, so this run ignores the option."}
				}
				return nil
			},
			lanes: sessionVersus,
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{Note: "An attacker copies the credential: from a shared computer, a log file or malware.", Do: copyCredential},
				{Note: "The user logs out.", Do: logout},
				{Note: "The browser calls GET /me after logging out.", Do: get("/me", "")},
				{
					Note:    "The attacker replays the copy from another machine.",
					Explain: "Logging out deleted the session on the server, so its ID names nothing now; the other side keeps no record to delete, so the copy still checks out until it expires.",
					ExplainFor: func(options map[string]string) string {
						if options["denylist"] == "on" && options["other"] != strategyCookieStore {
							return "Both sides refuse the copy, by different means: the server deleted the session at logout, and it put the token's jti on its denylist, where it stays until the token expires."
						}
						return ""
					},
					Do: getWith("/me", labStolen),
				},
				{Note: "Two hours pass.", Do: advance(2*time.Hour, "The clock moves two hours.")},
				{
					Note:    "The attacker replays the copy again.",
					Explain: "The copy is refused on both sides now, for different reasons: the session ended at logout, and the other side's copy has run out too, at its exp or, for the cookie store, at the idle timeout recorded inside the cookie.",
					Do:      getWith("/me", labStolen),
				},
			},
		},
		{
			Name:        "role-change",
			Title:       "A user loses a role while logged in",
			Description: "An administrator demotes ada while she is logged in. The session side reads her role from the user table on each request; a token or cookie carries the role it was issued with.",
			Lesson:      "what-each-strategy-stores",
			Options:     []LabOption{statelessOption()},
			lanes:       sessionVersus,
			Steps: []labStep{
				{Note: "Log in as ada, who is an admin.", Do: login("ada", "")},
				{Note: "Open the admin area: GET /admin.", Do: get("/admin", "")},
				{Note: "Another administrator demotes ada to member in the user table.", Do: func(l *labLane) labOutput {
					l.world.mu.Lock()
					l.world.users["ada"] = "member"
					l.world.mu.Unlock()
					return event("The user table now says ada: member.")
				}},
				{
					Note:    "ada opens the admin area again.",
					Explain: "The session side looks ada's role up in the user table on every request and sees the change at once; the token or cookie still says admin, and is believed until it expires or ada logs in again.",
					Do:      get("/admin", ""),
				},
				{Note: "ada logs in again.", Do: login("ada", "")},
				{Note: "ada opens the admin area again.", Do: get("/admin", "")},
			},
		},
		{
			Name:        "server-restart",
			Title:       "The server restarts",
			Description: "The app restarts while ada is logged in. Sessions kept only in memory are lost; a token signed with a key kept on disk still verifies.",
			Lesson:      "choosing-in-practice",
			Options:     []LabOption{storeOption(storeMemory)},
			lanes:       storeVersusToken,
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{Note: "The server restarts. Its memory is emptied; the database and the signing key, both on disk, stay.", Do: func(l *labLane) labOutput {
					l.world.restart()
					return event("The server restarted.")
				}},
				{
					Note:    "Call GET /me again.",
					Explain: "The sessions lived only in the process's memory and ended with it; the token needs nothing but the signing key, which was kept on disk.",
					Do:      get("/me", ""),
				},
			},
		},
		{
			Name:        "second-replica",
			Title:       "A second replica without a shared session store",
			Description: "Two replicas of the app run behind a load balancer. Each keeps sessions in its own memory, so a session exists only on the replica that created it; any replica with the signing key verifies a token.",
			Lesson:      "choosing-in-practice",
			Options:     []LabOption{storeOption(storeMemory)},
			lanes:       storeVersusToken,
			Steps: []labStep{
				{Note: "Log in as ada; replica A serves the request.", Do: login("ada", replicaA)},
				{Note: "Call GET /me; replica A serves it.", Do: get("/me", replicaA)},
				{
					Note:    "Call GET /me; the load balancer sends it to replica B.",
					Explain: "Replica B has its own memory and never saw the session that replica A created; any replica that holds the signing key can verify the token.",
					Do:      get("/me", replicaB),
				},
				{Note: "Log in once more, this time through replica B.", Do: login("ada", replicaB)},
				{
					Note:    "Call GET /me; replica A serves it.",
					Explain: "The cookie now names a session that only replica B holds. Memory-only sessions need a load balancer that pins each user to one replica, or a store that all replicas share.",
					Do:      get("/me", replicaA),
				},
			},
		},
		{
			Name:        "key-rotation",
			Title:       "Rotating the signing and cookie keys",
			Description: "The server adds new keys while old credentials are in use, then retires the old keys. A token names its key by kid; a session cookie is checked against each current cookie key. Retiring a key ends the credentials it made, cleanly, with a 401.",
			Lesson:      "attacks-and-defences",
			lanes: func(map[string]string) [2]labLaneSpec {
				return [2]labLaneSpec{
					{label: strategyLabel(strategySession), cfg: sessionConfig(storeDatabase)},
					{label: strategyLabel(strategyJWTBearer), cfg: jwtConfig(strategyJWTBearer)},
				}
			},
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{Note: "The server adds new keys: tokens now name kid key-2, and cookies get a new cookie key. The old keys still verify.", Do: func(l *labLane) labOutput {
					keyID := l.world.rotateSigningKey()
					return event("New keys are in use (signing key " + keyID + "); the old ones still verify.")
				}},
				{Note: "Call GET /me with the credentials from before the rotation.", Do: get("/me", "")},
				{Note: "The server retires the old keys.", Do: func(l *labLane) labOutput {
					l.world.retireOldKeys()
					return event("Only the new keys remain.")
				}},
				{
					Note:    "Call GET /me with the old credentials.",
					Explain: "Both sides refuse what the old keys made: the token names a kid the server no longer holds, and the cookie matches no current key, so the server also deletes the cookie.",
					Do:      get("/me", ""),
				},
				{
					Note:    "Call GET /me once more.",
					Explain: "The browser dropped the deleted cookie and sends nothing; the page still sends its stored token, which keeps failing until the page discards it.",
					Do:      get("/me", ""),
				},
				{Note: "Log in again.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
			},
		},
		{
			Name:        "missing-await",
			Title:       "The missing await",
			Description: "Two versions of a Next.js API route that checks the session. One awaits getServerSession; the other forgets the await and tests the pending promise, which is always truthy, so anyone gets in.",
			Lesson:      "sessions-and-next-auth",
			lanes: func(map[string]string) [2]labLaneSpec {
				buggy := sessionConfig(storeDatabase)
				buggy.missingAwait = true
				return [2]labLaneSpec{
					{label: "const session = await getServerSession(req, res, authOptions)", cfg: sessionConfig(storeDatabase)},
					{label: "const session = getServerSession(req, res, authOptions) // no await", cfg: buggy},
				}
			},
			Steps: []labStep{
				{
					Note:    "A visitor who never logged in calls GET /welcome.",
					Explain: "Without await, session holds a pending promise, and a promise object is always truthy, so if (!session) never fires and the route lets an anonymous visitor in.",
					Do:      get("/welcome", ""),
				},
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /welcome. The buggy route greets no one by name, because it never reads what the session holds.", Do: get("/welcome", "")},
				{Note: "Log out.", Do: logout},
				{
					Note:    "Call GET /welcome after logging out.",
					Explain: "The buggy route never looks at the session's value, so logging out changes nothing for it.",
					Do:      get("/welcome", ""),
				},
			},
		},
		{
			Name:        "forged-tokens",
			Title:       "Forged tokens against a strict and a careless verifier",
			Description: "An attacker logged in as bob, a member, tries to reach the admin area with forged tokens: alg none, an edited payload, and a secret guessed from a word list. The strict verifier accepts only HS256 with a random 256-bit secret; the careless one takes the algorithm from the token and signs with the secret \"mysecret\".",
			Lesson:      "attacks-and-defences",
			lanes: func(map[string]string) [2]labLaneSpec {
				careless := jwtConfig(strategyJWTBearer)
				careless.careless = true
				return [2]labLaneSpec{
					{label: "Strict verifier: HS256 only, a random secret", cfg: jwtConfig(strategyJWTBearer)},
					{label: "Careless verifier: any alg, the secret \"mysecret\"", cfg: careless},
				}
			},
			Steps: []labStep{
				{Note: "The attacker logs in as bob, a member.", Do: login("bob", "")},
				{Note: "bob opens the admin area with his own token.", Do: get("/admin", "")},
				{Note: "The attacker writes a token with alg none, sub bob and role admin, and no signature.", Do: func(l *labLane) labOutput {
					now := l.world.clock()
					l.forged = forgeUnsigned(map[string]any{"sub": "bob", "role": "admin", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
					return clientStep("forged", "The attacker built an unsigned token.")
				}},
				{
					Note:    "The attacker sends the unsigned token to GET /admin.",
					Explain: "The careless verifier lets the token's own header choose the algorithm, and none means there is no signature to check; the strict one accepts only HS256 (RFC 8725, section 3.1).",
					Do:      getWith("/admin", labForged),
				},
				{Note: "The attacker edits bob's real token: role becomes admin, and the signature stays.", Do: func(l *labLane) labOutput {
					l.forged = tamper(l.browser.storage["accessToken"])
					return clientStep("tampered", "The attacker changed the payload.")
				}},
				{Note: "The attacker sends the edited token.", Do: getWith("/admin", labForged)},
				{
					Note:    "Offline, the attacker tries each word of a small list of common secrets against bob's token.",
					Explain: "A secret that a person chose falls to a word list in moments, offline and unseen by the server; 32 random bytes from crypto/rand cannot be guessed this way.",
					Do: func(l *labLane) labOutput {
						secret, tried := crack(l.browser.storage["accessToken"])
						if secret == "" {
							l.stolen["guess"] = "(none)"
							return clientStep("not found", fmt.Sprintf("Tried %d words; none reproduces the signature.", tried))
						}
						l.stolen["secret"] = secret
						return clientStep("found", fmt.Sprintf("Word %d, %q, reproduces the signature: it is the server's secret.", tried, secret))
					},
				},
				{
					Note:    "The attacker signs a token with role admin, using the secret it found or, failing that, a guess.",
					Explain: "Only a correct secret gives a signature that the server will accept.",
					Do: func(l *labLane) labOutput {
						secret := l.stolen["secret"]
						if secret == "" {
							l.forged = resign(l.browser.storage["accessToken"], "secret")
							return clientStep("guessed", "Signed with the guess \"secret\".")
						}
						l.forged = resign(l.browser.storage["accessToken"], secret)
						return clientStep("signed", "Signed with the real secret.")
					},
				},
				{
					Note:    "The attacker sends the newly signed token to GET /admin.",
					Explain: "The forged token's signature checks out under the weak secret, so the careless server treats the attacker as an admin; the strict server's secret was never found.",
					Do:      getWith("/admin", labForged),
				},
				{Note: "Two hours pass: bob's token, issued for one hour, is now past its exp.", Do: advance(2*time.Hour, "The clock moves two hours.")},
				{Note: "bob calls GET /me with his own token: both verifiers enforce exp.", Do: get("/me", "")},
			},
		},
		{
			Name:        "refresh-tokens",
			Title:       "Short access tokens with rotating refresh tokens",
			Description: "The token side issues five-minute access tokens and a refresh token that works once. When a used refresh token comes back, the server revokes its whole family. The session side needs none of this.",
			Lesson:      "expiry-and-refresh-tokens",
			lanes: func(map[string]string) [2]labLaneSpec {
				tokens := jwtConfig(strategyJWTBearer)
				tokens.accessTTL = 5 * time.Minute
				tokens.refreshTokens = true
				return [2]labLaneSpec{
					{label: strategyLabel(strategySession), cfg: sessionConfig(storeDatabase)},
					{label: "JWT: five-minute access token, rotating refresh token", cfg: tokens},
				}
			},
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{Note: "An attacker copies the long-lived credential: the refresh token, or the session cookie.", Do: func(l *labLane) labOutput {
					if token := l.browser.storage["refreshToken"]; token != "" {
						l.stolen["refresh"] = token
						return clientStep("copied", "The attacker copies the refresh token.")
					}
					return copyCredential(l)
				}},
				{Note: "Six minutes pass.", Do: advance(6*time.Minute, "The clock moves six minutes.")},
				{
					Note:    "Call GET /me.",
					Explain: "The access token lived five minutes; the session stays valid while it is used within its idle timeout.",
					Do:      get("/me", ""),
				},
				{
					Note:    "The page renews its login.",
					Explain: "The token side trades its refresh token for a new pair, and the old refresh token is used up; a session has nothing to renew.",
					Do: func(l *labLane) labOutput {
						token := l.browser.storage["refreshToken"]
						if token == "" {
							return clientStep("nothing", "Nothing to do: the session cookie stays the same.")
						}
						out := l.request(labSend{method: http.MethodPost, path: "/refresh", body: fmt.Sprintf(`{"refreshToken":%q}`, token), credentials: labNone})
						var tokens labLoginResponse
						if json.Unmarshal(out.exchange.Response.Body, &tokens) == nil && tokens.AccessToken != "" {
							l.browser.storage["accessToken"] = tokens.AccessToken
							l.browser.storage["refreshToken"] = tokens.RefreshToken
						}
						return out
					},
				},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{
					Note:    "The attacker uses its copy.",
					Explain: "The copied refresh token had been used already, so the server sees a reuse and revokes the whole family; a copied session cookie works as long as the session lives.",
					Do: func(l *labLane) labOutput {
						if token := l.stolen["refresh"]; token != "" {
							return l.request(labSend{method: http.MethodPost, path: "/refresh", body: fmt.Sprintf(`{"refreshToken":%q}`, token), credentials: labNone})
						}
						return l.request(labSend{method: http.MethodGet, path: "/me", credentials: labStolen})
					},
				},
				{
					Note:    "The page renews its login again; the session side, with nothing to renew, calls GET /me.",
					Explain: "Reuse detection cannot tell the thief from the user, so the family is revoked for both and the user must log in again; that also makes the thief's copy worthless.",
					Do: func(l *labLane) labOutput {
						token := l.browser.storage["refreshToken"]
						if token == "" {
							return l.request(labSend{method: http.MethodGet, path: "/me", credentials: labOwn})
						}
						return l.request(labSend{method: http.MethodPost, path: "/refresh", body: fmt.Sprintf(`{"refreshToken":%q}`, token), credentials: labNone})
					},
				},
			},
		},
		{
			Name:        "token-theft",
			Title:       "Script theft and cross-site requests",
			Description: "An injected script can read a token in localStorage but not an HttpOnly cookie. The browser, though, attaches cookies to requests from other sites, which an Authorization header never gets on its own, so cookies need protection against cross-site requests.",
			Lesson:      "where-a-token-lives",
			Options: []LabOption{{
				Name:        "samesite",
				Label:       "SameSite attribute of the token cookie",
				Description: "The SameSite attribute of the login cookie. None sends it with every cross-site request; Lax, what most frameworks set, only with top-level GET navigations; Strict never.",
				Choices:     []string{"none", "lax", "strict"},
				Default:     "none",
			}},
			lanes: func(options map[string]string) [2]labLaneSpec {
				bearer := jwtConfig(strategyJWTBearer)
				cookie := jwtConfig(strategyJWTCookie)
				cookie.sameSite = options["samesite"]
				return [2]labLaneSpec{
					{label: "JWT in localStorage, sent as Authorization: Bearer", cfg: bearer},
					{label: "JWT in an HttpOnly cookie, SameSite=" + options["samesite"], cfg: cookie},
				}
			},
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{Note: "Call GET /me.", Do: get("/me", "")},
				{
					Note:    "A script injected into the page (cross-site scripting) reads localStorage and document.cookie and sends what it finds to the attacker.",
					Explain: "Any script on the page can read localStorage; a cookie marked HttpOnly never appears in document.cookie.",
					Do: func(l *labLane) labOutput {
						storage, cookies := l.browser.scriptVisible()
						if token := storage["accessToken"]; token != "" {
							l.stolen["token"] = token
							return clientStep("found", "The script read the token from localStorage.")
						}
						if len(cookies) > 0 {
							l.stolen["cookie"] = strings.Join(cookies, "; ")
							return clientStep("found", "The script read cookies from document.cookie.")
						}
						return clientStep("nothing", "The script found nothing: localStorage is empty, and the token cookie is HttpOnly.")
					},
				},
				{
					Note:    "The attacker calls GET /me from its own machine with what the script sent.",
					Explain: "The stolen token works from anywhere until it expires; the cookie side leaked nothing, although an injected script can still send requests from inside the page while it runs.",
					Do:      getWith("/me", labStolen),
				},
				{
					Note:    "A page on evil.test submits a hidden form that POSTs to /transfer.",
					Explain: "The browser attaches a cookie to a cross-site request when SameSite allows it, but never adds an Authorization header on its own; a login kept in a cookie needs protection against cross-site requests.",
					Do: func(l *labLane) labOutput {
						return l.request(labSend{method: http.MethodPost, path: "/transfer", body: `{"to":"mallory","amount":100}`, credentials: labOwn, crossSite: true})
					},
				},
				{Note: "The server turns on a cross-origin check: Go's http.CrossOriginProtection, which refuses state-changing requests that Sec-Fetch-Site or Origin mark as cross-site.", Do: func(l *labLane) labOutput {
					l.world.mu.Lock()
					l.world.crossOriginCheck = true
					l.world.mu.Unlock()
					return event("The cross-origin check is on.")
				}},
				{Note: "The page on evil.test submits the form again.", Do: func(l *labLane) labOutput {
					return l.request(labSend{method: http.MethodPost, path: "/transfer", body: `{"to":"mallory","amount":100}`, credentials: labOwn, crossSite: true})
				}},
				{Note: "ada's own page POSTs to /transfer.", Do: func(l *labLane) labOutput {
					return l.request(labSend{method: http.MethodPost, path: "/transfer", body: `{"to":"bob","amount":5}`, credentials: labOwn})
				}},
			},
		},
		{
			Name:        "cookie-size",
			Title:       "Session data on the server or in the cookie",
			Description: "Both sides store notes in the session. The server-side session keeps them in its store; gorilla's CookieStore must fit them, signed and encrypted, into a cookie of at most 4096 bytes.",
			Lesson:      "server-side-sessions",
			lanes: func(map[string]string) [2]labLaneSpec {
				cookie := sessionConfig(storeDatabase)
				cookie.strategy = strategyCookieStore
				return [2]labLaneSpec{
					{label: strategyLabel(strategySession), cfg: sessionConfig(storeDatabase)},
					{label: strategyLabel(strategyCookieStore), cfg: cookie},
				}
			},
			Steps: []labStep{
				{Note: "Log in as ada.", Do: login("ada", "")},
				{
					Note:    "Save 3,000 bytes of notes in the session.",
					Explain: "The session store holds the notes on the server; in the cookie store they would make the cookie larger than the 4096 bytes that browsers must accept, so the server refuses and sends no cookie.",
					Do: func(l *labLane) labOutput {
						return l.request(labSend{method: http.MethodPut, path: "/notes", body: fmt.Sprintf(`{"text":%q}`, strings.Repeat("n", 3000)), credentials: labOwn})
					},
				},
				{Note: "Call GET /me: the login survived the refused save.", Do: get("/me", "")},
				{Note: "Save 200 bytes of notes.", Do: func(l *labLane) labOutput {
					return l.request(labSend{method: http.MethodPut, path: "/notes", body: fmt.Sprintf(`{"text":%q}`, strings.Repeat("n", 200)), credentials: labOwn})
				}},
				{
					Note:    "Compare the size of the login cookie.",
					Explain: "The server-side session's cookie is a fixed-size signed ID; the cookie store's cookie grows with the data, and the browser sends it with every request.",
					Do: func(l *labLane) labOutput {
						cookie := l.browser.loginCookie()
						if cookie == nil {
							return clientStep("none", "The browser holds no login cookie.")
						}
						size := len(cookie.Value)
						bucket := "small"
						if size > 200 {
							bucket = "large"
						}
						return clientStep(bucket, fmt.Sprintf("The %s cookie's value is %d bytes.", cookie.Name, size))
					},
				},
			},
		},
	}
}
