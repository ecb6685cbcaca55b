package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/postgres/pgtest"
	"salon/tickets"
)

// TestQueueReminders: reminders are queued once per active ticket of each
// salon whose reminder time has come, and none for a salon not yet due or
// a cancelled ticket.
func TestQueueReminders(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, pgtest.URL(t))
	due, early := createSalon(t, db, 2), createSalon(t, db, 2)
	hour := time.Hour
	if _, err := db.UpdateSalon(ctx, early.ID, events.SalonUpdate{ReminderBefore: &hour}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{due.Slug, early.Slug} {
		for i := 0; i < 3; i++ {
			if r := <-goRSVP(t, ctx, db, s, fmt.Sprintf("r%d@example.com", i), ""); r.err != nil {
				t.Fatal(r.err)
			}
		}
	}
	gone := <-goRSVP(t, ctx, db, due.Slug, "gone@example.com", "")
	if gone.err != nil {
		t.Fatal(gone.err)
	}
	if _, err := db.CancelRSVP(ctx, gone.res.Ticket.Token); err != nil {
		t.Fatal(err)
	}
	db.Clock = func() time.Time { return due.StartsAt.Add(-23 * time.Hour) }
	if n, err := db.QueueReminders(ctx); err != nil || n != 3 {
		t.Fatalf("queued %d reminders (%v), want the due salon's 2 confirmed and 1 waitlisted", n, err)
	}
	if n, err := db.QueueReminders(ctx); err != nil || n != 0 {
		t.Fatalf("queued %d more reminders (%v), want none", n, err)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Kind == tickets.NoticeReminder && (m.SalonID != due.ID || m.Recipient == "gone@example.com") {
			t.Fatalf("reminder queued for %s of salon %d", m.Recipient, m.SalonID)
		}
	}
}
