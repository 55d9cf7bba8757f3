package playground

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"learn/learner"
)

// The lab runs a scenario against two small demo apps side by side, one
// for each authentication strategy. Each side is a labWorld: the app's
// user table, keys, virtual clock and session stores, shared by the app's
// replicas. A world lives for one run and is thrown away after it, so a
// run never touches the learner's own sandbox.

// Strategy names of the lab.
const (
	strategyJWTBearer   = "jwt-bearer"
	strategyJWTCookie   = "jwt-cookie"
	strategySession     = "session"
	strategyCookieStore = "cookie-store"
)

// LabStrategy describes one way the lab's demo app keeps a user logged in.
type LabStrategy struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Summary string `json:"summary"`
}

// labStrategies lists the strategies in the order the lab shows them.
var labStrategies = []LabStrategy{
	{
		Name:    strategyJWTBearer,
		Title:   "JWT in the Authorization header",
		Summary: "Login returns a signed token; the page keeps it in localStorage and sends it as Authorization: Bearer. The server stores nothing.",
	},
	{
		Name:    strategyJWTCookie,
		Title:   "JWT in an HttpOnly cookie",
		Summary: "Login sets the signed token as an HttpOnly cookie, which Auth.js calls the \"jwt\" session strategy. The server stores nothing.",
	},
	{
		Name:    strategySession,
		Title:   "Server-side session",
		Summary: "Login sets a cookie holding only a random session ID; the data lives in a session store on the server, which Auth.js calls the \"database\" strategy.",
	},
	{
		Name:    strategyCookieStore,
		Title:   "Session data in a cookie",
		Summary: "gorilla/sessions' CookieStore signs and encrypts the session data into the cookie itself, so this \"session\" needs no server store, like a JWT.",
	},
}

func labStrategyByName(name string) (LabStrategy, bool) {
	for _, s := range labStrategies {
		if s.Name == name {
			return s, true
		}
	}
	return LabStrategy{}, false
}

// Session stores of the session strategy.
const (
	// storeDatabase keeps sessions in the SQLite database, which every
	// replica shares and which survives a restart.
	storeDatabase = "database"
	// storeMemory keeps sessions in each replica's memory, which a
	// restart empties.
	storeMemory = "memory"
)

// Replica names. A request goes to replica A unless a step sends it to B.
const (
	replicaA = "a"
	replicaB = "b"
)

// labUsers are the demo app's accounts and their roles at the start of a
// run. The lab skips passwords: logging in needs only a known username.
var labUsers = map[string]string{"ada": "admin", "bob": "member"}

// labConfig sets up one world.
type labConfig struct {
	strategy string
	// sessionStore is storeDatabase or storeMemory.
	sessionStore string
	// accessTTL is the lifetime of an access token.
	accessTTL time.Duration
	// refreshTokens makes JWT login also return a rotating refresh token.
	refreshTokens bool
	// denylist makes logout record a token's jti and verification reject
	// recorded ones.
	denylist bool
	// careless turns the algorithm allow-list off and signs with the weak
	// secret of the forged-tokens scenario.
	careless bool
	// sameSite is the SameSite attribute of the login cookie.
	sameSite string
	// missingAwait serves /welcome with the missing-await bug.
	missingAwait bool
}

// labWorld is the server side of one lane of a run.
type labWorld struct {
	mu sync.Mutex

	cfg labConfig
	now time.Time
	// users maps a username to its role; admins may demote a user.
	users map[string]string

	// signingKeys maps a kid to its HS256 secret; currentKeyID signs.
	signingKeys  map[string][]byte
	currentKeyID string
	keyCounter   int
	// denied maps a revoked jti to the time its token expires.
	denied map[string]time.Time
	// refresh maps the hash of each refresh token to its record.
	refresh map[string]*labRefreshToken

	// scratch is the learner ID under which the database store keeps
	// this world's sessions; the run deletes them when it ends.
	scratch learner.ID
	// database is the shared SQLite store, memory the per-replica stores.
	database SessionStore
	memory   map[string]*memorySessions
	// sessionKeys sign the session cookie, and cookieKeys sign and
	// encrypt the cookie store's cookie; the first of each signs, and all
	// are accepted.
	sessionKeys [][]byte
	cookieKeys  [][]byte
	// crossOriginCheck rejects cross-site state-changing requests.
	crossOriginCheck bool
	// restarts counts restarts, for the inspector.
	restarts int
	// issued holds the ID hashes of the sessions the database store was
	// given, so that the inspector can list the ones still there.
	issued []string
}

// labRefreshToken is the server's record of one refresh token.
type labRefreshToken struct {
	family   string
	username string
	expires  time.Time
	used     bool
}

// labRefreshTTL is how long a refresh token lives.
const labRefreshTTL = 24 * time.Hour

// newLabWorld returns a world whose clock starts at now.
func newLabWorld(cfg labConfig, now time.Time, database SessionStore) *labWorld {
	w := &labWorld{
		cfg:         cfg,
		now:         now.Truncate(time.Second),
		users:       maps.Clone(labUsers),
		signingKeys: map[string][]byte{},
		denied:      map[string]time.Time{},
		refresh:     map[string]*labRefreshToken{},
		scratch:     learner.ID("lab-" + rand.Text()),
		database:    database,
		memory:      map[string]*memorySessions{replicaA: newMemorySessions(), replicaB: newMemorySessions()},
	}
	// The first rotation makes the world's first signing and cookie keys.
	w.rotateSigningKey()
	return w
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// close deletes the world's rows from the database store.
func (w *labWorld) close(ctx context.Context) error {
	if w.database == nil {
		return nil
	}
	// Every record was last used before the far future, so this deletes
	// them all.
	_, err := w.database.DeleteIdleSessions(ctx, w.scratch, w.now.Add(100*365*24*time.Hour))
	return err
}

// clock returns the world's virtual time.
func (w *labWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *labWorld) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

// rotateSigningKey adds a new HS256 key, which signs from now on. The old
// keys still verify until retireOldKeys. The careless verifier always
// signs with the weak secret of the forged-tokens scenario.
func (w *labWorld) rotateSigningKey() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keyCounter++
	keyID := fmt.Sprintf("key-%d", w.keyCounter)
	secret := randomBytes(signingKeyBytes)
	if w.cfg.careless {
		secret = []byte(weakSecret)
	}
	w.signingKeys[keyID] = secret
	w.currentKeyID = keyID
	// A new cookie key signs from now on as well.
	w.sessionKeys = append([][]byte{randomBytes(32)}, w.sessionKeys...)
	w.cookieKeys = append([][]byte{randomBytes(32), randomBytes(32)}, w.cookieKeys...)
	return keyID
}

// retireOldKeys drops every key but the newest of each kind.
func (w *labWorld) retireOldKeys() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for keyID := range w.signingKeys {
		if keyID != w.currentKeyID {
			delete(w.signingKeys, keyID)
		}
	}
	w.sessionKeys = w.sessionKeys[:1]
	w.cookieKeys = w.cookieKeys[:2]
}

// restart simulates a restart of every replica: memory is emptied, and
// what is on disk (the database and the keys) stays.
func (w *labWorld) restart() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for name := range w.memory {
		w.memory[name] = newMemorySessions()
	}
	w.restarts++
}

// sessionRecords returns the session store that the replica uses.
func (w *labWorld) sessionRecords(replica string) SessionStore {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cfg.sessionStore == storeMemory {
		return w.memory[replica]
	}
	return w.database
}

// memorySessions is a SessionStore kept in one process's memory, as a
// development session store is: a restart loses every session.
type memorySessions struct {
	mu      sync.Mutex
	records map[string]SessionRecord
}

var _ SessionStore = (*memorySessions)(nil)

func newMemorySessions() *memorySessions {
	return &memorySessions{records: map[string]SessionRecord{}}
}

func memoryKey(id learner.ID, idHash string) string { return string(id) + "\x00" + idHash }

func (m *memorySessions) CreateSession(_ context.Context, record SessionRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records[memoryKey(record.Learner, record.IDHash)] = record
	return nil
}

func (m *memorySessions) Session(_ context.Context, id learner.ID, idHash string) (SessionRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	record, ok := m.records[memoryKey(id, idHash)]
	if !ok {
		return SessionRecord{}, ErrNotFound
	}
	return record, nil
}

func (m *memorySessions) UpdateSession(_ context.Context, record SessionRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := memoryKey(record.Learner, record.IDHash)
	stored, ok := m.records[key]
	if !ok {
		return ErrNotFound
	}
	stored.Data = record.Data
	stored.LastSeen = record.LastSeen
	m.records[key] = stored
	return nil
}

func (m *memorySessions) DeleteSession(_ context.Context, id learner.ID, idHash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.records, memoryKey(id, idHash))
	return nil
}

func (m *memorySessions) DeleteIdleSessions(_ context.Context, id learner.ID, lastSeenBefore time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for key, record := range m.records {
		if record.Learner == id && record.LastSeen.Before(lastSeenBefore) {
			delete(m.records, key)
			n++
		}
	}
	return n, nil
}

func (m *memorySessions) PurgeIdleSessions(_ context.Context, lastSeenBefore time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for key, record := range m.records {
		if record.LastSeen.Before(lastSeenBefore) {
			delete(m.records, key)
			n++
		}
	}
	return n, nil
}

// all returns the records, oldest first, for the inspector.
func (m *memorySessions) all() []SessionRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	records := slices.Collect(maps.Values(m.records))
	slices.SortFunc(records, func(a, b SessionRecord) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return records
}
