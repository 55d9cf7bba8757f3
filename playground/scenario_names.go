package playground

// ScenarioNames returns the names of the registered scenarios, which a
// lesson can give a ```playground NAME fenced block.
func ScenarioNames() []string {
	scenarios := Scenarios()
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.Name
	}
	return names
}
