package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write
// while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func envFrom(m map[string]string) func(string) string {
	return func(key string) string { return m[key] }
}

// server is a running learn started through run, as the command would.
type server struct {
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	stop   func() error // ends the server and returns run's error
}

// startServer runs learn with args on a free loopback port and waits for
// it to print its address.
func startServer(t testing.TB, args []string, env map[string]string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), envFrom(env), s.stdout, s.stderr)
	}()

	var stopped bool
	var result error
	s.stop = func() error {
		if stopped {
			return result
		}
		stopped = true
		cancel()
		select {
		case result = <-done:
		case <-time.After(15 * time.Second):
			result = errors.New("server did not stop within 15 s")
		}
		return result
	}
	t.Cleanup(func() { s.stop() })

	address := regexp.MustCompile(`https?://127\.0\.0\.1:\d+/`)
	deadline := time.Now().Add(20 * time.Second)
	for !address.MatchString(s.stdout.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no address printed; stdout %q, stderr %q", s.stdout.String(), s.stderr.String())
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v; stderr %q", err, s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	s.url = address.FindString(s.stdout.String())
	return s
}

func TestServePrintsAddressAndServes(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	s := startServer(t, []string{"--data", dataDir}, nil)

	resp, err := http.Get(s.url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Course outline") {
		t.Fatalf("GET / = %d, want 200 with the outline", resp.StatusCode)
	}

	for _, name := range []string{"learn.db", "session-keys"} {
		if _, err := os.Stat(filepath.Join(dataDir, name)); err != nil {
			t.Errorf("data folder lacks %s: %v", name, err)
		}
	}
	info, err := os.Stat(filepath.Join(dataDir, "session-keys"))
	if err == nil && info.Mode().Perm() != 0o600 {
		t.Errorf("session-keys mode = %v, want 0600", info.Mode().Perm())
	}

	if err := s.stop(); err != nil {
		t.Fatalf("run after shutdown: %v", err)
	}
}

func TestFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantAddr string
		wantData string
	}{
		{"defaults", nil, nil, "localhost:8080", "./data"},
		{"drafts from env leaves others", nil, map[string]string{"LEARN_DRAFTS": "true"}, "localhost:8080", "./data"},
		{"environment", nil, map[string]string{"LEARN_ADDR": ":9000", "LEARN_DATA": "/tmp/x"}, ":9000", "/tmp/x"},
		{"flag wins", []string{"--addr", ":7000"}, map[string]string{"LEARN_ADDR": ":9000"}, ":7000", "./data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := parseFlags(tt.args, envFrom(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if opts.addr != tt.wantAddr || opts.dataDir != tt.wantData {
				t.Errorf("addr, data = %q, %q; want %q, %q", opts.addr, opts.dataDir, tt.wantAddr, tt.wantData)
			}
		})
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"--help"}, envFrom(nil), io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run --help = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"--addr", "LEARN_ADDR", "--data", "LEARN_DATA", "--log-format", "LEARN_LOG_FORMAT", "LEARN_SESSION_KEYS",
		"--drafts", "LEARN_DRAFTS", "learn check [flags] [DIR]", "--format", "learn new lesson [flags] TITLE", "--content", "LEARN_CONTENT",
		"--tls-cert", "LEARN_TLS_CERT", "--behind-proxy", "LEARN_BEHIND_PROXY", "--rate-login", "--rate-api",
		"--rate-learner", "LEARN_RATE_LEARNER", "--rate-sandboxes", "LEARN_RATE_SANDBOXES", "--max-sandboxes", "LEARN_MAX_SANDBOXES"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestBadCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown command", []string{"launch"}, nil, "unknown command"},
		{"unknown flag", []string{"--port", "1"}, nil, "flag provided but not defined"},
		{"stray argument", []string{"serve", "extra"}, nil, "unexpected argument"},
		{"bad log format", []string{"--log-format", "xml"}, nil, "invalid log format"},
		{"bad log format from env", nil, map[string]string{"LEARN_LOG_FORMAT": "xml"}, "invalid log format"},
		{"zero learner rate", []string{"--rate-learner", "0"}, nil, "invalid rate limit"},
		{"zero sandbox rate from env", nil, map[string]string{"LEARN_RATE_SANDBOXES": "0"}, "invalid rate limit"},
		{"zero max sandboxes", []string{"--max-sandboxes", "0"}, nil, "invalid --max-sandboxes 0"},
		{"max sandboxes not a number", nil, map[string]string{"LEARN_MAX_SANDBOXES": "many"}, "invalid LEARN_MAX_SANDBOXES"},
		{"missing content folder", []string{"--addr", "127.0.0.1:0", "--data", "DATA", "--content", "/nonexistent/course"}, nil, "content folder"},
		{"short session key", []string{"--addr", "127.0.0.1:0", "--data", "DATA"}, map[string]string{"LEARN_SESSION_KEYS": "short"}, "at least 32 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			for i, a := range args {
				if a == "DATA" {
					args[i] = t.TempDir()
				}
			}
			err := run(context.Background(), args, envFrom(tt.env), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}
