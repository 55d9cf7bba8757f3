package web_test

import (
	"net/http"
	"strings"
	"testing"

	"learn/web"
)

func TestLearnerRateLimit(t *testing.T) {
	s := newSiteConfigured(t, func(c *web.Config) {
		c.RateLimits = web.RateLimits{API: 100, Learner: 3}
	})
	busy := s.newVisitor(t)
	for range 3 {
		wantStatus(t, busy.get(api+"/clock"), http.StatusOK)
	}

	r := busy.get(api + "/clock")
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := r.header.Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60 seconds", got)
	}
	body := decode(t, r)
	if body["error"] != "Too many requests" {
		t.Errorf("error = %v, want Too many requests", body["error"])
	}
	detail, _ := body["detail"].(string)
	for _, want := range []string{"more than 3 playground requests", "Wait 60 seconds"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail = %q, want it to contain %q", detail, want)
		}
	}

	t.Run("other learners on the same address", func(t *testing.T) {
		wantStatus(t, s.newVisitor(t).get(api+"/clock"), http.StatusOK)
	})
	t.Run("pages of the limited learner", func(t *testing.T) {
		wantStatus(t, busy.get("/"), http.StatusOK)
	})
}

func TestPlaygroundBodyLimitThroughSite(t *testing.T) {
	v := newSite(t).newVisitor(t)
	const limit = 64 << 10
	object := `{"username":"ada"}`
	atLimit := object + strings.Repeat(" ", limit-len(object))

	wantStatus(t, v.postJSON(api+"/jwt/login", atLimit), http.StatusOK)

	r := v.postJSON(api+"/jwt/login", atLimit+" ")
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if msg, _ := decode(t, r)["error"].(string); !strings.Contains(msg, "larger than 65536 bytes") {
		t.Errorf("error = %q, want it to name the limit of 65536 bytes", msg)
	}
}
