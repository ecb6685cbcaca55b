package storagetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// mustCreateApprovalSalon creates a published salon needing approval,
// taking up to maxGuests companions per RSVP, organized by org (0: none).
func mustCreateApprovalSalon(tb testing.TB, db storage.Store, capacity, maxGuests int, waitlist bool, org int64) *events.Salon {
	tb.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Curated dinner", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Waitlist: waitlist, Status: events.StatusPublished, Approval: true, MaxGuests: maxGuests, OrganizerID: org}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// rsvpParty RSVPs for email with guests companions.
func rsvpParty(tb testing.TB, db storage.Store, slug, email string, guests int) (*tickets.Ticket, error) {
	tb.Helper()
	in := tickets.RSVPInput{Name: "Guest " + email, Email: email, Guests: guests}
	in.Normalize()
	res, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in})
	if err != nil {
		return nil, err
	}
	return res.Ticket, nil
}

// mustStatus fails unless ticket id of s has status want (and, when
// waitlisted, position pos).
func mustStatus(tb testing.TB, db storage.Store, s *events.Salon, id int64, want string, pos int) *tickets.Ticket {
	tb.Helper()
	got, err := db.FindTicketByID(context.Background(), s.ID, id)
	if err != nil {
		tb.Fatal(err)
	}
	if got.Status != want || got.WaitlistPosition != pos {
		tb.Fatalf("ticket %d: %s at %d, want %s at %d", id, got.Status, got.WaitlistPosition, want, pos)
	}
	return got
}

// mustCounts fails unless s's seat counts are confirmed, waitlisted and
// pending.
func mustCounts(tb testing.TB, db storage.Store, s *events.Salon, confirmed, waitlisted, pending int) *events.Salon {
	tb.Helper()
	got, err := db.FindSalonByID(context.Background(), s.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if got.Confirmed != confirmed || got.Waitlisted != waitlisted || got.Pending != pending {
		tb.Fatalf("counts %d/%d/%d, want %d/%d/%d", got.Confirmed, got.Waitlisted, got.Pending, confirmed, waitlisted, pending)
	}
	return got
}

// testApprovalFlow: RSVPs to a salon with approval wait as pending, taking
// no seat; approving decides each as an RSVP at its place in line (by
// when it was made, not when it was approved); declining frees nothing;
// a decided, declined or cancelled ticket cannot be decided again.
func testApprovalFlow(t *testing.T, db *store) {
	admin := mustHookUser(t, db, "boss@example.com", events.RoleAdmin)
	ctx := storage.WithActor(context.Background(), storage.Actor{UserID: admin.ID, Email: admin.Email, Via: "api"})
	hook := mustWebhook(t, db, admin.ID, storage.EventTicketApproved)
	s := mustCreateApprovalSalon(t, db, 2, 0, true, 0)
	var ts []*tickets.Ticket
	for _, e := range []string{"a", "b", "c", "d", "e"} {
		tk, err := rsvp(t, db, s.Slug, e+"@example.com")
		if err != nil || tk.Status != tickets.StatusPending || tk.WaitlistPosition != 0 {
			t.Fatalf("RSVP %s: %+v, %v", e, tk, err)
		}
		ts = append(ts, tk)
	}
	mustCounts(t, db, s, 0, 0, 5)
	if k := countKinds(t, db, s.ID); k[tickets.NoticePending] != 5 || len(k) != 1 {
		t.Fatalf("outbox after RSVPs: %v", k)
	}
	// Pending keeps the email taken.
	if _, err := rsvp(t, db, s.Slug, "a@example.com"); events.ErrorCode(err) != events.EALREADYREGISTERED {
		t.Fatalf("repeat of a pending RSVP: %v", err)
	}
	a, b, c, d, e := ts[0], ts[1], ts[2], ts[3], ts[4]
	// d first: seats are free and nobody waits, so it is confirmed.
	if got, err := db.ApproveTicket(ctx, s.ID, d.ID); err != nil || got.Status != tickets.StatusConfirmed {
		t.Fatalf("approve d: %+v, %v", got, err)
	}
	if _, err := db.ApproveTicket(ctx, s.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	// Full: c waits, then b, who came before c, waits ahead of it.
	if got, err := db.ApproveTicket(ctx, s.ID, c.ID); err != nil || got.Status != tickets.StatusWaitlisted || got.WaitlistPosition != 1 {
		t.Fatalf("approve c: %+v, %v", got, err)
	}
	if _, err := db.ApproveTicket(ctx, s.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, db, s, b.ID, tickets.StatusWaitlisted, 1)
	mustStatus(t, db, s, c.ID, tickets.StatusWaitlisted, 2)
	if got, err := db.DeclineTicket(ctx, s.ID, e.ID); err != nil || got.Status != tickets.StatusDeclined {
		t.Fatalf("decline e: %+v, %v", got, err)
	}
	mustCounts(t, db, s, 2, 2, 0)
	k := countKinds(t, db, s.ID)
	if k[tickets.NoticeConfirmed] != 2 || k[tickets.NoticeWaitlisted] != 2 || k[tickets.NoticeDeclined] != 1 {
		t.Fatalf("outbox after decisions: %v", k)
	}
	// A declined guest may not queue up again under the same email.
	if _, err := rsvp(t, db, s.Slug, "e@example.com"); events.ErrorCode(err) != events.EALREADYREGISTERED {
		t.Fatalf("RSVP again after a decline: %v", err)
	}

	// Deciding again, or deciding a declined or cancelled ticket, is
	// refused with the field named and writes nothing.
	f, err := rsvp(t, db, s.Slug, "f@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.CancelRSVP(context.Background(), f.Token); err != nil || got.Status != tickets.StatusCancelled {
		t.Fatalf("holder cancels a pending ticket: %+v, %v", got, err)
	}
	mustCounts(t, db, s, 2, 2, 0)
	before := countKinds(t, db, s.ID)
	entries, _ := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID})
	for _, tc := range []struct {
		name   string
		id     int64
		status string
	}{{"confirmed", a.ID, "confirmed"}, {"waitlisted", b.ID, "waitlisted"}, {"declined", e.ID, "declined"}, {"cancelled", f.ID, "cancelled"}} {
		for _, decide := range []func(context.Context, int64, int64) (*tickets.Ticket, error){db.ApproveTicket, db.DeclineTicket} {
			_, err := decide(ctx, s.ID, tc.id)
			var fe *events.Error
			if !asError(err, &fe) || fe.Code != events.EINVALID || !strings.Contains(fe.Fields["status"], tc.status) {
				t.Fatalf("%s: deciding again: %v", tc.name, err)
			}
		}
	}
	mustCounts(t, db, s, 2, 2, 0)
	if after := countKinds(t, db, s.ID); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused decisions queued mail: %v, then %v", before, after)
	}
	if again, _ := db.FindAudit(ctx, storage.AuditFilter{SalonID: s.ID}); len(again) != len(entries) {
		t.Fatalf("refused decisions were audited: %d entries, then %d", len(entries), len(again))
	}
	approves, declines := 0, 0
	for _, en := range entries {
		switch en.Action {
		case storage.ActionTicketApprove:
			approves++
		case storage.ActionTicketDecline:
			declines++
		}
	}
	if approves != 4 || declines != 1 {
		t.Fatalf("audit: %d approvals, %d declines", approves, declines)
	}
	if got := deliveryTypes(t, db, hook.ID, map[string]bool{}); len(got) != 4 {
		t.Fatalf("ticket.approved deliveries: %v", got)
	}

	// Another salon's ticket is not found, exactly like a missing one.
	other := mustCreateApprovalSalon(t, db, 5, 0, true, 0)
	if _, err := db.ApproveTicket(ctx, other.ID, b.ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("approve across salons: %v", err)
	}
	if _, err := db.DeclineTicket(ctx, other.ID, b.ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("decline across salons: %v", err)
	}

	// Cancelling a confirmed ticket promotes b, the head of the line.
	if _, err := db.CancelTicket(ctx, s.ID, d.ID); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, db, s, b.ID, tickets.StatusConfirmed, 0)
	mustStatus(t, db, s, c.ID, tickets.StatusWaitlisted, 1)
	// A declined ticket holds nothing to cancel: it stays declined.
	if got, err := db.CancelTicket(ctx, s.ID, e.ID); err != nil || got.Status != tickets.StatusDeclined {
		t.Fatalf("cancel a declined ticket: %+v, %v", got, err)
	}
}

// testApprovalFull: without a waitlist, approving a party that does not
// fit is salon_full and the ticket stays pending, with nothing written;
// an RSVP that could never fit is refused at once.
func testApprovalFull(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateApprovalSalon(t, db, 3, 2, false, 0)
	x, err := rsvpParty(t, db, s.Slug, "x@example.com", 1)
	if err != nil {
		t.Fatal(err)
	}
	y, err := rsvpParty(t, db, s.Slug, "y@example.com", 2)
	if err != nil || y.Status != tickets.StatusPending || y.Guests != 2 {
		t.Fatalf("y: %+v, %v", y, err)
	}
	mustCounts(t, db, s, 0, 0, 5)
	if got, err := db.ApproveTicket(ctx, s.ID, x.ID); err != nil || got.Status != tickets.StatusConfirmed {
		t.Fatalf("approve x: %+v, %v", got, err)
	}
	before := countKinds(t, db, s.ID)
	if _, err := db.ApproveTicket(ctx, s.ID, y.ID); events.ErrorCode(err) != events.ESALONFULL {
		t.Fatalf("approve y into a full salon: %v", err)
	}
	mustStatus(t, db, s, y.ID, tickets.StatusPending, 0)
	mustCounts(t, db, s, 2, 0, 3)
	if after := countKinds(t, db, s.ID); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("a refused approval queued mail: %v, then %v", before, after)
	}
	// One seat left: a party of three can never get it, so it is refused.
	if _, err := rsvpParty(t, db, s.Slug, "z@example.com", 2); events.ErrorCode(err) != events.ESALONFULL {
		t.Fatalf("RSVP that cannot fit: %v", err)
	}
	// More capacity: the pending party is approved into it.
	capacity := 5
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &capacity}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, db, s, y.ID, tickets.StatusPending, 0)
	if got, err := db.ApproveTicket(ctx, s.ID, y.ID); err != nil || got.Status != tickets.StatusConfirmed {
		t.Fatalf("approve y after more capacity: %+v, %v", got, err)
	}
	mustCounts(t, db, s, 5, 0, 0)
	// A cancelled salon takes no decisions.
	z := mustCreateApprovalSalon(t, db, 3, 0, true, 0)
	p, err := rsvp(t, db, z.Slug, "p@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cancelled := events.StatusCancelled
	if _, err := db.UpdateSalon(ctx, z.ID, events.SalonUpdate{Status: &cancelled}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveTicket(ctx, z.ID, p.ID); events.ErrorCode(err) != events.ESALONCANCELLED {
		t.Fatalf("approve in a cancelled salon: %v", err)
	}
}

// testApprovalConcurrent approves 40 pending parties of one to three at
// once, twice each, for 20 seats: no seat is oversold, each ticket is
// decided once, and the result is what approving them one by one in
// arrival order would give, as long as every approval sees every seat
// taken before it.
func testApprovalConcurrent(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateApprovalSalon(t, db, 20, 2, true, 0)
	var ts []*tickets.Ticket
	for i := 0; i < 40; i++ {
		tk, err := rsvpParty(t, db, s.Slug, fmt.Sprintf("p%d@example.com", i), i%3)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tk)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := map[int64]int{}
	for _, tk := range ts {
		for rep := 0; rep < 2; rep++ {
			wg.Add(1)
			go func(id int64) {
				defer wg.Done()
				_, err := db.ApproveTicket(ctx, s.ID, id)
				if err == nil {
					mu.Lock()
					ok[id]++
					mu.Unlock()
				} else if events.ErrorCode(err) != events.EINVALID {
					t.Errorf("approve %d: %v", id, err)
				}
			}(tk.ID)
		}
	}
	wg.Wait()
	for _, tk := range ts {
		if ok[tk.ID] != 1 {
			t.Fatalf("ticket %d approved %d times", tk.ID, ok[tk.ID])
		}
	}
	all, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
	if err != nil {
		t.Fatal(err)
	}
	confirmed, waiting := 0, 0
	for _, tk := range all {
		switch tk.Status {
		case tickets.StatusConfirmed:
			confirmed += tk.Seats()
		case tickets.StatusWaitlisted:
			waiting += tk.Seats()
		default:
			t.Fatalf("ticket %d left %s", tk.ID, tk.Status)
		}
	}
	if confirmed > 20 {
		t.Fatalf("oversold: %d seats confirmed of 20", confirmed)
	}
	got := mustCounts(t, db, s, confirmed, waiting, 0)
	checkWaitlistInvariant(t, db, got)
	if k := countKinds(t, db, s.ID); k[tickets.NoticeConfirmed]+k[tickets.NoticeWaitlisted] != 40 {
		t.Fatalf("outbox %v", k)
	}
}

// asError is errors.As for *events.Error.
func asError(err error, target **events.Error) bool { return errors.As(err, target) }
