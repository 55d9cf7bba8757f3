// Command load drives a learn server, started in this process on
// loopback, with lesson pages, quiz answers and playground token checks
// from many connections at once. It reports the requests by status class
// and the Go heap before and after the run, each measured after a full
// garbage collection.
//
//	go run ./bench/load -duration 60s -conns 256
//
// All traffic goes to 127.0.0.1, and the run stops after -duration.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"learn/content"
	"learn/library"
	"learn/playground"
	"learn/quiz"
	"learn/storage/sqlite"
	"learn/web"
)

func main() {
	duration := flag.Duration("duration", 60*time.Second, "how long to send requests")
	conns := flag.Int("conns", 256, "concurrent connections, each its own learner")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this `file`")
	memProfile := flag.String("memprofile", "", "write a heap profile at the end of the run to this `file`")
	flag.Parse()
	if *memProfile != "" {
		// Record every allocation, so small retained objects show.
		runtime.MemProfileRate = 1
	}
	if *conns < 1 || *duration <= 0 {
		log.Fatal("load: -conns must be at least 1 and -duration positive")
	}

	base, stop, err := startServer()
	if err != nil {
		log.Fatalf("load: %v", err)
	}
	defer stop()

	answerPath, choice, err := firstQuestion()
	if err != nil {
		log.Fatalf("load: %v", err)
	}

	// Warm up at full concurrency, so that state built once (templates,
	// the runtime's pool of goroutines, connection buffers) is in the
	// baseline, and only growth with the number of requests shows.
	clients := make([]*client, *conns)
	for i := range clients {
		clients[i] = newClient(base)
	}
	warmUp := min(*duration/10, 5*time.Second)
	drive(clients, warmUp, answerPath, choice, &counts{})
	closeIdle(clients)
	before := heapAfterGC()

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatalf("load: %v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatalf("load: %v", err)
		}
		defer pprof.StopCPUProfile()
	}

	var c counts
	start := time.Now()
	drive(clients, *duration, answerPath, choice, &c)
	elapsed := time.Since(start)
	closeIdle(clients)
	after := heapAfterGC()
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			log.Fatalf("load: %v", err)
		}
		pprof.WriteHeapProfile(f)
		f.Close()
	}

	total := c.ok.Load() + c.client.Load() + c.server.Load()
	fmt.Printf("duration       %s\nconnections    %d\nrequests       %d (%.0f per second)\n",
		elapsed.Round(time.Millisecond), *conns, total, float64(total)/elapsed.Seconds())
	fmt.Printf("2xx/3xx        %d\n4xx            %d\n5xx            %d\ntransport errors %d\n",
		c.ok.Load(), c.client.Load(), c.server.Load(), c.errors.Load())
	fmt.Printf("heap before    %.1f MiB\nheap after     %.1f MiB (%+.1f %%)\n",
		mib(before), mib(after), 100*(float64(after)-float64(before))/float64(before))
	if c.server.Load() > 0 {
		os.Exit(1)
	}
}

// drive sends rounds of requests from every client until d has passed.
func drive(clients []*client, d time.Duration, answerPath, choice string, c *counts) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	for _, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := cl.round(answerPath, choice, c); err != nil && ctx.Err() == nil {
					c.errors.Add(1)
				}
			}
		}()
	}
	wg.Wait()
}

// closeIdle closes the clients' idle connections, as clients that leave
// would, and gives the server a moment to drop its side, so that open
// connection buffers are not counted as retained heap.
func closeIdle(clients []*client) {
	for _, cl := range clients {
		cl.http.CloseIdleConnections()
	}
	time.Sleep(time.Second)
}

// counts tallies responses by status class across goroutines.
type counts struct {
	ok, client, server, errors atomic.Int64
}

func (c *counts) add(status int) {
	switch {
	case status >= 500:
		c.server.Add(1)
	case status >= 400:
		c.client.Add(1)
	default:
		c.ok.Add(1)
	}
}

// startServer starts learn on a free loopback port with a temporary data
// folder and rate limits high enough that no request gets 429.
func startServer() (string, func(), error) {
	dir, err := os.MkdirTemp("", "learn-load-")
	if err != nil {
		return "", nil, err
	}
	loaded, err := library.Load(content.FS)
	if err != nil {
		return "", nil, err
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "learn.db"))
	if err != nil {
		return "", nil, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	pg, err := playground.New(playground.Config{Store: db, SessionKey: bytes.Repeat([]byte("s"), 32), Logger: quiet,
		NewSandboxesPerMinute: 1 << 30})
	if err != nil {
		return "", nil, err
	}
	site, err := web.New(web.Config{
		Library:    library.Static(loaded),
		Progress:   db,
		Playground: pg.Routes(),
		CookieKeys: [][]byte{bytes.Repeat([]byte("k"), 32)},
		Logger:     quiet,
		RateLimits: web.RateLimits{Login: 1 << 30, API: 1 << 30, Learner: 1 << 30},
		Ready:      db.Ping,
	})
	if err != nil {
		return "", nil, err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(listener)

	stop := func() {
		srv.Close()
		db.Close()
		os.RemoveAll(dir)
	}
	return "http://" + listener.Addr().String(), stop, nil
}

// firstQuestion returns the form path and a valid choice of the first
// question of the source quiz.
func firstQuestion() (string, string, error) {
	quizzes, err := quiz.Load(content.FS)
	if err != nil {
		return "", "", err
	}
	q, ok := quiz.Find(quizzes, "jwt-vs-sessions")
	if !ok {
		return "", "", fmt.Errorf("quiz jwt-vs-sessions not found")
	}
	question := q.Questions[0]
	return "/quiz/" + q.ID + "/questions/" + question.ID, question.Options[0].ID, nil
}

// client is one learner with a cookie jar and a token.
type client struct {
	base  string
	http  *http.Client
	token string
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{
		base: base,
		http: &http.Client{
			Jar:           jar,
			Timeout:       10 * time.Second,
			Transport:     &http.Transport{MaxIdleConnsPerHost: 1},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// round sends one lesson page, one quiz answer and one token check,
// logging in first when the client has no token.
func (c *client) round(answerPath, choice string, n *counts) (int, error) {
	if c.token == "" {
		resp, err := c.http.Post(c.base+"/playground/api/jwt/login", "application/json", strings.NewReader(`{"username":"load"}`))
		if err != nil {
			return 0, err
		}
		var body struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		n.add(resp.StatusCode)
		c.token = body.Token
	}

	requests := []func() (*http.Response, error){
		func() (*http.Response, error) { return c.http.Get(c.base + "/lessons/verifying-a-jwt") },
		func() (*http.Response, error) {
			return c.http.PostForm(c.base+answerPath, url.Values{"choice": {choice}})
		},
		func() (*http.Response, error) {
			req, _ := http.NewRequest(http.MethodGet, c.base+"/playground/api/jwt/data", nil)
			req.Header.Set("Authorization", "Bearer "+c.token)
			return c.http.Do(req)
		},
	}
	sent := 0
	for _, send := range requests {
		resp, err := send()
		if err != nil {
			return sent, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		n.add(resp.StatusCode)
		sent++
	}
	return sent, nil
}

// heapAfterGC returns the live heap after two collections: objects that
// sync.Pool keeps survive the first one in its victim cache.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
