package playground

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"learn/learner"
)

const (
	// maxAdvanceSeconds is the largest single clock advance: 365 days.
	maxAdvanceSeconds = 365 * 24 * 60 * 60
	// maxOffsetSeconds caps a learner's total offset at 100 years of 365
	// days, which keeps virtual times far from any overflow.
	maxOffsetSeconds = 100 * maxAdvanceSeconds
)

const advanceSecondsRule = "advanceSeconds must be a whole number of seconds from 1 to 31536000 (365 days)"

// virtualNow returns the learner's virtual time: the real time plus the
// learner's clock offset. Inside a recorded request it returns the
// request's arrival time, read once by the recording middleware, so that
// the transcript and the handler agree on the time.
func (s *Server) virtualNow(ctx context.Context, id learner.ID) (time.Time, error) {
	if control, ok := ctx.Value(transcriptControlKey{}).(*transcriptControl); ok && control.learner == id {
		return control.arrived, nil
	}
	offset, err := s.store.ClockOffset(ctx, id)
	if err != nil {
		return time.Time{}, err
	}
	return s.realNow().Add(time.Duration(offset) * time.Second), nil
}

type advanceClockRequest struct {
	AdvanceSeconds *int64 `json:"advanceSeconds"`
}

type clockResponse struct {
	Now           string `json:"now"`
	OffsetSeconds int64  `json:"offsetSeconds"`
}

func (s *Server) handleGetClock(w http.ResponseWriter, r *http.Request) {
	// The playground page reads the clock each time it loads; recording
	// that would fill the transcript with requests the learner never made.
	skipTranscript(r)
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	offset, err := s.store.ClockOffset(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.clockResponse(offset))
}

func (s *Server) handleAdvanceClock(w http.ResponseWriter, r *http.Request) {
	id, err := learnerID(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req advanceClockRequest
	if err := decodeJSON(w, r, &req, map[string]string{"advanceSeconds": advanceSecondsRule}); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.AdvanceSeconds == nil {
		s.writeError(w, r, invalidf("The field advanceSeconds is missing; %s.", advanceSecondsRule))
		return
	}
	seconds := *req.AdvanceSeconds
	if seconds < 1 || seconds > maxAdvanceSeconds {
		s.writeError(w, r, invalidf("advanceSeconds is %d; %s.", seconds, advanceSecondsRule))
		return
	}

	offset, err := s.store.AdvanceClock(r.Context(), id, seconds, maxOffsetSeconds)
	if errors.Is(err, ErrOffsetLimit) && offset >= maxOffsetSeconds {
		s.writeError(w, r, invalidf(
			"The playground clock has reached its limit of %d seconds (100 years) ahead of real time and cannot move further; clear this site's cookies to start again as a new learner.",
			int64(maxOffsetSeconds)))
		return
	}
	if errors.Is(err, ErrOffsetLimit) {
		s.writeError(w, r, invalidf(
			"The playground clock can run at most %d seconds (100 years) ahead of real time; it is %d seconds ahead now, so advance it by at most %d seconds.",
			int64(maxOffsetSeconds), offset, maxOffsetSeconds-offset))
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.clockResponse(offset))
}

func (s *Server) clockResponse(offset int64) clockResponse {
	now := s.realNow().Add(time.Duration(offset) * time.Second)
	return clockResponse{Now: formatTime(now), OffsetSeconds: offset}
}

// formatTime formats t as RFC 3339 in UTC, to the second.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// formatSeconds writes a whole number of seconds with its unit, such as
// "1 second" or "90 seconds".
func formatSeconds(seconds int64) string {
	if seconds == 1 || seconds == -1 {
		return fmt.Sprintf("%d second", seconds)
	}
	return fmt.Sprintf("%d seconds", seconds)
}
