package playground

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

const (
	signHeaderRule  = "header must be a JSON object with an alg string, such as {\"alg\":\"HS256\",\"typ\":\"JWT\"}"
	signPayloadRule = "payload must be a JSON object of claims"
	resignRule      = "resign must be true (sign again with your sandbox key) or false (keep the signature of token); it is true when left out"
)

type signRequest struct {
	Header  json.RawMessage `json:"header"`
	Payload json.RawMessage `json:"payload"`
	Resign  *bool           `json:"resign"`
	Token   *string         `json:"token"`
}

type signResponse struct {
	Token    string `json:"token"`
	Resigned bool   `json:"resigned"`
	// KeyID names the sandbox key that made the signature, when Resigned
	// is true and the algorithm is not "none".
	KeyID  string `json:"kid,omitempty"`
	Detail string `json:"detail"`
}

// handleSign builds a token from an edited header and payload. With
// resign true it signs them with the sandbox key for the header's alg.
// With resign false it reuses the signature of an existing token, so the
// learner can send a tampered token and watch verification reject it.
func (s *Server) handleSign(w http.ResponseWriter, r *http.Request) {
	skipTranscript(r)
	ctx := r.Context()
	id, err := learnerID(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var req signRequest
	rules := map[string]string{"header": signHeaderRule, "payload": signPayloadRule, "resign": resignRule, "token": tokenRule}
	if err := decodeJSON(w, r, &req, rules); err != nil {
		s.writeError(w, r, err)
		return
	}
	resign := req.Resign == nil || *req.Resign
	if !resign {
		response, err := keepSignature(req)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, response)
		return
	}

	header, err := compactObject("header", req.Header, signHeaderRule)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	payload, err := compactObject("payload", req.Payload, signPayloadRule)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var fields map[string]any
	json.Unmarshal(header, &fields)
	alg, _ := fields["alg"].(string)

	// An unsigned token is what a learner needs to try the allow-list,
	// so any letter case of "none" gets an empty signature.
	if strings.EqualFold(alg, "none") {
		writeJSON(w, http.StatusOK, signResponse{
			Token:    encodeSegment(header) + "." + encodeSegment(payload) + ".",
			Resigned: true,
			Detail:   fmt.Sprintf("alg is %q, so the token has an empty signature. Only a sandbox with the algorithm allow-list off accepts it, and only with alg exactly \"none\".", shorten(alg, 32)),
		})
		return
	}
	if !slices.Contains(algorithms, alg) {
		s.writeError(w, r, invalidf("The header's alg is %q; to sign, alg must be one of %s, or none for an unsigned token.", shorten(alg, 32), algorithmList()))
		return
	}

	key, err := s.signingKeyFor(ctx, id, alg)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	detail := fmt.Sprintf("Signed with your %s key %s.", alg, key.keyID)
	if _, hasKeyID := fields["kid"]; !hasKeyID {
		fields["kid"] = key.keyID
		header, _ = json.Marshal(fields)
		detail += " The header had no kid, so kid was added; the header's members are now in alphabetical order."
	} else if fields["kid"] != key.keyID {
		detail += " The header's kid was kept as written, and verification selects the key by that kid."
	}

	signingInput := encodeSegment(header) + "." + encodeSegment(payload)
	signature, err := key.method.Sign(signingInput, key.signingKey)
	if err != nil {
		s.writeError(w, r, fmt.Errorf("sign edited %s token: %w", alg, err))
		return
	}
	writeJSON(w, http.StatusOK, signResponse{
		Token:    signingInput + "." + base64.RawURLEncoding.EncodeToString(signature),
		Resigned: true,
		KeyID:    key.keyID,
		Detail:   detail,
	})
}

// keepSignature replaces the header or payload of req.Token with the
// edited ones and keeps its signature. A part left out stays as it was.
func keepSignature(req signRequest) (signResponse, error) {
	if req.Token == nil || strings.TrimSpace(*req.Token) == "" {
		return signResponse{}, invalidf("The field token is missing or empty; with resign false, send the token whose signature to keep.")
	}
	parts := strings.Split(strings.TrimSpace(*req.Token), ".")
	if len(parts) != 3 {
		return signResponse{}, invalidf("%s.", describePartCount(len(parts)))
	}

	if !isAbsent(req.Header) {
		header, err := compactObject("header", req.Header, signHeaderRule)
		if err != nil {
			return signResponse{}, err
		}
		parts[0] = encodeSegment(header)
	}
	if !isAbsent(req.Payload) {
		payload, err := compactObject("payload", req.Payload, signPayloadRule)
		if err != nil {
			return signResponse{}, err
		}
		parts[1] = encodeSegment(payload)
	}
	return signResponse{
		Token:  strings.Join(parts, "."),
		Detail: "The old signature was kept. Unless the header and payload are byte for byte what was signed, GET /jwt/data rejects the token with reason signature_invalid.",
	}, nil
}

func isAbsent(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// compactObject checks that raw is a JSON object and returns it without
// insignificant whitespace, its members in the order given.
func compactObject(field string, raw json.RawMessage, rule string) ([]byte, error) {
	if isAbsent(raw) {
		return nil, invalidf("The field %s is missing; %s.", field, rule)
	}
	trimmed := bytes.TrimSpace(raw)
	if trimmed[0] != '{' {
		return nil, invalidf("The field %s is not a JSON object; %s.", field, rule)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, trimmed); err != nil {
		return nil, invalidf("The field %s is not valid JSON: %s.", field, err.Error())
	}
	if field == "header" {
		var header map[string]any
		json.Unmarshal(compact.Bytes(), &header)
		if _, ok := header["alg"].(string); !ok {
			return nil, invalidf("The header has no alg string; %s.", rule)
		}
	}
	return compact.Bytes(), nil
}

func encodeSegment(data []byte) string {
	return base64.RawURLEncoding.EncodeToString(data)
}
