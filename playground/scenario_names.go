package playground

// ScenarioNames returns the names that a lesson can give a ```playground
// NAME fenced block.
//
// TODO: the try-it panels that run these scenarios are not built yet, so
// this list is kept by hand and only `learn check` reads it.
func ScenarioNames() []string {
	return []string{"jwt-expiry", "jwt-tamper", "jwt-logout", "session-logout", "session-idle"}
}
