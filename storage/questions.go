package storage

import (
	"encoding/json"
	"fmt"

	"salon/events"
	"salon/tickets"
)

// Questions and answers are kept as JSON text in every backend: a salon's
// questions as a list, a ticket's answers as an object by question id. These
// are the one encoding, so the backends read each other's dumps alike.

// EncodeQuestions is the stored form of qs: "[]" for none.
func EncodeQuestions(qs []events.Question) string {
	if len(qs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(qs) // strings, bools and slices of them always marshal
	return string(b)
}

// DecodeQuestions reads what EncodeQuestions wrote.
func DecodeQuestions(s string) ([]events.Question, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var qs []events.Question
	if err := json.Unmarshal([]byte(s), &qs); err != nil {
		return nil, fmt.Errorf("storage: unable to read questions: %w", err)
	}
	return qs, nil
}

// EncodeAnswers is the stored form of a: "{}" for none.
func EncodeAnswers(a tickets.Answers) string {
	if len(a) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(a)
	return string(b)
}

// DecodeAnswers reads what EncodeAnswers wrote.
func DecodeAnswers(s string) (tickets.Answers, error) {
	if s == "" || s == "{}" {
		return nil, nil
	}
	var a tickets.Answers
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return nil, fmt.Errorf("storage: unable to read answers: %w", err)
	}
	return a, nil
}
