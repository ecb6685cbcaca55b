package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// checkWaitlistInvariant fails unless the salon's tickets are as strict
// first come, first served leaves them: confirmed seats within capacity and
// equal to the salon's count, the waitlist in arrival order, and its head
// (if any) a party that does not fit in the seats left.
func checkWaitlistInvariant(tb testing.TB, db storage.Store, s *events.Salon) {
	tb.Helper()
	ctx := context.Background()
	confirmed, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusConfirmed})
	if err != nil {
		tb.Fatal(err)
	}
	waiting, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusWaitlisted})
	if err != nil {
		tb.Fatal(err)
	}
	seats, waitSeats := 0, 0
	for _, tk := range confirmed {
		seats += tk.Seats()
	}
	for i, tk := range waiting {
		waitSeats += tk.Seats()
		if tk.WaitlistPosition != i+1 {
			tb.Fatalf("waitlist position %d at place %d", tk.WaitlistPosition, i+1)
		}
	}
	if seats > s.Capacity {
		tb.Fatalf("oversold: %d seats confirmed for capacity %d", seats, s.Capacity)
	}
	if seats != s.Confirmed || waitSeats != s.Waitlisted {
		tb.Fatalf("salon counts %d/%d, tickets say %d/%d", s.Confirmed, s.Waitlisted, seats, waitSeats)
	}
	if len(waiting) > 0 && seats+waiting[0].Seats() <= s.Capacity {
		tb.Fatalf("head of the waitlist (%d seats) fits in %d free seats but waits", waiting[0].Seats(), s.Capacity-seats)
	}
}

// fifo is what strict first come, first served gives parties arriving in
// the order of seats: the statuses, by arrival.
func fifo(capacity int, seats []int) []string {
	out := make([]string, len(seats))
	used, waiting := 0, false
	for i, n := range seats {
		if !waiting && used+n <= capacity {
			out[i], used = tickets.StatusConfirmed, used+n
		} else {
			out[i], waiting = tickets.StatusWaitlisted, true
		}
	}
	return out
}

// testPartiesConcurrent races 120 parties of one to four for 30 seats, 10
// times over: nothing is oversold by seats, and the outcome is exactly
// first come, first served in the order the store took them: once a party
// waits, everyone after it waits too, even those who would fit. Then half
// of the confirmed parties cancel at once, and the waitlist moves up from
// its head while the head fits.
func testPartiesConcurrent(t *testing.T, db *store) {
	ctx := context.Background()
	for round := 0; round < 10; round++ {
		s := mustCreateSalon(t, db, 30, true)
		maxGuests := 3
		if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{MaxGuests: &maxGuests}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := 0; i < 120; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				if _, err := rsvpParty(t, db, s.Slug, fmt.Sprintf("r%d-%d@example.com", round, i), (i*7)%4); err != nil {
					t.Errorf("RSVP %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		all, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		var seats []int
		for _, tk := range all {
			seats = append(seats, tk.Seats())
		}
		want := fifo(30, seats)
		for i, tk := range all {
			if tk.Status != want[i] {
				t.Fatalf("round %d: ticket %d (%d seats) is %s, first come first served says %s", round, i, tk.Seats(), tk.Status, want[i])
			}
		}
		got, _ := db.FindSalonByID(ctx, s.ID)
		checkWaitlistInvariant(t, db, got)

		var confirmed []*tickets.Ticket
		for _, tk := range all {
			if tk.Status == tickets.StatusConfirmed {
				confirmed = append(confirmed, tk)
			}
		}
		for i := 0; i < len(confirmed); i += 2 {
			for rep := 0; rep < 2; rep++ {
				wg.Add(1)
				go func(tok string) {
					defer wg.Done()
					if _, err := db.CancelRSVP(ctx, tok); err != nil {
						t.Errorf("cancel: %v", err)
					}
				}(confirmed[i].Token)
			}
		}
		wg.Wait()
		got, _ = db.FindSalonByID(ctx, s.ID)
		checkWaitlistInvariant(t, db, got)
		// Those promoted are the head of the old waitlist, in order.
		after, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID})
		stillWaiting := false
		for i, tk := range after {
			if all[i].Status != tickets.StatusWaitlisted {
				continue
			}
			if tk.Status == tickets.StatusWaitlisted {
				stillWaiting = true
			} else if stillWaiting {
				t.Fatalf("round %d: ticket %d promoted past one still waiting", round, i)
			}
		}
	}
}

// testPartiesHeadBlocks walks a small salon through parties: a big party
// at the head that does not fit waits, and nobody behind it jumps ahead;
// cancelling and more capacity promote from the head while it fits;
// check-in admits the party; guests are bounded by max_guests.
func testPartiesHeadBlocks(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 4, true)
	maxGuests := 3
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{MaxGuests: &maxGuests}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		guests int
	}{{"above max_guests", 4}, {"negative", -1}} {
		_, err := rsvpParty(t, db, s.Slug, "bad@example.com", tc.guests)
		var fe *events.Error
		if !asError(err, &fe) || fe.Code != events.EINVALID || fe.Fields["guests"] == "" {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	if all, _ := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID}); len(all) != 0 {
		t.Fatalf("refused parties wrote %d tickets", len(all))
	}
	a, _ := rsvpParty(t, db, s.Slug, "a@example.com", 1) // 2 seats
	b, _ := rsvpParty(t, db, s.Slug, "b@example.com", 0) // 1 seat
	c, err := rsvpParty(t, db, s.Slug, "c@example.com", 3)
	if err != nil || c.Status != tickets.StatusWaitlisted || c.WaitlistPosition != 1 {
		t.Fatalf("party of four: %+v, %v", c, err)
	}
	// One seat is free, but c waits ahead: d waits behind it.
	d, err := rsvpParty(t, db, s.Slug, "d@example.com", 0)
	if err != nil || d.Status != tickets.StatusWaitlisted || d.WaitlistPosition != 2 {
		t.Fatalf("single behind a waiting party: %+v, %v", d, err)
	}
	mustCounts(t, db, s, 3, 5, 0)
	// b cancels: two seats free, c still does not fit, d still waits.
	if _, err := db.CancelRSVP(ctx, b.Token); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, db, s, c.ID, tickets.StatusWaitlisted, 1)
	mustStatus(t, db, s, d.ID, tickets.StatusWaitlisted, 2)
	// a cancels: all four seats free; c moves up, d does not fit behind it.
	if _, err := db.CancelRSVP(ctx, a.Token); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, db, s, c.ID, tickets.StatusConfirmed, 0)
	mustStatus(t, db, s, d.ID, tickets.StatusWaitlisted, 1)
	mustCounts(t, db, s, 4, 1, 0)
	// One more seat: d moves up.
	capacity := 5
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &capacity}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, db, s, d.ID, tickets.StatusConfirmed, 0)
	got := mustCounts(t, db, s, 5, 0, 0)
	checkWaitlistInvariant(t, db, got)
	if k := countKinds(t, db, s.ID); k[tickets.NoticePromoted] != 2 {
		t.Fatalf("outbox %v", k)
	}
	// Check-in admits the whole party, and the count says so.
	res, err := db.CheckIn(ctx, storage.CheckinRequest{SalonID: s.ID, TicketID: c.ID})
	if err != nil || res.Result != tickets.CheckinOK || res.Ticket.Guests != 3 {
		t.Fatalf("check-in of a party: %+v, %v", res, err)
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); got.CheckedIn != 4 {
		t.Fatalf("checked in %d, want the party's 4", got.CheckedIn)
	}
	if _, err := db.UndoCheckIn(ctx, s.ID, c.ID, 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); got.CheckedIn != 0 {
		t.Fatalf("checked in %d after undo", got.CheckedIn)
	}
}

// testPartiesIdempotency: an idempotency key's request includes its
// guests, so the same key with another party size is refused.
func testPartiesIdempotency(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 10, true)
	maxGuests := 2
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{MaxGuests: &maxGuests}); err != nil {
		t.Fatal(err)
	}
	in := tickets.RSVPInput{Name: "Ana", Email: "ana@example.com", Guests: 2}
	in.Normalize()
	first, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in, IdempotencyKey: "k1"})
	if err != nil || first.Ticket.Guests != 2 {
		t.Fatalf("first: %+v, %v", first, err)
	}
	again, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in, IdempotencyKey: "k1"})
	if err != nil || !again.Replayed || again.Ticket.ID != first.Ticket.ID || again.Ticket.Guests != 2 {
		t.Fatalf("replay: %+v, %v", again, err)
	}
	in.Guests = 1
	if _, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in, IdempotencyKey: "k1"}); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("same key, other party: %v", err)
	}
	mustCounts(t, db, s, 3, 0, 0)
}
