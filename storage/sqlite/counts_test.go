package sqlite_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"salon/events"
	"salon/storage/sqlite"
)

// TestCounts_GuardInSchema: the schema itself refuses a write that raises
// a salon's confirmed count above its capacity or takes a count below
// zero, whoever writes; lowering the capacity under the count is allowed.
func TestCounts_GuardInSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := MustCreateSalon(t, db, 2, true)
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if _, err := rsvp(t, db, s.Slug, e); err != nil {
			t.Fatal(err)
		}
	}
	one := 1
	if got, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Capacity: &one}); err != nil || got.Confirmed != 2 {
		t.Fatalf("lower capacity: %+v %v", got, err)
	}
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for name, q := range map[string]string{
		"confirmed above capacity": `UPDATE salon_counts SET confirmed = confirmed + 1 WHERE salon_id = ?`,
		"confirmed below zero":     `UPDATE salon_counts SET confirmed = -1 WHERE salon_id = ?`,
		"waitlisted below zero":    `UPDATE salon_counts SET waitlisted = -1 WHERE salon_id = ?`,
		"pending below zero":       `UPDATE salon_counts SET pending = -1 WHERE salon_id = ?`,
	} {
		if _, err := raw.ExecContext(ctx, q, s.ID); err == nil || !strings.Contains(err.Error(), "out of bounds") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got, _ := db.FindSalonByID(ctx, s.ID); got.Confirmed != 2 || got.Waitlisted != 1 {
		t.Errorf("counts changed: %d/%d", got.Confirmed, got.Waitlisted)
	}
}
