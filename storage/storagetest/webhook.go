package storagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// mustUser creates an account of role.
func mustHookUser(t *testing.T, db storage.Store, email, role string) *events.User {
	t.Helper()
	u := &events.User{Email: email, Role: role}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// mustWebhook registers a webhook of owner for evs.
func mustWebhook(t *testing.T, db storage.Store, owner int64, evs ...string) *storage.Webhook {
	t.Helper()
	w := &storage.Webhook{UserID: owner, URL: "https://hooks.example.com/" + fmt.Sprint(owner), Events: evs, Secret: "whsec_dGVzdA=="}
	if err := db.CreateWebhook(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	return w
}

// deliveryTypes lists a webhook's delivery types, oldest first, checking
// that each body is the event it names and each event id is new.
func deliveryTypes(t *testing.T, db storage.Store, hook int64, ids map[string]bool) []string {
	t.Helper()
	ds, err := db.FindDeliveries(context.Background(), hook, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		var body struct {
			Type      string          `json:"type"`
			Timestamp string          `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(d.Body, &body); err != nil || body.Type != d.Type || len(body.Data) < 3 {
			t.Fatalf("delivery %d body %s (%v) does not match type %s", d.ID, d.Body, err, d.Type)
		}
		if _, err := time.Parse(time.RFC3339, body.Timestamp); err != nil {
			t.Fatalf("delivery %d timestamp: %v", d.ID, err)
		}
		if ids[d.EventID] || d.EventID == "" {
			t.Fatalf("event id %q repeated or empty", d.EventID)
		}
		ids[d.EventID] = true
		out = append(out, d.Type)
	}
	return out
}

// testWebhookDeliveriesWithChange: each change writes a delivery for every
// subscribed webhook of the salon's organizer and of admins, in the same
// write; another organizer's webhook and a refused change get none.
func testWebhookDeliveriesWithChange(t *testing.T, db *store) {
	ctx := context.Background()
	admin := mustHookUser(t, db, "admin@example.com", events.RoleAdmin)
	org := mustHookUser(t, db, "org@example.com", events.RoleOrganizer)
	other := mustHookUser(t, db, "other@example.com", events.RoleOrganizer)
	all := storage.WebhookEvents
	hOrg := mustWebhook(t, db, org.ID, all...)
	hOther := mustWebhook(t, db, other.ID, all...)
	hAdmin := mustWebhook(t, db, admin.ID, storage.EventRSVPCreated)

	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	s := &events.Salon{Title: "Webhooks", Industry: "fintech", StartsAt: start, EndsAt: start.Add(2 * time.Hour),
		Capacity: 1, Waitlist: true, Status: events.StatusPublished, OrganizerID: org.ID}
	if err := db.CreateSalon(ctx, s); err != nil {
		t.Fatal(err)
	}
	first, err := rsvp(t, db, s.Slug, "first@example.com")
	if err != nil {
		t.Fatal(err)
	}
	second, err := rsvp(t, db, s.Slug, "second@example.com")
	if err != nil || second.Status != tickets.StatusWaitlisted {
		t.Fatalf("second RSVP: %v, %v", second, err)
	}
	if _, err := rsvp(t, db, s.Slug, "first@example.com"); events.ErrorCode(err) != events.EALREADYREGISTERED {
		t.Fatalf("repeat RSVP: %v", err)
	}
	if _, err := db.CancelTicket(ctx, s.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := db.CheckIn(ctx, storage.CheckinRequest{SalonID: s.ID, TicketID: second.ID}); err != nil || res.Result != tickets.CheckinOK {
		t.Fatalf("check-in: %+v, %v", res, err)
	}
	title := "Webhooks, moved"
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Title: &title}); err != nil {
		t.Fatal(err)
	}
	cancelled := events.StatusCancelled
	if _, err := db.UpdateSalon(ctx, s.ID, events.SalonUpdate{Status: &cancelled}); err != nil {
		t.Fatal(err)
	}

	ids := map[string]bool{}
	want := []string{storage.EventRSVPCreated, storage.EventRSVPCreated, storage.EventRSVPCancelled, storage.EventTicketPromoted,
		storage.EventCheckinCreated, storage.EventSalonChanged, storage.EventSalonCancelled}
	if got := deliveryTypes(t, db, hOrg.ID, ids); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("organizer's webhook got %v, want %v", got, want)
	}
	if got := deliveryTypes(t, db, hAdmin.ID, ids); fmt.Sprint(got) != fmt.Sprint([]string{storage.EventRSVPCreated, storage.EventRSVPCreated}) {
		t.Errorf("admin's webhook got %v, want two rsvp.created", got)
	}
	if got := deliveryTypes(t, db, hOther.ID, ids); len(got) != 0 {
		t.Errorf("another organizer's webhook got %v", got)
	}

	// A refused RSVP rolls back with its delivery.
	full := mustCreateSalon(t, db, 1, false)
	hAll := mustWebhook(t, db, admin.ID, storage.EventRSVPCreated)
	if _, err := rsvp(t, db, full.Slug, "a@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := rsvp(t, db, full.Slug, "b@example.com"); events.ErrorCode(err) != events.ESALONFULL {
		t.Fatalf("full salon: %v", err)
	}
	if got := deliveryTypes(t, db, hAll.ID, ids); len(got) != 1 {
		t.Errorf("after one RSVP and one refusal, %v", got)
	}
	var data struct {
		Ticket map[string]any `json:"ticket"`
	}
	ds, _ := db.FindDeliveries(ctx, hAll.ID, 1)
	if err := json.Unmarshal(ds[0].Body, &struct {
		Data any `json:"data"`
	}{&data}); err != nil || data.Ticket["email"] != "a@example.com" || data.Ticket["salon"] != full.Slug {
		t.Errorf("rsvp.created data %s (%v)", ds[0].Body, err)
	}

	// A disabled account's webhooks get nothing more.
	quiet := mustHookUser(t, db, "quiet@example.com", events.RoleAdmin)
	hQuiet := mustWebhook(t, db, quiet.ID, storage.EventRSVPCreated)
	if err := db.DisableUser(ctx, quiet.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := rsvp(t, db, s2slug(t, db), "c@example.com"); err != nil {
		t.Fatal(err)
	}
	if got := deliveryTypes(t, db, hQuiet.ID, ids); len(got) != 0 {
		t.Errorf("a disabled account's webhook got %v", got)
	}
}

// testWebhookClaimOnce: racing claimers get each delivery once; a claim
// whose lease ran out is claimed again, and the first claim can then no
// longer mark it.
func testWebhookClaimOnce(t *testing.T, db *store) {
	const total, workers = 60, 6
	ctx := context.Background()
	admin := mustHookUser(t, db, "admin@example.com", events.RoleAdmin)
	mustWebhook(t, db, admin.ID, storage.EventRSVPCreated)
	s := mustCreateSalon(t, db, total, false)
	for i := range total {
		if _, err := rsvp(t, db, s.Slug, fmt.Sprintf("g%d@example.com", i)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ds, err := db.ClaimDeliveries(ctx, 4, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ds) == 0 {
					return
				}
				mu.Lock()
				for _, d := range ds {
					seen[d.ID]++
					if d.Attempts != 1 || d.Status != storage.DeliverySending || d.URL == "" || d.Secret == "" {
						t.Errorf("claimed %+v", d)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != total {
		t.Fatalf("claimed %d distinct deliveries, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("delivery %d claimed %d times", id, n)
		}
	}
	var one int64
	for id := range seen {
		one = id
		break
	}
	// The claimer stopped: past its lease the delivery is due again.
	later := time.Now().Add(2 * time.Minute)
	db.clock.set(func() time.Time { return later })
	again, err := db.ClaimDeliveries(ctx, total, time.Minute)
	if err != nil || len(again) != total {
		t.Fatalf("after the lease, claimed %d (%v), want %d", len(again), err, total)
	}
	if err := db.MarkDelivered(ctx, one, 1, 200); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("stale claim marked delivered: %v", err)
	}
	if err := db.MarkDelivered(ctx, one, 2, 204); err != nil {
		t.Fatal(err)
	}
	if ds, err := db.ClaimDeliveries(ctx, total, time.Minute); err != nil || len(ds) != 0 {
		t.Fatalf("claimed %d more while leased (%v)", len(ds), err)
	}
	// Retried and failed deliveries move as the worker says.
	for _, d := range again {
		if d.ID == one {
			continue
		}
		if err := db.MarkDeliveryRetry(ctx, d.ID, 2, 503, "503 Service Unavailable", later.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if ds, err := db.ClaimDeliveries(ctx, total, time.Minute); err != nil || len(ds) != 0 {
		t.Fatalf("claimed %d before their retry time (%v)", len(ds), err)
	}
}

// testWebhookScope: an owner's lookups never reach another owner's
// webhooks or deliveries; owner 0 (an admin) reaches all.
func testWebhookScope(t *testing.T, db *store) {
	ctx := context.Background()
	a := mustHookUser(t, db, "a@example.com", events.RoleOrganizer)
	b := mustHookUser(t, db, "b@example.com", events.RoleOrganizer)
	hA := mustWebhook(t, db, a.ID, storage.EventRSVPCreated)
	mustWebhook(t, db, b.ID, storage.EventSalonChanged)
	if _, err := db.FindWebhook(ctx, hA.ID, b.ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("another owner's webhook: %v", err)
	}
	if err := db.DeleteWebhook(ctx, hA.ID, b.ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("delete another owner's webhook: %v", err)
	}
	if list, err := db.FindWebhooks(ctx, a.ID); err != nil || len(list) != 1 || list[0].ID != hA.ID {
		t.Fatalf("a's webhooks: %v, %v", list, err)
	}
	if list, err := db.FindWebhooks(ctx, 0); err != nil || len(list) != 2 {
		t.Fatalf("all webhooks: %v, %v", list, err)
	}
	got, err := db.FindWebhook(ctx, hA.ID, 0)
	if err != nil || fmt.Sprint(got.Events) != "[rsvp.created]" || got.Secret != hA.Secret {
		t.Fatalf("webhook as stored: %+v, %v", got, err)
	}
	admin := mustHookUser(t, db, "admin@example.com", events.RoleAdmin)
	mustWebhook(t, db, admin.ID, storage.EventRSVPCreated)
	s := mustCreateSalon(t, db, 5, false)
	if _, err := rsvp(t, db, s.Slug, "g@example.com"); err != nil {
		t.Fatal(err)
	}
	ds, err := db.ClaimDeliveries(ctx, 5, time.Minute)
	if err != nil || len(ds) != 1 {
		t.Fatalf("claimed %d (%v)", len(ds), err)
	}
	if err := db.RetryDelivery(ctx, ds[0].ID, 0); events.ErrorCode(err) != events.ECONFLICT {
		t.Fatalf("send again while sending: %v", err)
	}
	if err := db.MarkDeliveryFailed(ctx, ds[0].ID, 1, 500, "500"); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryDelivery(ctx, ds[0].ID, a.ID); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("send again another owner's delivery: %v", err)
	}
	if err := db.RetryDelivery(ctx, ds[0].ID, admin.ID); err != nil {
		t.Fatal(err)
	}
	again, err := db.ClaimDeliveries(ctx, 5, time.Minute)
	if err != nil || len(again) != 1 || again[0].EventID != ds[0].EventID || again[0].Attempts != 2 {
		t.Fatalf("sent again: %+v, %v", again, err)
	}
	if err := db.DeleteWebhook(ctx, hA.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindWebhook(ctx, hA.ID, 0); events.ErrorCode(err) != events.ENOTFOUND {
		t.Fatalf("deleted webhook: %v", err)
	}
}

// s2slug is a new published salon with room, for one more RSVP.
func s2slug(t *testing.T, db *store) string {
	t.Helper()
	return mustCreateSalon(t, db, 5, false).Slug
}
