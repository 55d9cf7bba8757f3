package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// answerResult is the body of POST /api/quiz/{quiz}/questions/{id}/answers.
type answerResult struct {
	Correct        bool     `json:"correct"`
	CorrectOptions []string `json:"correctOptions"`
	CorrectAnswer  string   `json:"correctAnswer"`
	Explanation    struct {
		Steps       []string `json:"steps"`
		FinalAnswer string   `json:"finalAnswer"`
		QuickCheck  string   `json:"quickCheck"`
		Mistakes    string   `json:"mistakes"`
	} `json:"explanation"`
	Feedback []struct {
		Option string `json:"option"`
		HTML   string `json:"html"`
	} `json:"feedback"`
	Score struct {
		Correct  int `json:"correct"`
		Answered int `json:"answered"`
		Outdated int `json:"outdated"`
		Total    int `json:"total"`
	} `json:"score"`
}

func decodeInto(t testing.TB, r response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("body is not the expected JSON (%v): %q", err, r.body)
	}
}

func TestQuizAPIList(t *testing.T) {
	s := newSite(t)
	r := s.newVisitor(t).get("/api/quiz")
	wantStatus(t, r, http.StatusOK)

	var body struct {
		Quizzes []struct {
			ID        string `json:"id"`
			Title     string `json:"title"`
			Lesson    string `json:"lesson"`
			Questions int    `json:"questions"`
		} `json:"quizzes"`
	}
	decodeInto(t, r, &body)
	if len(body.Quizzes) != len(s.quizzes) {
		t.Fatalf("listed %d quizzes, want %d", len(body.Quizzes), len(s.quizzes))
	}
	for i, q := range s.quizzes {
		got := body.Quizzes[i]
		if got.ID != q.ID || got.Title != q.Title || got.Lesson != q.Lesson || got.Questions != len(q.Questions) {
			t.Errorf("quiz %d = %+v, want id %s, title %q, lesson %s, %d questions", i, got, q.ID, q.Title, q.Lesson, len(q.Questions))
		}
	}
}

func TestQuizAPIQuiz(t *testing.T) {
	s := newSite(t)
	r := s.newVisitor(t).get("/api/quiz/verifying-a-jwt")
	wantStatus(t, r, http.StatusOK)
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}

	var body struct {
		Questions []struct {
			ID      string                             `json:"id"`
			Type    string                             `json:"type"`
			Code    *struct{ Lines []string }          `json:"code"`
			Options []struct{ ID, Label, HTML string } `json:"options"`
			State   string                             `json:"state"`
		} `json:"questions"`
	}
	decodeInto(t, r, &body)

	types := make(map[string]string)
	for _, q := range body.Questions {
		types[q.ID] = q.Type
		if q.State != "not-tried" {
			t.Errorf("question %s state = %q for a fresh learner, want not-tried", q.ID, q.State)
		}
		switch q.Type {
		case "status":
			if len(q.Options) != 0 {
				t.Errorf("status question %s lists %d options, which would reveal wrong values", q.ID, len(q.Options))
			}
		case "bug":
			if q.Code == nil || len(q.Code.Lines) == 0 || len(q.Options) == 0 || !strings.HasPrefix(q.Options[0].Label, "Line ") {
				t.Errorf("bug question %s lacks its code lines or line options: %+v", q.ID, q)
			}
		default:
			if len(q.Options) == 0 || q.Options[0].Label != "A" || q.Options[0].ID == "" {
				t.Errorf("question %s options start with %+v, want id and label A", q.ID, q.Options)
			}
		}
	}
	want := map[string]string{"no-token-status": "status", "decode-not-verify": "bug", "pin-algorithms": "single", "checks-before-trust": "multiple"}
	for id, typ := range want {
		if types[id] != typ {
			t.Errorf("question %s type = %q, want %q", id, types[id], typ)
		}
	}
}

func TestQuizAPIAnswers(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		name           string
		path           string
		body           string
		correct        bool
		correctOptions string // ids joined by spaces
		correctAnswer  string
		feedback       string // option ids with feedback, joined by spaces
	}{
		{"single right", "/api/quiz/verifying-a-jwt/questions/pin-algorithms/answers", `{"choices":["attacker-picks-alg"]}`, true, "attacker-picks-alg", "", "attacker-picks-alg"},
		{"single wrong", "/api/quiz/verifying-a-jwt/questions/pin-algorithms/answers", `{"choices":["faster"]}`, false, "attacker-picks-alg", "", "faster attacker-picks-alg"},
		{"multiple right", "/api/quiz/verifying-a-jwt/questions/checks-before-trust/answers", `{"choices":["check-iss-aud","check-exp","check-signature"]}`, true, "check-exp check-signature check-iss-aud", "", "check-iss-aud check-exp check-signature"},
		{"multiple missing one", "/api/quiz/verifying-a-jwt/questions/checks-before-trust/answers", `{"choices":["check-exp","check-signature"]}`, false, "check-exp check-signature check-iss-aud", "", "check-exp check-signature check-iss-aud"},
		{"multiple with a wrong one", "/api/quiz/verifying-a-jwt/questions/checks-before-trust/answers", `{"choices":["check-exp","check-signature","check-iss-aud","decodes"]}`, false, "check-exp check-signature check-iss-aud", "", "check-exp check-signature check-iss-aud decodes"},
		{"status right", "/api/quiz/verifying-a-jwt/questions/no-token-status/answers", `{"answer":"401"}`, true, "", "401", ""},
		{"status known wrong value", "/api/quiz/verifying-a-jwt/questions/no-token-status/answers", `{"answer":"403"}`, false, "", "401", "w403"},
		{"status other wrong value", "/api/quiz/verifying-a-jwt/questions/no-token-status/answers", `{"answer":"500"}`, false, "", "401", ""},
		{"bug right", "/api/quiz/verifying-a-jwt/questions/decode-not-verify/answers", `{"choices":["line-6"]}`, true, "line-6", "", "line-6"},
		{"bug wrong", "/api/quiz/verifying-a-jwt/questions/decode-not-verify/answers", `{"choices":["line-9"]}`, false, "line-6", "", "line-9 line-6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := s.newVisitor(t)
			r := v.postJSON(tt.path, tt.body)
			wantStatus(t, r, http.StatusOK)

			var got answerResult
			decodeInto(t, r, &got)
			if got.Correct != tt.correct {
				t.Errorf("correct = %v, want %v", got.Correct, tt.correct)
			}
			if ids := strings.Join(got.CorrectOptions, " "); ids != tt.correctOptions {
				t.Errorf("correctOptions = %q, want %q", ids, tt.correctOptions)
			}
			if got.CorrectAnswer != tt.correctAnswer {
				t.Errorf("correctAnswer = %q, want %q", got.CorrectAnswer, tt.correctAnswer)
			}
			var feedback []string
			for _, f := range got.Feedback {
				feedback = append(feedback, f.Option)
			}
			if ids := strings.Join(feedback, " "); ids != tt.feedback {
				t.Errorf("feedback options = %q, want %q", ids, tt.feedback)
			}
			if len(got.Explanation.Steps) == 0 || got.Explanation.FinalAnswer == "" || got.Explanation.QuickCheck == "" || got.Explanation.Mistakes == "" {
				t.Errorf("explanation is incomplete: %+v", got.Explanation)
			}

			wantCorrect := 0
			if tt.correct {
				wantCorrect = 1
			}
			if got.Score.Answered != 1 || got.Score.Correct != wantCorrect || got.Score.Total != 5 {
				t.Errorf("score = %+v, want %d correct of 1 answered, 5 total", got.Score, wantCorrect)
			}

			// The form page shows the answer that the API stored.
			page := v.get("/quiz/verifying-a-jwt")
			if !strings.Contains(page.body, "Score so far: <strong>"+string(rune('0'+wantCorrect))+" of 5</strong>") {
				t.Error("the quiz page does not show the score of the answer stored through the API")
			}
		})
	}
}

func TestQuizAPIRejectsBadInput(t *testing.T) {
	s := newSite(t)
	const single = "/api/quiz/verifying-a-jwt/questions/pin-algorithms/answers"
	const status = "/api/quiz/verifying-a-jwt/questions/no-token-status/answers"
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		code   int
		want   string // substring of the error message
	}{
		{"unknown quiz", http.MethodGet, "/api/quiz/nope", "", http.StatusNotFound, `No quiz is called "nope"`},
		{"unknown quiz answer", http.MethodPost, "/api/quiz/nope/questions/x/answers", `{"choices":["a"]}`, http.StatusNotFound, `No quiz is called "nope"`},
		{"unknown question", http.MethodPost, "/api/quiz/verifying-a-jwt/questions/nope/answers", `{"choices":["a"]}`, http.StatusNotFound, `has no question "nope"`},
		{"unknown route", http.MethodGet, "/api/quiz/verifying-a-jwt/questions", "", http.StatusNotFound, "No quiz API route"},
		{"wrong method", http.MethodPut, "/api/quiz/verifying-a-jwt", "", http.StatusMethodNotAllowed, "PUT is not supported"},
		{"unknown option", http.MethodPost, single, `{"choices":["zz"]}`, http.StatusBadRequest, `has no option "zz"; choose from faster, attacker-picks-alg, encrypts, sets-sign-default`},
		{"no choices", http.MethodPost, single, `{"choices":[]}`, http.StatusBadRequest, "no option chosen"},
		{"two choices for single", http.MethodPost, single, `{"choices":["faster","encrypts"]}`, http.StatusBadRequest, "2 options chosen"},
		{"answer for choice question", http.MethodPost, single, `{"answer":"401"}`, http.StatusBadRequest, `takes option ids; send {"choices":["faster"]}`},
		{"choices for status question", http.MethodPost, status, `{"choices":["w403"]}`, http.StatusBadRequest, `send {"answer":"401"}`},
		{"status answer not a number", http.MethodPost, status, `{"answer":"forbidden"}`, http.StatusBadRequest, "not a whole number"},
		{"status answer as number", http.MethodPost, status, `{"answer":401}`, http.StatusBadRequest, "not a valid answer"},
		{"both choices and answer", http.MethodPost, single, `{"choices":["faster"],"answer":"401"}`, http.StatusBadRequest, "both choices and answer"},
		{"invalid JSON", http.MethodPost, single, `{"choices":`, http.StatusBadRequest, "not a valid answer"},
		{"empty body", http.MethodPost, single, ``, http.StatusBadRequest, "not a valid answer"},
		{"unknown field", http.MethodPost, single, `{"choice":["faster"]}`, http.StatusBadRequest, `unknown field "choice"`},
		{"two JSON values", http.MethodPost, single, `{"choices":["faster"]} {}`, http.StatusBadRequest, "more than one JSON value"},
		{"body over 16 KB", http.MethodPost, single, `{"choices":["` + strings.Repeat("a", 17<<10) + `"]}`, http.StatusRequestEntityTooLarge, "over 16 KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := s.newVisitor(t)
			req, err := http.NewRequest(tt.method, s.server.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			r := v.do(req)

			wantStatus(t, r, tt.code)
			if got := r.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			message, _ := decode(t, r)["error"].(string)
			if !strings.Contains(message, tt.want) {
				t.Errorf("error %q does not contain %q", message, tt.want)
			}

			quiz := decode(t, v.get("/api/quiz/verifying-a-jwt"))
			if score := quiz["score"].(map[string]any); score["answered"] != float64(0) {
				t.Errorf("a rejected answer was stored: score %v", score)
			}
		})
	}
}

func TestQuizAPICrossOriginRejected(t *testing.T) {
	s := newSite(t)
	r := s.newVisitor(t).postJSON("/api/quiz/verifying-a-jwt/questions/pin-algorithms/answers", `{"choices":["faster"]}`,
		"Sec-Fetch-Site", "cross-site", "Origin", "https://attacker.example")
	wantStatus(t, r, http.StatusForbidden)
	decode(t, r)
}
