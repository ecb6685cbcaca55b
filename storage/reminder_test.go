package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"salon/storage"
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
	db.Now = func() time.Time { return s.StartsAt.Add(-23 * time.Hour) }
	if n, err := db.QueueReminders(ctx); err != nil || n != 3 {
		t.Fatalf("due: %d %v (want the 2 confirmed and 1 waitlisted)", n, err)
	}
	if n, _ := db.QueueReminders(ctx); n != 0 {
		t.Fatalf("reminders must go once per attendee, got %d more", n)
	}
	db.Now = func() time.Time { return s.StartsAt.Add(time.Minute) }
	late, _ := db.FindMessages(ctx, storage.OutboxFilter{Status: storage.OutboxQueued})
	if n, _ := db.QueueReminders(ctx); n != 0 || len(late) == 0 {
		t.Fatalf("no reminders after the start")
	}
}
