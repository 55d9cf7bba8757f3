package playground

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"learn/learner"
)

// labOrigin is where the demo app appears to be served. The .test domain
// is reserved for testing (RFC 6761), so it names no real site.
const (
	labOrigin         = "https://app.test"
	labAttackerOrigin = "https://evil.test"
)

// labLane is one side of a run: a world, its replicas, the learner's
// browser and an attacker.
type labLane struct {
	ctx      context.Context
	label    string
	strategy LabStrategy
	world    *labWorld
	apps     map[string]http.Handler
	browser  labBrowser
	// stolen holds what the attacker copied, by kind: "token", "cookie"
	// (the browser's login cookie as name=value) or "refresh".
	stolen map[string]string
	// forged is the token the attacker built in the last step, if any.
	forged string
	// err is the first failure of the app itself, which fails the run.
	err error
}

// labBrowser is the learner's browser: a cookie jar for the app's origin
// and the page's localStorage.
type labBrowser struct {
	cookies []*http.Cookie
	storage map[string]string
}

func newLabLane(ctx context.Context, label string, cfg labConfig, now time.Time, database SessionStore) *labLane {
	strategy, _ := labStrategyByName(cfg.strategy)
	world := newLabWorld(cfg, now, database)
	lane := &labLane{
		ctx:      ctx,
		label:    label,
		strategy: strategy,
		world:    world,
		apps:     map[string]http.Handler{},
		browser:  labBrowser{storage: map[string]string{}},
		stolen:   map[string]string{},
	}
	for _, replica := range []string{replicaA, replicaB} {
		lane.apps[replica] = (&labApp{world: world, replica: replica}).handler()
	}
	return lane
}

// labSend describes one request of a step.
type labSend struct {
	method string
	path   string
	body   string
	// replica serves the request; empty means replica A.
	replica string
	// credentials is the kind of credential the request carries: labOwn
	// (the browser's cookies, plus the stored token for the bearer
	// strategy), labStolen (the attacker's copy, sent from the attacker's
	// machine), labForged (the attacker's forged token) or labNone.
	credentials string
	// crossSite sends the request from a page of another site, as a
	// form on the attacker's page would.
	crossSite bool
}

const (
	labOwn    = "own"
	labStolen = "stolen"
	labForged = "forged"
	labNone   = "none"
)

// LabExchange is one HTTP request of a run and its response.
type LabExchange struct {
	// Replica is the replica that served the request, "a" or "b".
	Replica  string          `json:"replica"`
	Request  LabHTTPRequest  `json:"request"`
	Response LabHTTPResponse `json:"response"`
}

// LabHTTPRequest is a request as the demo app received it, with only the
// headers that matter to authentication.
type LabHTTPRequest struct {
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers []LabHeader `json:"headers"`
	Body    string      `json:"body,omitempty"`
}

// LabHTTPResponse is the demo app's response.
type LabHTTPResponse struct {
	Status  int             `json:"status"`
	Headers []LabHeader     `json:"headers"`
	Body    json.RawMessage `json:"body"`
}

// LabHeader is one header line. Long values are cut.
type LabHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// labHeaderLimit is the longest header value a transcript shows.
const labHeaderLimit = 400

func labHeader(name, value string) LabHeader {
	value, _ = truncateChars(value, labHeaderLimit)
	return LabHeader{Name: name, Value: value}
}

// send serves one request through the replica's handler in this process,
// as real net/http requests and responses, and applies the response's
// cookies to the browser when the browser sent it.
func (l *labLane) send(s labSend) (*LabExchange, labResult) {
	replica := s.replica
	if replica == "" {
		replica = replicaA
	}
	var body io.Reader
	if s.body != "" {
		body = strings.NewReader(s.body)
	}
	// The request must not carry the routing state of the playground's
	// own router, which chi would otherwise continue from.
	ctx := context.WithValue(l.ctx, chi.RouteCtxKey, (*chi.Context)(nil))
	r := httptest.NewRequestWithContext(learner.NewContext(ctx, l.world.scratch), s.method, labOrigin+s.path, body)
	// The app is served over HTTPS, so its cookies are Secure.
	r.TLS = &tls.ConnectionState{}
	if s.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}

	var browserNote string
	switch s.credentials {
	case labOwn:
		token := l.browser.storage["accessToken"]
		switch {
		case token != "" && s.crossSite:
			// The page's own script adds the header; a form on another
			// site cannot.
			browserNote = "The browser sent no Authorization header: only the app's own page script adds it, and a form on another site cannot."
		case token != "":
			r.Header.Set("Authorization", "Bearer "+token)
		}
		cookies, withheld := l.browser.cookieHeader(s.method, s.crossSite)
		if cookies != "" {
			r.Header.Set("Cookie", cookies)
		}
		if len(withheld) > 0 {
			browserNote = "The browser withheld " + strings.Join(withheld, ", ") + " from this cross-site " + s.method + " because of its SameSite attribute."
		}
	case labStolen:
		if token := l.stolen["token"]; token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		if cookie := l.stolen["cookie"]; cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
	case labForged:
		if l.strategy.Name == strategyJWTCookie {
			r.Header.Set("Cookie", labTokenCookie+"="+l.forged)
		} else {
			r.Header.Set("Authorization", "Bearer "+l.forged)
		}
	}
	if s.crossSite {
		r.Header.Set("Origin", labAttackerOrigin)
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	}

	recorder := httptest.NewRecorder()
	l.apps[replica].ServeHTTP(recorder, r)
	response := recorder.Result()
	responseBody := recorder.Body.Bytes()

	if s.credentials == labOwn {
		l.browser.apply(response.Cookies())
	}
	if response.StatusCode >= 500 && l.err == nil {
		l.err = fmt.Errorf("demo app responded to %s %s with %d: %s", s.method, s.path, response.StatusCode, responseBody)
	}

	exchange := &LabExchange{Replica: replica}
	exchange.Request = LabHTTPRequest{Method: s.method, URL: labOrigin + s.path, Body: s.body}
	for _, name := range []string{"Authorization", "Cookie", "Origin", "Sec-Fetch-Site", "Content-Type"} {
		if value := r.Header.Get(name); value != "" {
			exchange.Request.Headers = append(exchange.Request.Headers, labHeader(name, value))
		}
	}
	exchange.Response.Status = response.StatusCode
	for _, name := range []string{"Set-Cookie", "WWW-Authenticate"} {
		for _, value := range response.Header.Values(name) {
			exchange.Response.Headers = append(exchange.Response.Headers, labHeader(name, value))
		}
	}
	if json.Valid(responseBody) {
		exchange.Response.Body = json.RawMessage(bytes.TrimSpace(responseBody))
	} else {
		exchange.Response.Body, _ = json.Marshal(string(responseBody))
	}

	var decoded struct {
		Reason  string `json:"reason"`
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	json.Unmarshal(responseBody, &decoded)
	result := labResult{status: response.StatusCode, reason: decoded.Reason, browser: browserNote}
	result.summary = fmt.Sprintf("%d %s", response.StatusCode, http.StatusText(response.StatusCode))
	if text := decoded.Message + decoded.Error; text != "" {
		result.summary += ": " + text
	}
	return exchange, result
}

// labResult is the result of a step in one lane, before the state is
// attached.
type labResult struct {
	status  int
	reason  string
	summary string
	// outcome, for a step that sends nothing, is the short result that
	// the lanes are compared by.
	outcome string
	// browser names what the browser left out of the request, and why.
	browser string
}

// cookieHeader returns the Cookie header the browser sends with a
// request, and the names of the cookies it withholds. For a request from
// another site, SameSite decides: Strict sends nothing, Lax only
// top-level GET navigations, None everything.
func (b *labBrowser) cookieHeader(method string, crossSite bool) (header string, withheld []string) {
	var parts []string
	for _, cookie := range b.cookies {
		if crossSite {
			switch cookie.SameSite {
			case http.SameSiteStrictMode:
				withheld = append(withheld, cookie.Name+" (SameSite=Strict)")
				continue
			case http.SameSiteNoneMode:
			default:
				// A cookie without SameSite is treated as Lax by current
				// browsers.
				if method != http.MethodGet {
					withheld = append(withheld, cookie.Name+" (SameSite=Lax)")
					continue
				}
			}
		}
		parts = append(parts, cookie.Name+"="+cookie.Value)
	}
	return strings.Join(parts, "; "), withheld
}

// apply stores or deletes the cookies of a response.
func (b *labBrowser) apply(cookies []*http.Cookie) {
	for _, cookie := range cookies {
		b.cookies = slices.DeleteFunc(b.cookies, func(c *http.Cookie) bool { return c.Name == cookie.Name })
		if cookie.MaxAge < 0 || cookie.Value == "" {
			continue
		}
		b.cookies = append(b.cookies, cookie)
	}
}

// loginCookie returns the browser's cookie for the strategy's login, if
// any.
func (b *labBrowser) loginCookie() *http.Cookie {
	for _, cookie := range b.cookies {
		switch cookie.Name {
		case labTokenCookie, labSessionCookie, labDataCookie:
			return cookie
		}
	}
	return nil
}

// scriptVisible returns what a script on the page can read: localStorage
// and the cookies without HttpOnly (document.cookie).
func (b *labBrowser) scriptVisible() (storage map[string]string, cookies []string) {
	storage = map[string]string{}
	for key, value := range b.storage {
		storage[key] = value
	}
	for _, cookie := range b.cookies {
		if !cookie.HttpOnly {
			cookies = append(cookies, cookie.Name+"="+cookie.Value)
		}
	}
	return storage, cookies
}
