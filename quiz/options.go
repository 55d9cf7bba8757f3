package quiz

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"learn/markdown"
)

// maxOptions is the number of letters available for option labels.
const maxOptions = 26

var (
	// optionIDPattern finds an option id such as "{#server-side}" at the
	// end of a line, with the white space before it.
	optionIDPattern = regexp.MustCompile(`[ \t]*\{#([^{}]*)\}[ \t]*$`)

	// answerLinePattern matches the text of a status question's Answer
	// line, such as "Answer: 401".
	answerLinePattern = regexp.MustCompile(`^Answer:\s*(.*)$`)

	// bugOptionPattern matches the text of a bug question's option, such
	// as "Line 4".
	bugOptionPattern = regexp.MustCompile(`^Line ([0-9]+)$`)
)

// questionType returns the type that the heading's class sets, or Single
// when it has none.
func (p *fileParser) questionType(label string, heading ast.Node) Type {
	value, _ := heading.AttributeString("class")
	var class string
	switch v := value.(type) {
	case []byte:
		class = string(v)
	case string:
		class = v
	}

	names := strings.Fields(class)
	switch {
	case len(names) == 0:
		return Single
	case len(names) == 1 && slices.Contains(types, Type(names[0])):
		return Type(names[0])
	}
	p.errorf(label, "invalid question type %q; write one of %s as a class after the heading id, such as {#%s .multiple}", class, typeNames(), label)
	return Single
}

func typeNames() string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// cutAnswerLine reads the "Answer: 401" line that ends a status question's
// prompt and returns the prompt without it.
func (p *fileParser) cutAnswerLine(label string, question *Question, prompt []ast.Node) []ast.Node {
	at := -1
	for i, n := range prompt {
		if n.Kind() == ast.KindParagraph && answerLinePattern.MatchString(markdown.PlainText(n, p.source)) {
			at = i
		}
	}
	switch {
	case at < 0:
		p.errorf(label, "missing Answer line; a status question states its right value in a line such as \"Answer: 401\" after the prompt")
		return prompt
	case at != len(prompt)-1:
		p.errorf(label, "text after the Answer line; move it above the line, so that \"Answer: …\" comes right before the wrong values")
	}

	value := answerLinePattern.FindStringSubmatch(markdown.PlainText(prompt[at], p.source))[1]
	answer, err := strconv.Atoi(value)
	if err != nil || answer < 100 || answer > 599 {
		p.errorf(label, "invalid answer %q; write an HTTP status code from 100 to 599, such as \"Answer: 401\"", value)
	}
	question.answer = answer
	return slices.Delete(slices.Clone(prompt), at, at+1)
}

// cutCode reads the code block that ends a bug question's prompt and
// returns the prompt without it.
func (p *fileParser) cutCode(label string, question *Question, prompt []ast.Node) []ast.Node {
	var blocks []int
	for i, n := range prompt {
		if n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock {
			blocks = append(blocks, i)
		}
	}
	if len(blocks) != 1 {
		p.errorf(label, "the prompt has %d code blocks; a bug question needs exactly one, whose lines the options name", len(blocks))
		return prompt
	}
	at := blocks[0]
	if at != len(prompt)-1 {
		p.errorf(label, "text after the code block; a bug question's code block ends the prompt, so move the text above it")
	}

	code := &Code{}
	if fenced, ok := prompt[at].(*ast.FencedCodeBlock); ok {
		code.Language = string(fenced.Language(p.source))
	}
	lines := prompt[at].Lines()
	for i := range lines.Len() {
		segment := lines.At(i)
		line := segment.Value(p.source)
		code.Lines = append(code.Lines, strings.TrimRight(string(line), "\r\n"))
	}
	question.Code = code
	return slices.Delete(slices.Clone(prompt), at, at+1)
}

// parseOptions turns the task list items into options and checks their
// ids, and the line or value that bug and status options name.
func (p *fileParser) parseOptions(label string, question *Question, list *ast.List) []*Option {
	var options []*Option
	var missingIDs []string
	seen := make(map[string]bool)
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		box, block := taskCheckBox(item)
		if box == nil {
			continue // already reported by findOptions
		}
		if len(options) == maxOptions {
			p.errorf(label, "more than %d options; remove some", maxOptions)
			break
		}

		letter := byte('a' + len(options))
		option := &Option{
			ID:      string(letter),
			Label:   strings.ToUpper(string(letter)),
			correct: box.IsChecked,
		}
		block.RemoveChild(block, box)

		id, hasID := p.cutOptionID(block)
		switch {
		case !hasID:
			missingIDs = append(missingIDs, option.Label)
		case !idPattern.MatchString(id):
			p.errorf(label, "option %s has the invalid id %q; use only lowercase letters, digits and hyphens", option.Label, id)
		case seen[id]:
			p.errorf(label, "duplicate option id %q; give each option of the question a unique {#id}", id)
		default:
			option.ID = id
			seen[id] = true
		}

		option.HTML = p.render(children(block)...)
		option.Text = markdown.PlainText(block, p.source)
		if option.HTML == "" {
			p.errorf(label, "option %s is empty; write the option text after the checkbox", option.Label)
		}
		option.FeedbackHTML = p.render(children(item)[1:]...)
		option.FeedbackText = p.plainText(children(item)[1:])
		options = append(options, option)
	}

	p.checkOptionIDs(label, question.Type, options, missingIDs)
	switch question.Type {
	case Bug:
		p.parseLines(label, question, options)
	case Status:
		p.parseValues(label, question, options)
	}
	return options
}

// checkOptionIDs records options without an id where the question needs
// one. Single-choice questions may leave out every id, and then use the
// positional ids a, b, c.
func (p *fileParser) checkOptionIDs(label string, t Type, options []*Option, missingIDs []string) {
	if len(missingIDs) == 0 {
		return
	}
	if t == Single {
		if len(missingIDs) < len(options) {
			p.errorf(label, "options %s have no id; give every option an {#id} at the end of its first line, or give none", strings.Join(missingIDs, ", "))
		}
		return
	}
	p.errorf(label, "options %s have no id; a %s question needs an id at the end of each option's first line, such as \"{#my-option}\"", strings.Join(missingIDs, ", "), t)
}

// parseLines sets the code line that each option of a bug question names,
// such as "Line 4".
func (p *fileParser) parseLines(label string, question *Question, options []*Option) {
	seen := make(map[int]string)
	for _, option := range options {
		m := bugOptionPattern.FindStringSubmatch(option.Text)
		if m == nil {
			p.errorf(label, "option %s is %q; a bug question's options name code lines, such as \"Line 4 {#line-4}\"", option.Label, option.Text)
			continue
		}
		line, _ := strconv.Atoi(m[1])
		option.Line = line
		option.Label = option.Text

		if question.Code != nil && (line < 1 || line > len(question.Code.Lines)) {
			p.errorf(label, "option %s names line %d, outside the code block's lines 1 to %d; name a line of the block", option.ID, line, len(question.Code.Lines))
		}
		if first, ok := seen[line]; ok {
			p.errorf(label, "options %s and %s both name line %d; remove one of them", first, option.ID, line)
		}
		seen[line] = option.ID
	}
}

// parseValues sets the wrong value that each option of a status question
// lists, such as "403".
func (p *fileParser) parseValues(label string, question *Question, options []*Option) {
	for _, option := range options {
		value, err := strconv.Atoi(option.Text)
		if err != nil {
			p.errorf(label, "option %s is %q; a status question lists wrong values as whole numbers, such as \"- [ ] 403 {#w403}\"", option.ID, option.Text)
			continue
		}
		option.Value = value
		if question.answer != 0 && value == question.answer {
			p.errorf(label, "option %s lists %d, which is the Answer; list only wrong values", option.ID, value)
		}
	}
}

// checkKey checks the number of correct options for the question's type.
func (p *fileParser) checkKey(label string, question *Question) {
	var correct []string
	for _, o := range question.Options {
		if o.correct {
			correct = append(correct, o.Label)
		}
	}

	if question.Type == Status {
		if len(correct) > 0 {
			p.errorf(label, "options %s are marked [x]; a status question states its right value in the Answer line, so mark every listed wrong value with [ ]", strings.Join(correct, ", "))
		}
		return
	}

	if len(question.Options) < 2 {
		p.errorf(label, "only %d option; add at least two options", len(question.Options))
	}
	switch {
	case len(correct) == 0:
		p.errorf(label, "no correct option; mark the right option with [x]")
	case len(correct) > 1 && question.Type != Multiple:
		p.errorf(label, "options %s are all marked correct; mark exactly one with [x], because the question is %s, or make it {#%s .multiple}", strings.Join(correct, ", "), question.Type.describe(), label)
	}
}

// describe names the type in messages, such as "single-choice".
func (t Type) describe() string {
	switch t {
	case Single:
		return "single-choice"
	case Multiple:
		return "multiple-choice"
	case Status:
		return "a status question"
	case Bug:
		return "a find-the-bug question"
	}
	return string(t)
}

// cutOptionID removes a trailing "{#id}" from the first line of an
// option's paragraph and returns the id. goldmark parses attributes only on
// headings, so the id is still text in the AST here. The inline nodes that
// cover it, and the white space before it, are removed or shortened.
func (p *fileParser) cutOptionID(block ast.Node) (string, bool) {
	lines := block.Lines()
	if lines.Len() == 0 {
		return "", false
	}
	first := lines.At(0)
	line := bytes.TrimRight(first.Value(p.source), "\r\n")
	m := optionIDPattern.FindSubmatchIndex(line)
	if m == nil {
		return "", false
	}
	cut := first.Start + m[0]
	end := first.Start + len(line)

	for c := block.FirstChild(); c != nil; {
		next := c.NextSibling()
		start, stop, ok := textSpan(c)
		switch {
		case !ok || stop <= cut || start > end:
			// Before the id, after the first line, or without source text.
		case start >= cut:
			replaceKeepingBreak(block, c, cut)
		default:
			if t, isText := c.(*ast.Text); isText {
				t.Segment = t.Segment.WithStop(cut)
			}
		}
		c = next
	}
	return string(line[m[2]:m[3]]), true
}

// replaceKeepingBreak removes node from block. If node ended the first
// line with a soft line break, an empty text node keeps that break, so the
// words on either side of it do not run together.
func replaceKeepingBreak(block, node ast.Node, at int) {
	if t, ok := node.(*ast.Text); ok && (t.SoftLineBreak() || t.HardLineBreak()) {
		empty := ast.NewTextSegment(text.NewSegment(at, at))
		empty.SetSoftLineBreak(true)
		block.ReplaceChild(block, node, empty)
		return
	}
	block.RemoveChild(block, node)
}

// textSpan returns the first and last source offsets of the text in n.
func textSpan(n ast.Node) (start, stop int, ok bool) {
	start = -1
	ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, isText := n.(*ast.Text)
		if !entering || !isText {
			return ast.WalkContinue, nil
		}
		if start < 0 || t.Segment.Start < start {
			start = t.Segment.Start
		}
		stop = max(stop, t.Segment.Stop)
		return ast.WalkContinue, nil
	})
	return start, stop, start >= 0
}

// plainText returns the text of blocks without markup, one space between
// blocks.
func (p *fileParser) plainText(blocks []ast.Node) string {
	var parts []string
	for _, block := range blocks {
		if text := markdown.PlainText(block, p.source); text != "" {
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, " ")
}
