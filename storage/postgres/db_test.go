package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/postgres"
	"salon/storage/postgres/pgtest"
	"salon/tickets"
)

// TestOpen_ConcurrentMigrate starts several stores on one empty database at
// once: the advisory lock lets one migrate, and all share one server key.
func TestOpen_ConcurrentMigrate(t *testing.T) {
	u := pgtest.URL(t)
	dbs := make([]*postgres.DB, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = postgres.Open(context.Background(), u)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer dbs[i].Close()
		if string(dbs[i].Key()) != string(dbs[0].Key()) {
			t.Fatalf("store %d has a server key of its own", i)
		}
	}
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v, %v", files, err)
	}
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(files) {
		t.Fatalf("migrations recorded: %d, %v; want %d", n, err, len(files))
	}
}

// TestOpen_RefusesNewerSchema: a database migrated by a newer release is
// not opened by this one.
func TestOpen_RefusesNewerSchema(t *testing.T) {
	u := pgtest.URL(t)
	openDB(t, u).Close()
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(context.Background(), u)
	if err == nil || !strings.Contains(err.Error(), "newer than this salon") {
		t.Fatalf("open of a newer schema: %v", err)
	}
}

// TestOpen_AppliesAGap: a migration numbered below the highest one applied
// (branches landing out of order) is still applied at the next start.
func TestOpen_AppliesAGap(t *testing.T) {
	u := pgtest.URL(t)
	openDB(t, u).Close()
	raw, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// As if 0002 had not landed when the later ones were applied.
	if _, err := raw.Exec(`ALTER TABLE outbox DROP COLUMN claim; DELETE FROM schema_migrations WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	openDB(t, u).Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'outbox' AND column_name = 'claim'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("migration 0002 after a later one: claim column %d, %v", n, err)
	}
}

// TestOpen_BadConfiguration: each bad URL fails with one line saying what
// is wrong, never with the password.
func TestOpen_BadConfiguration(t *testing.T) {
	base, err := url.Parse(pgtest.ServerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(u *url.URL)) string { u := *base; f(&u); return u.String() }
	cases := []struct{ name, url, want string }{
		{"wrong password", with(func(u *url.URL) { u.User = url.UserPassword(u.User.Username(), "hunter2-secret") }), "user name or password"},
		{"missing database", with(func(u *url.URL) { u.Path = "/no_such_salon_db" }), `"no_such_salon_db" does not exist`},
		{"unreachable", with(func(u *url.URL) { u.User = url.UserPassword("salon", "hunter2-secret"); u.Host = "127.0.0.1:1" }), "cannot reach"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := postgres.Open(ctx, c.url)
			if err == nil {
				t.Fatal("opened")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, c.want) || strings.Contains(msg, "hunter2") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line with %q and no password", msg, c.want)
			}
		})
	}
}

// TestClaimMessages_LeaseExpires: a message claimed by a worker that then
// dies stays with it until its lease runs out, then goes to another
// process's worker; RequeueInFlight leaves a live lease alone, and the first
// worker's late mark is refused.
func TestClaimMessages_LeaseExpires(t *testing.T) {
	u := pgtest.URL(t)
	a, b := openDB(t, u), openDB(t, u)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	a.Clock, b.Clock = clock, clock
	a.Lease, b.Lease = time.Minute, time.Minute
	ctx := context.Background()
	start := time.Now().Add(7 * 24 * time.Hour)
	s := &events.Salon{Title: "Lease", Industry: "fintech", StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 5, Status: events.StatusPublished}
	if err := a.CreateSalon(ctx, s); err != nil {
		t.Fatal(err)
	}
	in := tickets.RSVPInput{Name: "Ada", Email: "ada@example.com"}
	in.Normalize()
	if _, err := a.CreateRSVP(ctx, storage.RSVPRequest{Slug: s.Slug, Input: in}); err != nil {
		t.Fatal(err)
	}
	got, err := a.ClaimMessages(ctx, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("first claim: %d, %v", len(got), err)
	}
	// a "crashes" here, holding the message.
	if n, err := b.RequeueInFlight(ctx); err != nil || n != 0 {
		t.Fatalf("requeue under a live lease: %d, %v", n, err)
	}
	if again, err := b.ClaimMessages(ctx, 10); err != nil || len(again) != 0 {
		t.Fatalf("claim under a live lease: %d, %v", len(again), err)
	}
	mu.Lock()
	now = now.Add(61 * time.Second)
	mu.Unlock()
	again, err := b.ClaimMessages(ctx, 10)
	if err != nil || len(again) != 1 || again[0].ID != got[0].ID || again[0].MessageID != got[0].MessageID {
		t.Fatalf("claim after the lease: %+v, %v", again, err)
	}
	// a wakes up and reports its send: b's claim is the current one.
	if err := a.MarkSent(ctx, got[0].ID, got[0].Claim); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("stale claim marked sent: %v, want conflict", err)
	}
	if err := b.MarkSent(ctx, again[0].ID, again[0].Claim); err != nil {
		t.Fatal(err)
	}
}
