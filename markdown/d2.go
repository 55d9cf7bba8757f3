package markdown

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"oss.terrastruct.com/d2/d2graph"
	"oss.terrastruct.com/d2/d2layouts/d2dagrelayout"
	"oss.terrastruct.com/d2/d2lib"
	"oss.terrastruct.com/d2/d2parser"
	"oss.terrastruct.com/d2/d2renderers/d2svg"
	d2log "oss.terrastruct.com/d2/lib/log"
	"oss.terrastruct.com/d2/lib/textmeasure"
)

// Limits on one diagram. A sequence diagram of a login flow is well under
// 2 KiB of source and lays out in milliseconds. The limits stop a mistaken
// or hostile block from holding up a page or a check.
const (
	maxDiagramSource = 16 << 10
	diagramTimeout   = 5 * time.Second
	diagramCacheSize = 128 // entries; one rendered SVG is about 20 KB
)

// diagrams is the cache that every converter shares: lessons and quizzes
// are parsed again on each reload in development, and most diagrams do
// not change between two reloads.
var diagrams = newDiagramCache(diagramCacheSize)

// diagramResult is the outcome of compiling one source.
type diagramResult struct {
	svg string
	err error
}

// diagramCache maps the SHA-256 of a d2 source to its SVG or error. When
// it is full, the entry added first is dropped.
type diagramCache struct {
	max     int
	timeout time.Duration

	mu      sync.Mutex
	entries map[[sha256.Size]byte]diagramResult
	order   [][sha256.Size]byte // keys, oldest first
	hits    int
	misses  int

	// compile is d2 in production and a stand-in in the timeout test.
	compile func(ctx context.Context, source string) (string, error)
}

func newDiagramCache(size int) *diagramCache {
	return &diagramCache{
		max:     size,
		timeout: diagramTimeout,
		entries: make(map[[sha256.Size]byte]diagramResult),
		compile: compileD2,
	}
}

// render returns the SVG for a d2 source, from the cache when it has one.
// A source that times out is not cached, because a later try on a less
// busy machine may succeed.
func (c *diagramCache) render(source string) (string, error) {
	if len(source) > maxDiagramSource {
		return "", fmt.Errorf("the diagram source is %d bytes, over the limit of %d; split it into smaller diagrams", len(source), maxDiagramSource)
	}
	key := sha256.Sum256([]byte(source))

	c.mu.Lock()
	if result, ok := c.entries[key]; ok {
		c.hits++
		c.mu.Unlock()
		return result.svg, result.err
	}
	c.misses++
	c.mu.Unlock()

	svg, err := c.compileWithTimeout(source)
	if errors.Is(err, context.DeadlineExceeded) {
		return "", fmt.Errorf("the diagram took longer than %v to lay out; make it smaller", c.timeout)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok {
		if len(c.order) >= c.max {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		c.entries[key] = diagramResult{svg: svg, err: err}
		c.order = append(c.order, key)
	}
	return svg, err
}

// compileWithTimeout runs compile with a deadline of c.timeout.
//
// NOTE: d2 checks its context only between steps, so a layout that runs
// past the deadline goes on in its goroutine until it ends. The caller
// gets the timeout error at once.
func (c *diagramCache) compileWithTimeout(source string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()

	done := make(chan diagramResult, 1)
	go func() {
		// A panic in d2 on an author's source must not stop the server,
		// which parses lessons while it runs.
		defer func() {
			if p := recover(); p != nil {
				done <- diagramResult{err: fmt.Errorf("d2 failed on this diagram (%v); simplify it, or report the source to the d2 project", p)}
			}
		}()
		svg, err := c.compile(ctx, source)
		done <- diagramResult{svg, err}
	}()
	select {
	case result := <-done:
		return result.svg, result.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// stats returns the number of cache hits and misses so far.
func (c *diagramCache) stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// diagramError is a d2 error with the byte offset in the d2 source where
// its first problem starts, or -1 when d2 gave none.
type diagramError struct {
	message string
	offset  int
}

func (e *diagramError) Error() string { return e.message }

// d2Position matches the "line:column: " that d2 puts before each message.
var d2Position = regexp.MustCompile(`^\d+:\d+: `)

// d2Ruler measures label text for the layout. It is built once, because
// parsing d2's embedded fonts takes longer than laying out a small diagram.
var d2Ruler = sync.OnceValues(textmeasure.NewRuler)

// compileD2 compiles and lays out a d2 source and returns the SVG ready to
// embed in a page.
//
// Imports read from an empty file system, so a diagram cannot pull a file
// of the server into the page.
func compileD2(ctx context.Context, source string) (string, error) {
	ruler, err := d2Ruler()
	if err != nil {
		return "", fmt.Errorf("load the d2 fonts: %w", err)
	}
	ctx = withD2Logger(ctx)

	layout := func(engine string) (d2graph.LayoutGraph, error) {
		return d2dagrelayout.DefaultLayout, nil
	}
	pad := int64(8)
	noXMLTag := true
	omitVersion := true
	renderOpts := &d2svg.RenderOpts{Pad: &pad, NoXMLTag: &noXMLTag, OmitVersion: &omitVersion}
	diagram, _, err := d2lib.Compile(ctx, source, &d2lib.CompileOptions{
		FS:             fstest.MapFS{},
		Ruler:          ruler,
		LayoutResolver: layout,
	}, renderOpts)
	if err != nil {
		return "", d2CompileError(err)
	}

	// NOTE: d2svg.Render subsets and embeds d2's fonts, which cleanSVG then
	// drops with the <style> element. In BenchmarkDiagram that work makes
	// 98% of the bytes a first render allocates (about 69 MB), and d2
	// v0.7.2 has no option to skip it; the cache keeps it to one render
	// per source.
	svg, err := d2svg.Render(diagram, renderOpts)
	if err != nil {
		return "", fmt.Errorf("render the diagram to SVG: %w", err)
	}
	return cleanSVG(string(svg))
}

// d2CompileError turns a d2 parse or compile error into a diagramError
// with the position of its first problem, and messages without d2's own
// line numbers, which count from the top of the block, not of the file.
func d2CompileError(err error) error {
	var parseErr *d2parser.ParseError
	if !errors.As(err, &parseErr) || len(parseErr.Errors) == 0 {
		return &diagramError{message: err.Error(), offset: -1}
	}

	messages := make([]string, len(parseErr.Errors))
	for i, e := range parseErr.Errors {
		messages[i] = d2Position.ReplaceAllString(e.Message, "")
	}
	first := parseErr.Errors[0].Range.Start
	offset := -1
	if first.Byte >= 0 {
		offset = first.Byte
	}
	return &diagramError{message: strings.Join(messages, "; "), offset: offset}
}

// withD2Logger gives d2 the default logger without its debug and info
// lines, which d2 writes for every diagram. Without a logger in the
// context, d2 logs a warning with a stack trace to standard error.
func withD2Logger(ctx context.Context) context.Context {
	warnings := slog.New(d2log.NewLevelHandler(slog.LevelWarn, slog.Default().Handler()))
	return d2log.With(ctx, warnings.With("component", "d2"))
}
