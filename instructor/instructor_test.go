package instructor_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"learn/instructor"
	"learn/storage/sqlite"
)

const password = "a long instructor password"

// newAuth returns an Auth for password over a fresh database, with a
// clock that the returned pointer sets.
func newAuth(t testing.TB, password string) (*instructor.Auth, *time.Time) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "learn.db"))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	auth, err := instructor.New(instructor.Config{
		Password:   password,
		Store:      db,
		Now:        func() time.Time { return now },
		BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatalf("new auth: %v", err)
	}
	return auth, &now
}

func TestLoginCheckLogout(t *testing.T) {
	auth, _ := newAuth(t, password)
	ctx := context.Background()

	if _, err := auth.Login(ctx, "wrong"); !errors.Is(err, instructor.ErrWrongPassword) {
		t.Errorf("Login with a wrong password: error = %v, want ErrWrongPassword", err)
	}

	id, err := auth.Login(ctx, password)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	other, err := auth.Login(ctx, password)
	if err != nil {
		t.Fatalf("second Login: %v", err)
	}
	if id == other {
		t.Error("two logins got the same session ID")
	}

	if err := auth.Check(ctx, id); err != nil {
		t.Errorf("Check after login: %v", err)
	}
	if err := auth.Logout(ctx, id); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if err := auth.Check(ctx, id); !errors.Is(err, instructor.ErrNoSession) {
		t.Errorf("Check after logout: error = %v, want ErrNoSession", err)
	}
	if err := auth.Check(ctx, other); err != nil {
		t.Errorf("logout ended another session: %v", err)
	}
}

func TestCheckTimeouts(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration // the clock advances by this before each Check
		checks   int
		want     error // of the last Check
	}{
		{"within idle timeout", instructor.IdleTimeout - time.Second, 1, nil},
		{"idle timeout", instructor.IdleTimeout, 1, instructor.ErrNoSession},
		{"active before absolute timeout", 20 * time.Minute, 23, nil},
		{"active at absolute timeout", 20 * time.Minute, 24, instructor.ErrNoSession},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth, now := newAuth(t, password)
			ctx := context.Background()
			id, err := auth.Login(ctx, password)
			if err != nil {
				t.Fatal(err)
			}

			var last error
			for range tt.checks {
				*now = now.Add(tt.interval)
				last = auth.Check(ctx, id)
			}
			if !errors.Is(last, tt.want) {
				t.Errorf("Check after %d × %s = %v, want %v", tt.checks, tt.interval, last, tt.want)
			}
		})
	}
}

func TestDisabled(t *testing.T) {
	auth, err := instructor.New(instructor.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if auth.Enabled() {
		t.Error("an Auth without a password is enabled")
	}
	if _, err := auth.Login(context.Background(), ""); !errors.Is(err, instructor.ErrWrongPassword) {
		t.Errorf("Login on a disabled Auth: error = %v, want ErrWrongPassword", err)
	}
	var none *instructor.Auth
	if none.Enabled() {
		t.Error("a nil Auth is enabled")
	}
}

func TestPasswordTooLong(t *testing.T) {
	long := strings.Repeat("x", 73)
	_, err := instructor.New(instructor.Config{Password: long, Store: &sqlite.DB{}})
	if err == nil || !strings.Contains(err.Error(), "73 bytes") {
		t.Errorf("New with a 73-byte password: error = %v, want one naming the length", err)
	}
	if err != nil && strings.Contains(err.Error(), long) {
		t.Error("the error contains the password")
	}
}
