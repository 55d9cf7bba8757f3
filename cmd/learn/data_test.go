package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"learn/content"
	"learn/quiz"
	"learn/storage/sqlite"
)

func TestBackupWhileServing(t *testing.T) {
	dataDir := t.TempDir()
	s := startServer(t, []string{"--data", dataDir}, nil)

	// One learner answers a question, so the database holds an attempt.
	quizzes, err := quiz.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	practice, ok := quiz.Find(quizzes, "jwt-vs-sessions")
	if !ok {
		t.Fatal("quiz jwt-vs-sessions not found")
	}
	first := practice.Questions[0]
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.PostForm(s.url+"quiz/"+practice.ID+"/questions/"+first.ID, url.Values{"choice": {first.Options[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("answer = %d, want 200 after the redirect", resp.StatusCode)
	}
	u, _ := url.Parse(s.url)
	var learnerID string
	for _, c := range jar.Cookies(u) {
		if c.Name == "learn_learner" {
			learnerID = c.Value
		}
	}
	if learnerID == "" {
		t.Fatal("no learner cookie")
	}

	target := filepath.Join(t.TempDir(), "copy.db")
	var stdout strings.Builder
	if err := run(context.Background(), []string{"backup", "--data", dataDir, target}, envFrom(nil), &stdout, io.Discard); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(stdout.String(), target) {
		t.Errorf("backup output %q does not name the file", stdout.String())
	}

	// The copy opens on its own and holds the attempt.
	copyDB, err := sqlite.Open(context.Background(), target)
	if err != nil {
		t.Fatalf("open the copy: %v", err)
	}
	defer copyDB.Close()
	if err := copyDB.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	count, err := copyDB.CountAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if count != 1 {
		t.Errorf("the copy holds %d attempts, want 1", count)
	}

	err = run(context.Background(), []string{"backup", "--data", dataDir, target}, envFrom(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup to the same file = %v, want an already-exists error", err)
	}
}

func TestBackupBadArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
		code int
	}{
		{"no file", []string{"backup", "--data", t.TempDir()}, "one argument", 2},
		{"no database", []string{"backup", "--data", t.TempDir(), filepath.Join(t.TempDir(), "x.db")}, "no database", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, envFrom(nil), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run = %v, want an error containing %q", err, tt.want)
			}
			if code := exitCode(err); code != tt.code {
				t.Errorf("exit code = %d, want %d", code, tt.code)
			}
		})
	}
}

func TestDataFolderNotWritable(t *testing.T) {
	// A regular file where a folder should be is unwritable even for root,
	// which ignores permission bits.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(file, "data")

	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--data", dataDir}, envFrom(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), dataDir) || !strings.Contains(err.Error(), "--data") {
		t.Fatalf("run = %v, want an error naming %s and --data", err, dataDir)
	}
	if code := exitCode(err); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
}
