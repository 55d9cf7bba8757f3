package playground

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// noExpirationDenyUntil is the end of the denylist entry of a token
// without exp. Such a token never expires, so its entry must outlast any
// virtual clock.
var noExpirationDenyUntil = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

type jwtLogoutResponse struct {
	Message string `json:"message"`
	// Revoked reports whether the token's jti was put on the denylist.
	Revoked bool `json:"revoked"`
	// JTI and RevokedUntil are set only when Revoked is true.
	JTI          string `json:"jti,omitempty"`
	RevokedUntil string `json:"revokedUntil,omitempty"`
	Detail       string `json:"detail"`
}

// handleJWTLogout logs out the bearer token. With the learner's denylist
// on, it records the token's jti until the token expires, so that a replay
// gets a 401 with reason revoked. With it off, the server has nothing to
// record, which is the point the lesson makes: the token stays valid.
func (s *Server) handleJWTLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	claims, now, err := s.verifyBearer(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	settings, err := s.store.Settings(ctx, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	if !settings.Denylist {
		writeJSON(w, http.StatusOK, jwtLogoutResponse{
			Message: "Logged out",
			Detail:  "The denylist is off, so the server recorded nothing: the token stays valid until its exp. Forget it on the client, or turn the denylist on with PUT /settings to revoke tokens on logout.",
		})
		return
	}

	jti, _ := claims["jti"].(string)
	if jti == "" {
		s.writeError(w, r, invalidf("The token has no jti claim, so the denylist cannot name it; log in with POST /jwt/login to get a token with a jti."))
		return
	}
	// The entry outlasts exp by the largest leeway, so raising the leeway
	// later cannot bring the token back.
	until := noExpirationDenyUntil
	revokedUntil := ""
	if expiresAt, _ := claims.GetExpirationTime(); expiresAt != nil {
		until = expiresAt.Time.Add(maxLeewaySeconds * time.Second)
		revokedUntil = formatTime(until)
	}
	err = s.store.DenyToken(ctx, id, jti, until, now)
	if errors.Is(err, ErrDenylistFull) {
		err = &apiError{
			kind:    kindConflict,
			message: "Denylist full",
			detail: fmt.Sprintf("Your sandbox's denylist already holds %d live entries, the most it keeps, so this token was not revoked. Entries leave when their tokens expire, so moving the clock forward with POST /clock frees them; to start over, delete your data from /progress.",
				MaxDenylistEntries),
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, jwtLogoutResponse{
		Message:      "Logged out",
		Revoked:      true,
		JTI:          jti,
		RevokedUntil: revokedUntil,
		Detail:       "The token's jti is on your sandbox's denylist, so GET /jwt/data rejects the token with reason revoked. The entry is kept until the token's exp plus the largest leeway (300 seconds); after that, the exp check rejects the token.",
	})
}
