package secrets

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadCreatesKeyFileOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")

	first, err := Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || len(first[0]) < MinKeyLength {
		t.Fatalf("got %d keys, first %d bytes; want one key of at least %d bytes", len(first), len(first[0]), MinKeyLength)
	}
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", info.Mode().Perm())
	}

	second, err := Load("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first[0], second[0]) {
		t.Error("a second Load generated a new key instead of reading the file")
	}
}

func TestLoadTightensKeyFileMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(strings.Repeat("k", 40)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load("", dir); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v after Load, want 0600", info.Mode().Perm())
	}
}

func TestLoadFromEnvironment(t *testing.T) {
	newest := strings.Repeat("n", 32)
	older := strings.Repeat("o", 40)

	keys, err := Load(newest+", "+older+",", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || string(keys[0]) != newest || string(keys[1]) != older {
		t.Errorf("keys = %q, want newest then older", keys)
	}
}

func TestLoadRejectsBadKeys(t *testing.T) {
	tests := []struct {
		name string
		env  string
		file string
		want string
	}{
		{"short key in env", "short", "", "at least 32 bytes"},
		{"only commas in env", " , ,", "", "no keys found"},
		{"short key in file", "", "tooshort\n", "at least 32 bytes"},
		{"empty file", "", "\n\n", "no keys found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				if err := os.WriteFile(filepath.Join(dir, FileName), []byte(tt.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(tt.env, dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDeriveSeparatesPurposes(t *testing.T) {
	key := bytes.Repeat([]byte("k"), 32)
	a, b := Derive(key, "learner"), Derive(key, "playground session")
	if bytes.Equal(a, b) {
		t.Error("two purposes derived the same key")
	}
	if !bytes.Equal(a, Derive(key, "learner")) {
		t.Error("Derive is not deterministic")
	}
	if len(a) != 32 {
		t.Errorf("derived key is %d bytes, want 32", len(a))
	}
}
