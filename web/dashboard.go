package web

import (
	"cmp"
	"context"
	"encoding/csv"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"learn/quiz"
)

// maxWrongValues is how many of a status question's wrong values the
// dashboard lists, most common first.
const maxWrongValues = 5

// dashboardPage is the data of the instructor template.
type dashboardPage struct {
	Quizzes []quizReport
}

// quizReport is every learner's results on one quiz.
type quizReport struct {
	Quiz      *quiz.Quiz
	Questions []questionReport
}

// questionReport is every learner's results on one question.
type questionReport struct {
	Question *quiz.Question
	quiz.QuestionStats

	// Choices are the question's options in authored order, each with how
	// often it was chosen, then choices that match no current option. For
	// a status question they are the right value, then the known wrong
	// values, then other typed values.
	Choices []choiceReport

	// WrongValues are a status question's most common wrong values.
	WrongValues []choiceReport
}

// FirstTryShare returns the share of learners whose first attempt was
// right as a whole percentage, such as "75%", or "–" with no learners.
func (q questionReport) FirstTryShare() string {
	if q.Learners == 0 {
		return "–"
	}
	return strconv.Itoa(q.FirstTryCorrect*100/q.Learners) + "%"
}

// choiceReport is one option or typed value with how often it was chosen.
type choiceReport struct {
	Choice       string // option id or typed value
	Label        string // "A", "Line 4", or "" for a typed value
	Text         string
	Correct      bool
	Count        int
	Wrong        int
	FeedbackHTML template.HTML // the option's feedback, which names the misconception
	FeedbackText string
}

// buildReports joins each quiz's questions with the statistics that stats
// returns for it.
func buildReports(ctx context.Context, stats QuizStatsStore, quizzes []*quiz.Quiz) ([]quizReport, error) {
	reports := make([]quizReport, 0, len(quizzes))
	for _, q := range quizzes {
		questionStats, err := stats.QuizStats(ctx, q.ID)
		if err != nil {
			return nil, err
		}
		byQuestion := make(map[string]quiz.QuestionStats, len(questionStats))
		for _, st := range questionStats {
			byQuestion[st.QuestionID] = st
		}

		report := quizReport{Quiz: q}
		for _, question := range q.Questions {
			report.Questions = append(report.Questions, buildQuestionReport(question, byQuestion[question.ID]))
		}
		reports = append(reports, report)
	}
	return reports, nil
}

func buildQuestionReport(question *quiz.Question, stats quiz.QuestionStats) questionReport {
	stats.QuestionID = question.ID
	counts := make(map[string]quiz.ChoiceCount, len(stats.Choices))
	for _, c := range stats.Choices {
		counts[c.Choice] = c
	}
	report := questionReport{Question: question, QuestionStats: stats}

	// known collects the choices that an option or the answer explains,
	// so that the rest can be listed after them.
	known := make(map[string]bool)
	add := func(c choiceReport) {
		count := counts[c.Choice]
		c.Count, c.Wrong = count.Count, count.Wrong
		known[c.Choice] = true
		report.Choices = append(report.Choices, c)
	}

	if question.Type == quiz.Status {
		// GradeValue of any number returns the key's right value.
		if result, err := question.GradeValue("0"); err == nil {
			answer := strconv.Itoa(result.Answer)
			add(choiceReport{Choice: answer, Text: answer, Correct: true})
		}
	}
	for _, o := range question.Options {
		choice := choiceReport{Choice: o.ID, Label: o.Label, Text: o.Text, Correct: o.Correct(),
			FeedbackHTML: template.HTML(o.FeedbackHTML), FeedbackText: o.FeedbackText}
		if question.Type == quiz.Status {
			choice.Choice, choice.Label = strconv.Itoa(o.Value), ""
		}
		if !known[choice.Choice] {
			add(choice)
		}
	}
	for _, c := range stats.Choices {
		if !known[c.Choice] {
			report.Choices = append(report.Choices, choiceReport{Choice: c.Choice, Text: c.Choice, Count: c.Count, Wrong: c.Wrong})
		}
	}

	if question.Type == quiz.Status {
		for _, c := range report.Choices {
			if c.Wrong > 0 {
				report.WrongValues = append(report.WrongValues, c)
			}
		}
		slices.SortStableFunc(report.WrongValues, func(a, b choiceReport) int { return cmp.Compare(b.Wrong, a.Wrong) })
		report.WrongValues = report.WrongValues[:min(len(report.WrongValues), maxWrongValues)]
	}
	return report
}

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	reports, ok := s.loadReports(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "instructor", "Instructor dashboard", dashboardPage{Quizzes: reports})
}

// csvHeader names the columns of the CSV export, one row per question
// and choice.
var csvHeader = []string{
	"quiz_id", "question_id", "question_type", "question_title",
	"attempts", "learners", "first_try_correct", "first_try_share",
	"choice", "choice_label", "choice_text", "choice_correct", "times_chosen", "times_chosen_wrong", "feedback",
}

// handleExportCSV writes the dashboard's figures as CSV. A question
// without choices, such as one nobody answered, still gets one row.
func (s *Server) handleExportCSV(w http.ResponseWriter, r *http.Request) {
	reports, ok := s.loadReports(w, r)
	if !ok {
		return
	}

	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="learn-quiz-results-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	out := csv.NewWriter(w)
	out.Write(csvHeader)
	for _, report := range reports {
		for _, q := range report.Questions {
			// A spreadsheet reads an empty cell as no value, unlike "–".
			share := q.FirstTryShare()
			if q.Learners == 0 {
				share = ""
			}
			question := []string{
				report.Quiz.ID, q.Question.ID, string(q.Question.Type), q.Question.Title,
				strconv.Itoa(q.Attempts), strconv.Itoa(q.Learners), strconv.Itoa(q.FirstTryCorrect), share,
			}
			if len(q.Choices) == 0 {
				out.Write(append(question, "", "", "", "", "", "", ""))
			}
			for _, c := range q.Choices {
				out.Write(append(slices.Clone(question), c.Choice, c.Label, c.Text, strconv.FormatBool(c.Correct),
					strconv.Itoa(c.Count), strconv.Itoa(c.Wrong), c.FeedbackText))
			}
		}
	}
	out.Flush()
	if err := out.Error(); err != nil {
		s.logger.Error("write CSV export", "err", err, "request_id", middleware.GetReqID(r.Context()))
	}
}

// loadReports builds the reports of every quiz, or writes a 503 page and
// returns false.
func (s *Server) loadReports(w http.ResponseWriter, r *http.Request) ([]quizReport, bool) {
	reports, err := buildReports(r.Context(), s.stats, s.library.Current().Quizzes)
	if err != nil {
		s.logger.Error("load quiz statistics", "err", err, "request_id", middleware.GetReqID(r.Context()))
		s.fail(w, r, http.StatusServiceUnavailable, "Statistics unavailable",
			"The quiz statistics could not be loaded. Try again in a moment.")
		return nil, false
	}
	return reports, true
}
