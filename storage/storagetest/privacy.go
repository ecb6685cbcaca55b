package storagetest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// The privacy contracts are kept beside their tests rather than in the
// list in storagetest.go.
func init() {
	contracts = append(contracts,
		contract{"EraseTicket_FreesSeat", testEraseTicketFreesSeat},
		contract{"EraseTicket_Scrubs", testEraseTicketScrubs},
		contract{"EraseTicket_Again", testEraseTicketAgain},
		contract{"EraseEnded_Retention", testEraseEnded},
	)
}

// testEraseTicketFreesSeat: erasing a confirmed ticket frees its seat as a
// cancel would, promoting the first on the waitlist in the same write, and
// mails nothing to the erased address.
func testEraseTicketFreesSeat(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 1, true)
	ana, err := rsvp(t, db, s.Slug, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	bob, err := rsvp(t, db, s.Slug, "bob@example.com")
	if err != nil || bob.Status != tickets.StatusWaitlisted {
		t.Fatalf("bob: %+v %v", bob, err)
	}
	got, err := db.EraseTicket(ctx, ana.Token)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != tickets.StatusCancelled || !got.Erased() || got.Name != "" || got.Email != "" ||
		got.Company != "" || got.JobTitle != "" {
		t.Fatalf("erased ticket: %+v", got)
	}
	if b, _ := db.FindTicketByID(ctx, s.ID, bob.ID); b.Status != tickets.StatusConfirmed {
		t.Fatalf("bob was not promoted: %s", b.Status)
	}
	if sa, _ := db.FindSalonBySlug(ctx, s.Slug); sa.Confirmed != 1 || sa.Waitlisted != 0 {
		t.Fatalf("counts %d/%d, want 1/0", sa.Confirmed, sa.Waitlisted)
	}
	if k := countKinds(t, db, s.ID); k[tickets.NoticeTicketCancelled] != 0 || k[tickets.NoticePromoted] != 1 {
		t.Fatalf("outbox %v: want a promotion and no cancel notice", k)
	}
	// The freed email may RSVP again: an erased ticket holds no place.
	again, err := rsvp(t, db, s.Slug, "ana@example.com")
	if err != nil || again.Status != tickets.StatusWaitlisted {
		t.Fatalf("RSVP again: %+v %v", again, err)
	}
}

// testEraseTicketScrubs: every place the store keeps the holder's data is
// in the export before, and holds nothing personal after.
func testEraseTicketScrubs(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, true)
	in := tickets.RSVPInput{Name: "Ana Lima", Email: "ana@example.com", Company: "Lima Pay", JobTitle: "CTO"}
	in.Normalize()
	res, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in, IdempotencyKey: "k-1"})
	if err != nil {
		t.Fatal(err)
	}
	ana := res.Ticket
	other, err := rsvp(t, db, s.Slug, "other@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FeedToken(ctx, ana.Email); err != nil {
		t.Fatal(err)
	}
	org := storage.WithActor(ctx, storage.Actor{Email: "org@example.com", Via: "api"})
	if _, err := db.CheckIn(org, storage.CheckinRequest{SalonID: s.ID, TicketID: ana.ID, Device: "door 1"}); err != nil {
		t.Fatal(err)
	}
	// A second ticket of the same salon cancelled by an organizer, whose
	// audit entry names the email: it is erased as well, later.
	if _, err := db.CancelTicket(org, s.ID, other.ID); err != nil {
		t.Fatal(err)
	}

	ex, err := db.ExportTicket(ctx, ana.Token)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Ticket.ID != ana.ID || ex.Ticket.Name != "Ana Lima" || ex.Ticket.Company != "Lima Pay" || ex.Salon.ID != s.ID {
		t.Fatalf("export ticket: %+v", ex.Ticket)
	}
	if len(ex.Messages) != 1 || ex.Messages[0].Recipient != "ana@example.com" {
		t.Fatalf("export messages: %+v", ex.Messages)
	}
	if len(ex.Scans) != 1 || ex.Scans[0].TicketID != ana.ID || ex.Scans[0].Device != "door 1" {
		t.Fatalf("export scans: %+v", ex.Scans)
	}
	if len(ex.Audit) != 1 || ex.Audit[0].Action != storage.ActionCheckin {
		t.Fatalf("export audit: %+v", ex.Audit)
	}
	if !ex.Feed || ex.IdempotencyKeys != 1 {
		t.Fatalf("export feed %v, idempotency keys %d", ex.Feed, ex.IdempotencyKeys)
	}

	for _, tk := range []*tickets.Ticket{ana, other} {
		if _, err := db.EraseTicket(ctx, tk.Token); err != nil {
			t.Fatal(err)
		}
	}
	ex, err = db.ExportTicket(ctx, ana.Token)
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Ticket.Erased() || ex.Ticket.Name != "" || ex.Ticket.Email != "" || ex.Feed || ex.IdempotencyKeys != 0 {
		t.Fatalf("export after erase: %+v feed %v keys %d", ex.Ticket, ex.Feed, ex.IdempotencyKeys)
	}
	if ex.Ticket.CheckedInAt == nil || len(ex.Scans) != 1 {
		t.Fatal("erasure dropped the check-in history")
	}
	personal := []string{"ana@example.com", "other@example.com", "Ana Lima", "Lima Pay", "CTO", "Guest other"}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.TicketID != ana.ID && m.TicketID != other.ID {
			continue
		}
		if m.Recipient != "" || m.Status == storage.OutboxQueued || m.Status == storage.OutboxSending {
			t.Errorf("message %d after erase: to %q, %s", m.ID, m.Recipient, m.Status)
		}
		mustHoldNone(t, "message error", m.LastError, personal)
	}
	entries, err := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	erasures := 0
	for _, e := range entries {
		mustHoldNone(t, "audit "+e.Action, e.Detail, personal)
		if e.Action == storage.ActionTicketErase {
			erasures++
		}
	}
	if erasures != 2 {
		t.Errorf("%d ticket.erase entries, want 2", erasures)
	}
	for _, email := range []string{"ana@example.com", "other@example.com"} {
		if found, _ := db.FindTickets(ctx, storage.TicketFilter{Email: email}); len(found) != 0 {
			t.Errorf("tickets still found by %s", email)
		}
	}
	// The attendee list still counts the check-in, without the person.
	if sa, _ := db.FindSalonBySlug(ctx, s.Slug); sa.CheckedIn != 1 {
		t.Errorf("checked-in count %d, want 1", sa.CheckedIn)
	}
}

// testEraseTicketAgain: a second erasure answers the same and writes
// nothing; unknown tokens are not found.
func testEraseTicketAgain(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, true)
	ana, err := rsvp(t, db, s.Slug, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.EraseTicket(ctx, ana.Token)
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.EraseTicket(ctx, ana.Token)
	if err != nil {
		t.Fatal(err)
	}
	if *first.ErasedAt != *second.ErasedAt || first.Status != second.Status || second.UpdatedAt != first.UpdatedAt {
		t.Fatalf("second erase: %+v, first %+v", second, first)
	}
	if got, err := db.FindTicketByToken(ctx, ana.Token); err != nil || !got.Erased() {
		t.Fatalf("the token no longer opens the erased ticket: %+v %v", got, err)
	}
	entries, _ := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
	if len(entries) != 1 || entries[0].Action != storage.ActionTicketErase || entries[0].Detail != strconv.FormatInt(ana.ID, 10) {
		t.Fatalf("audit: %+v", entries)
	}
	mac := strings.TrimPrefix(ana.Token, strconv.FormatInt(ana.ID, 36))
	for _, tok := range []string{strconv.FormatInt(999999, 36) + mac, "not-a-token", ""} {
		if _, err := db.EraseTicket(ctx, tok); events.ErrorCode(err) != events.ENOTFOUND {
			t.Errorf("erase %q: %v, want not found", tok, err)
		}
		if _, err := db.ExportTicket(ctx, tok); events.ErrorCode(err) != events.ENOTFOUND {
			t.Errorf("export %q: %v, want not found", tok, err)
		}
	}
}

// testEraseEnded: retention erases only the tickets of salons that ended
// before the cutoff, in batches, leaving statuses and counts as they were.
func testEraseEnded(t *testing.T, db *store) {
	ctx := context.Background()
	now := time.Now()
	old := salonAt(t, db, now.AddDate(0, 0, -400))
	recent := salonAt(t, db, now.AddDate(0, 0, -10))
	upcoming := mustCreateSalon(t, db, 5, true)
	var oldTickets []*tickets.Ticket
	for _, s := range []*events.Salon{old, recent, upcoming} {
		for _, who := range []string{"ana", "bob"} {
			tk := rsvpAt(t, db, s, who+"@example.com")
			if s == old {
				oldTickets = append(oldTickets, tk)
			}
		}
	}
	cutoff := now.AddDate(0, 0, -365)
	for i, want := range []int{1, 1, 0} {
		n, err := db.EraseEnded(ctx, cutoff, 1)
		if err != nil || n != want {
			t.Fatalf("batch %d: erased %d (%v), want %d", i, n, err, want)
		}
	}
	for _, tk := range oldTickets {
		got, err := db.FindTicketByID(ctx, old.ID, tk.ID)
		if err != nil || !got.Erased() || got.Email != "" || got.Status != tickets.StatusConfirmed {
			t.Fatalf("old ticket after retention: %+v %v", got, err)
		}
	}
	if sa, _ := db.FindSalonBySlug(ctx, old.Slug); sa.Confirmed != 2 {
		t.Fatalf("old salon counts changed: %d confirmed", sa.Confirmed)
	}
	for _, s := range []*events.Salon{recent, upcoming} {
		kept, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
		for _, tk := range kept {
			if tk.Erased() || tk.Email == "" {
				t.Fatalf("ticket of %s erased: %+v", s.Slug, tk)
			}
		}
	}
	// The emails still have tickets elsewhere, so their feeds stay.
	if ex, err := db.ExportTicket(ctx, oldTickets[0].Token); err != nil || ex.Ticket.Name != "" {
		t.Fatalf("export of a retained-away ticket: %+v %v", ex, err)
	}
}

// salonAt creates a published salon of two hours that ended at end, with
// the store's clock set back so it could be created and RSVPed to.
func salonAt(tb testing.TB, db *store, end time.Time) *events.Salon {
	tb.Helper()
	start := end.Add(-2 * time.Hour).Truncate(time.Minute)
	db.clock.set(func() time.Time { return start.Add(-7 * 24 * time.Hour) })
	defer db.clock.set(time.Now)
	s := &events.Salon{Title: "Past salon", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: 5, Waitlist: true, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// rsvpAt RSVPs to s a week before it starts, on the store's clock.
func rsvpAt(tb testing.TB, db *store, s *events.Salon, email string) *tickets.Ticket {
	tb.Helper()
	if s.StartsAt.Before(time.Now()) {
		db.clock.set(func() time.Time { return s.StartsAt.Add(-7 * 24 * time.Hour) })
		defer db.clock.set(time.Now)
	}
	tk, err := rsvp(tb, db, s.Slug, email)
	if err != nil {
		tb.Fatal(err)
	}
	return tk
}

// mustHoldNone fails when text contains any of the personal values.
func mustHoldNone(t *testing.T, what, text string, personal []string) {
	t.Helper()
	for _, p := range personal {
		if strings.Contains(text, p) {
			t.Errorf("%s still holds %q: %q", what, p, text)
		}
	}
}
