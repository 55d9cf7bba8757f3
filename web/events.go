package web

import (
	"fmt"
	"net/http"
	"time"
)

// keepAliveInterval is how often an idle event stream sends a comment, so
// that proxies and browsers do not close it as dead.
const keepAliveInterval = 25 * time.Second

// handleContentEvents streams a "reload" event each time the course
// changes on disk, so open pages can refresh themselves. It exists only
// when the server follows a content folder.
func (s *Server) handleContentEvents(w http.ResponseWriter, r *http.Request) {
	if !s.library.Live() {
		s.handleNotFound(w, r)
		return
	}
	changes, cancel := s.library.Subscribe()
	defer cancel()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	// The server's write timeout would cut a long-lived stream, so each
	// write moves the deadline forward by itself.
	rc := http.NewResponseController(w)
	send := func(format string, args ...any) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(keepAliveInterval + 10*time.Second)); err != nil {
			s.logger.Error("extend event stream deadline", "err", err, "path", r.URL.Path)
			return false
		}
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}

	if !send("retry: 1000\nevent: version\ndata: %d\n\n", s.library.Current().Version) {
		return
	}
	keepAlive := time.NewTicker(keepAliveInterval)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.streams:
			return
		case <-keepAlive.C:
			if !send(": keep-alive\n\n") {
				return
			}
		case <-changes:
			if !send("event: reload\ndata: %d\n\n", s.library.Current().Version) {
				return
			}
		}
	}
}

// CloseStreams ends every open event stream. http.Server.Shutdown waits
// for handlers to return, so call this from its RegisterOnShutdown hook.
func (s *Server) CloseStreams() {
	s.closeStream.Do(func() { close(s.streams) })
}
