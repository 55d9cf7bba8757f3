package quiz

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"

	"learn/markdown"
)

// frontMatter is the YAML block at the top of a quiz file.
type frontMatter struct {
	ID      string           `yaml:"id"`
	Title   string           `yaml:"title"`
	Lesson  string           `yaml:"lesson"`
	Shuffle bool             `yaml:"shuffle"`
	Aliases []markdown.Alias `yaml:"aliases"`
}

// Section names in ### headings, lowercase and with single spaces.
const (
	sectionSolution    = "solution"
	sectionFinalAnswer = "final answer"
	sectionQuickCheck  = "quick check"
	sectionMistakes    = "common mistakes"
)

// sectionNames lists the required sections as authors write them.
var sectionNames = []string{"Solution", "Final answer", "Quick check", "Common mistakes"}

// fileParser collects the problems found in one quiz file, so that the
// error from Load lists all of them at once.
type fileParser struct {
	name     string // file name, the prefix of every error
	file     []byte // the whole file, for line numbers
	source   []byte // Markdown body that the AST segments point into
	line     int    // line of the heading being parsed, or 1 for the file
	renderer renderer.Renderer
	errs     []error
}

// parse parses one quiz file. Every error starts with name.
func parse(name string, src []byte) (*Quiz, error) {
	meta, body, err := markdown.SplitFrontMatter(src)
	if err != nil {
		return nil, markdown.Errorf(name, 1, 1, "%w; close the front matter with a line containing only ---", err)
	}

	// The leading newline stands for the opening --- line, so the line
	// numbers in YAML errors match the lines of the file.
	var fm frontMatter
	if err := markdown.DecodeFrontMatter(append([]byte("\n"), meta...), &fm); err != nil {
		return nil, markdown.Errorf(name, markdown.YAMLErrorLine(err), 0, "%w; the front matter is YAML with the keys id (required), title (required), lesson, shuffle and aliases", err)
	}

	md := markdown.New()
	p := &fileParser{name: name, file: src, source: body, line: 1, renderer: md.Renderer()}
	quiz := &Quiz{
		ID:      strings.TrimSpace(fm.ID),
		Title:   strings.TrimSpace(fm.Title),
		Lesson:  strings.TrimSpace(fm.Lesson),
		Path:    name,
		Shuffle: fm.Shuffle,
	}
	p.checkFrontMatter(quiz)
	quiz.aliases = p.checkAliases(quiz.ID, fm.Aliases)
	for _, alias := range quiz.aliases {
		quiz.Aliases = append(quiz.Aliases, alias.Name)
	}

	ctx := parser.NewContext(parser.WithIDs(explicitIDs{}))
	doc := md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	dropEmptyHeadingIDs(doc)

	intro, questions := p.splitQuestions(doc)
	p.line = 1
	quiz.IntroHTML = p.render(intro...)
	if len(questions) == 0 {
		p.errorf("", "no questions; start each question with a level-2 heading that has an id, such as \"## Where is the session stored? {#session-storage}\"")
	}

	seen := make(map[string]bool)
	for _, blocks := range questions {
		p.line = p.lineOf(blocks[0])
		question := p.parseQuestion(blocks[0].(*ast.Heading), blocks[1:])
		if question.ID == "" {
			continue
		}
		if seen[question.ID] {
			p.errorf(question.ID, "duplicate question id; give each question a unique {#id}")
			continue
		}
		seen[question.ID] = true
		quiz.Questions = append(quiz.Questions, question)
	}

	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return quiz, nil
}

// errorf records a problem at p.line. question names the question, by id
// or quoted title, or is "" for a problem with the whole file.
func (p *fileParser) errorf(question, format string, args ...any) {
	prefix := ""
	if question != "" {
		prefix = "question " + question + ": "
	}
	p.errs = append(p.errs, &markdown.FileError{Path: p.name, Line: p.line, Col: 1, Err: errors.New(prefix + fmt.Sprintf(format, args...))})
}

// lineOf returns the line in the file where a block of the body starts,
// or 1 when the block has no lines of its own.
func (p *fileParser) lineOf(n ast.Node) int {
	if n.Lines().Len() == 0 {
		return 1
	}
	line, _ := markdown.Position(p.file, markdown.BodyOffset(p.file, p.source)+n.Lines().At(0).Start)
	return line
}

func (p *fileParser) checkFrontMatter(q *Quiz) {
	switch {
	case q.ID == "":
		p.errorf("", "missing id; add a line such as \"id: jwt-basics\" to the front matter between the --- lines at the top")
	case !idPattern.MatchString(q.ID):
		p.errorf("", "invalid quiz id %q; use only lowercase letters, digits and hyphens, starting with a letter or digit", q.ID)
	}

	if q.Title == "" {
		p.errorf("", "missing title; add a line such as \"title: Practice: sessions\" to the front matter")
	}

	// NOTE: Load does not check that the lesson exists, because this
	// package does not know the course. The caller that has both can.
	if q.Lesson != "" && !idPattern.MatchString(q.Lesson) {
		p.errorf("", "invalid lesson %q; use the lesson's file name without .md", q.Lesson)
	}
}

// splitQuestions returns the blocks before the first level-2 heading, and
// for each question its heading followed by its blocks.
func (p *fileParser) splitQuestions(doc ast.Node) (intro []ast.Node, questions [][]ast.Node) {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			p.line = p.lineOf(h)
			p.errorf("", "level-1 heading %q; the page title comes from the title in front matter, so start questions with ## and sections with ###", markdown.PlainText(h, p.source))
			continue
		}
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			questions = append(questions, []ast.Node{n})
			continue
		}

		if len(questions) == 0 {
			intro = append(intro, n)
		} else {
			last := len(questions) - 1
			questions[last] = append(questions[last], n)
		}
	}
	return intro, questions
}

// parseQuestion parses a question from its heading and the blocks up to the
// next level-2 heading. It records every problem, and returns a question
// with an empty ID if the heading has no valid id.
func (p *fileParser) parseQuestion(heading *ast.Heading, blocks []ast.Node) *Question {
	question := &Question{Title: markdown.PlainText(heading, p.source), Line: p.lineOf(heading)}

	id := markdown.HeadingID(heading)
	if idPattern.MatchString(id) {
		question.ID = id
	}
	label := question.label()
	switch {
	case id == "":
		p.errorf(label, "missing id; add one at the end of the heading, such as \"## %s {#my-question}\"", question.Title)
	case question.ID == "":
		p.errorf(label, "invalid id %q; use only lowercase letters, digits and hyphens, starting with a letter or digit", id)
	}
	if question.Title == "" {
		p.errorf(label, "missing title; write the question after ## and before {#id}")
	}
	question.Type = p.questionType(label, heading)

	body, sections := splitSections(blocks)
	p.parseBody(label, question, body)
	p.parseSections(label, question, sections)
	return question
}

// parseBody parses the blocks between a question's heading and its first
// ### section: the prompt, the Answer line of a status question, and the
// options list.
func (p *fileParser) parseBody(label string, question *Question, body []ast.Node) {
	prompt := body
	index, list := p.findOptions(label, body)
	if list != nil {
		prompt = body[:index]
		if rest := body[index+1:]; len(rest) > 0 {
			p.errorf(label, "text after the options list; move it into the prompt above the list, indent it under an option as feedback, or put it in a ### section")
		}
	}

	switch question.Type {
	case Status:
		prompt = p.cutAnswerLine(label, question, prompt)
	case Bug:
		prompt = p.cutCode(label, question, prompt)
	}
	question.PromptHTML = p.render(prompt...)

	if list == nil {
		if question.Type != Status {
			p.errorf(label, "no options list; add a list whose items start with [x] for the correct option and [ ] for the others")
		}
		return
	}
	question.Options = p.parseOptions(label, question, list)
	p.checkKey(label, question)
}

// label names a question in errors: its id if it has a valid one,
// otherwise its quoted title.
func (q *Question) label() string {
	if q.ID != "" {
		return q.ID
	}
	return fmt.Sprintf("%q", q.Title)
}

// splitSections returns the blocks before the first level-3 heading, and
// each level-3 heading followed by its blocks.
func splitSections(blocks []ast.Node) (body []ast.Node, sections [][]ast.Node) {
	for _, n := range blocks {
		if h, ok := n.(*ast.Heading); ok && h.Level == 3 {
			sections = append(sections, []ast.Node{n})
			continue
		}

		if len(sections) == 0 {
			body = append(body, n)
		} else {
			last := len(sections) - 1
			sections[last] = append(sections[last], n)
		}
	}
	return body, sections
}

// findOptions returns the index in body of the first list that contains a
// task list item, and that list. It records a problem if some items of
// that list have no checkbox.
func (p *fileParser) findOptions(label string, body []ast.Node) (int, *ast.List) {
	for i, n := range body {
		list, ok := n.(*ast.List)
		if !ok {
			continue
		}

		var withBox, withoutBox []int
		number := 0
		for item := list.FirstChild(); item != nil; item = item.NextSibling() {
			number++
			if box, _ := taskCheckBox(item); box != nil {
				withBox = append(withBox, number)
			} else {
				withoutBox = append(withoutBox, number)
			}
		}
		if len(withBox) == 0 {
			continue
		}
		if len(withoutBox) > 0 {
			p.errorf(label, "options list item %d has no checkbox; start every option with [ ] or [x]", withoutBox[0])
		}
		return i, list
	}
	return -1, nil
}

// parseSections fills in the worked solution from the ### sections and
// records missing, unknown, duplicate and empty sections.
func (p *fileParser) parseSections(label string, question *Question, sections [][]ast.Node) {
	seen := make(map[string]bool)
	for _, section := range sections {
		title := markdown.PlainText(section[0], p.source)
		name := strings.Join(strings.Fields(strings.ToLower(title)), " ")
		content := section[1:]

		if seen[name] {
			p.errorf(label, "duplicate section %q; merge the two sections", title)
			continue
		}
		seen[name] = true

		switch name {
		case sectionSolution:
			question.SolutionSteps = p.parseSolution(label, content)
		case sectionFinalAnswer:
			question.FinalAnswerHTML = p.renderSection(label, title, content)
		case sectionQuickCheck:
			question.QuickCheckHTML = p.renderSection(label, title, content)
		case sectionMistakes:
			question.MistakesHTML = p.renderSection(label, title, content)
		default:
			p.errorf(label, "unknown section %q; the sections are %s", title, strings.Join(sectionNames, ", "))
		}
	}

	for _, name := range sectionNames {
		if !seen[strings.ToLower(name)] {
			p.errorf(label, "missing section; add a \"### %s\" heading with its text after the options", name)
		}
	}
}

// parseSolution returns the HTML of each step of the Solution section,
// which must be exactly one numbered list.
func (p *fileParser) parseSolution(label string, content []ast.Node) []string {
	if len(content) != 1 {
		p.errorf(label, "the Solution section must contain only a numbered list of steps; indent other text under a step")
		return nil
	}
	list, ok := content[0].(*ast.List)
	if !ok || !list.IsOrdered() {
		p.errorf(label, "the Solution section has no numbered list; write the steps as \"1. …\", \"2. …\"")
		return nil
	}

	var steps []string
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		step := p.render(children(item)...)
		if step == "" {
			p.errorf(label, "step %d of the Solution is empty; write the step or remove it", len(steps)+1)
		}
		steps = append(steps, step)
	}
	return steps
}

// renderSection renders the content of a section and records a problem if
// it is empty.
func (p *fileParser) renderSection(label, title string, content []ast.Node) string {
	html := p.render(content...)
	if html == "" {
		p.errorf(label, "the %s section is empty; write its text under the heading", title)
	}
	return html
}

// render returns the HTML of nodes, one after another, without leading
// and trailing white space.
func (p *fileParser) render(nodes ...ast.Node) string {
	var buf bytes.Buffer
	for _, n := range nodes {
		if err := p.renderer.Render(&buf, p.source, n); err != nil {
			p.errorf("", "render Markdown: %v", err)
		}
	}
	return strings.TrimSpace(buf.String())
}

// children returns the child nodes of n.
func children(n ast.Node) []ast.Node {
	var nodes []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		nodes = append(nodes, c)
	}
	return nodes
}

// taskCheckBox returns the checkbox that starts a list item, and the
// paragraph or text block that contains it. Both are nil if the item does
// not start with a checkbox.
func taskCheckBox(item ast.Node) (*extast.TaskCheckBox, ast.Node) {
	block := item.FirstChild()
	if block == nil || (block.Kind() != ast.KindParagraph && block.Kind() != ast.KindTextBlock) {
		return nil, nil
	}
	box, ok := block.FirstChild().(*extast.TaskCheckBox)
	if !ok {
		return nil, nil
	}
	return box, block
}

// explicitIDs is a goldmark id generator that generates none. With it, a
// heading has an id only if its author wrote one with {#id}, which lets
// parseQuestion reject a question heading without an explicit id.
type explicitIDs struct{}

func (explicitIDs) Generate(value []byte, kind ast.NodeKind) []byte { return nil }
func (explicitIDs) Put(value []byte)                                {}

// dropEmptyHeadingIDs removes the empty id attribute that goldmark sets on
// a heading when explicitIDs generated none, so that the HTML does not
// contain id="".
func dropEmptyHeadingIDs(doc ast.Node) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != ast.KindHeading || markdown.HeadingID(n) != "" {
			return ast.WalkContinue, nil
		}

		attrs := n.Attributes()
		n.RemoveAttributes()
		for _, attr := range attrs {
			if string(attr.Name) != "id" {
				n.SetAttribute(attr.Name, attr.Value)
			}
		}
		return ast.WalkContinue, nil
	})
}
