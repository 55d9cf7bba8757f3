package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCommand runs learn with args and returns its output and exit status.
func runCommand(tb testing.TB, env map[string]string, args ...string) (stdout, stderr string, status int) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, envFrom(env), &out, &errOut)
	return out.String(), errOut.String(), exitCode(err)
}

func TestCheckEmbeddedCourseIsClean(t *testing.T) {
	stdout, _, status := runCommand(t, nil, "check")
	if status != 0 {
		t.Fatalf("learn check exit status = %d, want 0; output:\n%s", status, stdout)
	}
	if !strings.HasPrefix(stdout, "ok: ") || !strings.Contains(stdout, "lessons, ") || !strings.Contains(stdout, " quiz") {
		t.Errorf("learn check output = %q, want the ok summary", stdout)
	}
}

func TestCheckBrokenFolder(t *testing.T) {
	dir := filepath.Join("..", "..", "check", "testdata", "broken")
	stdout, _, status := runCommand(t, nil, "check", dir)

	if status != 1 {
		t.Errorf("exit status = %d, want 1", status)
	}
	for _, want := range []string{
		filepath.Join(dir, "lessons", "bad-keys.md") + ":4:1: invalid front matter: unknown key \"author\"",
		filepath.Join(dir, "lessons", "intro.md") + ":8:59: broken link \"/lessons/nowhere\"",
		"19 problems in 8 files\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	dir := filepath.Join("..", "..", "check", "testdata", "broken-quiz")
	stdout, _, status := runCommand(t, nil, "check", "--format", "json", dir)
	if status != 1 {
		t.Errorf("exit status = %d, want 1", status)
	}

	var problems []struct {
		Path     string `json:"path"`
		Line     int    `json:"line"`
		Col      int    `json:"col"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	}
	if err := json.Unmarshal([]byte(stdout), &problems); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, stdout)
	}
	if len(problems) != 1 {
		t.Fatalf("got %d problems, want 1: %+v", len(problems), problems)
	}
	p := problems[0]
	if p.Path != filepath.Join(dir, "quizzes", "broken.md") || p.Line != 6 || p.Col != 1 || p.Severity != "error" || !strings.Contains(p.Message, "no options list") {
		t.Errorf("problem = %+v", p)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"check", "--strict"}, nil, "flag provided but not defined"},
		{"bad format", []string{"check", "--format", "xml"}, nil, "invalid format"},
		{"bad format from env", []string{"check"}, map[string]string{"LEARN_FORMAT": "yaml"}, "invalid format"},
		{"two folders", []string{"check", "a", "b"}, nil, "unexpected argument"},
		{"missing folder", []string{"check", "no-such-folder"}, nil, "not found"},
		{"unknown command", []string{"launch"}, nil, "unknown command"},
		{"new without kind", []string{"new"}, nil, "learn new lesson"},
		{"new unknown kind", []string{"new", "quiz", "X"}, nil, "learn new lesson"},
		{"new without title", []string{"new", "lesson"}, nil, "missing title"},
		{"new unquoted title", []string{"new", "lesson", "Two", "words"}, nil, "quote a title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, envFrom(tt.env), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
			if got := exitCode(err); got != 2 {
				t.Errorf("exit status = %d, want 2", got)
			}
		})
	}
}

func TestNewLessonPassesCheck(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "lessons"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "lessons", "first.md"), []byte("---\ntitle: First\norder: 2\n---\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, status := runCommand(t, nil, "new", "lesson", "Refresh tokens", "--content", root)
	if status != 0 {
		t.Fatalf("learn new exit status = %d; stderr %q", status, stderr)
	}
	name := filepath.Join(root, "lessons", "refresh-tokens.md")
	if strings.TrimSpace(stdout) != name {
		t.Errorf("learn new printed %q, want %q", stdout, name)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title: Refresh tokens\n", "summary: ", "order: 3\n", "draft: true\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("starter lacks %q:\n%s", want, data)
		}
	}

	checkOut, _, status := runCommand(t, nil, "check", root)
	if status != 0 {
		t.Errorf("learn check on the starter: exit status %d\n%s", status, checkOut)
	}

	_, _, status = runCommand(t, map[string]string{"LEARN_CONTENT": root}, "new", "lesson", "Refresh tokens")
	if status != 1 {
		t.Errorf("learn new over an existing file: exit status %d, want 1", status)
	}
	again, _ := os.ReadFile(name)
	if !bytes.Equal(again, data) {
		t.Error("learn new changed the existing file")
	}
}

func TestDraftsFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want bool
	}{
		{"off by default", nil, nil, false},
		{"flag", []string{"--drafts"}, nil, true},
		{"environment", nil, map[string]string{"LEARN_DRAFTS": "true"}, true},
		{"flag wins", []string{"--drafts=false"}, map[string]string{"LEARN_DRAFTS": "true"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := parseFlags(tt.args, envFrom(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if opts.drafts != tt.want {
				t.Errorf("drafts = %v, want %v", opts.drafts, tt.want)
			}
		})
	}
}

func TestCheckFlagAfterFolder(t *testing.T) {
	stdout, _, status := runCommand(t, nil, "check", "../../content", "--format", "json")
	if status != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("check DIR --format json = %d, %q; want 0 and []", status, stdout)
	}
	_, _, status = runCommand(t, nil, "check", "../../content", "extra")
	if status != 2 {
		t.Errorf("check with two folders = %d, want 2", status)
	}
}
