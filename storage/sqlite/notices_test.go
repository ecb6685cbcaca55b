package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"salon/storage"
	"salon/tickets"
)

// noticeLedger fails unless every ticket with a deferred notice has it
// either in the outbox (at or below the mark) or waiting (above it), never
// both and never twice, and returns how many wait.
func noticeLedger(t *testing.T, db *DB) (waiting int) {
	t.Helper()
	ctx := context.Background()
	var bad int
	if err := db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM tickets WHERE notice_kind IS NOT NULL AND id > (SELECT ticket_id FROM notice_mark)),
		(SELECT COUNT(*) FROM tickets t WHERE t.notice_kind IS NOT NULL AND
			(SELECT COUNT(*) FROM outbox o WHERE o.ticket_id = t.id AND o.kind = t.notice_kind) !=
			(t.id <= (SELECT ticket_id FROM notice_mark)))`).Scan(&waiting, &bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("%d tickets have their notice in the outbox other than once below the mark, or also waiting", bad)
	}
	return waiting
}

// TestDeferredNotices: RSVPs leave their notices in their tickets; the
// outbox, when read, holds each exactly once, in ticket order, with the
// waitlist positions; reading again copies nothing twice.
func TestDeferredNotices(t *testing.T) {
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{noticeEvery: time.Hour})
	s := cacheSalon(t, db, 2)
	for i := range 5 {
		rsvpNow(db, s.Slug, fmt.Sprintf("n%d@example.com", i)).status(t)
	}
	if w := noticeLedger(t, db); w != 5 {
		t.Fatalf("%d notices wait in their tickets after 5 RSVPs, want 5", w)
	}
	for range 2 {
		msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{SalonID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range msgs {
			got = append(got, fmt.Sprintf("%s %v", m.Kind, m.Payload["position"]))
		}
		want := []string{tickets.NoticeConfirmed + " 0", tickets.NoticeConfirmed + " 0",
			tickets.NoticeWaitlisted + " 1", tickets.NoticeWaitlisted + " 2", tickets.NoticeWaitlisted + " 3"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("outbox %q, want %q", got, want)
		}
		for i := 1; i < len(msgs); i++ {
			if msgs[i].TicketID <= msgs[i-1].TicketID || msgs[i].MessageID == msgs[i-1].MessageID || len(msgs[i].MessageID) != 32 {
				t.Fatalf("messages out of ticket order or with bad ids: %+v then %+v", msgs[i-1], msgs[i])
			}
		}
		if w := noticeLedger(t, db); w != 0 {
			t.Fatalf("%d notices still wait after the outbox was read", w)
		}
	}
}

// TestDeferredNotices_BeforeOtherWrites: a cancellation right after the
// RSVPs finds their notices in the outbox first, so the confirmation comes
// before the cancellation and the waitlisted notice before the promotion.
func TestDeferredNotices_BeforeOtherWrites(t *testing.T) {
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{noticeEvery: time.Hour})
	s := cacheSalon(t, db, 1)
	first := rsvpNow(db, s.Slug, "first@example.com")
	first.status(t)
	rsvpNow(db, s.Slug, "second@example.com").status(t)
	if w := noticeLedger(t, db); w != 2 {
		t.Fatalf("%d notices wait before the cancellation, want 2", w)
	}
	if _, err := db.CancelTicket(context.Background(), s.ID, first.res.Ticket.ID); err != nil {
		t.Fatal(err)
	}
	noticeLedger(t, db)
	var kinds []string
	rows, err := db.read.Query(`SELECT kind FROM outbox WHERE salon_id = ? ORDER BY id`, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		rows.Scan(&k)
		kinds = append(kinds, k)
	}
	// Read straight from the table: the cancellation alone must have
	// brought the notices in, before its own.
	if len(kinds) != 4 || kinds[0] != tickets.NoticeConfirmed || kinds[1] != tickets.NoticeWaitlisted ||
		!slices.Contains(kinds[2:], tickets.NoticeTicketCancelled) || !slices.Contains(kinds[2:], tickets.NoticePromoted) {
		t.Fatalf("outbox kinds %q, want the confirmation and the waitlisted notice, then the cancellation and the promotion", kinds)
	}
}

// TestDeferredNotices_Reopen: notices still waiting in their tickets when
// the store closes reach the outbox once, after it opens again.
func TestDeferredNotices_Reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "salon.db")
	db := openWith(t, path, options{noticeEvery: time.Hour})
	s := cacheSalon(t, db, 50)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() { defer wg.Done(); rsvpNow(db, s.Slug, fmt.Sprintf("r%d@example.com", i)).status(t) }()
	}
	wg.Wait()
	if w := noticeLedger(t, db); w != 40 {
		t.Fatalf("%d notices wait when the store closes, want 40", w)
	}
	db.Close()
	db = openWith(t, path, options{})
	msgs, err := db.FindMessages(context.Background(), storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, m := range msgs {
		if m.Kind != tickets.NoticeConfirmed || seen[m.TicketID] {
			t.Fatalf("unexpected message %+v", m)
		}
		seen[m.TicketID] = true
	}
	if len(seen) != 40 || noticeLedger(t, db) != 0 {
		t.Fatalf("%d confirmations for 40 RSVPs", len(seen))
	}
}

// TestDeferredNotices_Race: RSVPs, cancellations and outbox reads at once.
// Afterwards every ticket has its own notice exactly once, and before any
// later notice about it.
func TestDeferredNotices_Race(t *testing.T) {
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{})
	s := cacheSalon(t, db, 20)
	ctx := context.Background()
	var wg sync.WaitGroup
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
				if _, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID}); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := rsvpNow(db, s.Slug, fmt.Sprintf("race%d@example.com", i))
			if a.err != nil {
				t.Error(a.err)
				return
			}
			if i%3 == 0 {
				if _, err := db.CancelTicket(ctx, s.ID, a.res.Ticket.ID); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-stopped
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	first := map[int64]string{}
	for _, m := range msgs {
		if _, ok := first[m.TicketID]; !ok {
			first[m.TicketID] = m.Kind
		} else if m.Kind == tickets.NoticeConfirmed || m.Kind == tickets.NoticeWaitlisted {
			t.Fatalf("ticket %d has a second new-RSVP notice (%s) or one after another notice", m.TicketID, m.Kind)
		}
	}
	if len(first) != 60 {
		t.Fatalf("%d tickets have mail, want 60", len(first))
	}
	for id, k := range first {
		if k != tickets.NoticeConfirmed && k != tickets.NoticeWaitlisted {
			t.Fatalf("ticket %d's first mail is %s", id, k)
		}
	}
	if noticeLedger(t, db) != 0 {
		t.Fatal("notices wait after the outbox was read")
	}
}

// TestDeferredNotices_CopyRolledBack: a write
// that copied the notices and then failed takes its copy back with it, and
// the next write copies them again before its own mail.
func TestDeferredNotices_CopyRolledBack(t *testing.T) {
	for _, sp := range []bool{true, false} {
		t.Run(fmt.Sprintf("savepoints=%v", sp), func(t *testing.T) { testCopyRolledBack(t, sp) })
	}
}

// testCopyRolledBack is TestDeferredNotices_CopyRolledBack with a SAVEPOINT
// per write from the start, or once the failed write has the batch re-run.
func testCopyRolledBack(t *testing.T, savepoints bool) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "salon.db"), options{savepoints: savepoints, noticeEvery: time.Hour})
	s := cacheSalon(t, db, 5)
	refused := errors.New("refused")
	release := holdWriter(t, db)
	rsvp := queueRSVP(db, s.Slug, "first@example.com")
	failed := queueCached(db, ctx, func(tx *Tx) error {
		if err := db.copyNotices(ctx, tx); err != nil {
			return err
		}
		return refused
	})
	later := queueWrite(db, ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, salon_id, recipient, message_id, next_attempt_at, created_at)
			VALUES (?, ?, 'later@example.com', 'later', 0, 0)`, tickets.NoticeMessage, s.ID)
		return err
	})
	release()
	(<-rsvp).status(t)
	if err := <-failed; !errors.Is(err, refused) {
		t.Fatalf("the failing write: %v", err)
	}
	if err := <-later; err != nil {
		t.Fatal(err)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Kind != tickets.NoticeConfirmed || msgs[1].Kind != tickets.NoticeMessage {
		var kinds []string
		for _, m := range msgs {
			kinds = append(kinds, m.Kind)
		}
		t.Fatalf("outbox %q, want the confirmation, then the later mail", kinds)
	}
	noticeLedger(t, db)
}

// TestDeferredNotices_ReadAfterFailedSync: once a sync has failed and the
// store refuses writes, the outbox can still be read, as it stands.
func TestDeferredNotices_ReadAfterFailedSync(t *testing.T) {
	ctx := context.Background()
	db, fail := openFailingSync(t)
	s := cacheSalon(t, db, 5)
	rsvpNow(db, s.Slug, "first@example.com").status(t)
	fail.Store(true)
	if a := rsvpNow(db, s.Slug, "second@example.com"); !errors.Is(a.err, errSyncFailed) {
		t.Fatalf("RSVP after the failed sync: %v", a.err)
	}
	fail.Store(false)
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatalf("reading the outbox of a store that refuses writes: %v", err)
	}
	if len(msgs) > 2 {
		t.Fatalf("%d messages for two RSVPs", len(msgs))
	}
}
