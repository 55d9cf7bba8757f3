package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/go-chi/chi/v5/middleware"
)

// requestIDs makes the ids that tie the log lines of one request
// together: a random prefix for the process, a dash and a counter, such
// as "q3VxTL1b-42". The prefix differs from one run of the server to the next.
type requestIDs struct {
	prefix string
	count  atomic.Uint64
}

func newRequestIDs() *requestIDs {
	var b [6]byte
	rand.Read(b[:])
	return &requestIDs{prefix: base64.RawURLEncoding.EncodeToString(b[:]) + "-"}
}

// next returns a new request id.
func (g *requestIDs) next() string {
	return g.prefix + strconv.FormatUint(g.count.Add(1), 10)
}

// withRequestID gives each request a new id, which GetReqID of chi's
// middleware package returns. An X-Request-Id header that the client
// sent is not used: it would let anyone write what they like into the
// log.
func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), middleware.RequestIDKey, s.requestIDs.next())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
