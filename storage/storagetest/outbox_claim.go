package storagetest

import (
	"context"
	"testing"
	"time"

	"salon/events"
)

// testMarkStaleClaim: a worker whose claim is no longer current (it
// stalled past its lease, the message went back to the queue and another
// worker claimed it) cannot move the message on; only the current claim
// can. Without this a stalled worker's late "sent" or "retry" would
// overwrite what the new claimer is doing.
func testMarkStaleClaim(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, false)
	if _, err := rsvp(t, db, s.Slug, "ada@example.com"); err != nil {
		t.Fatal(err)
	}
	first, err := db.ClaimMessages(ctx, 1)
	if err != nil || len(first) != 1 {
		t.Fatalf("first claim: %d, %v", len(first), err)
	}
	stale := first[0]

	// The first worker stalls for an hour, far past any lease; the queue
	// takes the message back (the requeue a starting worker does) and
	// another worker claims it.
	later := time.Now().Add(time.Hour)
	db.clock.set(func() time.Time { return later })
	if _, err := db.RequeueInFlight(ctx); err != nil {
		t.Fatal(err)
	}
	second, err := db.ClaimMessages(ctx, 1)
	if err != nil || len(second) != 1 || second[0].ID != stale.ID {
		t.Fatalf("claim after the lease: %+v, %v", second, err)
	}
	current := second[0]
	if current.Claim == stale.Claim {
		t.Fatalf("both claims carry token %d", current.Claim)
	}

	for name, mark := range map[string]func() error{
		"sent":   func() error { return db.MarkSent(ctx, stale.ID, stale.Claim) },
		"retry":  func() error { return db.MarkRetry(ctx, stale.ID, stale.Claim, "451 later", later) },
		"failed": func() error { return db.MarkFailed(ctx, stale.ID, stale.Claim, "550 no") },
	} {
		if err := mark(); events.ErrorCode(err) != events.ECONFLICT {
			t.Errorf("stale mark %s: %v, want conflict", name, err)
		}
	}
	if err := db.MarkSent(ctx, current.ID, current.Claim); err != nil {
		t.Fatalf("current mark sent: %v", err)
	}
	if err := db.MarkSent(ctx, current.ID, current.Claim); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("second mark sent: %v, want conflict", err)
	}
}
