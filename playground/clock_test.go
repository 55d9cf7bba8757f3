package playground_test

import (
	"net/http"
	"testing"
	"time"
)

func TestClockAdvance(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	r := c.get("/clock")
	wantStatus(t, r, http.StatusOK)
	body := r.json(t)
	wantField(t, body, "now", "2026-12-04T19:00:00Z")
	if body["offsetSeconds"] != float64(0) {
		t.Errorf("offsetSeconds = %v, want 0", body["offsetSeconds"])
	}

	r = c.postJSON("/clock", `{"advanceSeconds":3600}`)
	wantStatus(t, r, http.StatusOK)
	body = r.json(t)
	wantField(t, body, "now", "2026-12-04T20:00:00Z")
	if body["offsetSeconds"] != float64(3600) {
		t.Errorf("offsetSeconds after advance = %v, want 3600", body["offsetSeconds"])
	}

	// The offset is added to real time, which keeps running.
	env.clock.Add(30 * time.Second)
	body = c.get("/clock").json(t)
	wantField(t, body, "now", "2026-12-04T20:00:30Z")
	if body["offsetSeconds"] != float64(3600) {
		t.Errorf("offsetSeconds later = %v, want 3600", body["offsetSeconds"])
	}
}

func TestClockLearnersIndependent(t *testing.T) {
	env := newEnv(t, envOptions{})
	ada := env.newClient()
	bob := env.newClient()

	ada.advance(86400)
	wantField(t, ada.get("/clock").json(t), "now", "2026-12-05T19:00:00Z")
	wantField(t, bob.get("/clock").json(t), "now", "2026-12-04T19:00:00Z")
}

func TestClockOffsetCapped(t *testing.T) {
	env := newEnv(t, envOptions{})
	c := env.newClient()

	// Ninety-nine advances of 365 days and 1,000 seconds leave 31,535,000
	// seconds before the cap.
	for range 99 {
		c.advance(31536000)
	}
	c.advance(1000)
	r := c.postJSON("/clock", `{"advanceSeconds":31536000}`)
	wantStatus(t, r, http.StatusBadRequest)
	wantFieldContains(t, r.json(t), "error", "advance it by at most 31535000 seconds")

	// Using up exactly what is left reaches the cap; then nothing fits.
	c.advance(31535000)
	r = c.postJSON("/clock", `{"advanceSeconds":1}`)
	wantStatus(t, r, http.StatusBadRequest)
	wantFieldContains(t, r.json(t), "error", "reached its limit of 3153600000 seconds (100 years)")

	body := c.get("/clock").json(t)
	if body["offsetSeconds"] != float64(3153600000) {
		t.Errorf("offsetSeconds after a rejected advance = %v, want 3153600000", body["offsetSeconds"])
	}
}
