package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"salon/app/internal/apptest"
)

// TestTicketExportAndErase: the export holds every place the holder's data
// lives; the erasure frees the seat to the waitlist, answers the ticket
// with its personal fields empty, the same again, and leaves an export with
// nothing personal in it.
func TestTicketExportAndErase(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":1`)
	s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/rsvps", "",
		`{"name":"Ana Lima","email":"ana@example.com","company":"Lima Pay","job_title":"CTO"}`, "Idempotency-Key", "k-1")
	if s != 201 {
		t.Fatalf("rsvp: %d %v", s, out)
	}
	tk := out["ticket"].(map[string]any)
	token := strings.TrimPrefix(tk["manage_url"].(string), "https://salon.example/t/")
	bob, _ := ta.RSVPToken(slug, "bob@example.com")
	if s, out := ta.JSON("POST", "/api/v1/salons/"+slug+"/checkins", ta.Staff, `{"code":"`+tk["code"].(string)+`"}`); s != 200 {
		t.Fatalf("check-in: %d %v", s, out)
	}

	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/tickets/nope/export"}, {"POST", "/api/v1/tickets/nope/erase"},
		{"GET", "/api/v1/tickets/" + token + "x/export"}, {"POST", "/api/v1/tickets/" + token + "x/erase"},
	} {
		if s, out := ta.JSON(c.method, c.path, "", ""); s != 404 || apptest.ErrCode(out) != "not_found" {
			t.Errorf("%s %s: %d %v", c.method, c.path, s, out)
		}
	}

	s, body, h := ta.Do("GET", "/api/v1/tickets/"+token+"/export", "", "", "")
	if s != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %d %v %s", s, h, body)
	}
	var ex struct {
		Ticket map[string]any   `json:"ticket"`
		Salon  map[string]any   `json:"salon"`
		Mail   []map[string]any `json:"mail"`
		Scans  []map[string]any `json:"scans"`
		Audit  []map[string]any `json:"audit"`
		Keys   int              `json:"idempotency_keys"`
	}
	if err := json.Unmarshal([]byte(body), &ex); err != nil {
		t.Fatal(err)
	}
	if ex.Ticket["name"] != "Ana Lima" || ex.Ticket["company"] != "Lima Pay" || ex.Ticket["job_title"] != "CTO" ||
		ex.Ticket["feed_url"] == nil || ex.Salon["slug"] != slug {
		t.Errorf("export ticket %v salon %v", ex.Ticket, ex.Salon)
	}
	if len(ex.Mail) != 1 || ex.Mail[0]["recipient"] != "ana@example.com" || ex.Mail[0]["kind"] != "confirmed" {
		t.Errorf("export mail %v", ex.Mail)
	}
	if len(ex.Scans) != 1 || ex.Scans[0]["result"] != "ok" {
		t.Errorf("export scans %v", ex.Scans)
	}
	if ex.Keys != 1 {
		t.Errorf("export idempotency keys %d", ex.Keys)
	}

	s, first, _ := ta.Do("POST", "/api/v1/tickets/"+token+"/erase", "", "", "")
	if s != 200 {
		t.Fatalf("erase: %d %s", s, first)
	}
	var erased struct{ Ticket map[string]any }
	json.Unmarshal([]byte(first), &erased)
	for _, k := range []string{"name", "email", "company", "job_title"} {
		if erased.Ticket[k] != "" {
			t.Errorf("erased ticket %s = %v", k, erased.Ticket[k])
		}
	}
	if erased.Ticket["status"] != "cancelled" || erased.Ticket["erased_at"] == nil || erased.Ticket["feed_url"] != nil ||
		erased.Ticket["ics_url"] != nil || erased.Ticket["code"] != nil {
		t.Errorf("erased ticket: %v", erased.Ticket)
	}
	if s, again, _ := ta.Do("POST", "/api/v1/tickets/"+token+"/erase", "", "", ""); s != 200 || again != first {
		t.Errorf("erase again: %d %s, first %s", s, again, first)
	}
	if s, got, _ := ta.Do("GET", "/api/v1/tickets/"+token, "", "", ""); s != 200 || got != first {
		t.Errorf("the erased ticket: %d %s", s, got)
	}
	if s, out := ta.JSON("GET", "/api/v1/tickets/"+bob, "", ""); s != 200 || out["ticket"].(map[string]any)["status"] != "confirmed" {
		t.Errorf("bob after the erasure: %d %v", s, out)
	}
	if s, out := ta.JSON("POST", "/api/v1/tickets/"+token+"/feed/revoke", "", ""); s != 200 || out["ticket"].(map[string]any)["feed_url"] != nil {
		t.Errorf("feed revoke of an erased ticket: %d %v", s, out)
	}
	s, body, _ = ta.Do("GET", "/api/v1/tickets/"+token+"/export", "", "", "")
	if s != 200 {
		t.Fatalf("export after erase: %d %s", s, body)
	}
	for _, p := range []string{"ana@example.com", "Ana Lima", "Lima Pay", "CTO"} {
		if strings.Contains(body, p) {
			t.Errorf("the export after the erasure holds %q: %s", p, body)
		}
	}
	if s, _, _ := ta.Do("GET", "/t/"+token+"/invite.ics", "", "", ""); s != 404 {
		t.Errorf("invite of an erased ticket: %d", s)
	}
}
