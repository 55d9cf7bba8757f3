package learner_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"learn/learner"
)

func TestNewRecoveryCodeFormat(t *testing.T) {
	code := learner.NewRecoveryCode()
	if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$`).MatchString(code) {
		t.Errorf("code %q is not eight groups of four base32 characters", code)
	}
	if other := learner.NewRecoveryCode(); other == code {
		t.Error("two codes are equal")
	}
}

func TestHashRecoveryCode(t *testing.T) {
	code := learner.NewRecoveryCode()
	want, err := learner.HashRecoveryCode(code)
	if err != nil {
		t.Fatalf("HashRecoveryCode(%q): %v", code, err)
	}
	if len(want) != 64 || strings.Contains(want, strings.ReplaceAll(code, "-", "")) {
		t.Errorf("hash %q is not a hex SHA-256", want)
	}

	tests := []struct {
		name    string
		typed   string
		wantErr bool
	}{
		{"lowercase", strings.ToLower(code), false},
		{"spaces", strings.ReplaceAll(code, "-", " "), false},
		{"no separators", strings.ReplaceAll(code, "-", ""), false},
		{"surrounding space", "  " + code + "\t", false},
		{"empty", "", true},
		{"one group short", code[:len(code)-5], true},
		{"letter outside base32", "1" + code[1:], true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := learner.HashRecoveryCode(tt.typed)
			if tt.wantErr {
				if !errors.Is(err, learner.ErrInvalidRecoveryCode) {
					t.Errorf("error = %v, want ErrInvalidRecoveryCode", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error = %v", err)
			}
			if got != want {
				t.Errorf("hash = %s, want %s", got, want)
			}
		})
	}
}
