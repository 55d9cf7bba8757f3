package playground_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestBadInput(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	const jsonType = "application/json"
	long := strings.Repeat("a", 65)
	bigBody := `{"username":"` + strings.Repeat("a", 65*1024) + `"}`

	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantStatus  int
		// wantError is a part of the "error" message.
		wantError string
	}{
		{"invalid JSON", "POST", "/jwt/login", jsonType, `{"username":`, 400, "ends before the JSON object is complete"},
		{"JSON syntax error", "POST", "/jwt/login", jsonType, `{username:"ada"}`, 400, "not valid JSON"},
		{"unknown field", "POST", "/jwt/login", jsonType, `{"username":"ada","admin":true}`, 400, `unknown field "admin"`},
		{"unknown field in session login", "POST", "/session/login", jsonType, `{"username":"ada","expiresIn":60}`, 400, `unknown field "expiresIn"`},
		{"array body", "POST", "/jwt/login", jsonType, `["ada"]`, 400, "must be a JSON object"},
		{"two objects", "POST", "/jwt/login", jsonType, `{"username":"ada"}{"username":"bob"}`, 400, "exactly one JSON object"},
		{"empty body", "POST", "/jwt/login", jsonType, "", 400, "body is empty"},
		{"expiresIn zero", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":0}`, 400, "from 1 to 86400"},
		{"expiresIn negative", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":-5}`, 400, "from 1 to 86400"},
		{"expiresIn above a day", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":86401}`, 400, "from 1 to 86400"},
		{"expiresIn a billion", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":1000000000}`, 400, "from 1 to 86400"},
		{"expiresIn beyond int64", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":1e30}`, 400, "from 1 to 86400"},
		{"expiresIn string", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":"60"}`, 400, "from 1 to 86400"},
		{"expiresIn fraction", "POST", "/jwt/login", jsonType, `{"username":"ada","expiresIn":1.5}`, 400, "from 1 to 86400"},
		{"username missing", "POST", "/jwt/login", jsonType, `{"expiresIn":60}`, 400, "username is missing"},
		{"username null", "POST", "/session/login", jsonType, `{"username":null}`, 400, "username is missing"},
		{"username empty", "POST", "/session/login", jsonType, `{"username":""}`, 400, "username is empty"},
		{"username too long", "POST", "/jwt/login", jsonType, `{"username":"` + long + `"}`, 400, "65 characters long"},
		{"username with space", "POST", "/session/login", jsonType, `{"username":"ada lovelace"}`, 400, "not allowed"},
		{"username with slash", "POST", "/jwt/login", jsonType, `{"username":"ada/admin"}`, 400, "not allowed"},
		{"username not ASCII", "POST", "/jwt/login", jsonType, `{"username":"adà"}`, 400, "not allowed"},
		{"username a number", "POST", "/jwt/login", jsonType, `{"username":7}`, 400, "1 to 64 characters"},
		{"advanceSeconds zero", "POST", "/clock", jsonType, `{"advanceSeconds":0}`, 400, "from 1 to 31536000"},
		{"advanceSeconds negative", "POST", "/clock", jsonType, `{"advanceSeconds":-60}`, 400, "from 1 to 31536000"},
		{"advanceSeconds missing", "POST", "/clock", jsonType, `{}`, 400, "advanceSeconds is missing"},
		{"advanceSeconds fraction", "POST", "/clock", jsonType, `{"advanceSeconds":1.5}`, 400, "from 1 to 31536000"},
		{"advanceSeconds string", "POST", "/clock", jsonType, `{"advanceSeconds":"60"}`, 400, "from 1 to 31536000"},
		{"advanceSeconds above a year", "POST", "/clock", jsonType, `{"advanceSeconds":31536001}`, 400, "from 1 to 31536000"},
		{"body of 65 KB", "POST", "/jwt/login", jsonType, bigBody, 413, "larger than 65536 bytes"},
		{"body of 65 KB to the clock", "POST", "/clock", jsonType, `{"advanceSeconds":1}` + strings.Repeat(" ", 65*1024), 413, "larger than 65536 bytes"},
		{"plain text body", "POST", "/jwt/login", "text/plain", `{"username":"ada"}`, 415, "Content-Type"},
		{"form body", "POST", "/session/login", "application/x-www-form-urlencoded", "username=ada", 415, "Content-Type"},
		{"body without content type", "POST", "/clock", "", `{"advanceSeconds":1}`, 415, "no Content-Type"},
		{"wrong method on login", "GET", "/jwt/login", "", "", 405, "use POST"},
		{"wrong method on data", "DELETE", "/session/data", "", "", 405, "use GET"},
		{"unknown route", "GET", "/jwt/refresh", "", "", 404, "No playground route"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var headers []string
			if tt.contentType != "" {
				headers = []string{"Content-Type", tt.contentType}
			}
			r := c.do(tt.method, tt.path, tt.body, headers...)
			wantStatus(t, r, tt.wantStatus)
			if contentType := r.header.Get("Content-Type"); contentType != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", contentType)
			}
			wantFieldContains(t, r.json(t), "error", tt.wantError)
		})
	}
}

func TestMethodNotAllowedListsMethods(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	tests := []struct {
		name      string
		method    string
		path      string
		wantAllow string
	}{
		{"jwt login", "GET", "/jwt/login", "POST"},
		{"clock", "PUT", "/clock", "GET, POST"},
		{"transcript", "POST", "/transcript", "DELETE, GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(tt.method, tt.path, "")
			wantStatus(t, r, http.StatusMethodNotAllowed)
			if allow := r.header.Get("Allow"); allow != tt.wantAllow {
				t.Errorf("Allow = %q, want %q", allow, tt.wantAllow)
			}
		})
	}
}

func TestValidInputAccepted(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	longest := strings.Repeat("a", 64)

	tests := []struct {
		name string
		path string
		body string
	}{
		{"shortest token", "/jwt/login", `{"username":"ada","expiresIn":1}`},
		{"longest token", "/jwt/login", `{"username":"ada","expiresIn":86400}`},
		{"explicit null expiresIn", "/jwt/login", `{"username":"ada","expiresIn":null}`},
		{"longest username", "/jwt/login", `{"username":"` + longest + `"}`},
		{"username with punctuation", "/session/login", `{"username":"Ada.King_1815-x"}`},
		{"longest advance", "/clock", `{"advanceSeconds":31536000}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.do(http.MethodPost, tt.path, tt.body, "Content-Type", "application/json; charset=utf-8")
			wantStatus(t, r, http.StatusOK)
		})
	}
}
