package playground

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// Token choices for Step.Token: which bearer token a step sends.
const (
	// TokenNone sends no Authorization header.
	TokenNone = "none"
	// TokenIssued sends the token from the latest POST /jwt/login of the
	// run.
	TokenIssued = "issued"
	// TokenTampered sends the issued token with its payload's sub claim
	// changed to "admin" and its old signature kept, so that the payload
	// stays valid JSON and only the signature check can reject it.
	TokenTampered = "tampered"
)

// Kinds of scenario.
const (
	// ScenarioGuided is a script of requests to the learner's own
	// sandbox, which the page sends one by one.
	ScenarioGuided = "guided"
	// ScenarioLab is a script that the server runs against two
	// strategies side by side: POST /scenarios/{name}/run.
	ScenarioLab = "lab"
)

// Scenario is a scripted run that shows one difference between JWTs and
// sessions. Lessons embed scenarios as try-it panels, and tests run every
// scenario through the real router.
type Scenario struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Steps are the requests of a guided scenario.
	Steps []Step `json:"steps,omitempty"`
	// Lesson, Lanes, Options and StepNotes describe a lab scenario. Lanes
	// are those of the default options.
	Lesson    string        `json:"lesson,omitempty"`
	Lanes     []LabLaneInfo `json:"lanes,omitempty"`
	Options   []LabOption   `json:"options,omitempty"`
	StepNotes []string      `json:"stepNotes,omitempty"`
}

// Step is one request of a scenario, or a note when Method is empty.
type Step struct {
	// Note explains the step to the learner.
	Note string `json:"note"`
	// Method and Path name the request; Path is relative to the
	// playground API root, such as "/jwt/login". Both are empty for a
	// step that sends nothing.
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	// Body is the JSON request body, or nil for none.
	Body json.RawMessage `json:"body,omitempty"`
	// Token is TokenNone, TokenIssued or TokenTampered. Cookies are not
	// chosen per step: the client sends whatever pg_session cookie it
	// holds, as a browser does.
	Token string `json:"token"`
	// ExpectStatus is the status code the learner should see.
	ExpectStatus int `json:"expectStatus,omitempty"`
}

// Steps used by several scenarios.
var (
	stepJWTLogin = Step{
		Note: "Log in with a JWT that lives for one hour.", Method: http.MethodPost, Path: "/jwt/login",
		Body: json.RawMessage(`{"username":"ada","expiresIn":3600}`), Token: TokenNone, ExpectStatus: http.StatusOK,
	}
	stepJWTCall = Step{
		Note: "Call the protected route with the token.", Method: http.MethodGet, Path: "/jwt/data",
		Token: TokenIssued, ExpectStatus: http.StatusOK,
	}
	stepSessionLogin = Step{
		Note: "Log in with a session; the server sets the pg_session cookie.", Method: http.MethodPost, Path: "/session/login",
		Body: json.RawMessage(`{"username":"ada"}`), Token: TokenNone, ExpectStatus: http.StatusOK,
	}
	stepSessionCall = Step{
		Note: "Call the protected route; the browser sends the cookie.", Method: http.MethodGet, Path: "/session/data",
		Token: TokenNone, ExpectStatus: http.StatusOK,
	}
)

// advanceClock returns a step that moves the learner's virtual clock.
func advanceClock(seconds int, note string) Step {
	return Step{
		Note: note, Method: http.MethodPost, Path: "/clock",
		Body: json.RawMessage(fmt.Sprintf(`{"advanceSeconds":%d}`, seconds)), Token: TokenNone, ExpectStatus: http.StatusOK,
	}
}

// Scenarios returns every scenario: the guided ones, in the order the
// course uses them, then the lab ones. Each call returns a new slice.
func Scenarios() []Scenario {
	scenarios := guidedScenarios()
	for _, lab := range labScenarios() {
		scenarios = append(scenarios, lab.describe())
	}
	return scenarios
}

// describe returns the public description of a lab scenario.
func (sc labScenario) describe() Scenario {
	defaults, _ := sc.resolveOptions(nil)
	described := Scenario{
		Name: sc.Name, Kind: ScenarioLab, Title: sc.Title, Description: sc.Description,
		Lesson: sc.Lesson, Options: sc.Options,
	}
	for _, spec := range sc.lanes(defaults) {
		strategy, _ := labStrategyByName(spec.cfg.strategy)
		described.Lanes = append(described.Lanes, LabLaneInfo{Label: spec.label, Strategy: strategy})
	}
	for _, step := range sc.Steps {
		described.StepNotes = append(described.StepNotes, step.Note)
	}
	return described
}

func guidedScenarios() []Scenario {
	guided := []Scenario{
		{
			Name:        "jwt-expiry",
			Title:       "A JWT expires on its own",
			Description: "Log in with a one-hour JWT, call the protected route, move the playground clock past the token's exp claim, and call again: the same token now gets a 401.",
			Steps: []Step{
				stepJWTLogin,
				stepJWTCall,
				advanceClock(3601, "Move the playground clock forward by one hour and one second."),
				{Note: "Call again with the same token: it has expired.", Method: http.MethodGet, Path: "/jwt/data", Token: TokenIssued, ExpectStatus: http.StatusUnauthorized},
			},
		},
		{
			Name:        "jwt-tamper",
			Title:       "A changed JWT fails its signature check",
			Description: "Change one character of a valid token's payload and send it: the signature no longer matches, so the server rejects it.",
			Steps: []Step{
				stepJWTLogin,
				stepJWTCall,
				{Note: "Send the token with its payload changed to say sub \"admin\", keeping the old signature.", Method: http.MethodGet, Path: "/jwt/data", Token: TokenTampered, ExpectStatus: http.StatusUnauthorized},
			},
		},
		{
			Name:        "jwt-logout",
			Title:       "Logging out does not revoke a JWT",
			Description: "Log in, then log out by forgetting the token. The server keeps no record of tokens, so a copy of the old token still works until it expires.",
			Steps: []Step{
				stepJWTLogin,
				stepJWTCall,
				{Note: "Log out: the page forgets its token. Nothing is sent, because the server has no record of the token to delete.", Token: TokenNone},
				{Note: "Replay a copy of the old token: it is still accepted.", Method: http.MethodGet, Path: "/jwt/data", Token: TokenIssued, ExpectStatus: http.StatusOK},
			},
		},
		{
			Name:        "session-logout",
			Title:       "Logging out ends a session",
			Description: "Log in with a session, call the protected route, log out, and call again: the server deleted the session, so the call gets a 401.",
			Steps: []Step{
				stepSessionLogin,
				stepSessionCall,
				{Note: "Log out: the server deletes the session and clears the cookie.", Method: http.MethodPost, Path: "/session/logout", Token: TokenNone, ExpectStatus: http.StatusOK},
				{Note: "Call again: there is no session any more.", Method: http.MethodGet, Path: "/session/data", Token: TokenNone, ExpectStatus: http.StatusUnauthorized},
			},
		},
		{
			Name:        "session-idle",
			Title:       "An idle session times out",
			Description: "Log in with a session, then leave it unused for just over 30 minutes of playground time: the server ends it, and the next call gets a 401.",
			Steps: []Step{
				stepSessionLogin,
				stepSessionCall,
				advanceClock(1801, "Move the playground clock forward by 30 minutes and one second without using the session."),
				{Note: "Call again: the session was idle too long.", Method: http.MethodGet, Path: "/session/data", Token: TokenNone, ExpectStatus: http.StatusUnauthorized},
			},
		},
	}
	for i := range guided {
		guided[i].Kind = ScenarioGuided
	}
	return guided
}

type scenariosResponse struct {
	Scenarios []Scenario `json:"scenarios"`
}

// handleListScenarios returns every scenario. Like the transcript routes,
// it is kept out of the transcript, which records only the exchanges a
// learner makes with the authentication routes.
func (s *Server) handleListScenarios(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	writeJSON(w, http.StatusOK, scenariosResponse{Scenarios: Scenarios()})
}

// handleGetScenario returns one scenario by name, or a 404 that lists the
// known names.
func (s *Server) handleGetScenario(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	name := chi.URLParam(r, "name")
	for _, scenario := range Scenarios() {
		if scenario.Name == name {
			writeJSON(w, http.StatusOK, scenario)
			return
		}
	}
	s.writeError(w, r, s.unknownScenario(name))
}
