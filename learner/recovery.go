package learner

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
)

// recoveryCodeBytes is the entropy of a recovery code: 160 bits, which
// base32 writes as 32 characters without padding.
const recoveryCodeBytes = 20

// recoveryGroup is the number of characters between the hyphens of a
// displayed recovery code.
const recoveryGroup = 4

// ErrInvalidRecoveryCode is returned by HashRecoveryCode for text that
// cannot be a recovery code.
var ErrInvalidRecoveryCode = errors.New("invalid recovery code")

// NewRecoveryCode returns a random recovery code from crypto/rand, in
// upper-case base32 groups of four joined by hyphens, such as
// "ABCD-EFGH-…".
func NewRecoveryCode() string {
	var b [recoveryCodeBytes]byte
	rand.Read(b[:])
	plain := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])

	var groups []string
	for i := 0; i < len(plain); i += recoveryGroup {
		groups = append(groups, plain[i:i+recoveryGroup])
	}
	return strings.Join(groups, "-")
}

// HashRecoveryCode returns the hex SHA-256 of a recovery code, the only
// form in which a code is stored. It ignores case, spaces and hyphens, so
// a code typed in by hand matches, and returns ErrInvalidRecoveryCode for
// text of the wrong length or alphabet. A code carries 160 random bits,
// so a fast hash is enough: no guess list can cover that space.
func HashRecoveryCode(code string) (string, error) {
	normalized := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(code))

	decoded, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(normalized)
	if err != nil || len(decoded) != recoveryCodeBytes {
		return "", ErrInvalidRecoveryCode
	}
	sum := sha256.Sum256(decoded)
	return hex.EncodeToString(sum[:]), nil
}
