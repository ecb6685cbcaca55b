package tickets_test

import (
	"encoding/json"
	"testing"
	"time"

	"salon/events"
	"salon/tickets"
)

// TestCheckRSVP: each of the three checks refuses on its own, with its own
// code and field, and an RSVP that passes them gets its answers back.
func TestCheckRSVP(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	salon := func() *events.Salon {
		return &events.Salon{Status: events.StatusPublished, StartsAt: now.Add(48 * time.Hour), RSVPDeadline: now.Add(24 * time.Hour),
			MaxGuests: 1, Questions: []events.Question{{ID: "diet", Label: "Diet", Type: events.QuestionText, Required: true}}}
	}
	answered := tickets.RSVPInput{Answers: map[string]json.RawMessage{"diet": json.RawMessage(`"none"`)}}

	a, err := tickets.CheckRSVP(now, salon(), answered)
	if err != nil || a["diet"].Text != "none" {
		t.Fatalf("a valid RSVP: answers %v, %v", a, err)
	}
	late := salon()
	late.RSVPDeadline = now.Add(-time.Minute)
	if _, err := tickets.CheckRSVP(now, late, answered); events.ErrorCode(err) != events.ERSVPCLOSED {
		t.Fatalf("past the deadline: %v, want %s", err, events.ERSVPCLOSED)
	}
	party := answered
	party.Guests = 2
	if _, err := tickets.CheckRSVP(now, salon(), party); events.ErrorCode(err) != events.EINVALID || fieldOf(err) != "guests" {
		t.Fatalf("two guests where one is allowed: %v, want invalid on guests", err)
	}
	if _, err := tickets.CheckRSVP(now, salon(), tickets.RSVPInput{}); events.ErrorCode(err) != events.EINVALID || fieldOf(err) != "answers.diet" {
		t.Fatalf("a required answer left out: %v, want invalid on answers.diet", err)
	}
}

// fieldOf is the one field an error names, or "".
func fieldOf(err error) string {
	e, ok := err.(*events.Error)
	if !ok || len(e.Fields) != 1 {
		return ""
	}
	for f := range e.Fields {
		return f
	}
	return ""
}
