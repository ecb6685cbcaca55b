package storagetest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

func testCheckInConcurrent(t *testing.T, db *store) {
	keys := MustKeySet(t, db)
	s := mustCreateSalon(t, db, 200, true)
	for round := 0; round < 50; round++ {
		tk, err := rsvp(t, db, s.Slug, fmt.Sprintf("door%d@example.com", round))
		if err != nil {
			t.Fatal(err)
		}
		code := keys.Sign(tk)
		results := make(chan string, 8)
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				res, err := db.CheckIn(context.Background(), Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: code, Device: fmt.Sprint("dev", i)}))
				if err != nil {
					t.Error(err)
					return
				}
				results <- res.Result
			}(i)
		}
		wg.Wait()
		close(results)
		n := map[string]int{}
		for r := range results {
			n[r]++
		}
		if n[tickets.CheckinOK] != 1 || n[tickets.CheckinAlready] != 7 {
			t.Fatalf("round %d: %v", round, n)
		}
	}
	got, _ := db.FindSalonBySlug(context.Background(), s.Slug)
	if got.CheckedIn != 50 {
		t.Fatalf("checked in count %d", got.CheckedIn)
	}
	scans, _ := db.FindScans(context.Background(), s.ID)
	if len(scans) != 400 {
		t.Fatalf("every scan attempt must be logged: %d", len(scans))
	}
}

func testCheckInResults(t *testing.T, db *store) {
	keys := MustKeySet(t, db)
	ctx := context.Background()
	s := mustCreateSalon(t, db, 1, true)
	other := mustCreateSalon(t, db, 5, true)
	a, _ := rsvp(t, db, s.Slug, "a@example.com")
	w, _ := rsvp(t, db, s.Slug, "w@example.com")
	o, _ := rsvp(t, db, other.Slug, "o@example.com")
	c, _ := rsvp(t, db, other.Slug, "c@example.com")
	if _, err := db.CancelRSVP(ctx, c.Token); err != nil {
		t.Fatal(err)
	}
	valid := keys.Sign(a)
	flipped := []byte(valid)
	flipped[len(flipped)/2] ^= 1
	if flipped[len(flipped)/2] == valid[len(valid)/2] {
		t.Fatal("flip did nothing")
	}
	for _, tc := range []struct {
		name, code, want string
		salon            int64
	}{
		{"ok", valid, tickets.CheckinOK, s.ID},
		{"repeat", valid, tickets.CheckinAlready, s.ID},
		{"lowercase repeat", "  " + toLower(valid) + "\n", tickets.CheckinAlready, s.ID},
		{"waitlisted", keys.Sign(w), tickets.CheckinNotConfirmed, s.ID},
		{"cancelled (revoked)", keys.Sign(c), tickets.CheckinNotConfirmed, other.ID},
		{"other salon", keys.Sign(o), tickets.CheckinWrongSalon, s.ID},
		{"bit flipped", string(flipped), tickets.CheckinInvalid, s.ID},
		{"truncated", valid[:len(valid)-3], tickets.CheckinInvalid, s.ID},
		{"another key", tickets.NewSigningKey(1).Sign(a.ID, s.ID), tickets.CheckinInvalid, s.ID},
		{"garbage", "HELLO", tickets.CheckinInvalid, s.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: tc.salon, Code: tc.code}))
			if err != nil || res.Result != tc.want {
				t.Fatalf("%v %v, want %s", res, err, tc.want)
			}
			if tc.want == tickets.CheckinAlready && (res.CheckedInAt == nil || res.Ticket.Name == "") {
				t.Fatalf("a repeat must carry the first check-in time: %+v", res)
			}
			if res.Ticket != nil {
				if want := map[int64]string{a.ID: a.Token, w.ID: w.Token, o.ID: o.Token, c.ID: c.Token}[res.Ticket.ID]; res.Ticket.Token != want {
					t.Fatalf("ticket %d answered with manage token %q, want %q", res.Ticket.ID, res.Ticket.Token, want)
				}
			}
		})
	}
	got, _ := db.FindSalonBySlug(ctx, s.Slug)
	if got.CheckedIn != 1 {
		t.Fatalf("checked in %d", got.CheckedIn)
	}
	// Undo, then the ticket can be checked in again.
	if tk, err := db.UndoCheckIn(ctx, s.ID, a.ID, 0); err != nil || tk.CheckedInAt != nil {
		t.Fatalf("undo: %v %v", tk, err)
	}
	if res, _ := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: valid})); res.Result != tickets.CheckinOK {
		t.Fatalf("after undo: %s", res.Result)
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func testCheckInNonceAndOffline(t *testing.T, db *store) {
	keys := MustKeySet(t, db)
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, true)
	a, _ := rsvp(t, db, s.Slug, "a@example.com")
	code := keys.Sign(a)
	first := time.Now().Add(-10 * time.Minute)
	// Two devices scanned the same ticket while offline; both upload later.
	r1, err := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: code, Nonce: "dev1-1", Device: "dev1", ScannedAt: first, Offline: true}))
	if err != nil || r1.Result != tickets.CheckinOK || r1.CheckedInAt.Unix() != first.Unix() {
		t.Fatalf("first upload: %+v %v", r1, err)
	}
	r2, err := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: code, Nonce: "dev2-1", Device: "dev2", ScannedAt: first.Add(time.Minute), Offline: true}))
	if err != nil || r2.Result != tickets.CheckinAlready || !r2.Flagged || r2.CheckedInAt.Unix() != first.Unix() {
		t.Fatalf("second device: %+v %v", r2, err)
	}
	// The same nonce again (a retried upload) answers the first result and writes nothing.
	r3, err := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: code, Nonce: "dev1-1", Device: "dev1", Offline: true}))
	if err != nil || r3.Result != tickets.CheckinOK || !r3.Replayed {
		t.Fatalf("nonce replay: %+v %v", r3, err)
	}
	for i, r := range []*storage.CheckinResult{r1, r2, r3} {
		if r.Ticket == nil || r.Ticket.ID != a.ID || r.Ticket.Token != a.Token {
			t.Fatalf("answer %d: ticket %+v, want %d with its manage token", i+1, r.Ticket, a.ID)
		}
	}
	scans, _ := db.FindScans(ctx, s.ID)
	if len(scans) != 2 || !scans[1].Flagged || scans[0].Device != "dev1" {
		t.Fatalf("scan log: %d", len(scans))
	}
}

func testSigningKeyRotation(t *testing.T, db *store) {
	s := mustCreateSalon(t, db, 5, true)
	a, _ := rsvp(t, db, s.Slug, "a@example.com")
	old := MustKeySet(t, db).Sign(a)
	// The rotation: a second key stored, and the key set made again.
	keys := MustKeySet(t, db)
	if keys.Sign(a) == old || len(keys.PublicKeys()) != 2 {
		t.Fatal("rotation did not make a new signing key")
	}
	if _, err := keys.Verify(old); err != nil {
		t.Fatalf("codes signed before the rotation must still verify: %v", err)
	}
}

func testDoorLinks(t *testing.T, db *store) {
	ctx := context.Background()
	s := mustCreateSalon(t, db, 5, true)
	l, token, err := db.CreateDoorLink(ctx, s.ID, "front door", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.FindDoorLink(ctx, token); err != nil || got.SalonID != s.ID {
		t.Fatalf("find: %v %v", got, err)
	}
	if err := db.RevokeDoorLink(ctx, s.ID, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindDoorLink(ctx, token); err == nil {
		t.Fatal("a revoked door link still works")
	}
}

// testCheckInScanTime: an online scan is recorded at the server's time
// whatever the device claims; an offline upload keeps its claimed time
// within tickets.MaxOfflineAge; outside that it is refused and writes
// nothing, but a retried upload (same nonce) still answers as the first.
func testCheckInScanTime(t *testing.T, db *store) {
	var offset atomic.Int64 // how far the server's clock is moved ahead
	db.clock.set(func() time.Time { return time.Now().Add(time.Duration(offset.Load())) })
	ctx := context.Background()
	keys := MustKeySet(t, db)
	s := mustCreateSalon(t, db, 5, true)
	a, _ := rsvp(t, db, s.Slug, "a@example.com")
	b, _ := rsvp(t, db, s.Slug, "b@example.com")
	c, _ := rsvp(t, db, s.Slug, "c@example.com")
	hourAgo := time.Now().Add(-time.Hour)

	r, err := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: keys.Sign(a), ScannedAt: hourAgo}))
	if err != nil || r.CheckedInAt.Before(time.Now().Add(-time.Minute)) {
		t.Fatalf("online scan with a device time an hour back: %+v %v", r, err)
	}
	r, err = db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: keys.Sign(b), Nonce: "b1", ScannedAt: hourAgo, Offline: true}))
	if err != nil || r.CheckedInAt.Unix() != hourAgo.Unix() {
		t.Fatalf("offline upload an hour late: %+v %v", r, err)
	}
	old := time.Now().Add(-tickets.MaxOfflineAge - time.Minute)
	if _, err := db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: keys.Sign(c), ScannedAt: old, Offline: true})); events.ErrorCode(err) != events.EINVALID {
		t.Fatalf("offline scan past the bound: %v", err)
	}
	if got, _ := db.FindTicketByID(ctx, s.ID, c.ID); got.CheckedInAt != nil {
		t.Fatal("a refused scan checked the guest in")
	}
	offset.Store(int64(2 * tickets.MaxOfflineAge))
	r, err = db.CheckIn(ctx, Verified(keys, storage.CheckinRequest{SalonID: s.ID, Code: keys.Sign(b), Nonce: "b1", ScannedAt: hourAgo, Offline: true}))
	if err != nil || !r.Replayed || r.Result != tickets.CheckinOK {
		t.Fatalf("retried upload after the bound: %+v %v", r, err)
	}
	if scans, _ := db.FindScans(ctx, s.ID); len(scans) != 2 {
		t.Fatalf("scans logged: %d, want 2", len(scans))
	}
}
