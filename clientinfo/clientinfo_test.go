package clientinfo_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"learn/clientinfo"
)

func TestMiddleware(t *testing.T) {
	tests := []struct {
		name        string
		behindProxy bool
		tls         bool
		headers     map[string][]string
		wantSecure  bool
		wantAddr    string
	}{
		{"plain connection", false, false, nil, false, "192.0.2.1"},
		{"tls connection", false, true, nil, true, "192.0.2.1"},
		{"headers ignored without proxy", false, false, map[string][]string{
			"X-Forwarded-Proto": {"https"}, "X-Forwarded-For": {"203.0.113.9"}}, false, "192.0.2.1"},
		{"proxy says https", true, false, map[string][]string{"X-Forwarded-Proto": {"https"}}, true, "192.0.2.1"},
		{"proxy says http", true, true, map[string][]string{"X-Forwarded-Proto": {"http"}}, false, "192.0.2.1"},
		{"last hop wins", true, false, map[string][]string{"X-Forwarded-For": {"198.51.100.7, 203.0.113.9"}}, false, "203.0.113.9"},
		{"last header wins", true, false, map[string][]string{"X-Forwarded-For": {"198.51.100.7", "203.0.113.9"}}, false, "203.0.113.9"},
		{"garbage hop ignored", true, false, map[string][]string{"X-Forwarded-For": {"not-an-ip"}}, false, "192.0.2.1"},
		{"ipv6 hop", true, false, map[string][]string{"X-Forwarded-For": {"2001:db8::1"}}, false, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got clientinfo.Info
			handler := clientinfo.Middleware(tt.behindProxy)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = clientinfo.FromRequest(r)
			}))
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = "192.0.2.1:5555"
			if tt.tls {
				req.TLS = &tls.ConnectionState{}
			}
			for name, values := range tt.headers {
				for _, v := range values {
					req.Header.Add(name, v)
				}
			}
			handler.ServeHTTP(httptest.NewRecorder(), req)

			if got.Secure != tt.wantSecure {
				t.Errorf("Secure = %v, want %v", got.Secure, tt.wantSecure)
			}
			if got.Addr != tt.wantAddr {
				t.Errorf("Addr = %q, want %q", got.Addr, tt.wantAddr)
			}
		})
	}
}

func TestCookieName(t *testing.T) {
	plain := httptest.NewRequest(http.MethodGet, "/", nil)
	if got := clientinfo.CookieName(plain, "pg_session"); got != "pg_session" {
		t.Errorf("plain request cookie name = %q, want pg_session", got)
	}
	secure := httptest.NewRequest(http.MethodGet, "/", nil)
	secure.TLS = &tls.ConnectionState{}
	if got := clientinfo.CookieName(secure, "pg_session"); got != "__Host-pg_session" {
		t.Errorf("TLS request cookie name = %q, want __Host-pg_session", got)
	}
}
