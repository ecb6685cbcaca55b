package sqlite_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

// TestEraseTicket_LeavesNoTrace searches every column of every table for
// the holder's email, name, company and job title once each of their
// tickets is erased.
func TestEraseTicket_LeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	org := storage.WithActor(ctx, storage.Actor{Email: "org@example.com", IP: "192.0.2.1"})
	personal := []string{"ana.lima@example.com", "Ana Lima", "Lima Pay", "Chief Tinkerer", "peanuts"}
	qs := []events.Question{{ID: "diet", Label: "Anything we should know?", Type: events.QuestionText}}
	var mine []*tickets.Ticket
	for i, key := range []string{"key-1", "key-2"} {
		s := MustCreateSalon(t, db, 5, true)
		if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Questions: &qs}); err != nil {
			t.Fatal(err)
		}
		in := tickets.RSVPInput{Name: "Ana Lima", Email: "Ana.Lima@example.com", Company: "Lima Pay", JobTitle: "Chief Tinkerer",
			Answers: map[string]json.RawMessage{"diet": json.RawMessage(`"Allergic to peanuts"`)}}
		in.Normalize()
		res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in, IdempotencyKey: key})
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, res.Ticket)
		if i == 0 {
			if _, err := db.CheckIn(org, storage.CheckinRequest{SalonID: s.ID, TicketID: res.Ticket.ID, Device: "door"}); err != nil {
				t.Fatal(err)
			}
		} else if _, err := db.CancelTicket(org, s.ID, res.Ticket.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.RevokeFeed(ctx, "ana.lima@example.com"); err != nil {
		t.Fatal(err)
	}
	// The search finds the data where it lives, before.
	if where := sqlite.FindEverywhere(t, db, "peanuts"); !slices.Contains(where, "tickets.answers") {
		t.Fatalf("the answer is not found in tickets.answers before the erasure (found in %v)", where)
	}
	where := sqlite.FindEverywhere(t, db, "ana.lima@example.com")
	for _, want := range []string{"tickets.email", "outbox.recipient", "audit_log.detail", "feeds.email"} {
		if !slices.Contains(where, want) {
			t.Fatalf("the email is not found in %s before the erasure (found in %v)", want, where)
		}
	}
	for _, tk := range mine {
		if _, err := db.EraseTicket(ctx, tk.Token); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range personal {
		if where := sqlite.FindEverywhere(t, db, p); len(where) > 0 {
			t.Errorf("%q is still in %v", p, where)
		}
	}
}
