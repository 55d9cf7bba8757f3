package quiz

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the parser's output")

// goldenQuiz is the parsed form of a quiz in a golden file. It includes
// the key, which Quiz keeps unexported.
type goldenQuiz struct {
	ID        string           `json:"id"`
	Title     string           `json:"title"`
	Shuffle   bool             `json:"shuffle"`
	IntroHTML string           `json:"introHTML"`
	Questions []goldenQuestion `json:"questions"`
}

type goldenQuestion struct {
	ID          string         `json:"id"`
	Type        Type           `json:"type"`
	Title       string         `json:"title"`
	Line        int            `json:"line"`
	PromptHTML  string         `json:"promptHTML"`
	Code        *Code          `json:"code,omitempty"`
	Answer      int            `json:"answer,omitempty"`
	Options     []goldenOption `json:"options"`
	Steps       []string       `json:"steps"`
	FinalAnswer string         `json:"finalAnswer"`
	Fingerprint string         `json:"fingerprint"`
}

type goldenOption struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	HTML     string `json:"html"`
	Text     string `json:"text"`
	Feedback string `json:"feedback,omitempty"`
	Line     int    `json:"line,omitempty"`
	Value    int    `json:"value,omitempty"`
	Correct  bool   `json:"correct"`
}

func toGolden(q *Quiz) goldenQuiz {
	g := goldenQuiz{ID: q.ID, Title: q.Title, Shuffle: q.Shuffle, IntroHTML: q.IntroHTML}
	for _, question := range q.Questions {
		gq := goldenQuestion{
			ID: question.ID, Type: question.Type, Title: question.Title, Line: question.Line,
			PromptHTML: question.PromptHTML, Code: question.Code, Answer: question.answer,
			Steps: question.SolutionSteps, FinalAnswer: question.FinalAnswerHTML,
			Fingerprint: question.KeyFingerprint(),
		}
		for _, o := range question.Options {
			gq.Options = append(gq.Options, goldenOption{
				ID: o.ID, Label: o.Label, HTML: o.HTML, Text: o.Text, Feedback: o.FeedbackHTML,
				Line: o.Line, Value: o.Value, Correct: o.correct,
			})
		}
		g.Questions = append(g.Questions, gq)
	}
	return g
}

// TestParseGolden parses each testdata/golden/*.md file and compares the
// result with the .json file of the same name. Run with -update to
// rewrite the .json files after a deliberate change, then review the diff.
func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files found: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			q, err := parse("quizzes/"+name+".md", src)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(toGolden(q)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()

			goldenFile := strings.TrimSuffix(file, ".md") + ".json"
			if *update {
				if err := os.WriteFile(goldenFile, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(goldenFile)
			if err != nil {
				t.Fatalf("read golden file (run go test -update to create it): %v", err)
			}
			if string(got) != string(want) {
				t.Errorf("parsed %s differs from %s:\ngot:\n%s\nwant:\n%s", file, goldenFile, got, want)
			}
		})
	}
}
