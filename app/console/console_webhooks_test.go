package console_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
	"salon/tickets"
)

// TestConsoleWebhooks: an organizer makes a webhook in the console and
// sees its secret once, sees its deliveries with status, response code and
// error, and sends one again with a CSRF-checked form; another organizer
// reaches none of it.
func TestConsoleWebhooks(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	org := ta.Account("wang@example.com", events.RoleOrganizer)
	ta.Account("li@example.com", events.RoleOrganizer)
	c := apptest.SignedIn(t, base, "wang@example.com")

	tok := apptest.FormToken(t, c, base+"/admin/webhooks")
	form := url.Values{"_csrf": {tok}, "url": {"https://10.0.0.1/hook"}, "events": {"rsvp.created"}}
	if resp, body := apptest.PostForm(t, c, base+"/admin/webhooks", form); resp.StatusCode != 422 || !strings.Contains(body, "url-err") {
		t.Fatalf("private address: %d %.300s", resp.StatusCode, body)
	}
	form.Set("url", "https://93.184.216.34/hook")
	form["events"] = []string{"rsvp.created", "rsvp.cancelled"}
	resp, body := apptest.PostForm(t, c, base+"/admin/webhooks", form)
	secret := regexp.MustCompile(`value="(whsec_[^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || secret == nil {
		t.Fatalf("create: %d %.500s", resp.StatusCode, body)
	}
	if _, again := apptest.Get(t, c, base+"/admin/webhooks"); strings.Contains(again, secret[1]) || !strings.Contains(again, "93.184.216.34") {
		t.Fatal("the list shows the secret again, or not the webhook")
	}
	hooks, err := ta.DB.FindWebhooks(context.Background(), org.ID)
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks: %v %v", hooks, err)
	}
	h := hooks[0]
	sa := apptest.OwnedSalon(t, ta, org, "hooks", nil)
	apptest.Guest(t, ta, sa.Slug, tickets.RSVPInput{Name: "Li Na", Email: "li.na@example.com"})
	ds, err := ta.DB.ClaimDeliveries(context.Background(), 5, 60e9)
	if err != nil || len(ds) != 1 {
		t.Fatalf("claim: %v %v", ds, err)
	}
	if err := ta.DB.MarkDeliveryFailed(context.Background(), ds[0].ID, 1, 502, "answered 502 Bad Gateway"); err != nil {
		t.Fatal(err)
	}
	page := base + "/admin/webhooks/" + itoa(h.ID)
	status, body := apptest.Get(t, c, page)
	if status != 200 || !strings.Contains(body, "rsvp.created") || !strings.Contains(body, ">502<") || !strings.Contains(body, "Bad Gateway") {
		t.Fatalf("deliveries page: %d %.800s", status, body)
	}
	resend := page + "/deliveries/" + itoa(ds[0].ID) + "/resend"
	if resp, _ := apptest.PostForm(t, c, resend, url.Values{}); resp.StatusCode != 403 {
		t.Fatalf("send again without CSRF: %d", resp.StatusCode)
	}
	tok = apptest.FormToken(t, c, page)
	if resp, _ := apptest.PostForm(t, c, resend, url.Values{"_csrf": {tok}}); resp.StatusCode != 303 {
		t.Fatalf("send again: %d", resp.StatusCode)
	}
	if got, _ := ta.DB.FindDeliveries(context.Background(), h.ID, 1); got[0].Status != storage.DeliveryPending {
		t.Fatalf("after send again: %s", got[0].Status)
	}

	other := apptest.SignedIn(t, base, "li@example.com")
	if status, _ := apptest.Get(t, other, page); status != 404 {
		t.Fatalf("another organizer's webhook page: %d", status)
	}
	otok := apptest.FormToken(t, other, base+"/admin/webhooks")
	if resp, _ := apptest.PostForm(t, other, page+"/delete", url.Values{"_csrf": {otok}}); resp.StatusCode != 404 {
		t.Fatalf("another organizer's delete: %d", resp.StatusCode)
	}
	if resp, _ := apptest.PostForm(t, other, resend, url.Values{"_csrf": {otok}}); resp.StatusCode != 404 {
		t.Fatalf("another organizer's send again: %d", resp.StatusCode)
	}
	tok = apptest.FormToken(t, c, base+"/admin/webhooks")
	if resp, _ := apptest.PostForm(t, c, page+"/delete", url.Values{"_csrf": {tok}}); resp.StatusCode != 303 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
