package quiz

// QuestionStats summarizes every learner's attempts at one question, for
// instructors.
type QuestionStats struct {
	QuestionID string
	Attempts   int // every saved attempt, by every learner
	Learners   int // learners with at least one attempt

	// FirstTryCorrect counts the learners whose first attempt was right.
	FirstTryCorrect int

	// Choices counts how often each option id, or each typed value of a
	// status question, was part of an attempt, most chosen first.
	Choices []ChoiceCount
}

// ChoiceCount is how often one option id or typed value was chosen.
type ChoiceCount struct {
	Choice string
	Count  int // attempts that contain the choice
	Wrong  int // of those, attempts graded wrong
}
