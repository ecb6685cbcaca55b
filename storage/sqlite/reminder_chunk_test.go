package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"salon/events"
)

// TestQueueReminders_InChunks: a salon's reminders are queued in writes of
// reminderChunk tickets (so that RSVPs and health probes get the writer in
// between), one reminder per active ticket, none twice, chunk boundaries
// included, and a second run queues none and writes nothing.
func TestQueueReminders_InChunks(t *testing.T) {
	old := reminderChunk
	reminderChunk = 100
	defer func() { reminderChunk = old }()
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Reminded", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: 2000, Waitlist: true, Status: events.StatusPublished, ReminderBefore: 24 * time.Hour}
	if err := db.CreateSalon(ctx, s); err != nil {
		t.Fatal(err)
	}
	const n = 1234
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 16 {
				if a := rsvpNow(db, s.Slug, fmt.Sprintf("r%04d@example.com", i)); a.err != nil {
					errs <- a.err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db.Clock = func() time.Time { return start.Add(-23 * time.Hour) }
	commits := db.ckCommit.Load()
	got, err := db.QueueReminders(ctx)
	if err != nil || got != n {
		t.Fatalf("queued %d, %v; want %d", got, err, n)
	}
	if c := db.ckCommit.Load() - commits; c < n/100 {
		t.Fatalf("%d reminders in %d commits; want writes of at most 100", n, c)
	}
	var total, tickets, twice int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT ticket_id) FROM outbox WHERE kind = 'reminder'`).Scan(&total, &tickets); err != nil {
		t.Fatal(err)
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT ticket_id FROM outbox WHERE kind = 'reminder' GROUP BY ticket_id HAVING COUNT(*) > 1)`).Scan(&twice); err != nil {
		t.Fatal(err)
	}
	if total != n || tickets != n || twice != 0 {
		t.Fatalf("%d reminders for %d tickets (%d twice); want one for each of %d", total, tickets, twice, n)
	}
	commits = db.ckCommit.Load()
	if again, err := db.QueueReminders(ctx); err != nil || again != 0 {
		t.Fatalf("a second run queued %d, %v", again, err)
	}
	if c := db.ckCommit.Load() - commits; c != 0 {
		t.Fatalf("a look that found nothing to queue made %d commits; want none", c)
	}
}
