package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"learn/clientinfo"
)

// contentSecurityPolicy allows scripts, styles and images from this origin
// only, so no inline script runs even if one reached a page.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if clientinfo.FromRequest(r).Secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// rejectCrossOrigin answers 403 to state-changing requests that a browser
// sent from another origin, which is how cross-site request forgery
// arrives. Requests from scripts and curl carry no Sec-Fetch-Site or Origin
// header and pass.
func (s *Server) rejectCrossOrigin(next http.Handler) http.Handler {
	protection := http.NewCrossOriginProtection()
	protection.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.logger.Warn("cross-origin request rejected", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusForbidden, "Cross-origin request rejected",
			"This form or API call came from another site. Submit it from a page of this site instead.")
	}))
	return protection.Handler(next)
}

// logRequests writes one log line per request. It never logs headers,
// because they carry tokens and cookies.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)

		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		s.logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", status,
			"duration", time.Since(start), "bytes", ww.BytesWritten(),
			"request_id", middleware.GetReqID(r.Context()))
	})
}

// recoverPanics turns a panic in a handler into a logged error and a plain
// 500, so one bad request cannot stop the server.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger.Error("handler panicked", "panic", fmt.Sprint(v), "method", r.Method,
				"path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
			s.fail(w, r, http.StatusInternalServerError, "Something went wrong",
				"The server failed to answer this request. Try again; if it keeps failing, report it.")
		}()
		next.ServeHTTP(w, r)
	})
}
