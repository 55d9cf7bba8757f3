package playground_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/gorilla/securecookie"

	"learn/learner"
	"learn/playground"
	"learn/storage/sqlite"
)

// api is where the tests mount the playground, as the web package does.
const api = "/playground/api"

// clockStart is the fake real time at which every test begins.
var clockStart = time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)

// fakeClock is a real-time clock that moves only when a test moves it, so
// that timeout boundaries can be tested to the second.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// lockedBuffer collects log output written from server goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envOptions changes how newEnv builds the test server.
type envOptions struct {
	// dbPath reopens an existing database, to simulate a restart.
	dbPath string
	// learnerKey and sessionKey reuse the keys of an earlier server.
	learnerKey []byte
	sessionKey []byte
	// tls serves over HTTPS.
	tls bool
	// wrapStore wraps the store passed to the server, to inject failures.
	wrapStore func(playground.Store) playground.Store
	// keyCacheSize sets playground.Config.KeyCacheSize.
	keyCacheSize int
	// maxSandboxes and newSandboxesPerMinute set the Config fields of
	// the same names.
	maxSandboxes          int
	newSandboxesPerMinute int
}

// testEnv is a running playground behind learner.Middleware, mounted at
// /playground/api, with its own SQLite file.
type testEnv struct {
	t          testing.TB
	server     *httptest.Server
	db         *sqlite.DB
	dbPath     string
	learnerKey []byte
	sessionKey []byte
	clock      *fakeClock
	logs       *lockedBuffer
	handler    http.Handler
	playground *playground.Server
}

func randomKey(t testing.TB) []byte {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	return key
}

func newEnv(t testing.TB, opts envOptions) *testEnv {
	t.Helper()
	env := &testEnv{
		t:          t,
		dbPath:     opts.dbPath,
		learnerKey: opts.learnerKey,
		sessionKey: opts.sessionKey,
		clock:      &fakeClock{now: clockStart},
		logs:       &lockedBuffer{},
	}
	if env.dbPath == "" {
		env.dbPath = filepath.Join(t.TempDir(), "learn.db")
	}
	if env.learnerKey == nil {
		env.learnerKey = randomKey(t)
	}
	if env.sessionKey == nil {
		env.sessionKey = randomKey(t)
	}

	db, err := sqlite.Open(context.Background(), env.dbPath)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	env.db = db
	t.Cleanup(func() { db.Close() })

	var store playground.Store = db
	if opts.wrapStore != nil {
		store = opts.wrapStore(db)
	}
	logger := slog.New(slog.NewTextHandler(env.logs, nil))
	pg, err := playground.New(playground.Config{
		Store:        store,
		SessionKey:   env.sessionKey,
		Now:          env.clock.Now,
		Logger:       logger,
		KeyCacheSize: opts.keyCacheSize,

		MaxSandboxes:          opts.maxSandboxes,
		NewSandboxesPerMinute: opts.newSandboxesPerMinute,
	})
	if err != nil {
		t.Fatalf("new playground: %v", err)
	}

	env.playground = pg
	// Cleanups run last first, so the queued transcript is written after
	// the server stops and before the database closes.
	t.Cleanup(func() { pg.Close(context.Background()) })

	root := chi.NewRouter()
	root.Mount(api, pg.Routes())
	env.handler = learner.NewMiddleware([][]byte{env.learnerKey}, logger, nil).Handler(root)
	if opts.tls {
		env.server = httptest.NewTLSServer(env.handler)
	} else {
		env.server = httptest.NewServer(env.handler)
	}
	t.Cleanup(env.server.Close)
	return env
}

// close stops the server and closes the database before the test ends.
func (e *testEnv) close() {
	e.server.Close()
	if err := e.playground.Close(context.Background()); err != nil {
		e.t.Errorf("close playground: %v", err)
	}
	e.db.Close()
}

// client is one learner: an HTTP client whose cookie jar keeps the
// learn_learner cookie.
type client struct {
	t    testing.TB
	env  *testEnv
	http *http.Client
	jar  *cookiejar.Jar
}

func (e *testEnv) newClient() *client {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatalf("new cookie jar: %v", err)
	}
	// The server's Client is shared, so each learner gets a copy.
	httpClient := *e.server.Client()
	httpClient.Jar = jar
	return &client{t: e.t, env: e, http: &httpClient, jar: jar}
}

// withEnv returns a client that keeps c's cookies but talks to env, as
// a browser does after a server restart.
func (c *client) withEnv(env *testEnv) *client {
	httpClient := *env.server.Client()
	httpClient.Jar = c.jar
	return &client{t: c.t, env: env, http: &httpClient, jar: c.jar}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body as a JSON object and fails the test otherwise.
func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var object map[string]any
	if err := json.Unmarshal(r.body, &object); err != nil {
		t.Fatalf("response body is not a JSON object: %v\n%s", err, r.body)
	}
	return object
}

// do sends a request to the playground. headers are name, value pairs.
func (c *client) do(method, path, body string, headers ...string) response {
	c.t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.env.server.URL+api+path, reader)
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("read %s %s: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

func (c *client) get(path string, headers ...string) response {
	c.t.Helper()
	return c.do(http.MethodGet, path, "", headers...)
}

func (c *client) postJSON(path, body string) response {
	c.t.Helper()
	return c.do(http.MethodPost, path, body, "Content-Type", "application/json")
}

// learnerID returns the client's learner id, making a first request when
// the client has no learner cookie yet.
func (c *client) learnerID() learner.ID {
	c.t.Helper()
	value := c.cookie(learner.CookieName)
	if value == "" {
		c.get("/clock")
		value = c.cookie(learner.CookieName)
	}
	var id string
	if err := securecookie.New(c.env.learnerKey, nil).Decode(learner.CookieName, value, &id); err != nil {
		c.t.Fatalf("decode learner cookie: %v", err)
	}
	return learner.ID(id)
}

// cookie returns the value of the named cookie in the client's jar, or "".
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.env.server.URL + "/")
	for _, cookie := range c.jar.Cookies(u) {
		if cookie.Name == name {
			return cookie.Value
		}
	}
	return ""
}

// setCookie puts a cookie into the client's jar, replacing one of the
// same name.
func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.env.server.URL + "/")
	c.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// signingKey returns the client's HS256 key from the store.
func (c *client) signingKey() []byte {
	c.t.Helper()
	key, err := c.env.db.SigningKey(context.Background(), c.learnerID(), randomKey(c.t))
	if err != nil {
		c.t.Fatalf("load signing key: %v", err)
	}
	return key
}

func (c *client) advance(seconds int64) {
	c.t.Helper()
	body, _ := json.Marshal(map[string]int64{"advanceSeconds": seconds})
	r := c.postJSON("/clock", string(body))
	wantStatus(c.t, r, http.StatusOK)
}

func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
}

// wantField checks one string field of a JSON response.
func wantField(t testing.TB, object map[string]any, field, want string) {
	t.Helper()
	if got, _ := object[field].(string); got != want {
		t.Errorf("%s = %q, want %q", field, object[field], want)
	}
}

// wantFieldContains checks that a string field of a JSON response
// contains want.
func wantFieldContains(t testing.TB, object map[string]any, field, want string) {
	t.Helper()
	if got, _ := object[field].(string); !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", field, object[field], want)
	}
}
