package web_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestLessonPageShowsRenderedMarkdown(t *testing.T) {
	v := newSite(t).newVisitor(t)

	tests := []struct {
		name string
		path string
		want []string
	}{
		{"table of contents", "/lessons/verifying-a-jwt", []string{
			`<nav class="toc"`, `<a href="#a-protected-api-route">A protected API route</a>`, `<li class="toc-h2">`,
		}},
		{"anchor links", "/lessons/verifying-a-jwt", []string{
			`<div class="heading"><h2 id="pin-the-algorithm">Pin the algorithm</h2><a class="anchor" href="#pin-the-algorithm" aria-label="Link to the section Pin the algorithm">#</a></div>`,
		}},
		{"callout", "/lessons/verifying-a-jwt", []string{
			`<div class="callout callout-tip" role="note">`, `<p class="callout-title">Tip</p>`,
		}},
		{"highlighted code", "/lessons/verifying-a-jwt", []string{
			`<pre class="chroma" tabindex="0"><code class="language-go"><span class="kn">package</span>`,
			`<pre class="chroma" tabindex="0"><code class="language-js">`,
			`href="` + assetPath(t, "chroma.css") + `"`,
		}},
		{"try-it panel", "/lessons/verifying-a-jwt", []string{
			`<div class="tryit" data-scenario="jwt-expiry">`, `<button type="button" class="tryit-run">Run</button>`,
			`<ol class="tryit-transcript"></ol>`, `<script src="` + assetPath(t, "tryit.js") + `" defer></script>`,
		}},
		{"session try-it panels", "/lessons/sessions-and-next-auth", []string{
			`<div class="tryit" data-scenario="session-logout">`, `<div class="tryit" data-scenario="session-idle">`,
		}},
		{"nested toc entry", "/lessons/sessions-and-next-auth", []string{
			`<li class="toc-h3"><a href="#idle-timeout">Idle timeout</a></li>`,
		}},
		{"highlight stylesheet", assetPath(t, "chroma.css"), []string{".chroma .kd", "@media screen and (prefers-color-scheme: dark)", ":root[data-theme=dark] {"}},
		{"try-it script", assetPath(t, "tryit.js"), []string{"/scenarios/", "expectStatus"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := v.get(tt.path)
			wantStatus(t, r, http.StatusOK)
			for _, want := range tt.want {
				if !strings.Contains(r.body, want) {
					t.Errorf("%s does not contain %q", tt.path, want)
				}
			}
			if strings.Contains(r.body, "tryit-error") {
				t.Errorf("%s shows a try-it error box", tt.path)
			}
		})
	}
}

// scenario mirrors the JSON of playground.Scenario, so the tests read
// what the browser reads.
type scenario struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Steps       []struct {
		Note         string          `json:"note"`
		Method       string          `json:"method"`
		Path         string          `json:"path"`
		Body         json.RawMessage `json:"body"`
		Token        string          `json:"token"`
		ExpectStatus int             `json:"expectStatus"`
	} `json:"steps"`
	Lanes []struct {
		Label string `json:"label"`
	} `json:"lanes"`
	StepNotes []string `json:"stepNotes"`
}

func fetchScenarios(t testing.TB, v *visitor) []scenario {
	t.Helper()
	r := v.get(api + "/scenarios")
	wantStatus(t, r, http.StatusOK)
	var list struct {
		Scenarios []scenario `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(r.body), &list); err != nil {
		t.Fatalf("scenarios are not JSON (%v): %s", err, r.body)
	}
	return list.Scenarios
}

func TestScenarioRoutes(t *testing.T) {
	v := newSite(t).newVisitor(t)

	var guided, lab []string
	for _, s := range fetchScenarios(t, v) {
		if s.Title == "" || s.Description == "" {
			t.Errorf("scenario %s lacks a title or description: %+v", s.Name, s)
		}
		switch s.Kind {
		case "guided":
			guided = append(guided, s.Name)
			if len(s.Steps) == 0 {
				t.Errorf("guided scenario %s has no steps", s.Name)
			}
		case "lab":
			lab = append(lab, s.Name)
			if len(s.Lanes) != 2 || len(s.StepNotes) == 0 {
				t.Errorf("lab scenario %s has %d lanes and %d step notes, want 2 and some", s.Name, len(s.Lanes), len(s.StepNotes))
			}
		default:
			t.Errorf("scenario %s has the kind %q", s.Name, s.Kind)
		}
	}
	if got, want := strings.Join(guided, ","), "jwt-expiry,jwt-tamper,jwt-logout,session-logout,session-idle"; got != want {
		t.Errorf("guided scenario names = %s, want %s", got, want)
	}
	want := "expiry,logout-replay,role-change,server-restart,second-replica,key-rotation,missing-await,forged-tokens,refresh-tokens,token-theft,cookie-size"
	if got := strings.Join(lab, ","); got != want {
		t.Errorf("lab scenario names = %s, want %s", got, want)
	}

	t.Run("one scenario", func(t *testing.T) {
		r := v.get(api + "/scenarios/jwt-expiry")
		wantStatus(t, r, http.StatusOK)
		if m := decode(t, r); m["name"] != "jwt-expiry" {
			t.Errorf("name = %v, want jwt-expiry", m["name"])
		}
	})

	t.Run("unknown scenario", func(t *testing.T) {
		r := v.get(api + "/scenarios/no-such-scenario")
		wantStatus(t, r, http.StatusNotFound)
		message, _ := decode(t, r)["error"].(string)
		if !strings.Contains(message, `"no-such-scenario"`) || !strings.Contains(message, "jwt-expiry") {
			t.Errorf("error = %q, want the unknown name and the known ones", message)
		}
	})

	t.Run("kept out of the transcript", func(t *testing.T) {
		if m := decode(t, v.get(api+"/transcript")); len(m["exchanges"].([]any)) != 0 {
			t.Errorf("transcript = %v, want no exchanges", m["exchanges"])
		}
	})
}

// TestScenariosGiveExpectedStatuses runs every scenario as tryit.js does,
// through the real router, so each expected status is proven true.
func TestScenariosGiveExpectedStatuses(t *testing.T) {
	s := newSite(t)
	for _, sc := range fetchScenarios(t, s.newVisitor(t)) {
		if sc.Kind != "guided" {
			continue
		}
		t.Run(sc.Name, func(t *testing.T) {
			v := s.newVisitor(t)
			token := ""
			for i, step := range sc.Steps {
				if step.Method == "" {
					continue
				}

				var headers []string
				switch step.Token {
				case "none":
				case "issued":
					headers = append(headers, "Authorization", "Bearer "+token)
				case "tampered":
					headers = append(headers, "Authorization", "Bearer "+tamper(t, token))
				default:
					t.Fatalf("step %d: unknown token choice %q", i+1, step.Token)
				}

				var r response
				switch {
				case step.Method == http.MethodGet:
					r = v.getWith(api+step.Path, headers...)
				case step.Method == http.MethodPost && step.Body == nil:
					r = v.postJSON(api+step.Path, "", headers...)
				case step.Method == http.MethodPost:
					r = v.postJSON(api+step.Path, string(step.Body), headers...)
				default:
					t.Fatalf("step %d: unsupported method %s", i+1, step.Method)
				}

				if r.status != step.ExpectStatus {
					t.Fatalf("step %d (%s %s: %s): status = %d, want %d; body: %s",
						i+1, step.Method, step.Path, step.Note, r.status, step.ExpectStatus, r.body)
				}
				if step.Token == "tampered" {
					if reason := decode(t, r)["reason"]; reason != "signature_invalid" {
						t.Errorf("step %d: the tampered token was rejected for %v, want signature_invalid", i+1, reason)
					}
				}
				if step.Path == "/jwt/login" {
					token, _ = decode(t, r)["token"].(string)
				}
			}
		})
	}
}

// tamper sets the payload's sub claim to "admin" and keeps the old
// signature, as the "tampered" token choice is documented to do.
func tamper(t testing.TB, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("cannot tamper with %q: not a JWT", token)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("cannot tamper with %q: %v", token, err)
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatalf("cannot tamper with %q: %v", token, err)
	}
	claims["sub"] = "admin"
	edited, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(edited) + "." + parts[2]
}
