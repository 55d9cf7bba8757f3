package playground

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// labScenario is a script that the lab runs against two lanes at once.
type labScenario struct {
	Name        string
	Title       string
	Description string
	// Lesson is the slug of the lesson that explains the scenario.
	Lesson  string
	Options []LabOption
	// notices returns sentences about the chosen options that the learner
	// should read before the steps, such as an option that has no effect.
	notices func(options map[string]string) []string
	// lanes returns the two lanes' labels and configurations for the
	// chosen options.
	lanes func(options map[string]string) [2]labLaneSpec
	Steps []labStep
}

// LabOption is a choice a learner can make before a run. Every option
// has a fixed list of values, so a shared URL can hold nothing else.
type LabOption struct {
	Name string `json:"name"`
	// Label names the option for people, on the lab page.
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Choices     []string `json:"choices"`
	Default     string   `json:"default"`
}

type labLaneSpec struct {
	label string
	cfg   labConfig
}

// labStep is one step of a scenario, run in each lane in turn.
type labStep struct {
	Note string
	// Explain is the one-line reason the lanes differ, shown only when
	// their outcomes differ. A non-empty result of ExplainFor replaces it
	// with a reason that fits the chosen options.
	Explain    string
	ExplainFor func(options map[string]string) string
	Do         func(l *labLane) labOutput
}

// labOutput is the result of one step in one lane.
type labOutput struct {
	kind     string
	exchange *LabExchange
	result   labResult
}

// Kinds of lane steps.
const (
	// labKindRequest sent an HTTP request to the demo app.
	labKindRequest = "request"
	// labKindEvent changed the server side without a request, such as
	// the clock or a restart.
	labKindEvent = "event"
	// labKindClient happened in the browser or on the attacker's side.
	labKindClient = "client"
)

// request sends s and returns the step's output.
func (l *labLane) request(s labSend) labOutput {
	exchange, result := l.send(s)
	return labOutput{kind: labKindRequest, exchange: exchange, result: result}
}

// event returns the output of a server-side change.
func event(summary string) labOutput {
	return labOutput{kind: labKindEvent, result: labResult{summary: summary, outcome: summary}}
}

// clientStep returns the output of a step on the client side; lanes are
// compared by outcome.
func clientStep(outcome, summary string) labOutput {
	return labOutput{kind: labKindClient, result: labResult{summary: summary, outcome: outcome}}
}

// LabRun is the result of running a scenario: both lanes' transcripts,
// aligned step by step.
type LabRun struct {
	Scenario    string            `json:"scenario"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Lesson      string            `json:"lesson,omitempty"`
	Options     map[string]string `json:"options"`
	// Share is the path of the lab page that runs the same scenario with
	// the same options. It holds no token or key.
	Share string `json:"share"`
	// Notices are sentences about the chosen options, such as one that
	// has no effect on a lane.
	Notices []string      `json:"notices"`
	Lanes   []LabLaneInfo `json:"lanes"`
	Steps   []LabRunStep  `json:"steps"`
	// DivergedSteps counts the steps whose outcomes differ.
	DivergedSteps int `json:"divergedSteps"`
}

// LabLaneInfo names one lane of a run.
type LabLaneInfo struct {
	Label    string      `json:"label"`
	Strategy LabStrategy `json:"strategy"`
}

// LabRunStep is one step of a run in both lanes.
type LabRunStep struct {
	Index       int           `json:"index"`
	Note        string        `json:"note"`
	Diverged    bool          `json:"diverged"`
	Explanation string        `json:"explanation,omitempty"`
	Lanes       []LabLaneStep `json:"lanes"`
}

// LabLaneStep is the result of one step in one lane, with the state after it.
type LabLaneStep struct {
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	Status  int    `json:"status,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Browser names what the simulated browser left out of the request,
	// and why, such as a cookie withheld by its SameSite attribute.
	Browser  string       `json:"browser,omitempty"`
	Exchange *LabExchange `json:"exchange,omitempty"`
	State    LabState     `json:"state"`
}

// LabState is the state of the server and the client after a step.
type LabState struct {
	Server LabServerState `json:"server"`
	Client LabClientState `json:"client"`
}

// LabServerState is the server side of a lane.
type LabServerState struct {
	Clock string `json:"clock"`
	// SessionStore names where sessions are kept, for the session strategy.
	SessionStore  string          `json:"sessionStore,omitempty"`
	Sessions      []LabSessionRow `json:"sessions"`
	Denylist      []string        `json:"denylist"`
	SigningKeys   []string        `json:"signingKeys"`
	RefreshTokens []string        `json:"refreshTokens"`
	Users         []string        `json:"users"`
}

// LabSessionRow is one server-side session.
type LabSessionRow struct {
	// Store is "database", or "memory of replica a" or "b".
	Store string `json:"store"`
	// IDHash is the start of the hash of the session ID, which is what
	// the store keeps.
	IDHash   string `json:"idHash"`
	Data     string `json:"data"`
	LastUsed string `json:"lastUsed"`
}

// LabClientState is the state of the browser and the attacker.
type LabClientState struct {
	Cookies      []LabCookie       `json:"cookies"`
	LocalStorage map[string]string `json:"localStorage"`
	Attacker     map[string]string `json:"attacker"`
}

// LabCookie is one cookie in the browser's jar.
type LabCookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	HttpOnly bool   `json:"httpOnly"`
	Secure   bool   `json:"secure"`
	SameSite string `json:"sameSite"`
}

// labValueLimit is how much of a token or cookie value the inspector
// shows.
const labValueLimit = 48

func labShort(value string) string {
	short, _ := truncateChars(value, labValueLimit)
	return short
}

// state reads the lane's state for the inspector.
func (l *labLane) state() LabState {
	w := l.world
	var server LabServerState
	w.mu.Lock()
	server.Clock = formatTime(w.now)
	for _, user := range slices.Sorted(maps.Keys(w.users)) {
		server.Users = append(server.Users, user+": "+w.users[user])
	}
	for _, keyID := range slices.Sorted(maps.Keys(w.signingKeys)) {
		entry := keyID
		if keyID == w.currentKeyID {
			entry += " (signs new tokens)"
		}
		server.SigningKeys = append(server.SigningKeys, entry)
	}
	for _, jti := range slices.Sorted(maps.Keys(w.denied)) {
		server.Denylist = append(server.Denylist, fmt.Sprintf("jti %s until %s", jti, formatTime(w.denied[jti])))
	}
	for _, hash := range slices.Sorted(maps.Keys(w.refresh)) {
		record := w.refresh[hash]
		status := "unused"
		switch {
		case record.expires.IsZero():
			status = "revoked"
		case record.used:
			status = "used"
		}
		server.RefreshTokens = append(server.RefreshTokens, fmt.Sprintf("%s… of %s, %s, %s", hash[:8], record.username, record.family, status))
	}
	storeKind := w.cfg.sessionStore
	issued := slices.Clone(w.issued)
	memory := maps.Clone(w.memory)
	w.mu.Unlock()

	if l.strategy.Name == strategySession {
		if storeKind == storeMemory {
			server.SessionStore = "the memory of each replica"
			for _, replica := range []string{replicaA, replicaB} {
				for _, record := range memory[replica].all() {
					server.Sessions = append(server.Sessions, sessionRow("memory of replica "+replica, record))
				}
			}
		} else {
			server.SessionStore = "the SQLite database, shared by every replica"
			for _, hash := range issued {
				record, err := w.database.Session(l.ctx, w.scratch, hash)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					l.fail(err)
					continue
				}
				server.Sessions = append(server.Sessions, sessionRow(storeDatabase, record))
			}
		}
	}

	client := LabClientState{LocalStorage: map[string]string{}, Attacker: map[string]string{}}
	for _, cookie := range l.browser.cookies {
		client.Cookies = append(client.Cookies, LabCookie{
			Name: cookie.Name, Value: labShort(cookie.Value), HttpOnly: cookie.HttpOnly,
			Secure: cookie.Secure, SameSite: sameSiteName(cookie.SameSite),
		})
	}
	for key, value := range l.browser.storage {
		client.LocalStorage[key] = labShort(value)
	}
	for key, value := range l.stolen {
		client.Attacker[key] = labShort(value)
	}
	return LabState{Server: server, Client: client}
}

func sessionRow(store string, record SessionRecord) LabSessionRow {
	return LabSessionRow{Store: store, IDHash: record.IDHash[:12] + "…", Data: labShort(string(record.Data)), LastUsed: formatTime(record.LastSeen)}
}

func sameSiteName(mode http.SameSite) string {
	switch mode {
	case http.SameSiteStrictMode:
		return "Strict"
	case http.SameSiteNoneMode:
		return "None"
	case http.SameSiteLaxMode:
		return "Lax"
	}
	return ""
}

func (l *labLane) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// labScenarioByName returns the lab scenario called name.
func labScenarioByName(name string) (labScenario, bool) {
	for _, scenario := range labScenarios() {
		if scenario.Name == name {
			return scenario, true
		}
	}
	return labScenario{}, false
}

// resolveOptions checks the chosen options against the scenario's and
// fills in the defaults.
func (sc labScenario) resolveOptions(chosen map[string]string) (map[string]string, error) {
	resolved := map[string]string{}
	for _, option := range sc.Options {
		resolved[option.Name] = option.Default
	}
	for _, name := range slices.Sorted(maps.Keys(chosen)) {
		value := chosen[name]
		index := slices.IndexFunc(sc.Options, func(o LabOption) bool { return o.Name == name })
		if index < 0 {
			if len(sc.Options) == 0 {
				return nil, invalidf("The scenario %s has no options, but the request sets %q.", sc.Name, shorten(name, 40))
			}
			names := make([]string, len(sc.Options))
			for i, option := range sc.Options {
				names[i] = option.Name
			}
			return nil, invalidf("The scenario %s has no option %q; its options are %s.", sc.Name, shorten(name, 40), strings.Join(names, ", "))
		}
		option := sc.Options[index]
		if !slices.Contains(option.Choices, value) {
			return nil, invalidf("The option %s of scenario %s is %q; it must be one of %s.", name, sc.Name, shorten(value, 40), strings.Join(option.Choices, ", "))
		}
		resolved[name] = value
	}
	return resolved, nil
}

// sharePath returns the lab page's path for the scenario with the
// options that differ from their defaults.
func (sc labScenario) sharePath(options map[string]string) string {
	query := url.Values{}
	for _, option := range sc.Options {
		if options[option.Name] != option.Default {
			query.Set(option.Name, options[option.Name])
		}
	}
	path := "/playground/lab/" + sc.Name
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return path
}

// run runs the scenario in two fresh lanes whose clocks start at now.
// The lanes' database rows are deleted before it returns.
func (sc labScenario) run(ctx context.Context, options map[string]string, now time.Time, database SessionStore) (run LabRun, err error) {
	specs := sc.lanes(options)
	var lanes [2]*labLane
	for i, spec := range specs {
		lanes[i] = newLabLane(ctx, spec.label, spec.cfg, now, database)
	}
	defer func() {
		for _, lane := range lanes {
			if closeErr := lane.world.close(context.WithoutCancel(ctx)); closeErr != nil && err == nil {
				err = closeErr
			}
		}
	}()

	run = LabRun{
		Scenario: sc.Name, Title: sc.Title, Description: sc.Description, Lesson: sc.Lesson,
		Options: options, Share: sc.sharePath(options), Notices: []string{},
	}
	if sc.notices != nil {
		run.Notices = append(run.Notices, sc.notices(options)...)
	}
	for _, lane := range lanes {
		run.Lanes = append(run.Lanes, LabLaneInfo{Label: lane.label, Strategy: lane.strategy})
	}
	for i, step := range sc.Steps {
		runStep := LabRunStep{Index: i + 1, Note: step.Note}
		var outputs [2]labOutput
		for j, lane := range lanes {
			outputs[j] = step.Do(lane)
			output := outputs[j]
			runStep.Lanes = append(runStep.Lanes, LabLaneStep{
				Kind: output.kind, Summary: output.result.summary, Status: output.result.status,
				Reason: output.result.reason, Browser: output.result.browser, Exchange: output.exchange, State: lane.state(),
			})
			if lane.err != nil {
				return LabRun{}, fmt.Errorf("scenario %s, step %d, lane %s: %w", sc.Name, i+1, lane.label, lane.err)
			}
		}
		if diverged(outputs[0], outputs[1]) {
			runStep.Diverged = true
			runStep.Explanation = step.Explain
			if step.ExplainFor != nil {
				if text := step.ExplainFor(options); text != "" {
					runStep.Explanation = text
				}
			}
			run.DivergedSteps++
		}
		run.Steps = append(run.Steps, runStep)
	}
	return run, nil
}

// diverged reports whether two lanes' outputs of a step differ in what
// the learner should notice: the status and reason of a request, or the
// outcome of another step.
func diverged(a, b labOutput) bool {
	if a.kind != b.kind {
		return true
	}
	if a.kind == labKindRequest {
		return a.result.status != b.result.status || a.result.reason != b.result.reason
	}
	return a.result.outcome != b.result.outcome
}

type labRunRequest struct {
	Options map[string]any `json:"options"`
}

// handleRunScenario runs a lab scenario and returns both transcripts.
// The body is optional; without one, or with null or {}, every option
// has its default.
func (s *Server) handleRunScenario(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	name := chi.URLParam(r, "name")
	scenario, ok := labScenarioByName(name)
	if !ok {
		s.writeError(w, r, s.unknownScenario(name))
		return
	}

	var req labRunRequest
	if r.ContentLength != 0 {
		rules := map[string]string{"options": "options must be an object that maps option names to one of their values, as GET /scenarios lists them"}
		if err := decodeJSON(w, r, &req, rules); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	chosen := make(map[string]string, len(req.Options))
	for name, value := range req.Options {
		text, ok := value.(string)
		if !ok {
			s.writeError(w, r, invalidf("The option %s is not a string; send each option as a string, such as \"on\".", shorten(name, 40)))
			return
		}
		chosen[name] = text
	}
	options, err := scenario.resolveOptions(chosen)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	run, err := scenario.run(r.Context(), options, s.realNow(), s.store)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, run)
}

// unknownScenario returns the 404 for a name that is no scenario, or the
// 400 for a guided scenario, which the page runs step by step.
func (s *Server) unknownScenario(name string) error {
	var guided, lab []string
	for _, scenario := range Scenarios() {
		if scenario.Kind == ScenarioGuided {
			guided = append(guided, scenario.Name)
		} else {
			lab = append(lab, scenario.Name)
		}
	}
	if slices.Contains(guided, name) {
		return invalidf("The scenario %s is a guided one: the page sends its steps one by one, and GET /scenarios/%s returns them. The scenarios that run on the server are %s.", name, name, strings.Join(lab, ", "))
	}
	return &apiError{
		kind:    kindNotFound,
		message: fmt.Sprintf("No scenario is called %q; the scenarios that run on the server are %s, and the guided ones are %s.", shorten(name, 100), strings.Join(lab, ", "), strings.Join(guided, ", ")),
	}
}

// LabOptions checks options chosen for the lab scenario called name, as
// a shared URL carries them, and returns them with the defaults filled
// in. The error says what is wrong, for the page to show.
func LabOptions(name string, chosen map[string]string) (map[string]string, error) {
	scenario, ok := labScenarioByName(name)
	if !ok {
		return nil, fmt.Errorf("no lab scenario is called %q", shorten(name, 100))
	}
	options, err := scenario.resolveOptions(chosen)
	var apiErr *apiError
	if errors.As(err, &apiErr) {
		return nil, errors.New(apiErr.message)
	}
	return options, err
}
