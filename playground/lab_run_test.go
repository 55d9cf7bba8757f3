package playground_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// labRun mirrors the JSON of a scenario run.
type labRun struct {
	Scenario      string            `json:"scenario"`
	Options       map[string]string `json:"options"`
	Share         string            `json:"share"`
	Notices       []string          `json:"notices"`
	DivergedSteps int               `json:"divergedSteps"`
	Lanes         []struct {
		Label    string `json:"label"`
		Strategy struct {
			Name string `json:"name"`
		} `json:"strategy"`
	} `json:"lanes"`
	Steps []struct {
		Index       int    `json:"index"`
		Note        string `json:"note"`
		Diverged    bool   `json:"diverged"`
		Explanation string `json:"explanation"`
		Lanes       []struct {
			Kind     string `json:"kind"`
			Summary  string `json:"summary"`
			Status   int    `json:"status"`
			Reason   string `json:"reason"`
			Browser  string `json:"browser"`
			Exchange *struct {
				Replica string `json:"replica"`
				Request struct {
					Method  string `json:"method"`
					URL     string `json:"url"`
					Headers []struct {
						Name  string `json:"name"`
						Value string `json:"value"`
					} `json:"headers"`
				} `json:"request"`
				Response struct {
					Status  int `json:"status"`
					Headers []struct {
						Name  string `json:"name"`
						Value string `json:"value"`
					} `json:"headers"`
					Body json.RawMessage `json:"body"`
				} `json:"response"`
			} `json:"exchange"`
			State struct {
				Server struct {
					Sessions []struct {
						Store string `json:"store"`
					} `json:"sessions"`
					Denylist    []string `json:"denylist"`
					SigningKeys []string `json:"signingKeys"`
				} `json:"server"`
				Client struct {
					Cookies []struct {
						Name     string `json:"name"`
						HttpOnly bool   `json:"httpOnly"`
					} `json:"cookies"`
					LocalStorage map[string]string `json:"localStorage"`
					Attacker     map[string]string `json:"attacker"`
				} `json:"client"`
			} `json:"state"`
		} `json:"lanes"`
	} `json:"steps"`
}

// runScenario runs a lab scenario through the real router.
func (c *client) runScenario(name, body string) labRun {
	c.t.Helper()
	var r response
	if body == "" {
		r = c.do(http.MethodPost, "/scenarios/"+name+"/run", "")
	} else {
		r = c.postJSON("/scenarios/"+name+"/run", body)
	}
	wantStatus(c.t, r, http.StatusOK)
	var run labRun
	if err := json.Unmarshal(r.body, &run); err != nil {
		c.t.Fatalf("run is not JSON: %v\n%s", err, r.body)
	}
	return run
}

// outcome writes a lane step as the tests compare it: "200",
// "401 expired", "event" or "client".
func outcomes(run labRun) []string {
	var lines []string
	for _, step := range run.Steps {
		var parts []string
		for _, lane := range step.Lanes {
			switch {
			case lane.Kind != "request":
				parts = append(parts, lane.Kind)
			case lane.Reason != "":
				parts = append(parts, fmt.Sprintf("%d %s", lane.Status, lane.Reason))
			default:
				parts = append(parts, fmt.Sprint(lane.Status))
			}
		}
		mark := " "
		if step.Diverged {
			mark = "≠"
		}
		lines = append(lines, mark+" "+strings.Join(parts, " | "))
	}
	return lines
}

// header returns the first value of a header in a list, or "".
func header(headers []struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}, name string) string {
	for _, h := range headers {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

// TestLabScenariosStepByStep runs every lab scenario with its default
// options and checks each step's outcome in both lanes. "≠" marks a step
// where the lanes diverge, which must carry an explanation.
func TestLabScenariosStepByStep(t *testing.T) {
	want := map[string][]string{
		"expiry": {
			"  200 | 200", "  200 | 200", "  event | event", "  200 | 200", "  event | event", "  200 | 200", "  event | event",
			"≠ 200 | 401 expired", "  event | event", "≠ 401 session_idle | 401 expired",
		},
		"logout-replay": {
			"  200 | 200", "  200 | 200", "  client | client", "  200 | 200", "  401 no_credentials | 401 no_credentials",
			"≠ 401 session_unknown | 200", "  event | event", "≠ 401 session_unknown | 401 expired",
		},
		"role-change": {
			"  200 | 200", "  200 | 200", "  event | event", "≠ 403 forbidden | 200", "  200 | 200", "  403 forbidden | 403 forbidden",
		},
		"server-restart": {"  200 | 200", "  200 | 200", "  event | event", "≠ 401 session_unknown | 200"},
		"second-replica": {"  200 | 200", "  200 | 200", "≠ 401 session_unknown | 200", "  200 | 200", "≠ 401 session_unknown | 200"},
		"key-rotation": {
			"  200 | 200", "  200 | 200", "  event | event", "  200 | 200", "  event | event",
			"≠ 401 cookie_invalid | 401 unknown_kid", "≠ 401 no_credentials | 401 unknown_kid", "  200 | 200", "  200 | 200",
		},
		"missing-await": {"≠ 401 no_credentials | 200", "  200 | 200", "  200 | 200", "  200 | 200", "≠ 401 no_credentials | 200"},
		"forged-tokens": {
			"  200 | 200", "  403 forbidden | 403 forbidden", "  client | client", "≠ 401 algorithm_not_allowed | 200",
			"  client | client", "  401 signature_invalid | 401 signature_invalid", "≠ client | client", "≠ client | client",
			"≠ 401 signature_invalid | 200", "  event | event", "  401 expired | 401 expired",
		},
		"refresh-tokens": {
			"  200 | 200", "  200 | 200", "  client | client", "  event | event", "≠ 200 | 401 expired", "≠ client | 200",
			"  200 | 200", "≠ 200 | 401 refresh_reused", "≠ 200 | 401 refresh_revoked",
		},
		"token-theft": {
			"  200 | 200", "  200 | 200", "≠ client | client", "≠ 200 | 401 no_credentials", "≠ 401 no_credentials | 200",
			"  event | event", "  403 cross_origin | 403 cross_origin", "  200 | 200",
		},
		"cookie-size": {"  200 | 200", "≠ 200 | 413 cookie_too_large", "  200 | 200", "  200 | 200", "≠ client | client"},
	}

	env := newEnv(t, envOptions{})
	c := env.newClient()
	var listed []string
	for _, s := range c.scenarioList() {
		if s.Kind == "lab" {
			listed = append(listed, s.Name)
		}
	}
	for name := range want {
		if !slices.Contains(listed, name) {
			t.Errorf("GET /scenarios does not list the lab scenario %s; it lists %v", name, listed)
		}
	}
	for _, name := range listed {
		t.Run(name, func(t *testing.T) {
			steps, ok := want[name]
			if !ok {
				t.Fatalf("scenario %s has no expected outcomes in this test", name)
			}
			run := c.runScenario(name, "")
			if got := outcomes(run); !slices.Equal(got, steps) {
				t.Errorf("outcomes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(steps, "\n"))
			}
			diverged := 0
			for _, step := range run.Steps {
				if step.Diverged {
					diverged++
				}
				if step.Diverged && step.Explanation == "" {
					t.Errorf("step %d (%s) diverges without an explanation", step.Index, step.Note)
				}
				if !step.Diverged && step.Explanation != "" {
					t.Errorf("step %d (%s) does not diverge but explains %q", step.Index, step.Note, step.Explanation)
				}
				for _, lane := range step.Lanes {
					if lane.Kind == "request" && (lane.Exchange == nil || lane.Exchange.Response.Status != lane.Status) {
						t.Errorf("step %d: a request without its exchange", step.Index)
					}
				}
			}
			if run.DivergedSteps != diverged || diverged == 0 {
				t.Errorf("divergedSteps = %d, counted %d; every scenario must diverge somewhere", run.DivergedSteps, diverged)
			}
			if len(run.Lanes) != 2 || run.Share != "/playground/lab/"+name {
				t.Errorf("lanes = %d, share = %q", len(run.Lanes), run.Share)
			}
		})
	}
}

type listedScenario struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

func (c *client) scenarioList() []listedScenario {
	c.t.Helper()
	r := c.do(http.MethodGet, "/scenarios", "")
	wantStatus(c.t, r, http.StatusOK)
	var list struct {
		Scenarios []listedScenario `json:"scenarios"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil {
		c.t.Fatalf("scenario list: %v", err)
	}
	return list.Scenarios
}

// TestLabOptionsChangeTheOutcome runs scenarios with options and checks
// the steps that the options change.
func TestLabOptionsChangeTheOutcome(t *testing.T) {
	tests := []struct {
		name, body string
		step       int
		want       string
		share      string
	}{
		{"logout-replay", `{"options":{"denylist":"on"}}`, 6, "≠ 401 session_unknown | 401 revoked", "/playground/lab/logout-replay?denylist=on"},
		{"logout-replay", `{"options":{"other":"jwt-cookie","denylist":"on"}}`, 6, "≠ 401 session_unknown | 401 revoked", "/playground/lab/logout-replay?denylist=on&other=jwt-cookie"},
		{"logout-replay", `{"options":{"other":"cookie-store"}}`, 6, "≠ 401 session_unknown | 200", "/playground/lab/logout-replay?other=cookie-store"},
		{"role-change", `{"options":{"other":"cookie-store"}}`, 4, "≠ 403 forbidden | 200", "/playground/lab/role-change?other=cookie-store"},
		{"server-restart", `{"options":{"store":"database"}}`, 4, "  200 | 200", "/playground/lab/server-restart?store=database"},
		{"second-replica", `{"options":{"store":"database"}}`, 3, "  200 | 200", "/playground/lab/second-replica?store=database"},
		{"token-theft", `{"options":{"samesite":"lax"}}`, 5, "  401 no_credentials | 401 no_credentials", "/playground/lab/token-theft?samesite=lax"},
		{"token-theft", `{"options":{"samesite":"strict"}}`, 5, "  401 no_credentials | 401 no_credentials", "/playground/lab/token-theft?samesite=strict"},
	}
	env := newEnv(t, envOptions{})
	c := env.newClient()
	for _, tt := range tests {
		t.Run(tt.name+tt.body, func(t *testing.T) {
			run := c.runScenario(tt.name, tt.body)
			if got := outcomes(run)[tt.step-1]; got != tt.want {
				t.Errorf("step %d = %q, want %q", tt.step, got, tt.want)
			}
			if run.Share != tt.share {
				t.Errorf("share = %q, want %q", run.Share, tt.share)
			}
		})
	}
}

func TestLabRunBadInput(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	tests := []struct {
		name        string
		path, body  string
		contentType string
		status      int
		contains    []string
	}{
		{"unknown scenario", "/scenarios/nope/run", "", "", http.StatusNotFound, []string{`\"nope\"`, "expiry", "token-theft", "jwt-expiry"}},
		{"guided scenario", "/scenarios/jwt-expiry/run", "", "", http.StatusBadRequest, []string{"guided", "GET /scenarios/jwt-expiry"}},
		{"unknown option", "/scenarios/logout-replay/run", `{"options":{"colour":"red"}}`, "application/json", http.StatusBadRequest, []string{"colour", "other, denylist"}},
		{"bad option value", "/scenarios/logout-replay/run", `{"options":{"denylist":"yes"}}`, "application/json", http.StatusBadRequest, []string{"off, on"}},
		{"option on a scenario without options", "/scenarios/expiry/run", `{"options":{"x":"y"}}`, "application/json", http.StatusBadRequest, []string{"no options"}},
		{"options of the wrong type", "/scenarios/expiry/run", `{"options":"all"}`, "application/json", http.StatusBadRequest, []string{"options"}},
		{"not JSON", "/scenarios/expiry/run", `{"options":`, "application/json", http.StatusBadRequest, []string{"JSON"}},
		{"unknown field", "/scenarios/expiry/run", `{"speed":2}`, "application/json", http.StatusBadRequest, []string{"speed"}},
		{"wrong content type", "/scenarios/expiry/run", `options=1`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, []string{"application/json"}},
		{"too large", "/scenarios/expiry/run", `{"options":{"x":"` + strings.Repeat("a", 70<<10) + `"}}`, "application/json", http.StatusRequestEntityTooLarge, []string{"larger than"}},
		{"GET instead of POST", "/scenarios/expiry/run", "", "", http.StatusMethodNotAllowed, []string{"POST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodPost
			if strings.HasPrefix(tt.name, "GET") {
				method = http.MethodGet
			}
			var r response
			if tt.contentType != "" {
				r = c.do(method, tt.path, tt.body, "Content-Type", tt.contentType)
			} else {
				r = c.do(method, tt.path, tt.body)
			}
			wantStatus(t, r, tt.status)
			for _, want := range tt.contains {
				if !strings.Contains(string(r.body), want) {
					t.Errorf("body does not contain %q: %s", want, r.body)
				}
			}
		})
	}
}

// TestLabStateInspector checks what the inspector shows of the server
// and the client at the steps where it matters.
func TestLabStateInspector(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	theft := c.runScenario("token-theft", "")
	login := theft.Steps[0]
	if login.Lanes[0].State.Client.LocalStorage["accessToken"] == "" {
		t.Errorf("bearer lane keeps no token in localStorage after login: %+v", login.Lanes[0].State.Client)
	}
	cookies := login.Lanes[1].State.Client.Cookies
	if len(cookies) != 1 || cookies[0].Name != "__Host-token" || !cookies[0].HttpOnly {
		t.Errorf("cookie lane's jar after login = %+v, want one HttpOnly __Host-token", cookies)
	}
	script := theft.Steps[2]
	if script.Lanes[0].State.Client.Attacker["token"] == "" || len(script.Lanes[1].State.Client.Attacker) != 0 {
		t.Errorf("after the injected script, attackers hold %v and %v; want the token only on the bearer side",
			script.Lanes[0].State.Client.Attacker, script.Lanes[1].State.Client.Attacker)
	}

	size := c.runScenario("cookie-size", "")
	rejected := size.Steps[1].Lanes[1]
	if got := header(rejected.Exchange.Response.Headers, "Set-Cookie"); got != "" {
		t.Errorf("the rejected cookie-store save sent Set-Cookie: %s", got)
	}
	if !strings.Contains(string(rejected.Exchange.Response.Body), "4096") {
		t.Errorf("413 body does not name the limit: %s", rejected.Exchange.Response.Body)
	}
	if got := size.Steps[2].Lanes[1].Status; got != http.StatusOK {
		t.Errorf("after the rejected save the cookie-store login gets %d, want 200", got)
	}

	replay := c.runScenario("logout-replay", "")
	if got := len(replay.Steps[0].Lanes[0].State.Server.Sessions); got != 1 {
		t.Errorf("session rows after login = %d, want 1", got)
	}
	if got := len(replay.Steps[3].Lanes[0].State.Server.Sessions); got != 0 {
		t.Errorf("session rows after logout = %d, want 0", got)
	}

	denied := c.runScenario("logout-replay", `{"options":{"denylist":"on"}}`)
	if got := len(denied.Steps[3].Lanes[1].State.Server.Denylist); got != 1 {
		t.Errorf("denylist after logout = %d entries, want 1", got)
	}

	rotation := c.runScenario("key-rotation", "")
	retired := rotation.Steps[5].Lanes[0]
	if got := header(retired.Exchange.Response.Headers, "Set-Cookie"); !strings.Contains(got, "Max-Age=0") {
		t.Errorf("a cookie made with a retired key is not cleared: Set-Cookie %q", got)
	}
	if got := rotation.Steps[5].Lanes[1].State.Server.SigningKeys; len(got) != 1 {
		t.Errorf("signing keys after retiring = %v, want one", got)
	}

	replica := c.runScenario("second-replica", "")
	if got := replica.Steps[2].Lanes[0].Exchange.Replica; got != "b" {
		t.Errorf("step 3 served by replica %q, want b", got)
	}
}

// TestLabRunLeavesNoTrace checks that a run keeps nothing: no session
// rows in the database and nothing in the learner's own sandbox.
func TestLabRunLeavesNoTrace(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	for _, s := range c.scenarioList() {
		if s.Kind == "lab" {
			c.runScenario(s.Name, "")
		}
	}

	db, err := sql.Open("sqlite", env.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows int
	if err := db.QueryRow(`SELECT COUNT(*) FROM playground_sessions`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("%d session rows remain after the runs", rows)
	}

	transcript := c.do(http.MethodGet, "/transcript", "")
	wantStatus(t, transcript, http.StatusOK)
	if strings.Contains(string(transcript.body), "/run") {
		t.Errorf("runs were written to the learner's transcript: %s", transcript.body)
	}
	clock := c.do(http.MethodGet, "/clock", "").json(t)
	if clock["offsetSeconds"] != float64(0) {
		t.Errorf("a run moved the learner's own clock: %v", clock)
	}
}

// TestLabCrackFindsOnlyTheWeakSecret checks the word list: the careless
// verifier's secret is on it, and no token of the strict verifier was
// cracked in any run.
func TestLabCrackFindsOnlyTheWeakSecret(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()
	for range 3 {
		run := c.runScenario("forged-tokens", "")
		crack := run.Steps[6]
		if !strings.Contains(crack.Lanes[1].Summary, `"mysecret"`) {
			t.Errorf("careless lane: %s", crack.Lanes[1].Summary)
		}
		if !strings.Contains(crack.Lanes[0].Summary, "none reproduces") {
			t.Errorf("strict lane: %s", crack.Lanes[0].Summary)
		}
	}
}

// TestLabDemoAppFollowsTheRules checks details that the lessons teach:
// __Host- cookies are Secure, a cookie app challenges for its cookie, and
// the browser names the cookie it withheld.
func TestLabDemoAppFollowsTheRules(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	expiry := c.runScenario("expiry", "")
	setCookie := header(expiry.Steps[0].Lanes[0].Exchange.Response.Headers, "Set-Cookie")
	if !strings.HasPrefix(setCookie, "__Host-sid=") || !strings.Contains(setCookie, "; Secure") || !strings.Contains(setCookie, "; HttpOnly") {
		t.Errorf("session login Set-Cookie = %q, want a Secure, HttpOnly __Host- cookie", setCookie)
	}
	idle := expiry.Steps[9].Lanes[0]
	if got := header(idle.Exchange.Response.Headers, "WWW-Authenticate"); !strings.HasPrefix(got, "Cookie ") {
		t.Errorf("session 401 challenge = %q, want a Cookie challenge", got)
	}
	if got := header(expiry.Steps[9].Lanes[1].Exchange.Response.Headers, "WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") {
		t.Errorf("bearer 401 challenge = %q, want a Bearer challenge", got)
	}

	lax := c.runScenario("token-theft", `{"options":{"samesite":"lax"}}`)
	form := lax.Steps[4]
	if !strings.Contains(form.Lanes[0].Browser, "no Authorization header") {
		t.Errorf("bearer lane browser note = %q", form.Lanes[0].Browser)
	}
	if !strings.Contains(form.Lanes[1].Browser, "__Host-token (SameSite=Lax)") {
		t.Errorf("cookie lane browser note = %q", form.Lanes[1].Browser)
	}

	denied := c.runScenario("logout-replay", `{"options":{"denylist":"on"}}`)
	if got := denied.Steps[5].Explanation; !strings.Contains(got, "denylist") {
		t.Errorf("replay explanation with the denylist on = %q", got)
	}
	ignored := c.runScenario("logout-replay", `{"options":{"denylist":"on","other":"cookie-store"}}`)
	if len(ignored.Notices) != 1 || !strings.Contains(ignored.Notices[0], "ignores") {
		t.Errorf("notices = %q, want one saying the denylist is ignored", ignored.Notices)
	}

	r := c.postJSON("/scenarios/logout-replay/run", `{"options":{"denylist":true}}`)
	wantStatus(t, r, http.StatusBadRequest)
	wantFieldContains(t, r.json(t), "error", "The option denylist is not a string")
}

// TestLabRunsCreateNoSandbox runs scenarios as new learners, each without
// a cookie, beyond the limit of new sandboxes per address.
func TestLabRunsCreateNoSandbox(t *testing.T) {
	env := newEnv(t, envOptions{newSandboxesPerMinute: 2})
	for range 4 {
		env.newClient().runScenario("expiry", "")
	}
	// A playground request still counts as a new sandbox.
	for i := range 3 {
		r := env.newClient().get("/clock")
		if i < 2 {
			wantStatus(t, r, http.StatusOK)
		} else {
			wantStatus(t, r, http.StatusTooManyRequests)
		}
	}
}
