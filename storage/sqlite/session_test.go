package sqlite_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/storage/sqlite"
	"salon/tickets"
)

func TestSessions(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Now()
	db.Clock = func() time.Time { return now }
	u := &events.User{Email: "mei@example.com", Role: events.RoleOrganizer}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateSession(ctx, u.ID, time.Hour, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	id2, err := db.CreateSession(ctx, u.ID, time.Hour, "127.0.0.1", "test")
	if err != nil || id2 == id {
		t.Fatalf("second session %v: same id %v", err, id2 == id)
	}
	s, err := db.FindSession(ctx, id)
	if err != nil || s.User.Email != "mei@example.com" || s.UserID != u.ID {
		t.Fatalf("find: %v %+v", err, s)
	}
	// The database keeps the id's hash: that hash, given as an id, must not
	// find the session.
	// The altered id differs from id in its first character whatever that is
	// ("x" + id[1:] was id itself when id began with x, 1 run in 64).
	altered := "x" + id[1:]
	if id[0] == 'x' {
		altered = "y" + id[1:]
	}
	for name, bad := range map[string]string{"empty": "", "unknown": "nope", "altered id": altered, "hash of the id": tickets.HashToken(id)} {
		if _, err := db.FindSession(ctx, bad); events.ErrorCode(err) != events.ENOTFOUND {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Expired sessions are not found.
	now = now.Add(2 * time.Hour)
	if _, err := db.FindSession(ctx, id); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("expired session found: %v", err)
	}
	now = now.Add(-2 * time.Hour)
	if err := db.DeleteSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, id); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("deleted session found: %v", err)
	}
	if _, err := db.FindSession(ctx, id2); err != nil {
		t.Fatalf("the other session went too: %v", err)
	}
}

func TestSetupToken_Once(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if has, err := db.HasAdmin(ctx); err != nil || has {
		t.Fatalf("HasAdmin on a new database: %v %v", has, err)
	}
	old, err := db.CreateSetupToken(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := db.CreateSetupToken(ctx, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSetupToken(ctx, old); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("an older link still works: %v", err)
	}
	if err := db.CheckSetupToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	// Racing with the same link makes one admin.
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := &events.User{Email: "admin" + string(rune('a'+i)) + "@example.com", PasswordHash: "x"}
			if db.UseSetupToken(ctx, tok, u) == nil {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Fatalf("%d admins made with one link", ok.Load())
	}
	if err := db.CheckSetupToken(ctx, tok); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("spent link still valid: %v", err)
	}
	// With an admin, even a new link does nothing.
	tok, _ = db.CreateSetupToken(ctx, time.Hour)
	if err := db.UseSetupToken(ctx, tok, &events.User{Email: "late@example.com", PasswordHash: "x"}); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("a link worked with an admin present: %v", err)
	}
}

func lim(key string, n int) storage.LoginLimit { return storage.LoginLimit{Key: key, Max: n} }

func TestLoginAttempts(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Now()
	db.Clock = func() time.Time { return now }
	const window = 15 * time.Minute
	reserve := func(limits ...storage.LoginLimit) *storage.LoginAttempt {
		t.Helper()
		a, err := db.ReserveLoginAttempt(ctx, window, limits...)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for i := range 3 {
		if a := reserve(lim("ip:1", 4), lim("acct:a", 3)); !a.Allowed || a.Counts[0] != i || a.Counts[1] != i {
			t.Fatalf("attempt %d: %+v", i+1, a)
		}
	}
	// The account is at its limit: refused, and nothing is recorded, so the
	// address keeps its last attempt for another account.
	if a := reserve(lim("ip:1", 4), lim("acct:a", 3)); a.Allowed || a.Counts[0] != 3 || a.Counts[1] != 3 {
		t.Fatalf("over the account limit: %+v", a)
	}
	b := reserve(lim("ip:1", 4), lim("acct:b", 3))
	if !b.Allowed {
		t.Fatalf("acct:b: %+v", b)
	}
	if a := reserve(lim("ip:1", 4), lim("acct:c", 3)); a.Allowed || a.Counts[0] != 4 {
		t.Fatalf("over the address limit: %+v", a)
	}
	// acct:b's password was right: its attempt is taken back from the
	// address, and acct:a's slate wiped too when asked.
	if err := db.ReleaseLoginAttempt(ctx, b, "acct:a"); err != nil {
		t.Fatal(err)
	}
	if a := reserve(lim("ip:1", 5), lim("acct:a", 3), lim("acct:b", 3)); !a.Allowed || a.Counts[0] != 3 || a.Counts[1] != 0 || a.Counts[2] != 0 {
		t.Fatalf("after release: %+v", a)
	}
	// Old attempts fall out of the window and are pruned.
	now = now.Add(time.Hour)
	if a := reserve(lim("ip:1", 1)); !a.Allowed || a.Counts[0] != 0 {
		t.Fatalf("after the window: %+v", a)
	}
	if n := sqlite.LoginAttemptRows(t, db); n != 1 {
		t.Fatalf("%d rows left after pruning, want 1", n)
	}
}

// TestLoginAttempts_Parallel reserves many attempts for one key at once: the
// check and the record are one write, so exactly the limit get through.
func TestLoginAttempts_Parallel(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	const limit, burst = 5, 40
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := db.ReserveLoginAttempt(ctx, 15*time.Minute, lim("ip:1", 20), lim("acct:a", limit))
			if err != nil {
				t.Error(err)
				return
			}
			if a.Allowed {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := allowed.Load(); n != limit {
		t.Fatalf("%d of %d parallel attempts allowed, limit %d", n, burst, limit)
	}
}

func TestConsoleStorage(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := &events.User{Email: "a@example.com", Role: events.RoleOrganizer}
	b := &events.User{Email: "b@example.com", Role: events.RoleOrganizer}
	for _, u := range []*events.User{a, b} {
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CreateAPIToken(ctx, a.ID, "laptop"); err != nil {
		t.Fatal(err)
	}
	toks, err := db.FindAPITokens(ctx, a.ID)
	if err != nil || len(toks) != 1 || toks[0].Label != "laptop" {
		t.Fatalf("tokens %v %+v", err, toks)
	}
	if err := db.RevokeAPIToken(ctx, b.ID, toks[0].ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("revoked another user's token: %v", err)
	}
	if err := db.RevokeAPIToken(ctx, a.ID, toks[0].ID); err != nil {
		t.Fatal(err)
	}
	if toks, _ = db.FindAPITokens(ctx, a.ID); toks[0].RevokedAt == nil {
		t.Fatal("not revoked")
	}

	s1 := MustCreateSalon(t, db, 1, true)
	s2 := MustCreateSalon(t, db, 1, true)
	first, err := rsvp(t, db, s1.Slug, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	second, err := rsvp(t, db, s1.Slug, "bo@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CancelTicket(ctx, s2.ID, first.ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("cancelled through another salon: %v", err)
	}
	got, err := db.CancelTicket(ctx, s1.ID, first.ID)
	if err != nil || got.Status != "cancelled" {
		t.Fatalf("cancel: %v %+v", err, got)
	}
	if again, err := db.CancelTicket(ctx, s1.ID, first.ID); err != nil || again.Status != "cancelled" {
		t.Fatalf("cancel again: %v", err)
	}
	if p, _ := db.FindTicketByID(ctx, s1.ID, second.ID); p.Status != "confirmed" {
		t.Fatalf("waitlist not promoted: %s", p.Status)
	}
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{SalonID: s1.ID, NewestFirst: true})
	if err != nil || len(msgs) < 3 || msgs[0].ID < msgs[len(msgs)-1].ID {
		t.Fatalf("messages newest first: %v %d", err, len(msgs))
	}
	if msgs, _ := db.FindMessages(ctx, storage.OutboxFilter{OrganizerID: a.ID, NewestFirst: true}); len(msgs) != 0 {
		t.Fatalf("organizer a sees %d messages of salons that are not theirs", len(msgs))
	}

	for _, e := range []*storage.AuditEntry{
		{UserID: a.ID, Actor: a.Email, Action: "salon.update", SalonID: s1.ID},
		{UserID: b.ID, Actor: b.Email, Action: "salon.update", SalonID: s2.ID},
	} {
		if err := db.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	log, err := db.FindAudit(ctx, storage.AuditFilter{SalonID: s1.ID})
	if err != nil || len(log) != 1 || log[0].Actor != a.Email || log[0].Salon != s1.Slug {
		t.Fatalf("audit for s1: %v %+v", err, log)
	}
	if log, _ := db.FindAudit(ctx, storage.AuditFilter{OrganizerID: b.ID}); len(log) != 1 || log[0].Actor != b.Email {
		t.Fatalf("audit for b: %+v", log)
	}
	users, err := db.FindUsers(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("users %v %d", err, len(users))
	}
}
