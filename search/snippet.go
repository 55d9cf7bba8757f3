package search

import (
	"slices"
	"strings"
	"unicode"

	"learn/lessons"
)

// span is the byte range of one word in a text.
type span struct{ start, end int }

// snippet returns a passage of the lesson's summary or text around the
// first word that matches a term, with every matching word in it marked.
// When only the title or a heading matches, it returns the start of the
// summary, or of the text when there is no summary, unmarked.
func snippet(lesson *lessons.Lesson, terms []string) []Fragment {
	for _, text := range []string{lesson.Summary, lesson.Text} {
		if fragments := markedPassage(text, terms); fragments != nil {
			return fragments
		}
	}

	fallback := lesson.Summary
	if fallback == "" {
		fallback = lesson.Text
	}
	spans := wordSpans(fallback)
	if len(spans) == 0 {
		return nil
	}
	return passage(fallback, spans, 0, min(len(spans), snippetWords), terms)
}

// markedPassage returns the passage of text around its first matching
// word, or nil when no word matches.
func markedPassage(text string, terms []string) []Fragment {
	spans := wordSpans(text)
	for i, s := range spans {
		if !matchesAny(strings.ToLower(text[s.start:s.end]), terms) {
			continue
		}
		first := max(0, i-snippetWords/3)
		last := min(len(spans), first+snippetWords)
		return passage(text, spans, first, last, terms)
	}
	return nil
}

// passage returns the words spans[first:last] of text and the text between
// them, with each run of white space as one space, an ellipsis where text
// was cut, and the words that match a term as separate marked fragments.
func passage(text string, spans []span, first, last int, terms []string) []Fragment {
	var fragments []Fragment
	plain := func(s string) {
		if n := len(fragments); n > 0 && !fragments[n-1].Match {
			fragments[n-1].Text += s
			return
		}
		fragments = append(fragments, Fragment{Text: s})
	}

	if first > 0 {
		plain("… ")
	} else {
		plain(strings.TrimLeftFunc(text[:spans[0].start], unicode.IsSpace))
	}
	for i := first; i < last; i++ {
		if i > first {
			plain(collapseSpace(text[spans[i-1].end:spans[i].start]))
		}
		word := text[spans[i].start:spans[i].end]
		if matchesAny(strings.ToLower(word), terms) {
			fragments = append(fragments, Fragment{Text: word, Match: true})
		} else {
			plain(word)
		}
	}
	if last < len(spans) {
		plain(" …")
	} else {
		plain(strings.TrimRightFunc(collapseSpace(text[spans[last-1].end:]), unicode.IsSpace))
	}
	return slices.DeleteFunc(fragments, func(f Fragment) bool { return f.Text == "" })
}

// collapseSpace replaces each run of white space in s with one space.
func collapseSpace(s string) string {
	var b strings.Builder
	inSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !inSpace {
				b.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		b.WriteRune(r)
		inSpace = false
	}
	return b.String()
}

func matchesAny(word string, terms []string) bool {
	for _, term := range terms {
		if matches(word, term) {
			return true
		}
	}
	return false
}

// wordSpans returns the byte range of each word of text, as words splits
// them.
func wordSpans(text string) []span {
	var spans []span
	start := -1
	for i, r := range text {
		switch {
		case !isSeparator(r) && start < 0:
			start = i
		case isSeparator(r) && start >= 0:
			spans = append(spans, span{start, i})
			start = -1
		}
	}
	if start >= 0 {
		spans = append(spans, span{start, len(text)})
	}
	return spans
}
