package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

// TestAudit_SameTransaction: an audited write and its audit row commit
// together. When the row cannot be written the change is rolled back too;
// when the change commits its row is there, with the actor from the
// context; without an actor nothing is recorded.
func TestAudit_SameTransaction(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sa := MustCreateSalon(t, db, 10, true)
	tk, err := rsvp(t, db, sa.Slug, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if log, _ := db.FindAudit(ctx, storage.AuditFilter{}); len(log) != 0 {
		t.Fatalf("writes without an actor were audited: %+v", log)
	}
	actx := storage.WithActor(ctx, storage.Actor{UserID: 0, Email: "mei@example.com", IP: "192.0.2.7"})
	start := sa.StartsAt.Add(24 * time.Hour)
	writes := []struct {
		name, action string
		write        func() error
		// changed reports whether the write's change is in the database.
		changed func() bool
	}{
		{"create salon", storage.ActionSalonCreate, func() error {
			return db.CreateSalon(actx, &events.Salon{Title: "Audited", Slug: "audited", Industry: "fintech", StartsAt: start,
				EndsAt: start.Add(time.Hour), Capacity: 5, Status: events.StatusDraft})
		}, func() bool { _, err := db.FindSalonBySlug(ctx, "audited"); return err == nil }},
		{"edit salon", storage.ActionSalonUpdate, func() error {
			v := "Audited venue"
			_, err := db.UpdateSalon(actx, sa.ID, events.SalonUpdate{Venue: &v})
			return err
		}, func() bool { s, _ := db.FindSalonByID(ctx, sa.ID); return s.Venue == "Audited venue" }},
		{"cancel ticket", storage.ActionTicketCancel, func() error {
			_, err := db.CancelTicket(actx, sa.ID, tk.ID)
			return err
		}, func() bool {
			got, _ := db.FindTicketByID(ctx, sa.ID, tk.ID)
			return got.Status == tickets.StatusCancelled
		}},
		{"door link", storage.ActionDoorLinkMake, func() error {
			_, _, err := db.CreateDoorLink(actx, sa.ID, "front", 0)
			return err
		}, func() bool { l, _ := db.FindDoorLinks(ctx, sa.ID); return len(l) > 0 }},
		{"user", storage.ActionUserCreate, func() error {
			return db.CreateUser(actx, &events.User{Email: "bo@example.com", Role: events.RoleStaff})
		}, func() bool { _, err := db.FindUserByEmail(ctx, "bo@example.com"); return err == nil }},
	}

	// Every audit insert fails: each change must roll back with it.
	rawExec(t, path, `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`)
	for _, w := range writes {
		if err := w.write(); err == nil || !strings.Contains(err.Error(), "audit") {
			t.Errorf("%s: with the audit row refused the write answered %v", w.name, err)
		}
		if w.changed() {
			t.Errorf("%s: the change committed without its audit row", w.name)
		}
	}
	if log, _ := db.FindAudit(ctx, storage.AuditFilter{}); len(log) != 0 {
		t.Fatalf("audit rows written: %+v", log)
	}

	rawExec(t, path, `DROP TRIGGER refuse_audit`)
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if !w.changed() {
			t.Errorf("%s: not changed", w.name)
		}
	}
	log, err := db.FindAudit(ctx, storage.AuditFilter{})
	if err != nil || len(log) != len(writes) {
		t.Fatalf("audit log: %v %+v", err, log)
	}
	for i, w := range writes {
		e := log[len(log)-1-i]
		if e.Action != w.action || e.Actor != "mei@example.com" || e.IP != "192.0.2.7" {
			t.Errorf("%s: audit entry %+v", w.name, e)
		}
	}
}
