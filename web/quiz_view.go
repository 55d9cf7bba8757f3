package web

import (
	"html/template"
	"slices"
	"strconv"

	"learn/quiz"
)

// quizPage is the data of the quiz template.
type quizPage struct {
	Quiz       *quiz.Quiz
	Questions  []questionView
	Score      quiz.Score
	Missed     int  // questions whose latest answer is wrong
	MissedOnly bool // the page lists only those questions
}

// questionView is one question as the page shows it. Until the learner
// has answered, it carries nothing that reveals the key: Graded is false,
// and so no option has Correct or Feedback set.
type questionView struct {
	Number   int
	Question *quiz.Question
	State    quiz.State
	Graded   bool          // the latest answer is right or wrong, not outdated
	Options  []optionView  // in the learner's order; none for a status question
	Lines    []codeLine    // the numbered code of a bug question
	Typed    string        // the saved value of a status question
	Answer   string        // the right value of a status question, once graded
	Feedback template.HTML // feedback on a typed wrong value, once graded
	Error    string        // the reason the last submission was rejected
}

type optionView struct {
	ID       string
	Label    string
	HTML     template.HTML
	Chosen   bool
	Correct  bool          // only set once graded
	Verdict  string        // only set once graded, for chosen and correct options
	Feedback template.HTML // only set once graded, for chosen and correct options
}

// codeLine is one line of a bug question's code, with the option that
// names it, if any.
type codeLine struct {
	Number int
	Text   string
	Option *optionView
}

// InputType is the type of the inputs that choose options.
func (v questionView) InputType() string {
	if v.Question.Type == quiz.Multiple {
		return "checkbox"
	}
	return "radio"
}

// StateText names the state for people.
func (v questionView) StateText() string {
	switch v.State {
	case quiz.Right:
		return "Answered right"
	case quiz.Wrong:
		return "Answered wrong"
	case quiz.Outdated:
		return "Outdated: the question changed after your answer, so answer it again"
	}
	return "Not tried yet"
}

func newQuestionView(number int, q *quiz.Quiz, learnerID string, p quiz.QuestionProgress) questionView {
	question := p.Question
	view := questionView{
		Number:   number,
		Question: question,
		State:    p.State,
		Graded:   p.State == quiz.Right || p.State == quiz.Wrong,
	}
	var chosen []string
	if p.Answer != nil {
		chosen = p.Answer.Choices
	}

	if question.Type == quiz.Status {
		if len(chosen) == 1 {
			view.Typed = chosen[0]
		}
		if view.Graded {
			result, err := question.GradeValue(view.Typed)
			if err == nil {
				view.Answer = strconv.Itoa(result.Answer)
				for _, o := range result.Chosen {
					view.Feedback += template.HTML(o.FeedbackHTML)
				}
			}
		}
		return view
	}

	optionAt := make(map[int]int) // code line to index in view.Options
	for i, option := range q.OptionsFor(learnerID, question) {
		optionAt[option.Line] = i
		ov := optionView{
			ID:     option.ID,
			Label:  option.Label,
			HTML:   template.HTML(option.HTML),
			Chosen: slices.Contains(chosen, option.ID),
		}
		if view.Graded {
			ov.Correct = option.Correct()
			if ov.Chosen || ov.Correct {
				ov.Verdict = optionVerdict(ov.Chosen, ov.Correct)
				ov.Feedback = template.HTML(option.FeedbackHTML)
			}
		}
		view.Options = append(view.Options, ov)
	}

	if question.Code != nil {
		for i, text := range question.Code.Lines {
			line := codeLine{Number: i + 1, Text: text}
			if at, ok := optionAt[line.Number]; ok {
				line.Option = &view.Options[at]
			}
			view.Lines = append(view.Lines, line)
		}
	}
	return view
}

// optionVerdict returns the sentence that relates a graded option to the
// learner's answer.
func optionVerdict(chosen, correct bool) string {
	switch {
	case chosen && correct:
		return "Your choice, and correct."
	case correct:
		return "Correct option, which you did not choose."
	}
	return "Your choice, and not correct."
}
