package quiz

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// Pieces of a valid quiz file that the tests combine and vary.
const (
	frontMatterText = "---\nid: sessions\ntitle: Practice\n---\n"
	headingText     = "## Where is the state? {#state}\n\nPrompt.\n\n"
	optionsText     = "- [x] On the server.\n\n  Right.\n\n- [ ] In the token.\n\n  Wrong.\n\n"
	solutionText    = "### Solution\n\n1. Step one.\n2. Step two.\n\n"
	finalText       = "### Final answer\n\nOn the server.\n\n"
	quickCheckText  = "### Quick check\n\nWhere is it?\n\n"
	mistakesText    = "### Common mistakes\n\n- Confusing the two.\n\n"
	sectionsText    = solutionText + finalText + quickCheckText + mistakesText
	validQuizText   = frontMatterText + headingText + optionsText + sectionsText
)

// fullQuizText uses every feature of the format.
const fullQuizText = `---
id: jwt-vs-sessions
title: "Practice: JWT versus sessions"
lesson: choosing-a-strategy
---

Check what you learnt in *Choosing a strategy*.

## Where does each strategy keep the user's data? {#storage-location}

A server issues either a session id or a JWT:

` + "```go\nhttp.SetCookie(w, &http.Cookie{Name: \"sid\"})\n```" + `

- [ ] Both keep it in the cookie.

  A session cookie carries only an id.

- [x] Sessions keep it on the server; a JWT carries it in the token.

  The server looks the session id up, while a JWT is
  self-contained.

  Its claims are signed, not encrypted.

- [ ] Both keep it in the database.
- [ ] A JWT keeps it in ` + "`localStorage`" + ` only.

### Solution

1. Ask what the cookie contains.
2. Ask what the server must look up:
   ` + "`sid`" + ` needs a store.

### Final answer

**B**: server-side state versus a self-contained token.

### QUICK   check

Where is a JWT's expiry stored?

### Common mistakes

- Thinking a JWT is encrypted.

## Can a server revoke a JWT early? {#revocation}

- [x] Only with extra state, such as a deny list.
- [ ] Yes, by deleting it.

### Solution

1. A JWT is valid until it expires.

### Final answer

Only with extra state.

### Quick check

What does a deny list cost?

### Common mistakes

Forgetting copies held by the client.
`

// mapFS builds a course file system from file names and contents.
func mapFS(tb testing.TB, files map[string]string) fstest.MapFS {
	tb.Helper()

	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// mustLoad loads quizzes and fails the test on error.
func mustLoad(tb testing.TB, files map[string]string) []*Quiz {
	tb.Helper()

	quizzes, err := Load(mapFS(tb, files))
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return quizzes
}

func TestLoadParsesFullQuiz(t *testing.T) {
	quizzes := mustLoad(t, map[string]string{"quizzes/jwt.md": fullQuizText})
	if len(quizzes) != 1 {
		t.Fatalf("Load returned %d quizzes, want 1", len(quizzes))
	}
	got := quizzes[0]

	if want := "jwt-vs-sessions"; got.ID != want {
		t.Errorf("ID = %q, want %q", got.ID, want)
	}
	if want := "Practice: JWT versus sessions"; got.Title != want {
		t.Errorf("Title = %q, want %q", got.Title, want)
	}
	if want := "choosing-a-strategy"; got.Lesson != want {
		t.Errorf("Lesson = %q, want %q", got.Lesson, want)
	}
	if want := "<p>Check what you learnt in <em>Choosing a strategy</em>.</p>"; got.IntroHTML != want {
		t.Errorf("IntroHTML = %q, want %q", got.IntroHTML, want)
	}
	if len(got.Questions) != 2 {
		t.Fatalf("got %d questions, want 2", len(got.Questions))
	}

	wantQuestions := []*Question{
		{
			ID:    "storage-location",
			Type:  Single,
			Line:  9,
			Title: "Where does each strategy keep the user's data?",
			PromptHTML: "<p>A server issues either a session id or a JWT:</p>\n" +
				"<pre class=\"chroma\" tabindex=\"0\"><code class=\"language-go\"><span class=\"nx\">http</span><span class=\"p\">.</span><span class=\"nf\">SetCookie</span>" +
				"<span class=\"p\">(</span><span class=\"nx\">w</span><span class=\"p\">,</span><span class=\"w\"> </span><span class=\"o\">&amp;</span>" +
				"<span class=\"nx\">http</span><span class=\"p\">.</span><span class=\"nx\">Cookie</span><span class=\"p\">{</span><span class=\"nx\">Name</span>" +
				"<span class=\"p\">:</span><span class=\"w\"> </span><span class=\"s\">&#34;sid&#34;</span><span class=\"p\">})</span><span class=\"w\">\n</span></code></pre>",
			Options: []*Option{
				{ID: "a", Label: "A", HTML: "Both keep it in the cookie.", Text: "Both keep it in the cookie.", FeedbackHTML: "<p>A session cookie carries only an id.</p>",
					FeedbackText: "A session cookie carries only an id."},
				{
					ID:           "b",
					Label:        "B",
					HTML:         "Sessions keep it on the server; a JWT carries it in the token.",
					Text:         "Sessions keep it on the server; a JWT carries it in the token.",
					FeedbackHTML: "<p>The server looks the session id up, while a JWT is\nself-contained.</p>\n<p>Its claims are signed, not encrypted.</p>",
					FeedbackText: "The server looks the session id up, while a JWT is self-contained. Its claims are signed, not encrypted.",
					correct:      true,
				},
				{ID: "c", Label: "C", HTML: "Both keep it in the database.", Text: "Both keep it in the database."},
				{ID: "d", Label: "D", HTML: "A JWT keeps it in <code>localStorage</code> only.", Text: "A JWT keeps it in localStorage only."},
			},
			SolutionSteps: []string{
				"Ask what the cookie contains.",
				"Ask what the server must look up:\n<code>sid</code> needs a store.",
			},
			FinalAnswerHTML: "<p><strong>B</strong>: server-side state versus a self-contained token.</p>",
			QuickCheckHTML:  "<p>Where is a JWT's expiry stored?</p>",
			MistakesHTML:    "<ul>\n<li>Thinking a JWT is encrypted.</li>\n</ul>",
		},
		{
			ID:    "revocation",
			Type:  Single,
			Line:  49,
			Title: "Can a server revoke a JWT early?",
			Options: []*Option{
				{ID: "a", Label: "A", HTML: "Only with extra state, such as a deny list.", Text: "Only with extra state, such as a deny list.", correct: true},
				{ID: "b", Label: "B", HTML: "Yes, by deleting it.", Text: "Yes, by deleting it."},
			},
			SolutionSteps:   []string{"A JWT is valid until it expires."},
			FinalAnswerHTML: "<p>Only with extra state.</p>",
			QuickCheckHTML:  "<p>What does a deny list cost?</p>",
			MistakesHTML:    "<p>Forgetting copies held by the client.</p>",
		},
	}
	for i, want := range wantQuestions {
		question := got.Questions[i]
		for j, option := range question.Options {
			if j < len(want.Options) && !reflect.DeepEqual(option, want.Options[j]) {
				t.Errorf("question %s option %d\ngot:  %#v\nwant: %#v", want.ID, j, *option, *want.Options[j])
			}
		}
		if !reflect.DeepEqual(question, want) {
			t.Errorf("question %d\ngot:  %#v\nwant: %#v", i, *question, *want)
		}
	}
}

func TestLoadHTMLIsSafe(t *testing.T) {
	file := frontMatterText + "<script>alert(1)</script>\n\n" +
		"## Where? {#state}\n\n[link](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n" +
		"- [x] <b onclick=alert(1)>Bold</b>\n\n  <script>alert(2)</script>\n\n" +
		"- [ ] [x](javascript:alert(3))\n\n" + sectionsText
	q := mustLoad(t, map[string]string{"quizzes/q.md": file})[0]
	question := q.Questions[0]

	fields := map[string]string{
		"IntroHTML":              q.IntroHTML,
		"PromptHTML":             question.PromptHTML,
		"option A HTML":          question.Options[0].HTML,
		"option A feedback":      question.Options[0].FeedbackHTML,
		"option B HTML":          question.Options[1].HTML,
		"option B feedback":      question.Options[1].FeedbackHTML,
		"FinalAnswerHTML":        question.FinalAnswerHTML,
		"first step of Solution": question.SolutionSteps[0],
	}
	for name, html := range fields {
		for _, bad := range []string{"<script", "javascript:", "onclick", "onerror"} {
			if strings.Contains(html, bad) {
				t.Errorf("%s contains %q: %q", name, bad, html)
			}
		}
	}
}

func TestLoadPromptHeadingHasNoAutoID(t *testing.T) {
	file := frontMatterText + headingText + "#### Background {.note}\n\nText.\n\n" + optionsText + sectionsText
	question := mustLoad(t, map[string]string{"quizzes/q.md": file})[0].Questions[0]

	want := "<p>Prompt.</p>\n<h4 class=\"note\">Background</h4>\n<p>Text.</p>"
	if question.PromptHTML != want {
		t.Errorf("PromptHTML = %q, want %q", question.PromptHTML, want)
	}
}

func TestLoadSortsByID(t *testing.T) {
	quizzes := mustLoad(t, map[string]string{
		"quizzes/1.md":      strings.Replace(validQuizText, "id: sessions", "id: zebra", 1),
		"quizzes/2.md":      strings.Replace(validQuizText, "id: sessions", "id: alpha", 1),
		"quizzes/3.md":      validQuizText,
		"quizzes/notes.txt": "not a quiz",
		"lessons/a.md":      "not read by this package",
	})

	var ids []string
	for _, q := range quizzes {
		ids = append(ids, q.ID)
	}
	if got, want := strings.Join(ids, " "), "alpha sessions zebra"; got != want {
		t.Errorf("quiz ids = %q, want %q", got, want)
	}
}

func TestLoadWithoutQuizzesFolder(t *testing.T) {
	quizzes, err := Load(mapFS(t, map[string]string{"lessons/a.md": "x"}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(quizzes) != 0 {
		t.Errorf("Load returned %d quizzes, want none", len(quizzes))
	}
}

func TestFind(t *testing.T) {
	quizzes := mustLoad(t, map[string]string{"quizzes/q.md": validQuizText})

	if q, ok := Find(quizzes, "sessions"); !ok || q.ID != "sessions" {
		t.Errorf("Find(%q) = %v, %v; want the quiz", "sessions", q, ok)
	}
	if q, ok := Find(quizzes, "missing"); ok || q != nil {
		t.Errorf("Find(%q) = %v, %v; want nil, false", "missing", q, ok)
	}
}

func TestQuizQuestion(t *testing.T) {
	q := mustLoad(t, map[string]string{"quizzes/q.md": fullQuizText})[0]

	if question, ok := q.Question("revocation"); !ok || question.ID != "revocation" {
		t.Errorf("Question(%q) = %v, %v; want the question", "revocation", question, ok)
	}
	if question, ok := q.Question("missing"); ok || question != nil {
		t.Errorf("Question(%q) = %v, %v; want nil, false", "missing", question, ok)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error message
	}{
		{
			name:  "no questions",
			files: map[string]string{"quizzes/q.md": frontMatterText + "Just an introduction.\n"},
			want:  []string{"quizzes/q.md:", "no questions", "## "},
		},
		{
			name:  "missing question id",
			files: map[string]string{"quizzes/q.md": frontMatterText + "## Where is the state?\n\n" + optionsText + sectionsText},
			want:  []string{"quizzes/q.md", `question "Where is the state?": missing id`, "{#my-question}"},
		},
		{
			name:  "question heading as setext",
			files: map[string]string{"quizzes/q.md": frontMatterText + "Where is the state?\n---\n\n" + optionsText + sectionsText},
			want:  []string{"quizzes/q.md", `question "Where is the state?": missing id`},
		},
		{
			name:  "invalid question id",
			files: map[string]string{"quizzes/q.md": frontMatterText + "## Where? {#Bad_ID}\n\n" + optionsText + sectionsText},
			want:  []string{"quizzes/q.md", `question "Where?": invalid id "Bad_ID"`, "lowercase letters"},
		},
		{
			name:  "missing question title",
			files: map[string]string{"quizzes/q.md": frontMatterText + "## {#state}\n\n" + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: missing title"},
		},
		{
			name:  "duplicate question id",
			files: map[string]string{"quizzes/q.md": validQuizText + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: duplicate question id", "unique"},
		},
		{
			name:  "no options list",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + "- Not an option.\n- Nor this.\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: no options list", "[x]"},
		},
		{
			name:  "options list only after sections",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + sectionsText + optionsText},
			want:  []string{"quizzes/q.md:", "question state: no options list"},
		},
		{
			name:  "option without checkbox",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + "- [x] Right.\n- Plain item.\n- [ ] Wrong.\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: options list item 2 has no checkbox"},
		},
		{
			name:  "one option",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + "- [x] Only one.\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: only 1 option", "at least two"},
		},
		{
			name:  "empty option",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + "- [x] Right.\n- [ ]\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: option B is empty"},
		},
		{
			name:  "no correct option",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + "- [ ] One.\n- [ ] Two.\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: no correct option", "[x]"},
		},
		{
			name:  "two correct options",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + "- [x] One.\n- [ ] Two.\n- [X] Three.\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: options A, C are all marked correct", "single-choice"},
		},
		{
			name:  "text after options list",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + "A stray paragraph.\n\n" + sectionsText},
			want:  []string{"quizzes/q.md:", "question state: text after the options list"},
		},
		{
			name:  "missing solution",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + finalText + quickCheckText + mistakesText},
			want:  []string{"quizzes/q.md:", "question state: missing section", `"### Solution"`},
		},
		{
			name:  "missing final answer",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + solutionText + quickCheckText + mistakesText},
			want:  []string{"quizzes/q.md:", "question state: missing section", `"### Final answer"`},
		},
		{
			name:  "missing quick check",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + solutionText + finalText + mistakesText},
			want:  []string{"quizzes/q.md:", "question state: missing section", `"### Quick check"`},
		},
		{
			name:  "missing common mistakes",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + solutionText + finalText + quickCheckText},
			want:  []string{"quizzes/q.md:", "question state: missing section", `"### Common mistakes"`},
		},
		{
			name:  "unknown section",
			files: map[string]string{"quizzes/q.md": validQuizText + "### Hints\n\nTry harder.\n"},
			want:  []string{"quizzes/q.md:", "question state: unknown section \"Hints\"", "Solution, Final answer, Quick check, Common mistakes"},
		},
		{
			name:  "duplicate section",
			files: map[string]string{"quizzes/q.md": validQuizText + "### Final Answer\n\nAgain.\n"},
			want:  []string{"quizzes/q.md:", "question state: duplicate section \"Final Answer\""},
		},
		{
			name:  "empty section",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + solutionText + "### Final answer\n\n" + quickCheckText + mistakesText},
			want:  []string{"quizzes/q.md:", "question state: the Final answer section is empty"},
		},
		{
			name:  "solution without numbered list",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + "### Solution\n\n- Step.\n\n" + finalText + quickCheckText + mistakesText},
			want:  []string{"quizzes/q.md:", "question state: the Solution section has no numbered list"},
		},
		{
			name:  "solution with extra text",
			files: map[string]string{"quizzes/q.md": frontMatterText + headingText + optionsText + "### Solution\n\nFirst:\n\n1. Step.\n\n" + finalText + quickCheckText + mistakesText},
			want:  []string{"quizzes/q.md:", "question state: the Solution section must contain only a numbered list"},
		},
		{
			name:  "level-1 heading",
			files: map[string]string{"quizzes/q.md": frontMatterText + "# Practice\n\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "level-1 heading \"Practice\"", "title in front matter"},
		},
		{
			name:  "missing quiz id",
			files: map[string]string{"quizzes/q.md": "---\ntitle: Practice\n---\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "missing id", "id: "},
		},
		{
			name:  "invalid quiz id",
			files: map[string]string{"quizzes/q.md": "---\nid: My Quiz\ntitle: Practice\n---\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "invalid quiz id \"My Quiz\""},
		},
		{
			name:  "missing quiz title",
			files: map[string]string{"quizzes/q.md": "---\nid: sessions\n---\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "missing title"},
		},
		{
			name:  "invalid lesson slug",
			files: map[string]string{"quizzes/q.md": "---\nid: sessions\ntitle: Practice\nlesson: Choosing a strategy\n---\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md:", "invalid lesson \"Choosing a strategy\""},
		},
		{
			name:  "unknown front matter key",
			files: map[string]string{"quizzes/q.md": "---\nid: sessions\ntitle: Practice\nlevel: 2\n---\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md", "line 4", "level", "keys id (required), title (required), lesson, shuffle and aliases"},
		},
		{
			name:  "unclosed front matter",
			files: map[string]string{"quizzes/q.md": "---\nid: sessions\n" + headingText + optionsText + sectionsText},
			want:  []string{"quizzes/q.md", "no closing ---"},
		},
		{
			name: "duplicate quiz id across files",
			files: map[string]string{
				"quizzes/a.md": validQuizText,
				"quizzes/b.md": validQuizText,
			},
			want: []string{"quizzes/b.md: quiz id \"sessions\" is already used by quizzes/a.md"},
		},
		{
			name: "every problem reported",
			files: map[string]string{
				"quizzes/a.md": frontMatterText + headingText + "- [ ] One.\n- [ ] Two.\n\n" + solutionText,
				"quizzes/b.md": "---\nid: other\n---\n" + headingText + optionsText + sectionsText,
			},
			want: []string{
				"quizzes/a.md:5:1: question state: no correct option",
				"quizzes/a.md:5:1: question state: missing section; add a \"### Final answer\"",
				"quizzes/a.md:5:1: question state: missing section; add a \"### Common mistakes\"",
				"quizzes/b.md:1:1: missing title",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			quizzes, err := Load(mapFS(t, tt.files))
			if err == nil {
				t.Fatalf("Load succeeded with %d quizzes, want an error", len(quizzes))
			}
			if quizzes != nil {
				t.Errorf("Load returned quizzes along with error %v", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not contain %q:\n%v", want, err)
				}
			}
		})
	}
}
