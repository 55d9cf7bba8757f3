package main

import (
	"bufio"
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"learn/content"
	"learn/quiz"
	"learn/storage/sqlite"
)

// startProcess starts the built learn binary and returns its address,
// read from the line it prints.
func startProcess(t testing.TB, binary, dataDir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(binary, "--addr", "127.0.0.1:0", "--data", dataDir, "--rate-api", "1000000")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	address := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if m := address.FindString(scanner.Text()); m != "" {
				found <- m
				return
			}
		}
	}()
	select {
	case addr := <-found:
		return cmd, addr
	case <-time.After(30 * time.Second):
		t.Fatal("the server printed no address within 30 s")
		return nil, ""
	}
}

// TestAnswersSurviveSIGKILL sends up to 1,000 quiz answers, kills the
// server with SIGKILL at a random moment, and checks that every answer
// the server acknowledged is in the database.
func TestAnswersSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server process; run without -short")
	}
	binary := filepath.Join(t.TempDir(), "learn")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}

	quizzes, err := quiz.Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	practice, ok := quiz.Find(quizzes, "jwt-vs-sessions")
	if !ok {
		t.Fatal("quiz jwt-vs-sessions not found")
	}
	question := practice.Questions[0]

	dataDir := t.TempDir()
	server, base := startProcess(t, binary, dataDir)

	const workers, total = 4, 1000
	var acknowledged, sent atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			client := &http.Client{
				Jar:     jar,
				Timeout: 5 * time.Second,
				// A 303 to the quiz page is the server's acknowledgement.
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			for sent.Add(1) <= total {
				choice := question.Options[rand.IntN(len(question.Options))].ID
				resp, err := client.PostForm(base+"quiz/"+practice.ID+"/questions/"+question.ID, url.Values{"choice": {choice}})
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					acknowledged.Add(1)
				}
			}
		}()
	}

	// Kill at a random moment while the answers arrive.
	time.Sleep(time.Duration(100+rand.IntN(400)) * time.Millisecond)
	if err := server.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	server.Wait()
	wg.Wait()

	if acknowledged.Load() == 0 {
		t.Fatal("no answer was acknowledged before the kill; the test proves nothing")
	}

	// The server starts again on the same data.
	_, base = startProcess(t, binary, dataDir)
	resp, err := http.Get(base + "readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz after the restart = %d, want 200", resp.StatusCode)
	}

	db, err := sqlite.Open(context.Background(), filepath.Join(dataDir, databaseFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stored, err := db.CountAttempts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("acknowledged %d answers, stored %d", acknowledged.Load(), stored)
	if int64(stored) < acknowledged.Load() {
		t.Errorf("stored %d answers, fewer than the %d acknowledged", stored, acknowledged.Load())
	}
}
