// Package logbuf batches log output, so that a busy server makes one
// write system call for many log lines instead of one for each.
//
// A Writer keeps lines in memory for at most its flush interval. Records
// at warning level and above are written at once by the Handler that
// wraps a slog handler, so the lines that explain a failure are not held
// back. A crash can lose the request lines of the last interval.
package logbuf

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Writer buffers what is written to it and passes it on to the
// underlying writer when the buffer would overflow, when Flush or Close
// is called, and at every flush interval. Its methods are safe for
// concurrent use.
type Writer struct {
	out  io.Writer
	size int

	mu     sync.Mutex
	buf    []byte
	err    error // the first error from out, which later writes return
	closed bool  // after Close, every write goes straight through

	stop chan struct{}
	done chan struct{}
}

// NewWriter returns a Writer that keeps up to size bytes for out and
// flushes them every interval until Close.
func NewWriter(out io.Writer, size int, interval time.Duration) *Writer {
	w := &Writer{
		out:  out,
		size: size,
		buf:  make([]byte, 0, size),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go w.flushEvery(interval)
	return w
}

func (w *Writer) flushEvery(interval time.Duration) {
	defer close(w.done)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			w.Flush()
		case <-w.stop:
			return
		}
	}
}

// Write keeps p for a later write to the underlying writer. A p larger
// than the whole buffer, or any p after Close, is written through at
// once, after what is kept.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	if w.closed || len(w.buf)+len(p) > w.size {
		if err := w.flushLocked(); err != nil {
			return 0, err
		}
	}
	if w.closed || len(p) > w.size {
		n, err := w.out.Write(p)
		if err != nil {
			w.err = err
		}
		return n, err
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// Flush writes what is kept to the underlying writer.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	if w.err != nil || len(w.buf) == 0 {
		return w.err
	}
	_, err := w.out.Write(w.buf)
	w.buf = w.buf[:0]
	if err != nil {
		w.err = err
	}
	return err
}

// Close stops the periodic flush and writes what is kept. Later writes
// go straight to the underlying writer, so the lines of a shutdown are
// not lost. Close may be called more than once.
func (w *Writer) Close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.stop)
	}
	err := w.flushLocked()
	w.mu.Unlock()

	<-w.done
	return err
}

// Handler is a slog.Handler that passes records to another handler,
// which writes to a Writer, and flushes the Writer after each record at
// or above a level.
type Handler struct {
	handler slog.Handler
	writer  *Writer
	level   slog.Level
}

// NewHandler returns a Handler that flushes w after every record of
// level or above that h handled.
func NewHandler(h slog.Handler, w *Writer, level slog.Level) *Handler {
	return &Handler{handler: h, writer: w, level: level}
}

// Enabled reports whether the wrapped handler handles records of level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.handler.Enabled(ctx, level)
}

// Handle passes r to the wrapped handler, and flushes the Writer when r's
// level is at least the Handler's.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	err := h.handler.Handle(ctx, r)
	if r.Level >= h.level {
		if flushErr := h.writer.Flush(); err == nil {
			err = flushErr
		}
	}
	return err
}

// WithAttrs returns a Handler whose wrapped handler has attrs.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &Handler{handler: h.handler.WithAttrs(attrs), writer: h.writer, level: h.level}
}

// WithGroup returns a Handler whose wrapped handler has the group name.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{handler: h.handler.WithGroup(name), writer: h.writer, level: h.level}
}
