package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/go-chi/chi/v5"

	"learn/playground"
)

// labPage is the data of the lab template: the list of lab scenarios, or
// one scenario with its options.
type labPage struct {
	Scenarios []playground.Scenario
	// Scenario is empty on the list page.
	Scenario    playground.Scenario
	Options     []labOptionView
	LessonTitle string
	LessonURL   string
	// Problem is the reason the URL's options were not used.
	Problem string
}

type labOptionView struct {
	Name        string
	Label       string
	Description string
	Choices     []labChoice
}

type labChoice struct {
	Value    string
	Selected bool
}

// labScenarios returns the scenarios that the lab runs on the server.
func labScenarios() []playground.Scenario {
	return slices.DeleteFunc(playground.Scenarios(), func(s playground.Scenario) bool {
		return s.Kind != playground.ScenarioLab
	})
}

func (s *Server) handleLabIndex(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "lab", "Lab: JWTs and sessions side by side", labPage{Scenarios: labScenarios()})
}

// handleLab serves one scenario's page. Its URL holds only the scenario's
// name and options, so it can be shared; the run itself happens when the
// learner presses Run.
func (s *Server) handleLab(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	scenarios := labScenarios()
	index := slices.IndexFunc(scenarios, func(sc playground.Scenario) bool { return sc.Name == name })
	if index < 0 {
		s.fail(w, r, http.StatusNotFound, "No such lab scenario",
			"The lab has no scenario called \""+name+"\". The lab page lists the scenarios.")
		return
	}
	page := labPage{Scenarios: scenarios, Scenario: scenarios[index]}
	status := http.StatusOK

	chosen := map[string]string{}
	for key, values := range r.URL.Query() {
		chosen[key] = values[len(values)-1]
	}
	options, err := playground.LabOptions(name, chosen)
	if err != nil {
		page.Problem = "This link's options were not used: " + err.Error() + " The defaults are selected instead."
		status = http.StatusBadRequest
		options, _ = playground.LabOptions(name, nil)
	}
	for _, option := range page.Scenario.Options {
		view := labOptionView{Name: option.Name, Label: option.Label, Description: option.Description}
		for _, choice := range option.Choices {
			view.Choices = append(view.Choices, labChoice{Value: choice, Selected: options[option.Name] == choice})
		}
		page.Options = append(page.Options, view)
	}
	if lesson, ok := s.library.Current().Course.Lesson(page.Scenario.Lesson); ok {
		page.LessonTitle = lesson.Title
		page.LessonURL = "/lessons/" + url.PathEscape(lesson.Slug)
	}
	s.render(w, r, status, "lab", page.Scenario.Title, page)
}
