package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"salon/storage/sqlite"
)

// TestChanges_SeenByAnotherProcess: the change counters live in the file,
// so a store that did not make a write (another process on the same file;
// here a second store opened on it) sees its versions rise soon after.
func TestChanges_SeenByAnotherProcess(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	open := func() *sqlite.DB {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b := open(), open()
	s0, t0 := a.SalonsVersion(), a.TicketsVersion()
	s := MustCreateSalon(t, b, 5, true)
	if _, err := rsvp(t, b, s.Slug, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for a.SalonsVersion() == s0 || a.TicketsVersion() == t0 {
		if time.Now().After(deadline) {
			t.Fatalf("the other store's writes stay unseen: salons %d→%d, tickets %d→%d",
				s0, a.SalonsVersion(), t0, a.TicketsVersion())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Both stores count the same rows: they agree once both have read them.
	time.Sleep(150 * time.Millisecond)
	if a.SalonsVersion() != b.SalonsVersion() || a.TicketsVersion() != b.TicketsVersion() {
		t.Errorf("versions differ: %d/%d and %d/%d", a.SalonsVersion(), a.TicketsVersion(), b.SalonsVersion(), b.TicketsVersion())
	}
}
