package logbuf_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"learn/logbuf"
)

// sink records what reaches it and how many writes brought it.
type sink struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	err    error
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	s.writes++
	return s.buf.Write(p)
}

func (s *sink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// never is a flush interval that no test waits for.
const never = time.Hour

func TestWriterHoldsLinesUntilFlush(t *testing.T) {
	out := &sink{}
	w := logbuf.NewWriter(out, 1024, never)
	defer w.Close()

	for i := range 3 {
		fmt.Fprintf(w, "line %d\n", i)
	}
	if got := out.String(); got != "" {
		t.Fatalf("before Flush the writer passed on %q", got)
	}
	if err := w.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got, want := out.String(), "line 0\nline 1\nline 2\n"; got != want {
		t.Errorf("after Flush: %q, want %q", got, want)
	}
	if out.count() != 1 {
		t.Errorf("three lines took %d writes, want 1", out.count())
	}
}

func TestWriterFlushesEveryInterval(t *testing.T) {
	out := &sink{}
	w := logbuf.NewWriter(out, 1024, 10*time.Millisecond)
	defer w.Close()

	fmt.Fprintln(w, "waiting")
	deadline := time.Now().Add(5 * time.Second)
	for out.String() == "" {
		if time.Now().After(deadline) {
			t.Fatal("the line was not written within 5 s with a 10 ms interval")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestWriterFlushesWhenFull(t *testing.T) {
	out := &sink{}
	w := logbuf.NewWriter(out, 16, never)
	defer w.Close()

	w.Write([]byte("0123456789\n"))
	w.Write([]byte("abcdefghij\n"))
	if got, want := out.String(), "0123456789\n"; got != want {
		t.Errorf("a second line that does not fit: the writer passed on %q, want the first line, %q", got, want)
	}

	// A line larger than the whole buffer goes through at once, after
	// the kept one.
	long := strings.Repeat("x", 40) + "\n"
	w.Write([]byte(long))
	if got, want := out.String(), "0123456789\nabcdefghij\n"+long; got != want {
		t.Errorf("after a long line: %q, want %q", got, want)
	}
}

func TestWriterCloseFlushesAndWritesThrough(t *testing.T) {
	out := &sink{}
	w := logbuf.NewWriter(out, 1024, never)
	fmt.Fprintln(w, "before close")
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := out.String(); got != "before close\n" {
		t.Errorf("after Close: %q, want the kept line", got)
	}

	fmt.Fprintln(w, "after close")
	if got := out.String(); got != "before close\nafter close\n" {
		t.Errorf("a line written after Close was held back: %q", got)
	}
	if err := w.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

func TestWriterReportsWriteErrors(t *testing.T) {
	broken := errors.New("disk full")
	out := &sink{err: broken}
	w := logbuf.NewWriter(out, 1024, never)
	defer w.Close()

	fmt.Fprintln(w, "lost")
	if err := w.Flush(); !errors.Is(err, broken) {
		t.Errorf("Flush = %v, want %v", err, broken)
	}
	if _, err := w.Write([]byte("later\n")); !errors.Is(err, broken) {
		t.Errorf("a write after the failure = %v, want %v", err, broken)
	}
}

func TestWriterKeepsConcurrentLinesWhole(t *testing.T) {
	out := &sink{}
	w := logbuf.NewWriter(out, 256, time.Millisecond)

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				fmt.Fprintf(w, "goroutine %d line %d\n", g, i)
			}
		})
	}
	wg.Wait()
	w.Close()

	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*200 {
		t.Fatalf("got %d lines, want %d", len(lines), 8*200)
	}
	for _, line := range lines {
		var g, i int
		if _, err := fmt.Sscanf(line, "goroutine %d line %d", &g, &i); err != nil {
			t.Fatalf("broken line %q: %v", line, err)
		}
	}
}

func TestHandlerFlushesWarningsAtOnce(t *testing.T) {
	out := &sink{}
	w := logbuf.NewWriter(out, 1024, never)
	defer w.Close()
	logger := slog.New(logbuf.NewHandler(slog.NewTextHandler(w, nil), w, slog.LevelWarn))

	logger.Info("request")
	if got := out.String(); got != "" {
		t.Fatalf("an info line was written at once: %q", got)
	}

	logger.With("component", "store").WithGroup("db").Warn("slow query", "ms", 900)
	got := out.String()
	if !strings.Contains(got, "msg=request") || !strings.Contains(got, "msg=\"slow query\" component=store db.ms=900") {
		t.Errorf("after a warning, the log holds %q; want the info line, then the warning with its attributes", got)
	}
	if strings.Index(got, "msg=request") > strings.Index(got, "slow query") {
		t.Errorf("the lines are out of order: %q", got)
	}
}
