package storagetest

import (
	"context"
	"testing"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// testTicketByIDWithinSalon: a ticket id reaches a ticket only through
// its own salon; through another it is not found, exactly like an id that
// does not exist, and nothing is written.
func testTicketByIDWithinSalon(t *testing.T, db *store) {
	ctx := context.Background()
	a := mustCreateSalon(t, db, 5, true)
	b := mustCreateSalon(t, db, 5, true)
	tk, err := rsvp(t, db, a.Slug, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindTicketByID(ctx, a.ID, tk.ID); err != nil || got.ID != tk.ID || got.Token != tk.Token {
		t.Fatalf("own salon: %+v %v", got, err)
	}
	for name, id := range map[string]int64{"another salon's ticket": tk.ID, "unknown id": tk.ID + 1000} {
		if got, err := db.FindTicketByID(ctx, b.ID, id); events.ErrorCode(err) != events.ENOTFOUND || got != nil {
			t.Errorf("find %s: %+v %v", name, got, err)
		}
		if got, err := db.UndoCheckIn(ctx, b.ID, id, 0); events.ErrorCode(err) != events.ENOTFOUND || got != nil {
			t.Errorf("undo %s: %+v %v", name, got, err)
		}
		if got, err := db.CheckIn(ctx, storage.CheckinRequest{SalonID: b.ID, TicketID: id}); events.ErrorCode(err) != events.ENOTFOUND || got != nil {
			t.Errorf("check in %s: %+v %v", name, got, err)
		}
	}
	if scans, _ := db.FindScans(ctx, b.ID); len(scans) != 0 {
		t.Errorf("salon b logged %d scans", len(scans))
	}
	// By id in its own salon the ticket checks in once, and a second time
	// is already done, as with its code.
	for i, want := range []string{tickets.CheckinOK, tickets.CheckinAlready} {
		res, err := db.CheckIn(ctx, storage.CheckinRequest{SalonID: a.ID, TicketID: tk.ID, Device: "console"})
		if err != nil || res.Result != want || res.Ticket == nil || res.Ticket.ID != tk.ID {
			t.Fatalf("check in by id, try %d: %+v %v", i+1, res, err)
		}
	}
	if scans, _ := db.FindScans(ctx, a.ID); len(scans) != 2 || scans[0].TicketID != tk.ID {
		t.Errorf("salon a scans: %+v", scans)
	}
}
