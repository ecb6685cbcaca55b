package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"salon/storage"
	"salon/storage/sqlite"
	"salon/storage/sqlite/sqlitetest"
	"salon/tickets"
)

// TestOpen_DamagedFileStillOpens: Open no longer reads the whole file, so a
// file damaged in a ticket index opens (and starts fast); the damage is
// found by CheckIntegrity, quick or full, and by CheckFile, which needs no
// open store. A sound file reports nothing.
func TestOpen_DamagedFileStillOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "salon.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s := MustCreateSalon(t, db, 50, true)
	for i := range 400 {
		in := tickets.RSVPInput{Name: "Guest", Email: fmt.Sprintf("g%d@example.com", i)}
		in.Normalize()
		if _, err := db.CreateRSVP(context.Background(), storage.RSVPRequest{Slug: s.Slug, Input: in}); err != nil {
			t.Fatal(err)
		}
	}
	if problems, err := db.CheckIntegrity(context.Background(), false); err != nil || len(problems) != 0 {
		t.Fatalf("sound file: %v %v", problems, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if problems, err := sqlite.CheckFile(context.Background(), path, false); err != nil || len(problems) != 0 {
		t.Fatalf("sound closed file: %v %v", problems, err)
	}
	sqlitetest.DamageIndex(t, path, "tickets_salon_email")

	started := time.Now()
	db, err = sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("a file damaged in an index must still open; the check runs later: %v", err)
	}
	t.Logf("opened the damaged file in %s", time.Since(started))
	defer db.Close()
	for _, quick := range []bool{true, false} {
		problems, err := db.CheckIntegrity(context.Background(), quick)
		if err != nil || len(problems) == 0 {
			t.Fatalf("quick %v: damage not found: %v %v", quick, problems, err)
		}
	}
	problems, err := sqlite.CheckFile(context.Background(), path, false)
	if err != nil || len(problems) == 0 {
		t.Fatalf("CheckFile: damage not found: %v %v", problems, err)
	}
	t.Logf("found: %s", problems[0])
	if _, err := sqlite.CheckFile(context.Background(), filepath.Join(t.TempDir(), "none.db"), true); err == nil {
		t.Fatal("CheckFile of a missing file must fail, not make one")
	}
}
