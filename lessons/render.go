package lessons

import (
	"learn/markdown"
	"learn/playground"
)

// renderOptions configures the Markdown renderer for lessons: a
// ```playground block may name any scenario the playground registers.
func renderOptions() []markdown.Option {
	var scenarios []markdown.Scenario
	for _, s := range playground.Scenarios() {
		scenarios = append(scenarios, markdown.Scenario{Name: s.Name, Title: s.Title, Description: s.Description})
	}
	return []markdown.Option{markdown.WithScenarios(scenarios...)}
}
