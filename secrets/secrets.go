// Package secrets loads the server's cookie keys: from the environment when
// LEARN_SESSION_KEYS is set, otherwise from a file in the data folder that is
// created with random keys on first run.
package secrets

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// EnvVar is the environment variable that lists cookie keys, comma
// separated, newest first.
const EnvVar = "LEARN_SESSION_KEYS"

// FileName is the key file inside the data folder, one key per line,
// newest first.
const FileName = "session-keys"

// MinKeyLength is the shortest key accepted, in bytes. HMAC-SHA256 keys
// shorter than the hash output weaken the signature.
const MinKeyLength = 32

// Load returns the cookie keys, newest first. It reads env (the value of
// LEARN_SESSION_KEYS) when it is not empty. Otherwise it reads dataDir's key
// file, creating it with one random key and mode 0600 when it is missing.
func Load(env, dataDir string) ([][]byte, error) {
	if strings.TrimSpace(env) != "" {
		keys, err := parse(strings.Split(env, ","))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvVar, err)
		}
		return keys, nil
	}

	path := filepath.Join(dataDir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return create(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read cookie keys: %w", err)
	}

	// A key file readable by other users leaks every cookie key, so it
	// is tightened rather than trusted.
	if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("restrict %s to mode 0600: %w", path, err)
		}
	}
	keys, err := parse(strings.Split(string(data), "\n"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

// Derive returns a key for one purpose, so that a cookie signed for one
// use can never be accepted for another.
func Derive(key []byte, purpose string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

func create(path string) ([][]byte, error) {
	key := make([]byte, 32)
	rand.Read(key)
	line := hex.EncodeToString(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process created the file first; use its keys.
		return Load("", filepath.Dir(path))
	}
	if err != nil {
		return nil, fmt.Errorf("create cookie key file: %w", err)
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write cookie key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write cookie key file: %w", err)
	}
	return [][]byte{[]byte(line)}, nil
}

func parse(items []string) ([][]byte, error) {
	var keys [][]byte
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if len(item) < MinKeyLength {
			return nil, fmt.Errorf("a key is %d bytes long; each key must be at least %d bytes (generate one with: openssl rand -hex 32)", len(item), MinKeyLength)
		}
		keys = append(keys, bytes.Clone([]byte(item)))
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys found; give at least one key of 32 or more bytes")
	}
	return keys, nil
}
