package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// The account contracts are added here rather than in the list in
// storagetest.go, so this file is all there is to them.
func init() {
	contracts = append(contracts,
		contract{"Accounts_InviteSingleUse", testInviteSingleUse},
		contract{"Accounts_InviteExpiry", testInviteExpiry},
		contract{"Accounts_InviteMail", testInviteMail},
		contract{"Accounts_DisableStopsAccess", testDisableStopsAccess},
		contract{"Accounts_PasswordAndName", testPasswordAndName},
	)
}

// adminCtx is a context whose writes are audited as done by an admin.
var adminCtx = storage.WithActor(context.Background(), storage.Actor{UserID: 0, Email: "admin@example.com", IP: "192.0.2.1"})

func mustUser(t *testing.T, db storage.Store, email string) *events.User {
	t.Helper()
	u := &events.User{Email: email, Role: events.RoleOrganizer, Name: "Mei"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func mustInvite(t *testing.T, db storage.Store, r storage.InviteRequest) string {
	t.Helper()
	token, err := db.CreateInvite(adminCtx, r)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// auditActions lists the actions of the audit log, newest first.
func auditActions(t *testing.T, db storage.Store) []string {
	t.Helper()
	entries, err := db.FindAudit(context.Background(), storage.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// testInviteSingleUse: a link sets the password once, however many use it
// at once; a newer link replaces an older one; only the hash is stored.
func testInviteSingleUse(t *testing.T, db *store) {
	ctx := context.Background()
	u := mustUser(t, db, "mei@example.com")
	old := mustInvite(t, db, storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkInvite})
	token := mustInvite(t, db, storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkReset})
	if len(token) < 40 || token == old {
		t.Fatalf("token %q (old %q)", token, old)
	}
	if _, err := db.CheckInvite(ctx, old); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("an older link must stop working when a new one is made: %v", err)
	}
	if got, err := db.CheckInvite(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("check: %+v %v", got, err)
	}
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := db.UseInvite(ctx, token, "hash-"+string(rune('a'+i)))
			switch events.ErrorCode(err) {
			case "":
				ok.Add(1)
			case events.ENOTFOUND:
			default:
				t.Errorf("use: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 {
		t.Fatalf("a link set the password %d times, want once", ok.Load())
	}
	if _, err := db.CheckInvite(ctx, token); events.ErrorCode(err) != events.ENOTFOUND || errors.Is(err, storage.ErrLinkExpired) {
		t.Fatalf("a used link must be not found, not expired: %v", err)
	}
	got, err := db.FindUserByID(ctx, u.ID)
	if err != nil || len(got.PasswordHash) != len("hash-a") {
		t.Fatalf("password not set: %+v %v", got, err)
	}
	if _, err := db.CheckInvite(ctx, "nonsense"); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown link: %v", err)
	}
	actions := auditActions(t, db)
	for _, a := range []string{storage.ActionUserInvite, storage.ActionUserReset, storage.ActionUserPassword} {
		if !has(actions, a) {
			t.Errorf("no %s in the audit log: %v", a, actions)
		}
	}
}

// testInviteExpiry: a link is valid for its time and says it expired after.
func testInviteExpiry(t *testing.T, db *store) {
	ctx := context.Background()
	u := mustUser(t, db, "mei@example.com")
	token := mustInvite(t, db, storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkInvite})
	start := time.Now()
	db.clock.set(func() time.Time { return start.Add(storage.InviteTTL - time.Minute) })
	if _, err := db.CheckInvite(ctx, token); err != nil {
		t.Fatalf("a link must be valid for %v: %v", storage.InviteTTL, err)
	}
	db.clock.set(func() time.Time { return start.Add(storage.InviteTTL + time.Minute) })
	if _, err := db.CheckInvite(ctx, token); !errors.Is(err, storage.ErrLinkExpired) {
		t.Fatalf("check after %v: %v, want expired", storage.InviteTTL, err)
	}
	if _, err := db.UseInvite(ctx, token, "hash"); !errors.Is(err, storage.ErrLinkExpired) {
		t.Fatalf("use after %v: %v, want expired", storage.InviteTTL, err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.PasswordHash != "" {
		t.Fatal("an expired link set a password")
	}
}

// testInviteMail: the invitation is queued with the link in the same write,
// and the link leaves the outbox once it is used.
func testInviteMail(t *testing.T, db *store) {
	ctx := context.Background()
	u := mustUser(t, db, "mei@example.com")
	token := mustInvite(t, db, storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkInvite, MailURL: "https://salon.example/invite/", Lang: "zh"})
	msgs, err := db.FindMessages(ctx, storage.OutboxFilter{})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("messages: %v %v", msgs, err)
	}
	m := msgs[0]
	raw, _ := json.Marshal(m.Payload)
	var p storage.InvitationPayload
	json.Unmarshal(raw, &p)
	if m.Kind != tickets.NoticeInvitation || m.Recipient != u.Email || m.Lang != "zh" || m.SalonID != 0 ||
		p.URL != "https://salon.example/invite/"+token || p.Purpose != storage.LinkInvite || p.ExpiresAt == 0 {
		t.Fatalf("invitation %+v payload %+v", m, p)
	}
	if orgs, _ := db.FindMessages(ctx, storage.OutboxFilter{OrganizerID: u.ID}); len(orgs) != 0 {
		t.Fatal("an organizer's outbox must not show invitations")
	}
	if _, err := db.UseInvite(ctx, token, "hash"); err != nil {
		t.Fatal(err)
	}
	msgs, _ = db.FindMessages(ctx, storage.OutboxFilter{})
	if _, ok := msgs[0].Payload["url"]; ok {
		t.Fatalf("a used link is still kept in the outbox: %v", msgs[0].Payload)
	}
}

// testDisableStopsAccess: disabling ends sessions and stops API tokens at
// once; enabling lets the account sign in again but revives no token.
func testDisableStopsAccess(t *testing.T, db *store) {
	ctx := context.Background()
	u := mustUser(t, db, "mei@example.com")
	sess, err := db.CreateSession(ctx, u.ID, time.Hour, "192.0.2.9", "test")
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.CreateAPIToken(ctx, u.ID, "laptop")
	if err != nil {
		t.Fatal(err)
	}
	link := mustInvite(t, db, storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkReset})
	if err := db.DisableUser(adminCtx, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DisableUser(adminCtx, u.ID); err != nil {
		t.Fatalf("disabling twice: %v", err)
	}
	if _, err := db.FindSession(ctx, sess); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("a disabled account's session still works: %v", err)
	}
	if _, err := db.FindUserByAPIToken(ctx, token); events.ErrorCode(err) != events.EUNAUTHORIZED {
		t.Fatalf("a disabled account's token still works: %v", err)
	}
	if _, err := db.CheckInvite(ctx, link); err == nil {
		t.Fatal("a disabled account's password link still works")
	}
	if _, err := db.CreateInvite(adminCtx, storage.InviteRequest{UserID: u.ID, Purpose: storage.LinkReset}); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("a link for a disabled account: %v", err)
	}
	// A session made after disabling (a sign-in racing the disable) is refused too.
	late, err := db.CreateSession(ctx, u.ID, time.Hour, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, late); err == nil {
		t.Fatal("a session of a disabled account works")
	}
	got, err := db.FindUserByEmail(ctx, u.Email)
	if err != nil || !got.Disabled() {
		t.Fatalf("not marked disabled: %+v %v", got, err)
	}
	if err := db.EnableUser(adminCtx, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.FindUserByID(ctx, u.ID); got.Disabled() {
		t.Fatal("still disabled")
	}
	if _, err := db.FindUserByAPIToken(ctx, token); err == nil {
		t.Fatal("enabling revived a token revoked by disabling")
	}
	if _, err := db.FindSession(ctx, late); err != nil {
		t.Fatalf("a new session after enabling: %v", err)
	}
	actions := auditActions(t, db)
	if !has(actions, storage.ActionUserDisable) || !has(actions, storage.ActionUserEnable) {
		t.Fatalf("audit: %v", actions)
	}
	if err := db.DisableUser(adminCtx, 999999); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown account: %v", err)
	}
}

func testPasswordAndName(t *testing.T, db *store) {
	ctx := context.Background()
	u := mustUser(t, db, "mei@example.com")
	if err := db.SetPassword(adminCtx, u.ID, "h1"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPassword(adminCtx, u.ID, ""); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("empty hash: %v", err)
	}
	if err := db.SetUserName(adminCtx, u.ID, "Mei Lin"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserName(adminCtx, u.ID, "bad\nname"); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("bad name: %v", err)
	}
	got, _ := db.FindUserByID(ctx, u.ID)
	if got.PasswordHash != "h1" || got.Name != "Mei Lin" {
		t.Fatalf("got %+v", got)
	}
	if err := db.SetPassword(ctx, 999999, "h"); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("unknown account: %v", err)
	}
	actions := auditActions(t, db)
	if !has(actions, storage.ActionUserPassword) || !has(actions, storage.ActionUserUpdate) {
		t.Fatalf("audit: %v", actions)
	}
}
