package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

func TestQueueReminders(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	s := MustCreateSalon(t, db, 2, true) // starts in a week; reminder 24 h before
	for i := 0; i < 3; i++ {
		if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("r%d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	cancelled, _ := rsvp(t, db, s.Slug, "gone@example.com")
	db.CancelRSVP(ctx, cancelled.Token)
	if n, err := db.QueueReminders(ctx); err != nil || n != 0 {
		t.Fatalf("too early: %d %v", n, err)
	}
	db.Clock = func() time.Time { return s.StartsAt.Add(-23 * time.Hour) }
	if n, err := db.QueueReminders(ctx); err != nil || n != 3 {
		t.Fatalf("due: %d %v (want the 2 confirmed and 1 waitlisted)", n, err)
	}
	if n, _ := db.QueueReminders(ctx); n != 0 {
		t.Fatalf("reminders must go once per attendee, got %d more", n)
	}
	// An attendee who came after the reminders went out has none yet: once
	// the salon has started, none is queued for them.
	db.Clock = func() time.Time { return s.StartsAt.Add(-22 * time.Hour) }
	lateComer, err := rsvp(t, db, s.Slug, "late@example.com")
	if err != nil {
		t.Fatal(err)
	}
	db.Clock = func() time.Time { return s.StartsAt.Add(time.Minute) }
	late, _ := db.FindMessages(ctx, storage.OutboxFilter{Status: storage.OutboxQueued})
	if n, _ := db.QueueReminders(ctx); n != 0 || len(late) == 0 {
		t.Fatalf("no reminders after the start")
	}
	if reminders(t, db, lateComer.ID) != 0 {
		t.Fatal("a reminder was queued after the start")
	}
	// Before the start the late comer was due one: what kept it back above
	// was the start, nothing else.
	db.Clock = func() time.Time { return s.StartsAt.Add(-time.Minute) }
	if n, err := db.QueueReminders(ctx); err != nil || n != 1 || reminders(t, db, lateComer.ID) != 1 {
		t.Fatalf("late comer before the start: %d %v", n, err)
	}
}

// reminders counts the reminders queued for a ticket.
func reminders(t *testing.T, db *sqlite.DB, ticketID int64) int {
	t.Helper()
	msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Kind == tickets.NoticeReminder && m.TicketID == ticketID {
			n++
		}
	}
	return n
}
