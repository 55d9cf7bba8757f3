// Package jwt benchmarks bare golang-jwt signing and verification for
// RS256, ES256 and EdDSA with keys made here, outside the playground. The
// benchmarks of the playground's own code for these algorithms and HS256,
// each beside bare golang-jwt on the playground's key, are in
// playground/verify_bench_test.go.
package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// algorithm is one signing method with its key pair.
type algorithm struct {
	name    string
	method  jwt.SigningMethod
	private crypto.Signer
	public  crypto.PublicKey
}

func algorithms(b *testing.B) []algorithm {
	b.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatalf("generate RSA key: %v", err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatalf("generate P-256 key: %v", err)
	}
	edPublic, edPrivate, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatalf("generate Ed25519 key: %v", err)
	}
	return []algorithm{
		{"RS256", jwt.SigningMethodRS256, rsaKey, &rsaKey.PublicKey},
		{"ES256", jwt.SigningMethodES256, ecKey, &ecKey.PublicKey},
		{"EdDSA", jwt.SigningMethodEdDSA, edPrivate, edPublic},
	}
}

// claims are shaped like those of the playground's POST /jwt/login.
func claims() jwt.RegisteredClaims {
	now := time.Now()
	return jwt.RegisteredClaims{
		Subject:   "ada",
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
		ID:        "JUTR2CMOGCQE7LAA3VLDJQ4QQA",
	}
}

func BenchmarkSign(b *testing.B) {
	for _, alg := range algorithms(b) {
		b.Run(alg.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := jwt.NewWithClaims(alg.method, claims()).SignedString(alg.private); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, alg := range algorithms(b) {
		token, err := jwt.NewWithClaims(alg.method, claims()).SignedString(alg.private)
		if err != nil {
			b.Fatalf("sign %s token: %v", alg.name, err)
		}
		keyFunc := func(*jwt.Token) (any, error) { return alg.public, nil }
		b.Run(alg.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := jwt.Parse(token, keyFunc, jwt.WithValidMethods([]string{alg.method.Alg()})); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
