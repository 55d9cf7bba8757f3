// Command memory starts a learn binary on loopback and reports its Go
// heap and resident memory idle, after a number of page requests, and
// after two rounds of new learners who each used the playground.
//
//	go build -o /tmp/learn ./cmd/learn
//	go run ./bench/memory -learn /tmp/learn
//
// The Go heap is the live heap that the server's runtime reports in its
// GODEBUG=gctrace=1 line for the last garbage collection. With -settle at
// least 2 minutes, the runtime's periodic forced collection runs after
// each phase, so the figure is the heap that stays, not a peak. Resident
// memory is VmRSS from /proc. All traffic goes to 127.0.0.1, and each
// phase sends a fixed number of requests.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	binary := flag.String("learn", "", "path of the learn `binary` to measure (required)")
	requests := flag.Int("requests", 100_000, "page requests in the second phase")
	learners := flag.Int("learners", 10_000, "learners in the third phase, each logging in with a JWT and a session")
	conns := flag.Int("conns", 32, "concurrent clients")
	settle := flag.Duration("settle", 125*time.Second, "wait after each phase; at least 2m lets the runtime's forced collection run")
	flag.Parse()
	if *binary == "" || *requests < 1 || *learners < 1 || *conns < 1 {
		flag.Usage()
		os.Exit(2)
	}

	server, err := startLearn(*binary)
	if err != nil {
		log.Fatalf("memory: %v", err)
	}
	defer server.stop()

	fmt.Printf("%-34s %12s %12s %14s\n", "phase", "Go heap MiB", "RSS MiB", "peak RSS MiB")
	report := func(phase string) {
		time.Sleep(*settle)
		rss, peak := server.residentMemory()
		fmt.Printf("%-34s %12.1f %12.1f %14.1f\n", phase, server.liveHeapMiB(), rss, peak)
	}

	report("idle after start")

	pages := []string{"/", "/lessons/verifying-a-jwt", "/lessons/signing-a-jwt", "/lessons/choosing-in-practice", "/search?q=token"}
	var failed atomic.Int64
	runPool(*conns, *requests, func(i int, c *http.Client) {
		if !get(c, server.base+pages[i%len(pages)], "") {
			failed.Add(1)
		}
	})
	report(fmt.Sprintf("after %d page requests", *requests))

	// A second round of as many new learners shows whether the heap grows
	// with the number of learners or stays bounded.
	for round := 1; round <= 2; round++ {
		runPool(*conns, *learners, func(int, *http.Client) {
			if !usePlayground(server.base) {
				failed.Add(1)
			}
		})
		report(fmt.Sprintf("after %d playground learners", round**learners))
	}

	if n := failed.Load(); n > 0 {
		log.Fatalf("memory: %d requests or learners failed; see the server log above", n)
	}
}

// runPool calls work n times from conns goroutines, each with its own
// keep-alive client.
func runPool(conns, n int, work func(int, *http.Client)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 30 * time.Second}
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				work(i, client)
			}
		}()
	}
	wg.Wait()
}

// get fetches url with an optional bearer token and reports a 2xx.
func get(c *http.Client, url, token string) bool {
	request, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		request.Header.Set("Authorization", "Bearer "+token)
	}
	response, err := c.Do(request)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, response.Body)
	response.Body.Close()
	return response.StatusCode < 300
}

// usePlayground acts as one new learner: a JWT login and a call with the
// token, then a session login and a call with the session cookie.
func usePlayground(base string) bool {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	api := base + "/playground/api"

	response, err := c.Post(api+"/jwt/login", "application/json", strings.NewReader(`{"username":"ada"}`))
	if err != nil {
		return false
	}
	var login struct{ Token string }
	json.NewDecoder(response.Body).Decode(&login)
	response.Body.Close()
	if response.StatusCode != http.StatusOK || !get(c, api+"/jwt/data", login.Token) {
		return false
	}

	response, err = c.Post(api+"/session/login", "application/json", strings.NewReader(`{"username":"ada"}`))
	if err != nil {
		return false
	}
	io.Copy(io.Discard, response.Body)
	response.Body.Close()
	ok := response.StatusCode == http.StatusOK && get(c, api+"/session/data", "")
	c.CloseIdleConnections()
	return ok
}

// learnProcess is a running learn server and the last garbage collection
// line of its gctrace output.
type learnProcess struct {
	cmd  *exec.Cmd
	base string
	data string

	mu     sync.Mutex
	lastGC string
}

var (
	servingLine = regexp.MustCompile(`serving the course at (http://\S+?)/? `)
	gcLine      = regexp.MustCompile(`^gc \d+ @.*, \d+->\d+->(\d+) MB`)
)

// startLearn starts binary on a free port of 127.0.0.1 with a temporary
// data folder and rate limits raised out of the way, and waits for its
// address.
func startLearn(binary string) (*learnProcess, error) {
	data, err := os.MkdirTemp("", "learn-memory-")
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(context.Background(), binary, "--addr", "127.0.0.1:0", "--data", data,
		"--rate-login", "1000000000", "--rate-api", "1000000000", "--rate-learner", "1000000000",
		"--rate-sandboxes", "1000000000")
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		os.RemoveAll(data)
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	p := &learnProcess{cmd: cmd, data: data}

	// The gctrace lines come on standard error among the request log,
	// which is dropped except for errors.
	go func() {
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			line := scanner.Text()
			switch {
			case gcLine.MatchString(line):
				p.mu.Lock()
				p.lastGC = line
				p.mu.Unlock()
			case strings.Contains(line, "level=ERROR"):
				fmt.Fprintln(os.Stderr, line)
			}
		}
	}()

	address := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if m := servingLine.FindStringSubmatch(scanner.Text() + " "); m != nil {
				address <- m[1]
			}
		}
	}()
	select {
	case p.base = <-address:
		return p, nil
	case <-time.After(30 * time.Second):
		p.stop()
		return nil, fmt.Errorf("%s printed no address within 30 s", binary)
	}
}

func (p *learnProcess) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
	os.RemoveAll(p.data)
}

// liveHeapMiB returns the heap marked live by the last garbage
// collection, in MiB as gctrace rounds it (whole MB of 2^20 bytes).
func (p *learnProcess) liveHeapMiB() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := gcLine.FindStringSubmatch(p.lastGC)
	if m == nil {
		return -1
	}
	live, _ := strconv.ParseFloat(m[1], 64)
	return live
}

// residentMemory returns VmRSS and VmHWM of the process in MiB.
func (p *learnProcess) residentMemory() (rss, peak float64) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return -1, -1
	}
	for line := range strings.Lines(string(status)) {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		kib, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kib / 1024
		case "VmHWM:":
			peak = kib / 1024
		}
	}
	return rss, peak
}
