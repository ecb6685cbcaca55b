package sqlite_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

// MustOpenDB opens a fresh database file in a temporary directory and closes
// it when the test ends.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "salon.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// MustCreateSalon creates a published salon starting in a week.
func MustCreateSalon(tb testing.TB, db *sqlite.DB, capacity int, waitlist bool) *events.Salon {
	tb.Helper()
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Fintech founders", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: capacity, Waitlist: waitlist, Status: events.StatusPublished}
	if err := db.CreateSalon(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestOpen_Pragmas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "salon.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	key := bytes.Clone(db.Key())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening applies no migration twice and keeps the server key.
	db2, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if len(db2.Key()) != 32 {
		t.Fatalf("key length %d", len(db2.Key()))
	}
	if !bytes.Equal(db2.Key(), key) {
		t.Fatal("reopening changed the server key")
	}
	got := sqlite.Pragmas(t, db2)
	// The writer commits with synchronous=NORMAL (1): the syncer syncs the
	// WAL before any write is answered (TestGroupCommit_*).
	want := map[string]string{"journal_mode": "wal", "synchronous": "1", "foreign_keys": "1", "busy_timeout": "10000", "journal_size_limit": "67108864"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("pragma %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "salon.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := MustCreateSalon(t, db, 5, true)
	out := filepath.Join(dir, "copy.db")
	if err := sqlite.Backup(context.Background(), filepath.Join(dir, "salon.db"), out); err != nil {
		t.Fatal(err)
	}
	// A second backup to the same file refuses rather than overwriting.
	if err := sqlite.Backup(context.Background(), filepath.Join(dir, "salon.db"), out); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	cp, err := sqlite.Open(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	got, err := cp.FindSalonBySlug(context.Background(), s.Slug)
	if err != nil || got.Title != s.Title {
		t.Fatalf("backup lacks salon: %v %v", got, err)
	}
}

func rsvp(t testing.TB, db *sqlite.DB, slug, email string) (*tickets.Ticket, error) {
	t.Helper()
	in := tickets.RSVPInput{Name: "Guest " + email, Email: email}
	in.Normalize()
	res, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: slug, Input: in})
	if err != nil {
		return nil, err
	}
	return res.Ticket, nil
}
