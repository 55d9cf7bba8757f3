// Package clientinfo records, once per request, whether the client reached
// the site over TLS and from which address. Behind a reverse proxy that
// terminates TLS, the connection itself shows neither, so the answer comes
// from the proxy's X-Forwarded-Proto and X-Forwarded-For headers, but only
// when the operator says a proxy is there.
package clientinfo

import (
	"context"
	"net"
	"net/http"
	"strings"
)

// Info describes the client of one request.
type Info struct {
	// Secure is true when the client used HTTPS, so cookies get the
	// Secure attribute and the __Host- prefix.
	Secure bool
	// Addr is the client's IP address, logged on warnings and the base of
	// per-client rate limits.
	Addr string
}

type contextKey struct{}

// FromRequest returns the Info that Middleware stored. Without the
// middleware it reads the connection itself, trusting no header.
func FromRequest(r *http.Request) Info {
	if info, ok := r.Context().Value(contextKey{}).(Info); ok {
		return info
	}
	return fromConnection(r)
}

// Middleware stores the Info of each request in its context. With
// behindProxy set it trusts X-Forwarded-Proto for the scheme and takes the
// address from the last X-Forwarded-For hop, the one the proxy itself
// appended. Earlier hops are written by the client and prove nothing.
// Without it both headers are ignored, because any client can send them.
func Middleware(behindProxy bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			info := Resolve(r, behindProxy)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contextKey{}, info)))
		})
	}
}

// Resolve returns the Info of r as Middleware would store it, for a
// handler that writes a response before the middleware runs.
func Resolve(r *http.Request, behindProxy bool) Info {
	info := fromConnection(r)
	if behindProxy {
		info = fromProxy(r, info)
	}
	return info
}

func fromConnection(r *http.Request) Info {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return Info{Secure: r.TLS != nil, Addr: host}
}

func fromProxy(r *http.Request, info Info) Info {
	if proto := r.Header.Get("X-Forwarded-Proto"); proto != "" {
		info.Secure = strings.EqualFold(strings.TrimSpace(proto), "https")
	}

	// Several X-Forwarded-For headers count as one comma-separated list.
	values := r.Header.Values("X-Forwarded-For")
	if len(values) == 0 {
		return info
	}
	hops := strings.Split(values[len(values)-1], ",")
	last := strings.TrimSpace(hops[len(hops)-1])
	if ip := net.ParseIP(last); ip != nil {
		info.Addr = ip.String()
	}
	return info
}

// CookieName returns name with the __Host- prefix on a secure request.
// Browsers accept such a cookie only with Secure, Path=/ and no Domain,
// so no subdomain or plain-HTTP page can set or overwrite it.
func CookieName(r *http.Request, name string) string {
	if FromRequest(r).Secure {
		return "__Host-" + name
	}
	return name
}
