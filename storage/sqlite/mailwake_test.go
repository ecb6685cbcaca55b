package sqlite_test

import (
	"context"
	"sync/atomic"
	"testing"

	"salon/events"
)

// TestOnMailQueued: every write that queues mail wakes the mail worker
// itself once it commits, so no caller has to; writes that queue nothing,
// and refused writes, wake nobody.
func TestOnMailQueued(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var wakes atomic.Int64
	db.OnMailQueued(func() { wakes.Add(1) })
	expect := func(what string, want int64) {
		t.Helper()
		if got := wakes.Swap(0); got != want {
			t.Fatalf("%s: %d wake-ups, want %d", what, got, want)
		}
	}

	sa := MustCreateSalon(t, db, 1, true)
	expect("creating a salon", 0)
	first, err := rsvp(t, db, sa.Slug, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	expect("a confirmed RSVP", 1)
	if _, err := rsvp(t, db, sa.Slug, "bo@example.com"); err != nil {
		t.Fatal(err)
	}
	expect("a waitlisted RSVP", 1)
	if _, err := rsvp(t, db, sa.Slug, "ANA@example.com"); events.ErrorCode(err) != events.EALREADYREGISTERED {
		t.Fatalf("repeat: %v", err)
	}
	expect("a repeat that mails the ticket again", 1)
	if _, err := rsvp(t, db, "no-such-salon", "cy@example.com"); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown salon: %v", err)
	}
	expect("a refused RSVP", 0)
	if _, err := db.CancelTicket(ctx, sa.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	expect("a cancel that promotes", 1)
	where := "Another venue"
	if _, err := db.UpdateSalon(ctx, sa.ID, events.SalonUpdate{Venue: &where}); err != nil {
		t.Fatal(err)
	}
	expect("a move that notifies attendees", 1)

	msgs, err := db.ClaimMessages(ctx, 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("claim: %v, %d", err, len(msgs))
	}
	expect("claiming", 0)
	if err := db.MarkFailed(ctx, msgs[0].ID, msgs[0].Claim, "550 no such user"); err != nil {
		t.Fatal(err)
	}
	expect("marking failed", 0)
	if err := db.RetryMessage(ctx, msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	expect("an admin's retry", 1)
}
