package playground

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/golang-jwt/jwt/v5"

	"learn/learner"
)

// algorithms lists the JWS algorithms a sandbox signs and verifies with,
// in the order the page and messages show them. "none" is not among them:
// POST /jwt/login never issues an unsigned token.
var algorithms = []string{"HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"}

const (
	// defaultAlgorithm is the algorithm of POST /jwt/login when the
	// request names none.
	defaultAlgorithm = "HS256"
	// rsaKeyBits is the modulus size of RS256 and PS256 keys, the minimum
	// that RFC 7518 section 3.3 allows.
	rsaKeyBits = 2048
)

// hmacSecretBytes is the secret length for each HMAC algorithm: the
// output size of its hash, which RFC 7518 section 3.2 sets as the
// minimum.
var hmacSecretBytes = map[string]int{"HS256": 32, "HS384": 48, "HS512": 64}

// keyIDFor returns the kid of the sandbox key for alg. Every sandbox uses
// the same kid names, because a kid only has to be unique within one key
// set (RFC 7517 section 4.5). A token that one learner sends to another
// learner's sandbox therefore finds that learner's key of the same name
// and fails its signature check. The "-1" counts key generations.
func keyIDFor(alg string) string {
	return strings.ToLower(alg) + "-1"
}

// algorithmList returns the supported algorithms for messages, such as
// "HS256, HS384, … or EdDSA".
func algorithmList() string {
	return strings.Join(algorithms[:len(algorithms)-1], ", ") + " or " + algorithms[len(algorithms)-1]
}

// sandboxKey is one parsed key of a learner's sandbox.
type sandboxKey struct {
	keyID     string
	algorithm string
	method    jwt.SigningMethod
	// signingKey is a []byte secret, *rsa.PrivateKey, *ecdsa.PrivateKey or
	// ed25519.PrivateKey, as golang-jwt's Sign expects for method.
	signingKey any
	// verificationKey is the secret for HMAC and the public key otherwise.
	verificationKey any
}

// newHMACKey returns a sandbox key that signs with secret.
func newHMACKey(alg string, secret []byte) *sandboxKey {
	return &sandboxKey{
		keyID:           keyIDFor(alg),
		algorithm:       alg,
		method:          jwt.GetSigningMethod(alg),
		signingKey:      secret,
		verificationKey: secret,
	}
}

// generateKey creates a new key for alg from crypto/rand in its stored
// form. RSA keys take the longest: by estimate, up to about a second each.
func generateKey(alg string) (StoredKey, error) {
	stored := StoredKey{KeyID: keyIDFor(alg), Algorithm: alg}
	if size, ok := hmacSecretBytes[alg]; ok {
		stored.Material = make([]byte, size)
		rand.Read(stored.Material)
		return stored, nil
	}

	var private any
	var err error
	switch alg {
	case "RS256", "PS256":
		private, err = rsa.GenerateKey(rand.Reader, rsaKeyBits)
	case "ES256":
		private, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "EdDSA":
		_, private, err = ed25519.GenerateKey(rand.Reader)
	default:
		return StoredKey{}, fmt.Errorf("generate key: unsupported algorithm %q", alg)
	}
	if err != nil {
		return StoredKey{}, fmt.Errorf("generate %s key: %w", alg, err)
	}
	stored.Material, err = x509.MarshalPKCS8PrivateKey(private)
	if err != nil {
		return StoredKey{}, fmt.Errorf("encode %s key: %w", alg, err)
	}
	return stored, nil
}

// parseStoredKey turns a stored key into a sandboxKey, checking that the
// key type fits its algorithm.
func parseStoredKey(stored StoredKey) (*sandboxKey, error) {
	if _, ok := hmacSecretBytes[stored.Algorithm]; ok {
		key := newHMACKey(stored.Algorithm, stored.Material)
		key.keyID = stored.KeyID
		return key, nil
	}

	private, err := x509.ParsePKCS8PrivateKey(stored.Material)
	if err != nil {
		return nil, fmt.Errorf("parse sandbox key %s: %w", stored.KeyID, err)
	}
	key := &sandboxKey{
		keyID:      stored.KeyID,
		algorithm:  stored.Algorithm,
		method:     jwt.GetSigningMethod(stored.Algorithm),
		signingKey: private,
	}
	switch private := private.(type) {
	case *rsa.PrivateKey:
		if stored.Algorithm == "RS256" || stored.Algorithm == "PS256" {
			key.verificationKey = &private.PublicKey
		}
	case *ecdsa.PrivateKey:
		if stored.Algorithm == "ES256" && private.Curve == elliptic.P256() {
			key.verificationKey = &private.PublicKey
		}
	case ed25519.PrivateKey:
		if stored.Algorithm == "EdDSA" {
			key.verificationKey = private.Public()
		}
	}
	if key.verificationKey == nil || key.method == nil {
		return nil, fmt.Errorf("parse sandbox key %s: a %T does not fit algorithm %q", stored.KeyID, private, stored.Algorithm)
	}
	return key, nil
}

// keySet is the parsed keys of one learner's sandbox, by kid.
type keySet struct {
	mu   sync.Mutex
	keys map[string]*sandboxKey
	// generating serializes key generation, so that two concurrent first
	// logins with RS256 generate one RSA key, not two.
	generating sync.Mutex
}

func (set *keySet) get(keyID string) (*sandboxKey, bool) {
	set.mu.Lock()
	defer set.mu.Unlock()
	key, ok := set.keys[keyID]
	return key, ok
}

func (set *keySet) put(key *sandboxKey) {
	set.mu.Lock()
	defer set.mu.Unlock()
	set.keys[key.keyID] = key
}

// sorted returns the keys in the order of algorithms.
func (set *keySet) sorted() []*sandboxKey {
	set.mu.Lock()
	defer set.mu.Unlock()
	keys := make([]*sandboxKey, 0, len(set.keys))
	for _, key := range set.keys {
		keys = append(keys, key)
	}
	slices.SortFunc(keys, func(a, b *sandboxKey) int {
		return slices.Index(algorithms, a.algorithm) - slices.Index(algorithms, b.algorithm)
	})
	return keys
}

// sandboxKeys returns the learner's parsed keys from the cache, loading
// them from the store on a miss. Loading creates the HS256 key when the
// learner has none yet, as the playground always has.
func (s *Server) sandboxKeys(ctx context.Context, id learner.ID) (*keySet, error) {
	if set, ok := s.keyCache.get(id); ok {
		return set, nil
	}

	secret, err := s.signingKey(ctx, id)
	if err != nil {
		return nil, err
	}
	stored, err := s.store.SandboxKeys(ctx, id)
	if err != nil {
		return nil, err
	}
	set := &keySet{keys: map[string]*sandboxKey{}}
	set.put(newHMACKey("HS256", secret))
	for _, one := range stored {
		key, err := parseStoredKey(one)
		if err != nil {
			return nil, err
		}
		set.put(key)
	}
	return s.keyCache.add(id, set), nil
}

// signingKeyFor returns the learner's key for alg, one of algorithms,
// generating and storing it on first use.
func (s *Server) signingKeyFor(ctx context.Context, id learner.ID, alg string) (*sandboxKey, error) {
	set, err := s.sandboxKeys(ctx, id)
	if err != nil {
		return nil, err
	}
	keyID := keyIDFor(alg)
	if key, ok := set.get(keyID); ok {
		return key, nil
	}

	set.generating.Lock()
	defer set.generating.Unlock()
	if key, ok := set.get(keyID); ok {
		return key, nil
	}
	candidate, err := generateKey(alg)
	if err != nil {
		return nil, err
	}
	// Another server process may have stored a key first. The stored key
	// wins, so every process signs with the same one.
	stored, err := s.store.AddSandboxKey(ctx, id, candidate)
	if err != nil {
		return nil, err
	}
	key, err := parseStoredKey(stored)
	if err != nil {
		return nil, err
	}
	set.put(key)
	return key, nil
}
