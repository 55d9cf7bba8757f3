// Package search finds lessons by the words of their titles, headings and
// text. The index is built once, when the course loads, and ranks title
// matches above heading matches above body matches.
package search

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"learn/lessons"
)

// MaxQueryLength is the longest query, in characters, that the site
// accepts. Search itself takes any length.
const MaxQueryLength = 200

// Weights of one occurrence of a query term in each part of a lesson.
const (
	titleWeight   = 10
	headingWeight = 5
	bodyWeight    = 1
)

// minPrefixLength is the shortest term that also matches longer words
// starting with it, so that "token" finds "tokens" but "a" finds only "a".
const minPrefixLength = 3

// snippetWords is how many words a snippet shows around the first match.
const snippetWords = 28

// Index is the search index of one course. It is safe for concurrent use
// because it is never modified after New.
type Index struct {
	docs []document
}

// document is one lesson split into words.
type document struct {
	lesson   *lessons.Lesson
	title    []string
	headings []string
	body     []string
}

// Result is one lesson that matches a query.
type Result struct {
	Lesson  *lessons.Lesson
	Score   int
	Snippet []Fragment // a short passage with the matching words marked
}

// Fragment is a piece of a snippet. Text is plain text, which the
// template that shows it must escape.
type Fragment struct {
	Text  string
	Match bool
}

// New indexes every lesson of course.
func New(course *lessons.Course) *Index {
	ix := &Index{}
	for _, lesson := range course.Lessons() {
		var headings []string
		for _, h := range lesson.Headings {
			headings = append(headings, words(h.Text)...)
		}
		ix.docs = append(ix.docs, document{
			lesson:   lesson,
			title:    words(lesson.Title),
			headings: headings,
			body:     words(lesson.Summary + "\n" + lesson.Text),
		})
	}
	return ix
}

// Search returns the lessons that contain every term of query, best match
// first, and lessons of equal score in course order. An empty query
// returns no results.
func (ix *Index) Search(query string) []Result {
	terms := Terms(query)
	if len(terms) == 0 {
		return nil
	}

	var results []Result
	for _, doc := range ix.docs {
		score := 0
		matchesAll := true
		for _, term := range terms {
			termScore := titleWeight*count(doc.title, term) + headingWeight*count(doc.headings, term) + bodyWeight*count(doc.body, term)
			if termScore == 0 {
				matchesAll = false
				break
			}
			score += termScore
		}
		if !matchesAll {
			continue
		}
		results = append(results, Result{Lesson: doc.lesson, Score: score, Snippet: snippet(doc.lesson, terms)})
	}

	// The stable sort keeps course order among equal scores.
	slices.SortStableFunc(results, func(a, b Result) int { return cmp.Compare(b.Score, a.Score) })
	return results
}

// Terms returns the distinct words of a query in lower case.
func Terms(query string) []string {
	var terms []string
	for _, w := range words(query) {
		if !slices.Contains(terms, w) {
			terms = append(terms, w)
		}
	}
	return terms
}

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), isSeparator)
}

func isSeparator(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// matches reports whether a word of the text matches a query term.
func matches(word, term string) bool {
	if len(term) >= minPrefixLength {
		return strings.HasPrefix(word, term)
	}
	return word == term
}

func count(words []string, term string) int {
	n := 0
	for _, w := range words {
		if matches(w, term) {
			n++
		}
	}
	return n
}
