package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"salon/storage"
	"salon/tickets"
)

// walk reads every page of f, limit tickets at a time, each page starting
// after the last id of the one before, and calls between after each page.
func walk(t *testing.T, db storage.Store, f storage.TicketFilter, limit int, between func()) []*tickets.Ticket {
	t.Helper()
	var all []*tickets.Ticket
	f.Limit = limit
	for {
		page, err := db.FindTickets(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > limit {
			t.Fatalf("a page of %d tickets for a limit of %d", len(page), limit)
		}
		all = append(all, page...)
		if len(page) < limit {
			return all
		}
		f.After = page[len(page)-1].ID
		if between != nil {
			between()
		}
	}
}

// testTicketPages: walking a salon's tickets page by page (keyset, by id)
// gives every ticket once, in id order, with the waitlist positions a single
// lookup gives, the status filter included, and cancellations and a search
// change nothing of that.
func testTicketPages(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, true)
	other := mustCreateSalon(t, db, 5, true)
	var made []*tickets.Ticket
	for i := range 40 {
		tk, err := rsvp(t, db, s.Slug, fmt.Sprintf("p%d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, tk)
		if _, err := rsvp(t, db, other.Slug, fmt.Sprintf("p%d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	// A confirmed one and two waitlisted ones leave: a promotion, and gaps
	// in the waitlist the positions must close.
	for _, i := range []int{1, 12, 20} {
		if _, err := db.CancelRSVP(ctx, made[i].Token); err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{1, 3, 7, 40, 100} {
		all := walk(t, db, storage.TicketFilter{SalonID: s.ID}, limit, nil)
		if len(all) != len(made) {
			t.Fatalf("limit %d: %d tickets, want %d", limit, len(all), len(made))
		}
		pos := 0
		for i, tk := range all {
			if tk.ID != made[i].ID || tk.SalonID != s.ID {
				t.Fatalf("limit %d: ticket %d is %d of salon %d, want %d", limit, i, tk.ID, tk.SalonID, made[i].ID)
			}
			one, err := db.FindTicketByID(ctx, s.ID, tk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tk.Status != one.Status || tk.WaitlistPosition != one.WaitlistPosition || tk.Token != one.Token {
				t.Fatalf("limit %d: ticket %d paged as %s #%d, alone %s #%d", limit, tk.ID, tk.Status, tk.WaitlistPosition, one.Status, one.WaitlistPosition)
			}
			if tk.Status == tickets.StatusWaitlisted {
				pos++
				if tk.WaitlistPosition != pos {
					t.Fatalf("limit %d: waitlisted ticket %d has position %d, want %d", limit, tk.ID, tk.WaitlistPosition, pos)
				}
			}
		}
		if pos != 40-5-3 {
			t.Fatalf("limit %d: %d waitlisted, want 32", limit, pos)
		}
		waiting := walk(t, db, storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusWaitlisted}, limit, nil)
		for i, tk := range waiting {
			if tk.Status != tickets.StatusWaitlisted || tk.WaitlistPosition != i+1 {
				t.Fatalf("limit %d, waitlisted only: #%d is %s at %d", limit, i, tk.Status, tk.WaitlistPosition)
			}
		}
		if len(waiting) != pos {
			t.Fatalf("limit %d: %d waitlisted when filtered, %d in all", limit, len(waiting), pos)
		}
	}
	// Offset still counts from After, with the same positions.
	page, err := db.FindTickets(ctx, storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusWaitlisted, Limit: 4, Offset: 3, After: made[10].ID})
	if err != nil {
		t.Fatal(err)
	}
	whole := walk(t, db, storage.TicketFilter{SalonID: s.ID, Status: tickets.StatusWaitlisted, After: made[10].ID}, 1000, nil)
	if len(page) != 4 || page[0].ID != whole[3].ID || page[0].WaitlistPosition != whole[3].WaitlistPosition {
		t.Fatalf("offset page: %d tickets, first %v, want %v", len(page), page[0], whole[3])
	}
	// A search pages by id too: p3 and p30 to p39.
	found := walk(t, db, storage.TicketFilter{SalonID: s.ID, Q: "p3"}, 2, nil)
	if len(found) != 11 || found[0].Email != "p3@example.com" || found[1].Email != "p30@example.com" || found[10].Email != "p39@example.com" {
		t.Fatalf("search pages: %d tickets", len(found))
	}
}

// testTicketPagesUnderInserts walks a salon page by page while RSVPs keep
// arriving, some between the pages and some from goroutines racing the
// walk: every ticket that existed when it began is seen exactly once, and
// ids only ever rise.
func testTicketPagesUnderInserts(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 10, true)
	before := map[int64]bool{}
	for i := range 60 {
		tk, err := rsvp(t, db, s.Slug, fmt.Sprintf("b%d@example.com", i))
		if err != nil {
			t.Fatal(err)
		}
		before[tk.ID] = true
	}
	// Each racer adds a bounded number, so the walk reaches the end.
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("r%d-%d@example.com", g, i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	n := 0
	all := walk(t, db, storage.TicketFilter{SalonID: s.ID}, 5, func() {
		n++
		if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("between%d@example.com", n)); err != nil {
			t.Fatal(err)
		}
	})
	wg.Wait()
	seen := map[int64]bool{}
	var last int64
	for _, tk := range all {
		if seen[tk.ID] {
			t.Fatalf("ticket %d seen twice", tk.ID)
		}
		if tk.ID <= last {
			t.Fatalf("ticket %d after %d", tk.ID, last)
		}
		seen[tk.ID], last = true, tk.ID
	}
	for id := range before {
		if !seen[id] {
			t.Fatalf("ticket %d, there before the walk, was missed", id)
		}
	}
	if len(all) <= len(before) {
		t.Fatalf("the walk saw %d tickets, none of those added while it ran", len(all))
	}
}

// testCheckIntegrity: a sound store reports no damage, quick or full.
func testCheckIntegrity(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 2, true)
	for i := range 5 {
		if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("i%d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, quick := range []bool{true, false} {
		problems, err := db.CheckIntegrity(context.Background(), quick)
		if err != nil || len(problems) != 0 {
			t.Fatalf("quick %v: %v %v", quick, problems, err)
		}
	}
}
