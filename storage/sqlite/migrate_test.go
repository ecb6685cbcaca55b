package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"salon/storage"
	"salon/tickets"
)

// TestMigrate_LeanWrites builds a database as the migrations before 0005
// left it, with tickets whose manage links were mailed in the legacy form,
// then opens it: the tables are rebuilt, every row and reference survives,
// the legacy links keep working beside the new id-carrying ones, and foreign
// keys are enforced again afterwards.
func TestMigrate_LeanWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	raw, mustExec := migratedBefore(t, path, "0005")
	key := []byte("0123456789abcdef0123456789abcdef")
	mustExec(`INSERT INTO settings (key, value) VALUES ('token_key', ?)`, key)
	mustExec(`INSERT INTO salons (id, slug, title, industry, starts_at, ends_at, timezone, capacity, rsvp_deadline, status,
		confirmed, waitlisted, created_at, updated_at) VALUES (1, 'legacy', 'Legacy', 'law', 4102444800, 4102452000,
		'Asia/Shanghai', 1, 4102444800, 'published', 1, 1, 0, 0)`)
	salts := [][]byte{[]byte("salt-salt-salt-1"), []byte("salt-salt-salt-2")}
	for i, status := range []string{"confirmed", "waitlisted"} {
		legacy := tickets.LegacyManageToken(key, salts[i])
		mustExec(`INSERT INTO tickets (id, salon_id, name, email, status, token_salt, token_hash, created_at, updated_at)
			VALUES (?, 1, 'Guest', ?, ?, ?, ?, 0, 0)`, i+1, "g"+status+"@example.com", status, salts[i], tickets.HashToken(legacy))
		mustExec(`INSERT INTO outbox (kind, salon_id, ticket_id, recipient, message_id, next_attempt_at, created_at)
			VALUES ('confirmed', 1, ?, 'x@example.com', ?, 0, 0)`, i+1, "m"+status)
	}
	mustExec(`INSERT INTO idempotency_keys (key_hash, body_hash, ticket_id, created_at) VALUES ('k', 'b', 1, 0)`)
	db := reopen(t, raw, path)
	if p := Pragmas(t, db); p["foreign_keys"] != "1" {
		t.Fatalf("foreign_keys = %s after migrating", p["foreign_keys"])
	}
	var n int
	if err := db.write.QueryRow(`SELECT (SELECT COUNT(*) FROM tickets) + (SELECT COUNT(*) FROM outbox) +
		(SELECT COUNT(*) FROM idempotency_keys)`).Scan(&n); err != nil || n != 5 {
		t.Fatalf("rows after migrating: %d, %v", n, err)
	}
	var ddl string
	if err := db.write.QueryRow(`SELECT group_concat(sql, ';') FROM sqlite_schema WHERE tbl_name IN ('tickets', 'outbox')`).Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ddl, "_lean") || strings.Contains(ddl, "message_id      TEXT NOT NULL UNIQUE") || strings.Contains(ddl, "token_hash    TEXT NOT NULL UNIQUE") {
		t.Fatalf("schema after migrating:\n%s", ddl)
	}

	legacy := tickets.LegacyManageToken(key, salts[0])
	old, err := db.FindTicketByToken(ctx, legacy)
	if err != nil || old.ID != 1 {
		t.Fatalf("legacy link: %+v, %v", old, err)
	}
	if old.Token != tickets.ManageToken(key, 1, salts[0]) {
		t.Fatalf("a legacy ticket's token is now %q", old.Token)
	}
	if again, err := db.FindTicketByToken(ctx, old.Token); err != nil || again.ID != 1 {
		t.Fatalf("new link of a legacy ticket: %v", err)
	}
	// The id alone, or the right id with another ticket's HMAC, finds nothing.
	forged := tickets.ManageToken(key, 1, salts[1])
	for _, bad := range []string{forged, strings.ToUpper(old.Token[:1]) + old.Token[1:] + "x", tickets.LegacyManageToken(key, []byte("other"))} {
		if _, err := db.FindTicketByToken(ctx, bad); err == nil {
			t.Errorf("token %q found a ticket", bad)
		}
	}
	// Cancelling by the legacy link frees the seat for the waitlisted ticket,
	// whose foreign keys (outbox rows) point at the rebuilt table.
	if _, err := db.CancelRSVP(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	next, err := db.FindTicketByToken(ctx, tickets.LegacyManageToken(key, salts[1]))
	if err != nil || next.Status != tickets.StatusConfirmed {
		t.Fatalf("waitlisted ticket after the cancellation: %+v, %v", next, err)
	}
	// Foreign keys are enforced again: an outbox row for no ticket is refused.
	if _, err := db.write.Exec(`INSERT INTO outbox (kind, ticket_id, recipient, message_id, next_attempt_at, created_at)
		VALUES ('confirmed', 999, 'x@example.com', 'm', 0, 0)`); err == nil {
		t.Fatal("an outbox row for a missing ticket was accepted")
	}
}

// TestMigrate_SalonCounts opens a database as the migrations before 0022
// left it, with a salon's counts on its own row: the counts move to
// salon_counts unchanged, the salons table no longer has them, the count
// guard still refuses an overbooking, and RSVPs go on counting.
func TestMigrate_SalonCounts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	raw, mustExec := migratedBefore(t, path, "0022")
	mustExec(`INSERT INTO salons (id, slug, title, industry, starts_at, ends_at, timezone, capacity, rsvp_deadline, status,
		confirmed, waitlisted, pending, checked_in, created_at, updated_at) VALUES (1, 'counted', 'Counted', 'law', 4102444800,
		4102452000, 'Asia/Shanghai', 5, 4102444800, 'published', 5, 2, 3, 4, 0, 0)`)
	db := reopen(t, raw, path)
	s, err := db.FindSalonByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Confirmed != 5 || s.Waitlisted != 2 || s.Pending != 3 || s.CheckedIn != 4 {
		t.Fatalf("counts after migrating: confirmed %d, waitlisted %d, pending %d, checked in %d", s.Confirmed, s.Waitlisted, s.Pending, s.CheckedIn)
	}
	var cols int
	if err := db.write.QueryRow(`SELECT COUNT(*) FROM pragma_table_info('salons')
		WHERE name IN ('confirmed', 'waitlisted', 'pending', 'checked_in')`).Scan(&cols); err != nil || cols != 0 {
		t.Fatalf("count columns left on salons: %d %v", cols, err)
	}
	if _, err := db.write.Exec(`UPDATE salon_counts SET confirmed = confirmed + 1 WHERE salon_id = 1`); err == nil || !strings.Contains(err.Error(), "out of bounds") {
		t.Fatalf("overbooking after migrating: %v", err)
	}
	if _, err := db.write.Exec(`INSERT INTO salon_counts (salon_id) VALUES (99)`); err == nil {
		t.Fatal("counts for a salon that does not exist")
	}
	if _, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: "counted", Input: tickets.RSVPInput{Name: "Ana", Email: "ana@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.FindSalonByID(ctx, 1); s.Confirmed != 5 || s.Waitlisted != 3 {
		t.Fatalf("an RSVP to the full salon after migrating: confirmed %d, waitlisted %d", s.Confirmed, s.Waitlisted)
	}
}

// migratedBefore makes a database at path as the migrations before the one
// named before left it, and returns its connection with a helper that runs
// a statement or fails the test.
func migratedBefore(t *testing.T, path, before string) (*sql.DB, func(q string, args ...any)) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`)
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	for _, name := range names {
		if name >= "migrations/"+before {
			break
		}
		body, _ := fs.ReadFile(migrationFS, name)
		mustExec(string(body))
		mustExec(`INSERT INTO migrations (name, applied_at) VALUES (?, 0)`, name)
	}
	return raw, mustExec
}

// reopen closes raw and opens the database at path as the server does,
// running the migrations it has not had; the test closes it.
func reopen(t *testing.T, raw *sql.DB, path string) *DB {
	t.Helper()
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrate_DeferredNotices: tickets from before 0023 have their notices
// in the outbox already, so the mark starts above them and nothing of
// theirs is copied again; an RSVP after it gets its notice once.
func TestMigrate_DeferredNotices(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "salon.db")
	raw, mustExec := migratedBefore(t, path, "0023")
	mustExec(`INSERT INTO salons (id, slug, title, industry, starts_at, ends_at, timezone, capacity, rsvp_deadline, status,
		created_at, updated_at) VALUES (1, 'old', 'Old', 'law', 4102444800, 4102452000, 'Asia/Shanghai', 5, 4102444800, 'published', 0, 0)`)
	mustExec(`INSERT INTO salon_counts (salon_id, confirmed) VALUES (1, 1)`)
	mustExec(`INSERT INTO tickets (id, salon_id, name, email, status, token_salt, created_at, updated_at)
		VALUES (7, 1, 'Old', 'old@example.com', 'confirmed', x'00', 0, 0)`)
	mustExec(`INSERT INTO outbox (kind, salon_id, ticket_id, recipient, message_id, next_attempt_at, created_at)
		VALUES ('confirmed', 1, 7, 'old@example.com', 'm1', 0, 0)`)
	db := reopen(t, raw, path)
	var mark int64
	if err := db.read.QueryRow(`SELECT ticket_id FROM notice_mark`).Scan(&mark); err != nil || mark != 7 {
		t.Fatalf("mark after migrating: %d %v", mark, err)
	}
	if _, err := db.CreateRSVP(ctx, storage.RSVPRequest{Slug: "old", Input: tickets.RSVPInput{Name: "Ana", Email: "ana@example.com", Lang: "en"}}); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].TicketID != 7 || msgs[1].TicketID <= 7 || msgs[1].Recipient != "ana@example.com" {
		t.Fatalf("outbox after migrating and one RSVP: %+v", msgs)
	}
}
