package playground

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"learn/learner"
)

// The benchmarks in this file compare the playground's signing and
// verification with bare golang-jwt, for HS256, RS256, ES256 and EdDSA.
// For HS256 they also time a raw HMAC-SHA256 over the same signing input,
// the floor that no JWT library can beat. They use an in-memory store, so
// they measure the code and not SQLite; BenchmarkJWTDataRouteSQLite in
// route_bench_test.go adds the database. docs/benchmarks.md records the
// figures.

// memoryStore is a Store that keeps one learner's keys in memory, with
// default settings, an empty denylist, and a clock that never moves. It
// drops transcript exchanges. Session, denylist writes and learner
// deletion are not used here, so their embedded interfaces are nil.
type memoryStore struct {
	SessionStore
	LearnerDataStore

	mu      sync.Mutex
	key     []byte
	sandbox []StoredKey
}

func (m *memoryStore) SigningKey(_ context.Context, _ learner.ID, candidate []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.key == nil {
		m.key = candidate
	}
	return m.key, nil
}

func (m *memoryStore) ClockOffset(context.Context, learner.ID) (int64, error) { return 0, nil }

func (m *memoryStore) Settings(context.Context, learner.ID) (Settings, error) {
	return DefaultSettings(), nil
}

func (m *memoryStore) SaveSettings(context.Context, learner.ID, Settings) error { return nil }

func (m *memoryStore) SandboxKeys(context.Context, learner.ID) ([]StoredKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.sandbox), nil
}

func (m *memoryStore) AddSandboxKey(_ context.Context, _ learner.ID, candidate StoredKey) (StoredKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, stored := range m.sandbox {
		if stored.KeyID == candidate.KeyID {
			return stored, nil
		}
	}
	m.sandbox = append(m.sandbox, candidate)
	return candidate, nil
}

func (m *memoryStore) DenyToken(context.Context, learner.ID, string, time.Time, time.Time) error {
	return nil
}

func (m *memoryStore) TokenDenied(context.Context, learner.ID, string, time.Time) (bool, error) {
	return false, nil
}

func (m *memoryStore) TouchSandbox(context.Context, learner.ID, time.Time) (bool, error) {
	return true, nil
}

func (m *memoryStore) CreateSandbox(context.Context, learner.ID, time.Time, int) ([]learner.ID, error) {
	return nil, nil
}

func (m *memoryStore) PurgeIdleSandboxes(context.Context, time.Time) ([]learner.ID, error) {
	return nil, nil
}

func (m *memoryStore) AdvanceClock(context.Context, learner.ID, int64, int64) (int64, error) {
	return 0, nil
}

func (m *memoryStore) AddExchange(context.Context, learner.ID, Exchange, int) error { return nil }

func (m *memoryStore) Exchanges(context.Context, learner.ID) ([]Exchange, error) { return nil, nil }

func (m *memoryStore) ClearTranscript(context.Context, learner.ID) error { return nil }

// benchLearner is the learner every benchmark request belongs to.
const benchLearner = learner.ID("bench-learner")

// newBenchServer returns a playground Server on a memoryStore whose
// learner key is already set, and that key.
func newBenchServer(b *testing.B) (*Server, []byte) {
	b.Helper()
	key := []byte("0123456789abcdef0123456789abcdef")
	s, err := New(Config{
		Store:      &memoryStore{key: key},
		SessionKey: []byte("session-key-session-key-session-"),
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatalf("new playground: %v", err)
	}
	return s, key
}

// signBenchToken returns a token shaped like those of POST /jwt/login,
// valid for an hour from now.
func signBenchToken(b *testing.B, key []byte) string {
	b.Helper()
	now := time.Now()
	claims := jwt.RegisteredClaims{
		Subject:   "ada",
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
		ID:        "JUTR2CMOGCQE7LAA3VLDJQ4QQA",
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		b.Fatalf("sign token: %v", err)
	}
	return token
}

// BenchmarkVerifyHS256 verifies one valid token with the playground's
// verifyToken, with golang-jwt's Parse, and with a bare HMAC comparison.
func BenchmarkVerifyHS256(b *testing.B) {
	s, key := newBenchServer(b)
	token := signBenchToken(b, key)
	ctx := context.Background()

	b.Run("playground", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			now, err := s.virtualNow(ctx, benchLearner)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.verifyToken(ctx, benchLearner, token, now); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("golang-jwt", func(b *testing.B) {
		b.ReportAllocs()
		keyFunc := func(*jwt.Token) (any, error) { return key, nil }
		for b.Loop() {
			if _, err := jwt.Parse(token, keyFunc, jwt.WithValidMethods([]string{"HS256"})); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("hmac-floor", func(b *testing.B) {
		b.ReportAllocs()
		dot := strings.LastIndexByte(token, '.')
		signingInput, encodedSignature := token[:dot], token[dot+1:]
		for b.Loop() {
			signature, err := base64.RawURLEncoding.DecodeString(encodedSignature)
			if err != nil {
				b.Fatal(err)
			}
			mac := hmac.New(sha256.New, key)
			mac.Write([]byte(signingInput))
			if !hmac.Equal(mac.Sum(nil), signature) {
				b.Fatal("signature does not match")
			}
		}
	})
}

// BenchmarkJWTDataRouteMemory serves GET /jwt/data with a valid token
// through the playground's router and transcript middleware, on the
// in-memory store.
func BenchmarkJWTDataRouteMemory(b *testing.B) {
	s, key := newBenchServer(b)
	token := signBenchToken(b, key)
	routes := s.Routes()
	b.ReportAllocs()
	for b.Loop() {
		request := httptest.NewRequest(http.MethodGet, "/jwt/data", nil)
		request.Header.Set("Authorization", "Bearer "+token)
		request = request.WithContext(learner.NewContext(request.Context(), benchLearner))
		recorder := httptest.NewRecorder()
		routes.ServeHTTP(recorder, request)
		if recorder.Code != http.StatusOK {
			b.Fatalf("status %d: %s", recorder.Code, recorder.Body)
		}
	}
}

// BenchmarkVerifyRS256 and the two benchmarks below verify one valid token
// signed with the learner's key for the algorithm, with the playground's
// verifyToken and with golang-jwt's Parse.
func BenchmarkVerifyRS256(b *testing.B) { benchmarkVerify(b, "RS256") }
func BenchmarkVerifyES256(b *testing.B) { benchmarkVerify(b, "ES256") }
func BenchmarkVerifyEdDSA(b *testing.B) { benchmarkVerify(b, "EdDSA") }

func benchmarkVerify(b *testing.B, alg string) {
	s, _ := newBenchServer(b)
	ctx := context.Background()
	key, err := s.signingKeyFor(ctx, benchLearner, alg)
	if err != nil {
		b.Fatalf("create %s key: %v", alg, err)
	}
	token := signBenchTokenWith(b, key)

	b.Run("playground", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			now, err := s.virtualNow(ctx, benchLearner)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := s.verifyToken(ctx, benchLearner, token, now); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("golang-jwt", func(b *testing.B) {
		b.ReportAllocs()
		keyFunc := func(*jwt.Token) (any, error) { return key.verificationKey, nil }
		for b.Loop() {
			if _, err := jwt.Parse(token, keyFunc, jwt.WithValidMethods([]string{alg})); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSignHS256 and the three benchmarks below sign claims shaped
// like those of POST /jwt/login with the learner's key for the algorithm,
// in three ways. playground-login goes through the handler (JSON decode,
// key and clock lookups, signing and the JSON response). playground-key
// looks the key up as the handler does and signs, without HTTP.
// golang-jwt signs with the key at hand.
func BenchmarkSignHS256(b *testing.B) { benchmarkSign(b, "HS256") }
func BenchmarkSignRS256(b *testing.B) { benchmarkSign(b, "RS256") }
func BenchmarkSignES256(b *testing.B) { benchmarkSign(b, "ES256") }
func BenchmarkSignEdDSA(b *testing.B) { benchmarkSign(b, "EdDSA") }

func benchmarkSign(b *testing.B, alg string) {
	s, _ := newBenchServer(b)
	ctx := context.Background()
	key, err := s.signingKeyFor(ctx, benchLearner, alg)
	if err != nil {
		b.Fatalf("create %s key: %v", alg, err)
	}
	routes := s.Routes()
	body := `{"username":"ada","alg":"` + alg + `"}`

	b.Run("playground-login", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			request := httptest.NewRequest(http.MethodPost, "/jwt/login", strings.NewReader(body))
			request.Header.Set("Content-Type", "application/json")
			request = request.WithContext(learner.NewContext(request.Context(), benchLearner))
			recorder := httptest.NewRecorder()
			routes.ServeHTTP(recorder, request)
			if recorder.Code != http.StatusOK {
				b.Fatalf("status %d: %s", recorder.Code, recorder.Body)
			}
		}
	})

	b.Run("playground-key", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			key, err := s.signingKeyFor(ctx, benchLearner, alg)
			if err != nil {
				b.Fatal(err)
			}
			signBenchTokenWith(b, key)
		}
	})

	b.Run("golang-jwt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			signBenchTokenWith(b, key)
		}
	})
}

// signBenchTokenWith returns a token signed with key and naming it in its
// kid header, as POST /jwt/login issues them, valid for an hour from now.
func signBenchTokenWith(b *testing.B, key *sandboxKey) string {
	b.Helper()
	now := time.Now()
	claims := jwt.RegisteredClaims{
		Subject:   "ada",
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
		ID:        "JUTR2CMOGCQE7LAA3VLDJQ4QQA",
	}
	token := jwt.NewWithClaims(key.method, claims)
	token.Header["kid"] = key.keyID
	signed, err := token.SignedString(key.signingKey)
	if err != nil {
		b.Fatalf("sign %s token: %v", key.algorithm, err)
	}
	return signed
}
