package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// writeSelfSignedCert writes a certificate for 127.0.0.1 and its key as
// PEM files, and returns their paths and a pool that trusts it.
func writeSelfSignedCert(t testing.TB) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "learn test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	certFile = filepath.Join(dir, "cert.pem")
	keyFile = filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := writeSelfSignedCert(t)
	s := startServer(t, []string{"--data", t.TempDir(), "--tls-cert", certFile, "--tls-key", keyFile}, nil)
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("printed address %q, want https", s.url)
	}

	// The playground page sets the learner cookie; reading pages do not.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get(strings.TrimSuffix(s.url, "/") + "/playground")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /playground over TLS = %d, want 200", resp.StatusCode)
	}
	if resp.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS header over TLS")
	}
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "__Host-learn_learner" {
			found = true
			if !c.Secure || !c.HttpOnly || c.Path != "/" || c.Domain != "" {
				t.Errorf("__Host-learn_learner: Secure=%v HttpOnly=%v Path=%q Domain=%q", c.Secure, c.HttpOnly, c.Path, c.Domain)
			}
		}
	}
	if !found {
		t.Errorf("no __Host-learn_learner cookie over TLS; got %v", resp.Cookies())
	}
}

func TestServeTLSBadFiles(t *testing.T) {
	certFile, _, _ := writeSelfSignedCert(t)
	err := run(t.Context(), []string{"--addr", "127.0.0.1:0", "--data", t.TempDir(),
		"--tls-cert", certFile, "--tls-key", filepath.Join(t.TempDir(), "missing.pem")}, envFrom(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "load TLS certificate") {
		t.Errorf("run with a missing key file = %v, want a TLS certificate error", err)
	}

	err = run(t.Context(), []string{"--tls-cert", certFile}, envFrom(nil), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "go together") {
		t.Errorf("run with --tls-cert alone = %v, want an error saying both are needed", err)
	}
}

// TestOversizedTokenReachesPlayground checks, through a real http.Server,
// that the header limit leaves room for the playground's own 8 KB token
// check to answer.
func TestOversizedTokenReachesPlayground(t *testing.T) {
	s := startServer(t, []string{"--data", t.TempDir()}, nil)

	for _, size := range []int{9 << 10, 20 << 10} {
		req, _ := http.NewRequest(http.MethodGet, s.url+"playground/api/jwt/data", nil)
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("a", size))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Reason string }
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || body.Reason != "too_large" {
			t.Errorf("%d-byte token: status %d reason %q, want 401 too_large", size, resp.StatusCode, body.Reason)
		}
	}
}

// wantThirdLimited calls send three times and checks that the third
// response, and only that one, is a 429 with Retry-After.
func wantThirdLimited(t testing.TB, send func() (*http.Response, error)) {
	t.Helper()
	for i := 1; i <= 3; i++ {
		resp, err := send()
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()

		limited := resp.StatusCode == http.StatusTooManyRequests
		if limited != (i == 3) {
			t.Fatalf("request %d of 3 in a minute = %d; want 429 only for the third", i, resp.StatusCode)
		}
		if limited && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
}

func TestLoginRateLimitFlag(t *testing.T) {
	s := startServer(t, []string{"--data", t.TempDir(), "--rate-login", "2"}, nil)
	wantThirdLimited(t, func() (*http.Response, error) {
		return http.Post(s.url+"playground/api/session/login", "application/json", strings.NewReader(`{"username":"ada"}`))
	})
}

func TestSandboxLimitFlags(t *testing.T) {
	s := startServer(t, []string{"--data", t.TempDir()}, map[string]string{"LEARN_RATE_SANDBOXES": "2", "LEARN_MAX_SANDBOXES": "1"})

	// Each request without a cookie comes from a new learner, who gets a
	// new sandbox.
	wantThirdLimited(t, func() (*http.Response, error) {
		return http.Get(s.url + "playground/api/clock")
	})
	if !strings.Contains(s.stderr.String(), "evicted least recently used playground sandboxes") {
		t.Errorf("the second sandbox evicted none with --max-sandboxes 1; log:\n%s", s.stderr.String())
	}
}

// TestLogsContainNoSecrets runs a full session of the site and searches
// everything it logged for the tokens, cookie values and key it used.
func TestLogsContainNoSecrets(t *testing.T) {
	key := strings.Repeat("s3cret-key-", 4)
	s := startServer(t, []string{"--data", t.TempDir(), "--log-format", "json"}, map[string]string{"LEARN_SESSION_KEYS": key})

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path, body string, headers ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.url+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}

	resp := post("playground/api/jwt/login", `{"username":"ada"}`)
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if login.Token == "" {
		t.Fatal("login returned no token")
	}

	req, _ := http.NewRequest(http.MethodGet, s.url+"playground/api/jwt/data", nil)
	req.Header.Set("Authorization", "Bearer "+login.Token)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	post("playground/api/session/login", `{"username":"ada"}`).Body.Close()
	if resp, err := client.Get(s.url + "playground/api/session/data"); err == nil {
		resp.Body.Close()
	}
	resp, err := client.PostForm(s.url+"quiz/jwt-vs-sessions/questions/storage-location", url.Values{"choice": {"zz"}})
	if err == nil {
		resp.Body.Close()
	}
	// A request that fails the cross-origin check is logged too.
	post("playground/api/session/logout", "", "Sec-Fetch-Site", "cross-site", "Origin", "https://other.example").Body.Close()

	u, _ := url.Parse(s.url)
	secrets := map[string]string{"signing key": key, "JWT": login.Token}
	for _, c := range jar.Cookies(u) {
		secrets["cookie "+c.Name] = c.Value
	}
	if len(secrets) < 4 {
		t.Fatalf("expected the learner and session cookies, got %v", jar.Cookies(u))
	}

	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	logs := s.stderr.String()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatalf("no request lines captured; logs:\n%s", logs)
	}
	for name, value := range secrets {
		// A prefix long enough to be unique is as bad as the whole value.
		if strings.Contains(logs, value[:min(len(value), 16)]) {
			t.Errorf("the logs contain the %s", name)
		}
	}
}

func TestInstructorPasswordFromEnvironment(t *testing.T) {
	const password = "instructor-password-from-env"
	s := startServer(t, []string{"--data", t.TempDir(), "--log-format", "json"},
		map[string]string{instructorPasswordEnv: password})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}

	resp, err := client.PostForm(s.url+"instructor/login", url.Values{"password": {"wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: status = %d, want 401", resp.StatusCode)
	}

	resp, err = client.PostForm(s.url+"instructor/login", url.Values{"password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Instructor dashboard") {
		t.Errorf("right password: status = %d, want 200 with the dashboard", resp.StatusCode)
	}

	resp, err = client.PostForm(s.url+"progress/code", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	code := regexp.MustCompile(`[A-Z2-7]{4}(?:-[A-Z2-7]{4}){7}`).FindString(string(body))
	if code == "" {
		t.Fatal("the progress page shows no recovery code")
	}

	u, _ := url.Parse(s.url)
	secrets := map[string]string{"instructor password": password, "recovery code": code}
	for _, c := range jar.Cookies(u) {
		secrets["cookie "+c.Name] = c.Value
	}
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	logs := s.stderr.String()
	if !strings.Contains(logs, `"instructor_access":true`) {
		t.Error("the start line does not say that instructor access is on")
	}
	for name, value := range secrets {
		if strings.Contains(logs, value[:min(len(value), 16)]) {
			t.Errorf("the logs contain the %s", name)
		}
	}
}

func TestInstructorPasswordTooLong(t *testing.T) {
	env := map[string]string{instructorPasswordEnv: strings.Repeat("p", 73)}
	err := run(t.Context(), []string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, envFrom(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), instructorPasswordEnv) {
		t.Errorf("run with a 73-byte password: error = %v, want one naming %s", err, instructorPasswordEnv)
	}
}
