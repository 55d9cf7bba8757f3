package playground

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
)

// jsonWebKey is the public part of one sandbox key as a JWK (RFC 7517),
// with the members RFC 7518 section 6 defines for RSA and EC keys and RFC
// 8037 defines for Ed25519 keys.
type jsonWebKey struct {
	KeyType   string `json:"kty"`
	Use       string `json:"use"`
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid"`
	Curve     string `json:"crv,omitempty"`
	Modulus   string `json:"n,omitempty"`
	Exponent  string `json:"e,omitempty"`
	X         string `json:"x,omitempty"`
	Y         string `json:"y,omitempty"`
}

type jwksResponse struct {
	Keys []jsonWebKey `json:"keys"`
}

// handleJWKS returns the public keys of the learner's sandbox as a JWK
// Set. HMAC secrets are left out, because anyone who holds one can sign
// tokens. Only keys created so far are listed: a key appears after the
// learner's first login with its algorithm.
func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	set, err := s.sandboxKeys(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	response := jwksResponse{Keys: []jsonWebKey{}}
	for _, key := range set.sorted() {
		public, ok, err := publicJWK(key)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if ok {
			response.Keys = append(response.Keys, public)
		}
	}
	writeJSON(w, http.StatusOK, response)
}

// publicJWK returns the JWK of key's public part, and false for an HMAC
// key, which has no public part.
func publicJWK(key *sandboxKey) (jsonWebKey, bool, error) {
	encode := base64.RawURLEncoding.EncodeToString
	public := jsonWebKey{Use: "sig", Algorithm: key.algorithm, KeyID: key.keyID}
	switch verificationKey := key.verificationKey.(type) {
	case *rsa.PublicKey:
		public.KeyType = "RSA"
		public.Modulus = encode(verificationKey.N.Bytes())
		public.Exponent = encode(big.NewInt(int64(verificationKey.E)).Bytes())
	case *ecdsa.PublicKey:
		// The uncompressed point is 0x04 followed by x and y, each as
		// long as the curve's field size, which RFC 7518 section 6.2.1.2
		// requires for the x and y members.
		point, err := verificationKey.Bytes()
		if err != nil {
			return jsonWebKey{}, false, fmt.Errorf("encode %s public key: %w", key.keyID, err)
		}
		size := (len(point) - 1) / 2
		public.KeyType = "EC"
		public.Curve = "P-256"
		public.X = encode(point[1 : 1+size])
		public.Y = encode(point[1+size:])
	case ed25519.PublicKey:
		public.KeyType = "OKP"
		public.Curve = "Ed25519"
		public.X = encode(verificationKey)
	default:
		return jsonWebKey{}, false, nil
	}
	return public, true, nil
}
