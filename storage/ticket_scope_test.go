package storage_test

import (
	"context"
	"testing"

	"salon/events"
)

// TestTicketByID_WithinSalon: a ticket id reaches a ticket only through
// its own salon; through another it is not found, exactly like an id that
// does not exist, and nothing is written.
func TestTicketByID_WithinSalon(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	a := MustCreateSalon(t, db, 5, true)
	b := MustCreateSalon(t, db, 5, true)
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
	}
	if scans, _ := db.FindScans(ctx, b.ID); len(scans) != 0 {
		t.Errorf("salon b logged %d scans", len(scans))
	}
}
