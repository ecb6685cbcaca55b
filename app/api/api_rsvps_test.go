package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/storage"
)

// TestRSVPReplayWithholdsTicket checks that an Idempotency-Key replay, which
// anyone holding the key and the body can make, answers the ticket's state
// but nothing that acts as the ticket: the confirmation mail does that, as
// for already_registered.
func TestRSVPReplayWithholdsTicket(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	body := `{"name":"Ana Lima","email":"ana@example.com"}`
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", body, "Idempotency-Key", "k-1")
	if s != 201 {
		t.Fatalf("rsvp: %d %v", s, out)
	}
	first := out["ticket"].(map[string]any)
	token := strings.TrimPrefix(first["manage_url"].(string), "https://salon.example/t/")
	feed := strings.TrimSuffix(strings.TrimPrefix(first["feed_url"].(string), "https://salon.example/feeds/"), ".ics")
	code := first["code"].(string)
	queued, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{})

	s, raw, _ := ta.Do("POST", "/api/v1/salons/"+slug+"/rsvps", "", "application/json", body, "Idempotency-Key", "k-1")
	s2, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "", body, "Idempotency-Key", "k-1")
	again := out["ticket"].(map[string]any)
	if s != 201 || s2 != 201 || again["id"] != first["id"] || again["status"] != "confirmed" || out["replayed"] != true {
		t.Fatalf("replay: %d %v", s2, out)
	}
	for _, k := range []string{"manage_url", "code", "qr_url", "ics_url", "feed_url"} {
		if again[k] != nil {
			t.Errorf("replay carries %s %v", k, again[k])
		}
	}
	for name, secret := range map[string]string{"manage token": token, "feed token": feed, "code": code} {
		if strings.Contains(raw, secret) {
			t.Errorf("replay carries the %s: %s", name, raw)
		}
	}
	// The retry of a lost answer mails nothing more: the first answer's
	// confirmation is already on its way.
	if msgs, _ := ta.DB.FindMessages(context.Background(), storage.OutboxFilter{}); len(msgs) != len(queued) {
		t.Fatalf("replays queued %d notices", len(msgs)-len(queued))
	}
}

// TestRSVPFormIgnoresIdempotencyKey checks that the HTML form, whose answer
// is a redirect to the ticket page, takes no Idempotency-Key: a second post
// is already_registered, not a redirect to the first ticket.
func TestRSVPFormIgnoresIdempotencyKey(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon("")
	base := ta.Listen()
	c := apptest.Browser(t)
	_, page := apptest.Get(t, c, base+"/salons/"+slug)
	m := apptest.CSRFRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token in the form")
	}
	form := url.Values{"_csrf": {m[1]}, "name": {"Ana Lima"}, "email": {"ana@example.com"}}.Encode()
	post := func() *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", base+"/salons/"+slug+"/rsvp", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Idempotency-Key", "k-1")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/t/") {
		t.Fatalf("first post: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Refused as already registered: back to the salon page, never the ticket.
	if resp := post(); resp.StatusCode != 303 || resp.Header.Get("Location") != "/salons/"+slug {
		t.Fatalf("second post with the same key: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
